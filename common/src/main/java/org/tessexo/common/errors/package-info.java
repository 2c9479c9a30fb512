/**
 * The errors a user can act on, one per exit status: {@code UserException} (2), {@code NoValidDataException} (3),
 * {@code TooManyFailuresException} (1).
 */
package org.tessexo.common.errors;
