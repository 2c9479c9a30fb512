package org.tessexo.common.fits;

import nom.tam.fits.BasicHDU;
import nom.tam.fits.Fits;
import nom.tam.fits.FitsException;
import nom.tam.fits.Header;
import nom.tam.fits.ImageHDU;
import nom.tam.fits.TableHDU;
import nom.tam.fits.header.Standard;
import nom.tam.image.compression.hdu.CompressedImageHDU;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Finds the image HDU of a FITS stream and decodes it into physical float values, following the rule of
 * CONTRACT.md: under {@code hdu = auto} the first HDU holding an image with at least two axes, each at least
 * {@code min-image-size} pixels (the primary HDU with data, an {@code XTENSION = 'IMAGE'} extension, or a
 * tile-compressed image); a number picks an HDU by index, any other word by EXTNAME.
 *
 * <p>BSCALE, BZERO and BLANK are applied (BLANK becomes NaN; BITPIX 8 is unsigned as FITS says). Data cubes give the
 * plane {@code cube-plane} along the third axis. Whole-file gzip is recognised from the stream's first bytes.
 *
 * <p>It never throws for bad data: every problem becomes a {@link DecodeResult} with outcome {@code skipped} (valid
 * FITS, no usable image) or {@code failed} (unreadable) and a reason. It reads the stream only up to the chosen HDU,
 * and does not close it. It does not remove NaN or Inf: that is preprocessing's job.
 */
public final class FitsImageDecoder {
    public static final String TABLES_ONLY = "table HDUs only";
    public static final String TOO_SMALL = "image smaller than fits.min-image-size";
    public static final String NO_DATA = "no image data";
    public static final String ONE_D = "1-D data, not an image";
    public static final String HDU_MISSING = "requested HDU not found";
    public static final String HDU_NOT_IMAGE = "requested HDU is not an image";
    public static final String CUBE_PLANE = "cube plane out of range";
    public static final String TOO_LARGE = "image larger than fits.max-image-bytes";
    public static final String NOT_FITS = "not a FITS file";
    public static final String TRUNCATED = "truncated";
    public static final String UNREADABLE = "unreadable FITS";

    private final DecoderSettings settings;

    public FitsImageDecoder(DecoderSettings settings) {
        this.settings = settings;
    }

    public DecodeResult decode(InputStream in) {
        List<String> passed = new ArrayList<>();
        boolean sawTable = false;
        boolean sawSmallImage = false;
        boolean sawOneD = false;
        int wantedIndex = settings.hduIndex();
        boolean byName = !settings.isAuto() && wantedIndex < 0;
        Header primary = null;
        int index = 0;
        try {
            Fits fits = new Fits(in);
            BasicHDU<?> hdu;
            while ((hdu = fits.readHDU()) != null) {
                Header header = hdu.getHeader();
                if (index == 0) {
                    primary = header;
                }
                String extname = extname(header);
                Kind kind = kindOf(hdu);
                int[] axes = axesOf(hdu, kind);
                boolean requested = settings.isAuto() ? false
                        : byName ? settings.hdu().trim().equalsIgnoreCase(extname) : index == wantedIndex;
                if (requested) {
                    if (kind == Kind.TABLE || kind == Kind.OTHER) {
                        return DecodeResult.skipped(HDU_NOT_IMAGE,
                                "HDU " + describe(index, extname, kind, axes) + " is a " + kind.word, index, 0, 0);
                    }
                    if (axes == null || axes.length < 2) {
                        return DecodeResult.skipped(axes == null ? NO_DATA : ONE_D,
                                "HDU " + describe(index, extname, kind, axes), index, 0, 0);
                    }
                    return toImage(hdu, kind, index, extname, axes, primary);
                }
                if (settings.isAuto() && (kind == Kind.IMAGE || kind == Kind.COMPRESSED) && axes != null) {
                    if (axes.length >= 2 && height(axes) >= settings.minImageSize()
                            && width(axes) >= settings.minImageSize()) {
                        return toImage(hdu, kind, index, extname, axes, primary);
                    }
                    if (axes.length == 1) {
                        sawOneD = true;
                    } else {
                        sawSmallImage = true;
                    }
                }
                sawTable |= kind == Kind.TABLE;
                passed.add(describe(index, extname, kind, axes));
                index++;
            }
        } catch (IOException | RuntimeException e) {
            return failure(index, e);
        }
        if (index == 0) {
            return DecodeResult.failed(NOT_FITS, "no HDU could be read (empty file?)");
        }
        String seen = String.join("; ", passed);
        if (!settings.isAuto()) {
            return DecodeResult.skipped(HDU_MISSING, "no HDU " + (byName ? "with EXTNAME '" + settings.hdu().trim()
                    + "'" : "with index " + wantedIndex) + " (HDUs: " + seen + ")", -1, 0, 0);
        }
        if (sawTable) {
            return DecodeResult.skipped(TABLES_ONLY, seen, -1, 0, 0);
        }
        if (sawSmallImage) {
            return DecodeResult.skipped(TOO_SMALL, seen + " (min " + settings.minImageSize() + ")", -1, 0, 0);
        }
        if (sawOneD) {
            return DecodeResult.skipped(ONE_D, seen, -1, 0, 0);
        }
        return DecodeResult.skipped(NO_DATA, seen, -1, 0, 0);
    }

    private DecodeResult toImage(BasicHDU<?> hdu, Kind kind, int index, String extname, int[] axes, Header primary)
            throws FitsException {
        int h = height(axes);
        int w = width(axes);
        long pixels = (long) h * w;
        for (int i = 0; i < axes.length - 2; i++) {
            pixels *= Math.max(axes[i], 1);
        }
        int bytesPerPixel = Math.abs(hdu.getHeader().getIntValue(kind == Kind.COMPRESSED ? "ZBITPIX" : "BITPIX", 32)) / 8;
        if (pixels * Math.max(bytesPerPixel, 1) > settings.maxImageBytes()) {
            return DecodeResult.skipped(TOO_LARGE, "HDU " + describe(index, extname, kind, axes) + " holds "
                    + pixels * bytesPerPixel + " bytes (max " + settings.maxImageBytes() + ")", index, h, w);
        }
        if (axes.length >= 3 && settings.cubePlane() >= axes[axes.length - 3]) {
            return DecodeResult.skipped(CUBE_PLANE, "plane " + settings.cubePlane() + " asked, HDU "
                    + describe(index, extname, kind, axes) + " has " + axes[axes.length - 3], index, h, w);
        }
        ImageHDU image = kind == Kind.COMPRESSED ? ((CompressedImageHDU) hdu).asImageHDU() : (ImageHDU) hdu;
        Header header = image.getHeader();
        Object kernel = image.getData().getKernel();
        if (kernel == null) {
            return DecodeResult.skipped(NO_DATA, "HDU " + describe(index, extname, kind, axes), index, h, w);
        }
        Object plane = kernel;
        for (int level = 0; level < axes.length - 2; level++) {
            int pick = level == axes.length - 3 ? settings.cubePlane() : 0;
            plane = ((Object[]) plane)[pick];
        }
        float[] out = new float[Math.multiplyExact(h, w)];
        Scaling scaling = Scaling.of(header);
        Object[] rows = (Object[]) plane;
        if (rows.length != h) {
            throw new IllegalStateException("HDU " + index + ": " + rows.length + " rows decoded, header says " + h);
        }
        for (int r = 0; r < h; r++) {
            scaling.convertRow(rows[r], out, r * w, w);
        }
        return DecodeResult.image(new DecodedImage(out, h, w, index, extname,
                scienceRegion(header, primary), quality(header, primary)));
    }

    private static DecodeResult failure(int index, Exception e) {
        String msg = messageChain(e);
        String lower = msg.toLowerCase(Locale.ROOT);
        if (hasCause(e, EOFException.class) || lower.contains("eof") || lower.contains("end of")
                || lower.contains("truncat")) {
            return DecodeResult.failed(TRUNCATED, "at HDU " + index + ": " + msg);
        }
        if (index == 0 && (lower.contains("not fits") || lower.contains("simple") || lower.contains("no fits"))) {
            return DecodeResult.failed(NOT_FITS, msg);
        }
        return DecodeResult.failed(UNREADABLE, "at HDU " + index + ": " + msg);
    }

    private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return false;
    }

    static String messageChain(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null && sb.length() < 400; c = c.getCause()) {
            String m = c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
            if (sb.indexOf(m) < 0) {
                if (sb.length() > 0) {
                    sb.append(" <- ");
                }
                sb.append(m);
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return sb.toString();
    }

    private enum Kind {
        IMAGE("image"), COMPRESSED("tile-compressed image"), TABLE("table"), OTHER("non-image HDU");

        final String word;

        Kind(String word) {
            this.word = word;
        }
    }

    private static Kind kindOf(BasicHDU<?> hdu) {
        if (hdu instanceof CompressedImageHDU) {
            return Kind.COMPRESSED;
        }
        if (hdu instanceof ImageHDU) {
            return Kind.IMAGE;
        }
        if (hdu instanceof TableHDU) {
            return Kind.TABLE;
        }
        return Kind.OTHER;
    }

    private static int[] axesOf(BasicHDU<?> hdu, Kind kind) throws FitsException {
        int[] axes = kind == Kind.COMPRESSED ? ((CompressedImageHDU) hdu).getImageAxes() : hdu.getAxes();
        if (axes == null || axes.length == 0) {
            return null;
        }
        for (int a : axes) {
            if (a == 0) {
                return null; // a zero-length axis means no data
            }
        }
        return axes;
    }

    private static int height(int[] axes) {
        return axes[axes.length - 2];
    }

    private static int width(int[] axes) {
        return axes[axes.length - 1];
    }

    private static String describe(int index, String extname, Kind kind, int[] axes) {
        StringBuilder sb = new StringBuilder().append(index);
        if (!extname.isEmpty()) {
            sb.append(' ').append(extname);
        }
        sb.append(" (").append(kind.word);
        if (axes == null) {
            sb.append(", no data");
        } else if (kind != Kind.TABLE) {
            sb.append(' ');
            for (int i = axes.length - 1; i >= 0; i--) {
                sb.append(axes[i]).append(i > 0 ? "x" : "");
            }
        }
        return sb.append(')').toString();
    }

    private static String extname(Header h) {
        String name = h.getStringValue(Standard.EXTNAME);
        return name == null ? "" : name.trim();
    }

    private static ScienceRegion scienceRegion(Header image, Header primary) {
        for (Header h : new Header[] {image, primary}) {
            if (h != null && h.containsKey("SCCSA") && h.containsKey("SCCED") && h.containsKey("SCIROWS")
                    && h.containsKey("SCIROWE")) {
                return new ScienceRegion(h.getIntValue("SCCSA"), h.getIntValue("SCCED"), h.getIntValue("SCIROWS"),
                        h.getIntValue("SCIROWE"));
            }
        }
        return null;
    }

    private static Integer quality(Header image, Header primary) {
        for (Header h : new Header[] {image, primary}) {
            if (h != null && h.containsKey("DQUALITY")) {
                return h.getIntValue("DQUALITY");
            }
        }
        return null;
    }

    /** BSCALE/BZERO/BLANK of an image header, applied while rows are flattened. */
    private record Scaling(double scale, double zero, Long blank) {
        static Scaling of(Header h) {
            return new Scaling(h.getDoubleValue(Standard.BSCALE, 1.0), h.getDoubleValue(Standard.BZERO, 0.0),
                    h.containsKey(Standard.BLANK) ? h.getLongValue(Standard.BLANK) : null);
        }

        boolean identity() {
            return scale == 1.0 && zero == 0.0;
        }

        float apply(long raw) {
            if (blank != null && raw == blank) {
                return Float.NaN;
            }
            return (float) (scale * raw + zero);
        }

        void convertRow(Object row, float[] out, int off, int width) {
            if (row instanceof float[] f) {
                check(f.length, width);
                if (identity()) {
                    System.arraycopy(f, 0, out, off, width);
                } else {
                    for (int i = 0; i < width; i++) {
                        out[off + i] = (float) (scale * f[i] + zero);
                    }
                }
            } else if (row instanceof double[] d) {
                check(d.length, width);
                for (int i = 0; i < width; i++) {
                    out[off + i] = (float) (scale * d[i] + zero);
                }
            } else if (row instanceof short[] s) {
                check(s.length, width);
                for (int i = 0; i < width; i++) {
                    out[off + i] = apply(s[i]);
                }
            } else if (row instanceof int[] n) {
                check(n.length, width);
                for (int i = 0; i < width; i++) {
                    out[off + i] = apply(n[i]);
                }
            } else if (row instanceof byte[] b) {
                check(b.length, width);
                for (int i = 0; i < width; i++) {
                    out[off + i] = apply(b[i] & 0xFF); // FITS BITPIX 8 is unsigned
                }
            } else if (row instanceof long[] l) {
                check(l.length, width);
                for (int i = 0; i < width; i++) {
                    out[off + i] = apply(l[i]);
                }
            } else {
                throw new IllegalStateException("Unexpected image row type " + (row == null ? "null" : row.getClass()));
            }
        }

        private static void check(int length, int width) {
            if (length != width) {
                throw new IllegalStateException("Decoded row of " + length + " pixels, header says " + width);
            }
        }
    }
}
