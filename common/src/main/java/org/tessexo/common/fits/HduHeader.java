package org.tessexo.common.fits;

import nom.tam.fits.Header;
import nom.tam.fits.header.Compression;
import nom.tam.fits.header.IFitsHeader;
import nom.tam.fits.header.Standard;
import nom.tam.util.FitsInputStream;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One HDU's header: what kind it is, its axes (Java order, last = NAXIS1) and the size of its data, all checked
 * so that no value from the file reaches an allocation unvalidated.
 */
final class HduHeader {
    enum Kind {
        IMAGE("image"), COMPRESSED("tile-compressed image"), TABLE("table"), OTHER("non-image HDU");

        final String word;

        Kind(String word) {
            this.word = word;
        }
    }

    final int index;
    final byte[] raw;
    final Header header;
    final Kind kind;
    final String extname;
    final int bitpix;
    /** Image axes in Java order (NAXISn first, NAXIS1 last); for compressed images the ZNAXISn; null = no data. */
    final int[] axes;
    /** The data's size in bytes as the FITS standard computes it, without the padding to 2880. */
    final long dataBytes;

    private HduHeader(int index, byte[] raw, Header header, Kind kind, String extname, int bitpix, int[] axes,
                long dataBytes) {
        this.index = index;
        this.raw = raw;
        this.header = header;
        this.kind = kind;
        this.extname = extname;
        this.bitpix = bitpix;
        this.axes = axes;
        this.dataBytes = dataBytes;
    }

    static HduHeader parse(int index, byte[] raw) throws IOException {
        Header h = new Header();
        try {
            h.read(new FitsInputStream(new ByteArrayInputStream(raw)));
        } catch (IOException | RuntimeException e) {
            throw bad(index, FitsImageDecoder.messageChain(e));
        }
        duplicates(raw, index);
        int bitpix = required(h, Standard.BITPIX, index);
        if (bitpix != 8 && bitpix != 16 && bitpix != 32 && bitpix != 64 && bitpix != -32 && bitpix != -64) {
            throw bad(index, "BITPIX " + bitpix
                    + " is not one of 8, 16, 32, 64, -32, -64");
        }
        int naxis = required(h, Standard.NAXIS, index);
        if (naxis < 0 || naxis > 999) {
            throw bad(index, "NAXIS " + naxis);
        }
        int[] fitsAxes = new int[naxis];
        for (int i = 0; i < naxis; i++) {
            fitsAxes[i] = required(h, Standard.NAXISn.n(i + 1), index);
            if (fitsAxes[i] < 0) {
                throw bad(index, "NAXIS" + (i + 1) + " = "
                        + fitsAxes[i]);
            }
        }
        Kind kind;
        boolean groups = false;
        if (index == 0) {
            groups = h.getBooleanValue(Standard.GROUPS, false) && naxis > 0 && fitsAxes[0] == 0;
            kind = groups ? Kind.OTHER : Kind.IMAGE;
        } else {
            String xt = String.valueOf(h.getStringValue(Standard.XTENSION)).trim().toUpperCase(Locale.ROOT);
            if (xt.equals("IMAGE")) {
                kind = Kind.IMAGE;
            } else if (xt.equals("BINTABLE") && h.getBooleanValue(Compression.ZIMAGE, false)) {
                kind = Kind.COMPRESSED;
            } else if (xt.equals("BINTABLE") || xt.equals("TABLE")) {
                kind = Kind.TABLE;
            } else {
                kind = Kind.OTHER;
            }
        }
        long pcount = h.getLongValue(Standard.PCOUNT, 0);
        long gcount = h.getLongValue(Standard.GCOUNT, 1);
        if (pcount < 0 || gcount < 0) {
            throw bad(index, "PCOUNT " + pcount
                    + ", GCOUNT " + gcount);
        }
        long dataBytes;
        try {
            long product = naxis == 0 ? 0 : 1;
            for (int i = groups ? 1 : 0; i < naxis; i++) {
                product = Math.multiplyExact(product, fitsAxes[i]);
            }
            long bits = Math.multiplyExact(Math.multiplyExact(Math.abs(bitpix), gcount),
                    Math.addExact(pcount, product));
            dataBytes = naxis == 0 ? 0 : bits / 8;
        } catch (ArithmeticException e) {
            throw bad(index, "the header's data size overflows 64 bits");
        }
        int[] axes = null;
        if (kind == Kind.IMAGE && naxis > 0 && dataBytes > 0) {
            axes = reverse(fitsAxes);
        } else if (kind == Kind.COMPRESSED) {
            int zn = h.getIntValue(Compression.ZNAXIS, 0);
            if (zn < 0 || zn > 999) {
                throw bad(index, "ZNAXIS " + zn);
            }
            int[] z = new int[zn];
            for (int i = 0; i < zn; i++) {
                z[i] = h.getIntValue(Compression.ZNAXISn.n(i + 1), 0);
            }
            boolean any = zn > 0;
            for (int a : z) {
                if (a <= 0) {
                    any = false;
                }
            }
            int zbitpix = h.getIntValue(Compression.ZBITPIX, 0);
            if (any && zbitpix != 8 && zbitpix != 16 && zbitpix != 32 && zbitpix != 64 && zbitpix != -32
                    && zbitpix != -64) {
                throw bad(index, "ZBITPIX " + zbitpix);
            }
            axes = any ? reverse(z) : null;
        }
        if (kind == Kind.IMAGE || kind == Kind.COMPRESSED) {
            numeric(h, Standard.BSCALE, index, false);
            numeric(h, Standard.BZERO, index, false);
            numeric(h, Standard.BLANK, index, true);
        }
        String name = h.getStringValue(Standard.EXTNAME);
        return new HduHeader(index, raw, h, kind, name == null ? "" : name.trim(), bitpix, axes, dataBytes);
    }

    /** Keywords that fix the data's layout or values: a second card of one is ambiguous, never last-wins. */
    private static final java.util.regex.Pattern STRUCTURAL = java.util.regex.Pattern.compile(
            "SIMPLE|XTENSION|BITPIX|NAXIS\\d*|PCOUNT|GCOUNT|GROUPS|TFIELDS|THEAP|TFORM\\d+|BSCALE|BZERO|BLANK"
                    + "|ZIMAGE|ZBITPIX|ZNAXIS\\d*|ZTILE\\d+|ZCMPTYPE|DATASUM|END");

    /** A structural keyword given twice (NAXIS1 = 40, then NAXIS1 = 50) is an invalid header. */
    private static void duplicates(byte[] raw, int index) throws FitsBlockReader.FormatProblem {
        java.util.Map<String, String> seen = new java.util.HashMap<>();
        for (int off = 0; off + FitsBlockReader.CARD <= raw.length; off += FitsBlockReader.CARD) {
            String card = new String(raw, off, FitsBlockReader.CARD, StandardCharsets.US_ASCII);
            String key = card.substring(0, 8).trim();
            if (key.equals("END")) {
                return;
            }
            if (!card.startsWith("= ", 8) || !STRUCTURAL.matcher(key).matches()) {
                continue;
            }
            String value = card.substring(10).split("/", 2)[0].trim();
            String before = seen.put(key, value);
            if (before != null) {
                throw bad(index, key + " appears twice (" + before + ", then " + value + ")");
            }
        }
    }

    /** A scaling card, when present, must hold a number: BSCALE = 'abc' is not read as 1. */
    private static void numeric(Header h, IFitsHeader keyword, int index, boolean integer)
            throws FitsBlockReader.FormatProblem {
        if (!h.containsKey(keyword)) {
            return;
        }
        String key = keyword.key();
        nom.tam.fits.HeaderCard c = h.findCard(keyword);
        String v = c.getValue() == null ? "" : c.getValue().trim();
        boolean ok = !c.isStringValue() && !v.isEmpty();
        if (ok) {
            try {
                if (integer) {
                    Long.parseLong(v);
                } else if (!Double.isFinite(Double.parseDouble(v.replace('D', 'E').replace('d', 'e')))) {
                    ok = false;
                }
            } catch (NumberFormatException e) {
                ok = false;
            }
        }
        if (!ok) {
            throw bad(index, key + " = '" + v + "' is not " + (integer ? "an integer" : "a number"));
        }
    }

    private static int required(Header h, IFitsHeader keyword, int index) throws FitsBlockReader.FormatProblem {
        String key = keyword.key();
        if (!h.containsKey(keyword)) {
            throw bad(index, "no " + key + " card");
        }
        try {
            return Integer.parseInt(h.findCard(keyword).getValue().trim());
        } catch (RuntimeException e) {
            throw bad(index, key + " = '" + h.findCard(keyword).getValue() + "' is not an integer");
        }
    }

    /** The header is invalid: {@code what} says how, after the HDU's index. */
    private static FitsBlockReader.FormatProblem bad(int index, String what) {
        return new FitsBlockReader.FormatProblem(FitsImageDecoder.BAD_HEADER, "HDU " + index + ": " + what);
    }

    private static int[] reverse(int[] a) {
        int[] r = new int[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = a[a.length - 1 - i];
        }
        return r;
    }

    boolean isImage() {
        return kind == Kind.IMAGE || kind == Kind.COMPRESSED;
    }

    int height() {
        return axes[axes.length - 2];
    }

    int width() {
        return axes[axes.length - 1];
    }

    int bytesPerPixel() {
        return Math.abs(kind == Kind.COMPRESSED ? header.getIntValue(Compression.ZBITPIX, 32) : bitpix) / 8;
    }

    /** The whole (uncompressed) image's size in bytes. */
    long imageBytes() {
        long n = bytesPerPixel();
        for (int a : axes) {
            n = multiplySaturated(n, a);
        }
        return n;
    }

    private static long multiplySaturated(long a, long b) {
        long hi = Math.multiplyHigh(a, b);
        long lo = a * b;
        return (hi == 0 && lo >= 0) ? lo : Long.MAX_VALUE;
    }

    long paddedDataBytes() {
        long rem = dataBytes % FitsBlockReader.BLOCK;
        return rem == 0 ? dataBytes : dataBytes + FitsBlockReader.BLOCK - rem;
    }

    String describe() {
        StringBuilder sb = new StringBuilder().append(index);
        if (!extname.isEmpty()) {
            sb.append(' ').append(extname);
        }
        sb.append(" (").append(kind.word);
        if (axes == null) {
            if (kind != Kind.TABLE) {
                sb.append(", no data");
            }
        } else {
            sb.append(' ');
            for (int i = axes.length - 1; i >= 0; i--) {
                sb.append(axes[i]).append(i > 0 ? "x" : "");
            }
        }
        return sb.append(')').toString();
    }
}
