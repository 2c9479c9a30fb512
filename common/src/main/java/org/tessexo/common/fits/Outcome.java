package org.tessexo.common.fits;

/** What became of one listed file. Every listed file gets exactly one. */
public enum Outcome {
    /** An image was decoded and preprocessed: the file is a sample. */
    IMAGE,
    /** A light curve (or pixel table) was read and searched for transits. */
    SEARCHED,
    /** A valid file the command cannot use (tables only, images too small, 1-D data, all NaN, too few cadences). */
    SKIPPED,
    /** The file could not be read: not FITS, truncated, unreadable. */
    FAILED;

    /** The name in {@code outcomes/} and {@code run-report.json}: image, searched, skipped, failed. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The file was used: decoded into a sample, or searched. */
    public boolean used() {
        return this == IMAGE || this == SEARCHED;
    }
}
