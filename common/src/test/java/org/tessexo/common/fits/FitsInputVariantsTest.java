package org.tessexo.common.fits;

import nom.tam.fits.ImageHDU;
import nom.tam.image.compression.hdu.CompressedImageHDU;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Array;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tessexo.common.testing.FitsFixtures.bytes;
import static org.tessexo.common.testing.FitsFixtures.emptyPrimary;
import static org.tessexo.common.testing.FitsFixtures.image;
import static org.tessexo.common.testing.FitsFixtures.table;

/**
 * Every FITS variant a user meets, decoded pixel for pixel: each BITPIX, scaling, every HDU position, every
 * tile compression (written by nom-tam-fits, and by the real fpack in {@code src/test/resources/fits}), whole-file
 * gzip and HDU selection by index and EXTNAME inside compressed files.
 */
class FitsInputVariantsTest {
    private static final int H = 40;
    private static final int W = 36;
    private final FitsImageDecoder auto = new FitsImageDecoder(DecoderSettings.defaults());

    /** A pattern that fits every BITPIX (0..127 for unsigned bytes, sign included for the rest). */
    private static double pattern(int bitpix, int y, int x) {
        int v = (y * 7 + x * 3) % 128;
        return bitpix == 8 ? v : v - 60 + (bitpix < 0 ? 0.25 : 0);
    }

    private static Object array(int bitpix) {
        Class<?> type = switch (bitpix) {
            case 8 -> byte.class;
            case 16 -> short.class;
            case 32 -> int.class;
            case 64 -> long.class;
            case -32 -> float.class;
            default -> double.class;
        };
        Object a = Array.newInstance(type, H, W);
        for (int y = 0; y < H; y++) {
            Object row = Array.get(a, y);
            for (int x = 0; x < W; x++) {
                double v = pattern(bitpix, y, x);
                switch (bitpix) {
                    case 8 -> Array.setByte(row, x, (byte) v);
                    case 16 -> Array.setShort(row, x, (short) v);
                    case 32 -> Array.setInt(row, x, (int) v);
                    case 64 -> Array.setLong(row, x, (long) v);
                    case -32 -> Array.setFloat(row, x, (float) v);
                    default -> Array.setDouble(row, x, v);
                }
            }
        }
        return a;
    }

    private static void assertPattern(DecodeResult r, int bitpix, double scale, double zero) {
        assertEquals(Outcome.IMAGE, r.outcome(), r.fullReason());
        assertEquals(H, r.height());
        assertEquals(W, r.width());
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                assertEquals((float) (scale * pattern(bitpix, y, x) + zero), r.image().get(y, x), 1e-4,
                        "BITPIX " + bitpix + " at (" + y + "," + x + ")");
            }
        }
    }

    @ParameterizedTest(name = "BITPIX {0}")
    @ValueSource(ints = {8, 16, 32, 64, -32, -64})
    void everyBitpixInThePrimaryHdu(int bitpix) {
        DecodeResult r = auto.decode(bytes(image(array(bitpix), null, null)));
        assertPattern(r, bitpix, 1, 0);
        assertEquals(0, r.hdu());
    }

    @ParameterizedTest(name = "BITPIX {0} with BSCALE 2.5, BZERO -7")
    @ValueSource(ints = {8, 16, 32, 64, -32, -64})
    void everyBitpixScaled(int bitpix) {
        DecodeResult r = auto.decode(bytes(emptyPrimary(), image(array(bitpix), "SCI", h -> {
            h.getHeader().addValue("BSCALE", 2.5, null);
            h.getHeader().addValue("BZERO", -7.0, null);
        })));
        assertPattern(r, bitpix, 2.5, -7);
        assertEquals(1, r.hdu());
    }

    @ParameterizedTest(name = "BITPIX {0} after two tables")
    @ValueSource(ints = {16, -32})
    void imageExtensionAfterTables(int bitpix) {
        DecodeResult r = auto.decode(bytes(emptyPrimary(), table("LIGHTCURVE"), table("OTHER"),
                image(array(bitpix), "CAL", null)));
        assertPattern(r, bitpix, 1, 0);
        assertEquals(3, r.hdu());
        assertEquals("CAL", r.image().extname());
    }

    @ParameterizedTest(name = "nom-tam-fits {0}")
    @CsvSource({"RICE_1, 16", "RICE_1, 32", "GZIP_1, 16", "GZIP_1, -32", "GZIP_2, -64", "HCOMPRESS_1, 16",
            "HCOMPRESS_1, 32", "PLIO_1, 8"})
    void tileCompressedByNomTamFits(String algorithm, int bitpix) throws Exception {
        ImageHDU plain = image(array(bitpix), "SCI", null);
        CompressedImageHDU c = CompressedImageHDU.fromImageHDU(plain, W, 8);
        c.setCompressAlgorithm(algorithm);
        c.compress();
        // (PLIO holds non-negative values only: it gets the unsigned BITPIX 8 pattern here, and fpack's 16-bit
        // PLIO file below)
        DecodeResult r = auto.decode(bytes(emptyPrimary(), table("FIRST"), c));
        assertEquals(2, r.hdu(), r.fullReason());
        assertPattern(r, bitpix, 1, 0);
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = FitsInputVariantsTest.class.getResourceAsStream("/fits/" + name)) {
            if (in == null) {
                throw new IllegalStateException("test resource /fits/" + name + " missing");
            }
            return in.readAllBytes();
        }
    }

    @ParameterizedTest(name = "fpack -{0}")
    @ValueSource(strings = {"r", "g", "h", "p"})
    void fpackedIntegerImagesAreLossless(String algo) throws IOException {
        DecodeResult r = auto.decode(resource("ramp-i16." + algo + ".fits.fz"));
        assertEquals(Outcome.IMAGE, r.outcome(), r.fullReason());
        assertEquals(1, r.hdu(), "fpack keeps an empty primary HDU and writes the image as HDU 1");
        assertEquals(64, r.height());
        assertEquals(48, r.width());
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 48; x++) {
                assertEquals(100 * y + x, r.image().get(y, x), 0, "(" + y + "," + x + ")");
            }
        }
        DecodeResult byIndex = new FitsImageDecoder(new DecoderSettings("1", 32, 1 << 20, 0))
                .decode(resource("ramp-i16." + algo + ".fits.fz"));
        assertEquals(r.image().get(63, 47), byIndex.image().get(63, 47));
        DecodeResult byName = new FitsImageDecoder(new DecoderSettings("COMPRESSED_IMAGE", 32, 1 << 20, 0))
                .decode(resource("ramp-i16." + algo + ".fits.fz"));
        assertEquals(Outcome.IMAGE, byName.outcome(), byName.fullReason());
    }

    @Test
    void fpackedFloatImages() throws IOException {
        DecodeResult truth = auto.decode(resource("sky-f32.fits"));
        DecodeResult lossless = auto.decode(resource("sky-f32.gzip-lossless.fits.fz"));
        DecodeResult quantized = auto.decode(resource("sky-f32.rice.fits.fz"));
        DecodeResult gzipped = auto.decode(resource("sky-f32.fits.gz"));
        assertEquals(Outcome.IMAGE, quantized.outcome(), quantized.fullReason());
        double maxQuantizationError = 0;
        for (int i = 0; i < truth.image().pixels().length; i++) {
            assertEquals(truth.image().pixels()[i], lossless.image().pixels()[i], 0f);
            assertEquals(truth.image().pixels()[i], gzipped.image().pixels()[i], 0f);
            maxQuantizationError = Math.max(maxQuantizationError,
                    Math.abs(truth.image().pixels()[i] - quantized.image().pixels()[i]));
        }
        // fpack's default q = 4 quantizes to a quarter of the noise (sigma 10): errors stay within one step
        assertTrue(maxQuantizationError > 0 && maxQuantizationError < 10.0 / 4 * 1.01,
                "max quantization error " + maxQuantizationError);
    }

    @Test
    void unsigned16BitAsFpackAndAstropyWriteIt() {
        short[][] raw = new short[H][W];
        raw[0][0] = Short.MIN_VALUE;
        raw[0][1] = -1;
        DecodeResult r = auto.decode(bytes(image(raw, null, h -> h.getHeader().addValue("BZERO", 32768.0, null))));
        assertEquals(0f, r.image().get(0, 0));
        assertEquals(32767f, r.image().get(0, 1));
        assertEquals(32768f, r.image().get(5, 5));
    }

    @Test
    void cubesGiveTheConfiguredPlaneAlsoWhenCompressed() throws Exception {
        float[][][] cube = new float[4][H][W];
        for (int p = 0; p < 4; p++) {
            cube[p][5][6] = 10 * (p + 1);
        }
        FitsImageDecoder third = new FitsImageDecoder(new DecoderSettings("auto", 32, 1 << 20, 2));
        assertEquals(30f, third.decode(bytes(image(cube, null, null))).image().get(5, 6));
        CompressedImageHDU c = CompressedImageHDU.fromImageHDU(image(cube, "CUBE", null), W, H, 1);
        c.setCompressAlgorithm("GZIP_1");
        c.compress();
        DecodeResult r = third.decode(bytes(emptyPrimary(), c));
        assertEquals(Outcome.IMAGE, r.outcome(), r.fullReason());
        assertEquals(30f, r.image().get(5, 6));
        float[][][][] four = new float[2][3][H][W];
        four[0][1][2][3] = 7;
        four[1][1][2][3] = 99;
        FitsImageDecoder second = new FitsImageDecoder(new DecoderSettings("auto", 32, 1 << 20, 1));
        assertEquals(7f, second.decode(bytes(image(four, null, null))).image().get(2, 3),
                "NAXIS 4: plane cube-plane of the third axis, the first of the fourth");
    }

    @Test
    void oneDimensionalDataInAnExtensionIsSkipped() {
        DecodeResult r = auto.decode(bytes(emptyPrimary(), image(new double[4000], "SPECTRUM", null)));
        assertEquals(Outcome.SKIPPED, r.outcome());
        assertEquals(FitsImageDecoder.ONE_D, r.reason());
        assertTrue(r.detail().contains("SPECTRUM"), r.detail());
    }
}
