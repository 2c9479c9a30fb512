package org.tessexo.common.fits;

import nom.tam.fits.Header;
import nom.tam.fits.header.Standard;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.ShortBuffer;

/**
 * BSCALE/BZERO/BLANK of an image header, applied while raw pixels become physical floats: in bulk from the file's
 * big-endian bytes, or row by row from nom-tam-fits' decompressed arrays. BLANK (integer images only) becomes NaN;
 * BITPIX 8 is unsigned.
 */
record ImageScaling(double scale, double zero, Long blank) implements java.io.Serializable {

    static ImageScaling of(Header h) {
        return new ImageScaling(h.getDoubleValue(Standard.BSCALE, 1.0), h.getDoubleValue(Standard.BZERO, 0.0),
                h.containsKey(Standard.BLANK) ? h.getLongValue(Standard.BLANK) : null);
    }

    boolean identity() {
        return scale == 1.0 && zero == 0.0;
    }

    private float apply(long raw) {
        if (blank != null && raw == blank) {
            return Float.NaN;
        }
        return (float) (scale * raw + zero);
    }

    /** Pixels {@code first .. first+n-1} of big-endian raw data into {@code out} at {@code off}. */
    void convert(byte[] raw, int bitpix, int first, int n, float[] out, int off) {
        ByteBuffer bb = ByteBuffer.wrap(raw).order(ByteOrder.BIG_ENDIAN);
        switch (bitpix) {
            case -32 -> {
                bb.asFloatBuffer().get(first, out, off, n);
                if (!identity()) {
                    for (int i = off; i < off + n; i++) {
                        out[i] = (float) (scale * out[i] + zero);
                    }
                }
            }
            case -64 -> {
                DoubleBuffer d = bb.asDoubleBuffer();
                for (int i = 0; i < n; i++) {
                    out[off + i] = (float) (scale * d.get(first + i) + zero);
                }
            }
            case 8 -> {
                for (int i = 0; i < n; i++) {
                    out[off + i] = apply(raw[first + i] & 0xFF);
                }
            }
            case 16 -> {
                ShortBuffer v = bb.asShortBuffer();
                for (int i = 0; i < n; i++) {
                    out[off + i] = apply(v.get(first + i));
                }
            }
            case 32 -> {
                IntBuffer v = bb.asIntBuffer();
                for (int i = 0; i < n; i++) {
                    out[off + i] = apply(v.get(first + i));
                }
            }
            case 64 -> {
                LongBuffer v = bb.asLongBuffer();
                for (int i = 0; i < n; i++) {
                    out[off + i] = apply(v.get(first + i));
                }
            }
            default -> throw new IllegalArgumentException("BITPIX " + bitpix);
        }
    }

    /** One row of a decompressed image (a primitive array) into {@code out} at {@code off}. */
    void convertRow(Object row, float[] out, int off, int width) {
        if (row instanceof float[] f) {
            check(f.length, width);
            for (int i = 0; i < width; i++) {
                out[off + i] = identity() ? f[i] : (float) (scale * f[i] + zero);
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
                out[off + i] = apply(b[i] & 0xFF);
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
