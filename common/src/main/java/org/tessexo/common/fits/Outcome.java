package org.tessexo.common.fits;

/** What became of one listed file. Every listed file gets exactly one. */
public enum Outcome {
    /** An image was decoded and preprocessed: the file is a sample. */
    IMAGE,
    /** A valid FITS file without a usable image (tables only, images too small, 1-D data, all NaN). */
    SKIPPED,
    /** The file could not be read: not FITS, truncated, unreadable. */
    FAILED;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
