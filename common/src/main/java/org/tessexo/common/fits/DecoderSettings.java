package org.tessexo.common.fits;

import java.io.Serializable;

/**
 * How {@link FitsImageDecoder} picks and checks the image HDU.
 *
 * @param hdu           "auto", an HDU index (0 = primary) or an EXTNAME
 * @param minImageSize  both image axes must have at least this many pixels under "auto"
 * @param maxImageBytes an image claiming more data bytes than this is failed before it is read
 * @param cubePlane     for NAXIS >= 3, the index of the plane used along the third axis
 * @param maxHeaderBlocks a header of more 2880-byte blocks is skipped ("header larger than ...")
 * @param verifyChecksum off, warn or fail: what a DATASUM mismatch of the image HDU does
 */
public record DecoderSettings(String hdu, int minImageSize, long maxImageBytes, int cubePlane, int maxHeaderBlocks,
                              String verifyChecksum)
        implements Serializable {
    /** Header blocks read before a header is given up on (10,000 blocks = 360,000 cards; TESS's have 2 to 5). */
    public static final int DEFAULT_HEADER_BLOCKS = 10_000;
    public static final String CHECKSUM_OFF = "off";
    public static final String CHECKSUM_WARN = "warn";
    public static final String CHECKSUM_FAIL = "fail";

    /** Models saved before a field existed read it as 0 or null: the defaults. */
    public DecoderSettings {
        maxHeaderBlocks = maxHeaderBlocks <= 0 ? DEFAULT_HEADER_BLOCKS : maxHeaderBlocks;
        verifyChecksum = verifyChecksum == null ? CHECKSUM_OFF
                : verifyChecksum.trim().toLowerCase(java.util.Locale.ROOT);
    }

    public DecoderSettings(String hdu, int minImageSize, long maxImageBytes, int cubePlane) {
        this(hdu, minImageSize, maxImageBytes, cubePlane, DEFAULT_HEADER_BLOCKS, CHECKSUM_OFF);
    }

    public static DecoderSettings defaults() {
        return new DecoderSettings("auto", 32, 256L << 20, 0);
    }

    /** DATASUM of the image HDU is checked while it is read (fits.verify-checksum warn or fail). */
    public boolean verifies() {
        return !CHECKSUM_OFF.equals(verifyChecksum);
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
            throw new IllegalArgumentException("tess.fits.hdu is empty: use auto, an index or an EXTNAME");
        }
        if (minImageSize < 1) {
            throw new IllegalArgumentException("tess.fits.min-image-size must be >= 1");
        }
        if (maxImageBytes < 1024) {
            throw new IllegalArgumentException("tess.fits.max-image-bytes must be >= 1024");
        }
        if (cubePlane < 0) {
            throw new IllegalArgumentException("tess.fits.cube-plane must be >= 0");
        }
        if (!java.util.List.of(CHECKSUM_OFF, CHECKSUM_WARN, CHECKSUM_FAIL).contains(verifyChecksum)) {
            throw new IllegalArgumentException("tess.fits.verify-checksum = '" + verifyChecksum
                    + "': use off, warn or fail");
        }
    }
}
