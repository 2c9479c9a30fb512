/**
 * The entry point for {@code spark-submit} ({@code TessJob}): arguments, settings, the SparkSession, exit statuses.
 */
package org.tessexo.spark;
