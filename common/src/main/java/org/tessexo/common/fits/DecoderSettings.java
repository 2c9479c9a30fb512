package org.tessexo.common.fits;

import org.tessexo.common.config.UserException;

import java.io.Serializable;

/**
 * How {@link FitsImageDecoder} picks and checks the image HDU.
 *
 * @param hdu           "auto", an HDU index (0 = primary) or an EXTNAME
 * @param minImageSize  both image axes must have at least this many pixels under "auto"
 * @param maxImageBytes an image claiming more data bytes than this is failed before it is read
 * @param cubePlane     for NAXIS >= 3, the index of the plane used along the third axis
 */
public record DecoderSettings(String hdu, int minImageSize, long maxImageBytes, int cubePlane)
        implements Serializable {

    public static DecoderSettings defaults() {
        return new DecoderSettings("auto", 32, 256L << 20, 0);
    }

    public boolean isAuto() {
        return "auto".equalsIgnoreCase(hdu.trim());
    }

    /** The HDU index when {@link #hdu} is a number, else -1. */
    public int hduIndex() {
        String h = hdu.trim();
        if (!h.isEmpty() && h.chars().allMatch(Character::isDigit)) {
            return Integer.parseInt(h);
        }
        return -1;
    }

    public void validate() {
        if (hdu.isBlank()) {
            throw new UserException("Bad configuration: tess.fits.hdu is empty: use auto, an index or an EXTNAME");
        }
        if (minImageSize < 1) {
            throw new UserException("Bad configuration: tess.fits.min-image-size must be >= 1");
        }
        if (maxImageBytes < 1024) {
            throw new UserException("Bad configuration: tess.fits.max-image-bytes must be >= 1024");
        }
        if (cubePlane < 0) {
            throw new UserException("Bad configuration: tess.fits.cube-plane must be >= 0");
        }
    }
}
