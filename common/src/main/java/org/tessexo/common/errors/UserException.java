package org.tessexo.common.errors;

/**
 * A mistake the user can fix: a bad option or configuration key, an input that does not exist, an unreachable
 * bucket. The message says what was expected, what was found and how to fix it; the job exits with status 2.
 * Internal bugs are {@link IllegalStateException}s instead, and data problems in single files never become
 * exceptions at all (they are outcomes, see {@code org.tessexo.common.fits.Outcome}).
 */
public class UserException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UserException(String message) {
        super(message);
    }

    public UserException(String message, Throwable cause) {
        super(message, cause);
    }
}
