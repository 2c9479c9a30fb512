package org.tessexo.common.errors;

/** More listed files failed than {@code tess.failures.*} allows: the run stops with exit 1 and says why. */
public final class TooManyFailuresException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TooManyFailuresException(String message) {
        super(message);
    }
}
