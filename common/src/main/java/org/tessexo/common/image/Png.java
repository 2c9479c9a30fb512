package org.tessexo.common.image;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * A PNG encoder for 8-bit RGB pictures (ISO/IEC 15948: the signature, IHDR, one IDAT of zlib-deflated scanlines,
 * each filtered by "up", and IEND). What a figure of a whole CCD needs and no more: the JDK's ImageIO and Java2D
 * take most of a second to start in a fresh executor, where this is a loop and a {@link Deflater}.
 */
public final class Png {
    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    /** Filter type 2 ("up"): each byte less the one above it; sky and its gradients deflate better so. */
    private static final int FILTER_UP = 2;

    private Png() {
    }

    /**
     * @param rgb    pixels as 0xRRGGBB, row-major, top row first
     * @param width  pixels per row
     * @param height rows
     */
    public static byte[] rgb(int[] rgb, int width, int height) {
        if (width < 1 || height < 1 || (long) width * height != rgb.length) {
            throw new IllegalArgumentException("a " + width + " x " + height + " picture of " + rgb.length
                    + " pixels");
        }
        int stride = 3 * width;
        byte[] raw = new byte[(stride + 1) * height];
        byte[] prev = new byte[stride];
        byte[] row = new byte[stride];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int p = rgb[y * width + x];
                row[3 * x] = (byte) (p >>> 16);
                row[3 * x + 1] = (byte) (p >>> 8);
                row[3 * x + 2] = (byte) p;
            }
            int o = y * (stride + 1);
            raw[o] = FILTER_UP;
            for (int i = 0; i < stride; i++) {
                raw[o + 1 + i] = (byte) (row[i] - prev[i]);
            }
            byte[] t = prev;
            prev = row;
            row = t;
        }
        Deflater deflater = new Deflater(Deflater.BEST_SPEED);
        ByteArrayOutputStream idat = new ByteArrayOutputStream(raw.length / 4 + 64);
        try {
            deflater.setInput(raw);
            deflater.finish();
            byte[] buf = new byte[1 << 16];
            while (!deflater.finished()) {
                idat.write(buf, 0, deflater.deflate(buf));
            }
        } finally {
            deflater.end();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(idat.size() + 64);
        out.writeBytes(SIGNATURE);
        byte[] ihdr = new byte[13];
        putInt(ihdr, 0, width);
        putInt(ihdr, 4, height);
        ihdr[8] = 8; // bits per sample
        ihdr[9] = 2; // colour type: truecolour
        // compression 0 (deflate), filter method 0, no interlace
        chunk(out, "IHDR", ihdr);
        chunk(out, "IDAT", idat.toByteArray());
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] head = new byte[8];
        putInt(head, 0, data.length);
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(t, 0, head, 4, 4);
        out.writeBytes(head);
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        byte[] c = new byte[4];
        putInt(c, 0, (int) crc.getValue());
        out.writeBytes(c);
    }

    private static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }
}
