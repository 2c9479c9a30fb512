package org.tessexo.common.errors;

/**
 * Nothing usable among the inputs: every listed file was skipped or failed. The message starts with
 * {@code No valid data loaded from <input>} and gives the counts by reason; the job exits with status 3.
 */
public class NoValidDataException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public NoValidDataException(String message) {
        super(message);
    }
}
