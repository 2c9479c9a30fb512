package org.tessexo.common.fits;

import java.io.Serializable;

/**
 * One image as decoded from a FITS HDU: physical values (BSCALE/BZERO applied, BLANK as NaN), row-major with
 * {@code height} rows of {@code width} pixels, row 0 being FITS row 1. NaN and Inf may still be present here;
 * {@code org.tessexo.common.image.Preprocessor} removes them.
 *
 * @param scienceRegion the header's science region cards, or null when the header has none
 * @param quality       the header's DQUALITY flags, or null
 */
public record DecodedImage(float[] pixels, int height, int width, int hdu, String extname,
                           ScienceRegion scienceRegion, Integer quality) implements Serializable {

    public float get(int row, int col) {
        return pixels[row * width + col];
    }
}
