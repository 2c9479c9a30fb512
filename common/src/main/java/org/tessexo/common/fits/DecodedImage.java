package org.tessexo.common.fits;

import java.util.Objects;

/**
 * One image as decoded from a FITS HDU: physical values (BSCALE/BZERO applied, BLANK as NaN), {@code height} rows
 * of {@code width} pixels, row 0 being FITS row 1. NaN and Inf may still be present here;
 * {@code org.tessexo.common.image.Preprocessor} removes them.
 *
 * <p>An uncompressed image keeps the file's raw big-endian bytes, or reads them from the file as its rows are
 * asked for (a {@link FitsImageDecoder#streaming streaming} decoder), and converts them only where they are read:
 * {@link #readRow} converts one row (a bulk byte swap for float32), so preprocessing makes a single pass over the
 * pixels and no full-size float copy is ever made. {@link #pixels()} converts everything, once, for callers that
 * want the whole array. A streamed image gives its rows in order only, once each.
 */
public final class DecodedImage {
    private final int height;
    private final int width;
    private final int hdu;
    private final String extname;
    private final ScienceRegion scienceRegion;
    private final Integer quality;
    /** Where rows come from when {@link #pixels} does not hold them yet. */
    private final RowSource rows;
    private float[] pixels;
    /** The image HDU's header and the primary's (null when the image is the primary), when the decoder gave them. */
    private nom.tam.fits.Header header;
    private nom.tam.fits.Header primaryHeader;
    /** Where a streamed plane of unscaled big-endian float32 starts in its file; -1 for any other image. */
    private long float32Offset = -1;

    /** Physical values of part of one row, from raw bytes in memory or from the file itself. */
    interface RowSource {
        void read(int y, int x0, int n, float[] dst, int off);
    }

    /** An image from physical values already converted (row-major). */
    public DecodedImage(float[] pixels, int height, int width, int hdu, String extname, ScienceRegion scienceRegion,
                        Integer quality) {
        this(Objects.requireNonNull(pixels), null, height, width, hdu, extname, scienceRegion, quality);
        if (pixels.length != (long) height * width) {
            throw new IllegalArgumentException(pixels.length + " pixels for " + height + " x " + width);
        }
    }

    private DecodedImage(float[] pixels, RowSource rows, int height, int width, int hdu, String extname,
                         ScienceRegion scienceRegion, Integer quality) {
        this.pixels = pixels;
        this.rows = rows;
        this.height = height;
        this.width = width;
        this.hdu = hdu;
        this.extname = extname;
        this.scienceRegion = scienceRegion;
        this.quality = quality;
    }

    /** An image over raw big-endian pixels in memory (the first height x width; the array may be longer). */
    static DecodedImage ofRaw(byte[] raw, int bitpix, ImageScaling scaling, int height, int width, int hdu,
                              String extname, ScienceRegion scienceRegion, Integer quality) {
        if (raw.length < (long) height * width * (Math.abs(bitpix) / 8)) {
            throw new IllegalArgumentException(raw.length + " bytes for " + height + " x " + width + " BITPIX "
                    + bitpix);
        }
        RowSource rows = (y, x0, n, dst, off) -> scaling.convert(raw, bitpix, y * width + x0, n, dst, off);
        return new DecodedImage(null, rows, height, width, hdu, extname, scienceRegion, quality);
    }

    /** An image whose rows are read from the file as they are asked for, in order. */
    static DecodedImage streamed(RowSource rows, int height, int width, int hdu, String extname,
                                 ScienceRegion scienceRegion, Integer quality) {
        return new DecodedImage(null, Objects.requireNonNull(rows), height, width, hdu, extname, scienceRegion,
                quality);
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    public int hdu() {
        return hdu;
    }

    public String extname() {
        return extname;
    }

    /** The header's science region cards, or null when the header has none. */
    public ScienceRegion scienceRegion() {
        return scienceRegion;
    }

    /** The header's DQUALITY flags, or null. */
    public Integer quality() {
        return quality;
    }

    /** The cards of the image's HDU (null when not known: an image made from pixels). */
    public nom.tam.fits.Header header() {
        return header;
    }

    /** The primary HDU's cards when the image is in an extension, else null. */
    public nom.tam.fits.Header primaryHeader() {
        return primaryHeader;
    }

    /**
     * The byte offset in its file of this image's plane when the plane is stored as big-endian float32 without
     * BSCALE or BZERO (a calibrated FFI) and is streamed from the file (not yet read): a caller that has the file
     * itself may map it and read the pixels it needs from there; -1 for any other image.
     */
    public long float32PlaneOffset() {
        return float32Offset;
    }

    DecodedImage withFloat32Offset(long offset) {
        this.float32Offset = offset;
        return this;
    }

    DecodedImage withHeaders(nom.tam.fits.Header hdu, nom.tam.fits.Header primary) {
        this.header = hdu;
        this.primaryHeader = primary;
        return this;
    }

    /** All pixels, row-major (converted once on first use when the image holds raw bytes). */
    public synchronized float[] pixels() {
        if (pixels == null) {
            float[] all = new float[height * width];
            for (int y = 0; y < height; y++) {
                readRow(y, 0, width, all, y * width);
            }
            pixels = all;
        }
        return pixels;
    }

    public float get(int row, int col) {
        float[] one = new float[1];
        readRow(row, col, 1, one, 0);
        return one[0];
    }

    /**
     * Physical values of row {@code y}, columns {@code x0 .. x0+n-1}, into {@code dst} at {@code off}.
     *
     * @throws java.io.UncheckedIOException when a streamed image's file fails to read
     * @throws IllegalStateException when a streamed image is asked for a row before one it has already given
     */
    public void readRow(int y, int x0, int n, float[] dst, int off) {
        if (y < 0 || y >= height || x0 < 0 || n < 0 || x0 + n > width) {
            throw new IndexOutOfBoundsException("row " + y + " columns " + x0 + "+" + n + " of " + height + " x "
                    + width);
        }
        if (pixels != null) {
            System.arraycopy(pixels, y * width + x0, dst, off, n);
            return;
        }
        rows.read(y, x0, n, dst, off);
    }
}
