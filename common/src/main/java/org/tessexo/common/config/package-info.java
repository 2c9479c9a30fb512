/**
 * Settings: the command line ({@code CommandLineArgs}), the layered HOCON settings ({@code SettingsLoader}, the only
 * place a domain record's {@code IllegalArgumentException} becomes a user error naming its {@code tess.*} key) and
 * {@code --help}.
 */
package org.tessexo.common.config;
