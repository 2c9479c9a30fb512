package org.tessexo.spark.transforms;

import org.tessexo.common.fits.Outcome;

/** What every listed file ends as, whatever the command: its outcome, the reason, and the bytes read. */
public interface FileOutcome {
    String path();

    Outcome outcome();

    /** Why the file was skipped or failed ("" for a used file, unless it carries a reason, as a missing label). */
    String reason();

    String detail();

    long bytesRead();

    /** The file was used: decoded into a sample ({@code image}), or searched. */
    default boolean isUsed() {
        return outcome().used();
    }
}
