package org.tessexo.common.fits;

import java.io.Serializable;

/**
 * The part of a CCD image that sees the sky, 1-based and inclusive as in the FITS header cards (TESS FFIs:
 * {@code SCCSA}..{@code SCCED} columns 45-2092 and {@code SCIROWS}..{@code SCIROWE} rows 1-2048; the rest are
 * under-clocked and virtual pixels).
 */
public record ScienceRegion(int colStart, int colEnd, int rowStart, int rowEnd) implements Serializable {

    /** The layout of a TESS calibrated FFI (2136 x 2078). */
    public static final ScienceRegion TESS_FFI = new ScienceRegion(45, 2092, 1, 2048);
    public static final int TESS_FFI_WIDTH = 2136;
    public static final int TESS_FFI_HEIGHT = 2078;

    public int width() {
        return colEnd - colStart + 1;
    }

    public int height() {
        return rowEnd - rowStart + 1;
    }

    /** True when the region lies inside an image of this size and is not empty. */
    public boolean fits(int imageHeight, int imageWidth) {
        return colStart >= 1 && rowStart >= 1 && colEnd >= colStart && rowEnd >= rowStart
                && colEnd <= imageWidth && rowEnd <= imageHeight;
    }
}
