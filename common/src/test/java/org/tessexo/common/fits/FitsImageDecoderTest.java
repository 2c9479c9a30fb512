package org.tessexo.common.fits;

import nom.tam.fits.ImageHDU;
import nom.tam.image.compression.hdu.CompressedImageHDU;
import org.junit.jupiter.api.Test;
import org.tessexo.common.testing.FitsFixtures;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tessexo.common.testing.FitsFixtures.bytes;
import static org.tessexo.common.testing.FitsFixtures.emptyPrimary;
import static org.tessexo.common.testing.FitsFixtures.image;
import static org.tessexo.common.testing.FitsFixtures.ramp;
import static org.tessexo.common.testing.FitsFixtures.table;

class FitsImageDecoderTest {
    private final FitsImageDecoder auto = new FitsImageDecoder(DecoderSettings.defaults());

    private static DecodeResult decode(FitsImageDecoder d, byte[] fits) {
        return d.decode(fits);
    }

    private static FitsImageDecoder withHdu(String hdu) {
        return new FitsImageDecoder(new DecoderSettings(hdu, 32, 1L << 30, 0));
    }

    @Test
    void primaryHduWithData() {
        DecodeResult r = decode(auto, bytes(image(ramp(40, 50), null, null)));
        assertEquals(Outcome.IMAGE, r.outcome());
        assertEquals(0, r.hdu());
        assertEquals(40, r.height());
        assertEquals(50, r.width());
        assertEquals(3 * 1000 + 7, r.image().get(3, 7));
    }

    @Test
    void imageExtensionAfterEmptyPrimaryAndTable() {
        DecodeResult r = decode(auto, bytes(emptyPrimary(), table("LIGHTCURVE"), image(ramp(64, 33), "CAL", null),
                image(ramp(64, 33), "UNCERT", null)));
        assertEquals(Outcome.IMAGE, r.outcome(), r.fullReason());
        assertEquals(2, r.hdu());
        assertEquals("CAL", r.image().extname());
        assertEquals(63 * 1000 + 32, r.image().get(63, 32));
    }

    @Test
    void tablesOnlyAreSkippedWithTheReason() {
        DecodeResult r = decode(auto, bytes(emptyPrimary(), table("LIGHTCURVE"), image(new int[11][11], "APERTURE",
                null)));
        assertEquals(Outcome.SKIPPED, r.outcome());
        assertEquals(FitsImageDecoder.TABLES_ONLY, r.reason());
        assertTrue(r.detail().contains("LIGHTCURVE") && r.detail().contains("APERTURE"), r.detail());
    }

    @Test
    void smallImagesDoNotCountUnderAuto() {
        DecodeResult r = decode(auto, bytes(image(new float[20][100], null, null)));
        assertEquals(Outcome.SKIPPED, r.outcome());
        assertEquals(FitsImageDecoder.TOO_SMALL, r.reason());
    }

    @Test
    void headerOnlyFileHasNoImageData() {
        DecodeResult r = decode(auto, bytes(emptyPrimary()));
        assertEquals(Outcome.SKIPPED, r.outcome());
        assertEquals(FitsImageDecoder.NO_DATA, r.reason());
    }

    @Test
    void oneDimensionalDataIsNotAnImage() {
        DecodeResult r = decode(auto, bytes(image(new float[500], null, null)));
        assertEquals(Outcome.SKIPPED, r.outcome());
        assertEquals(FitsImageDecoder.ONE_D, r.reason());
    }

    @Test
    void hduByIndexAndByExtname() {
        byte[] f = bytes(emptyPrimary(), image(ramp(40, 40), "CAL", null), image(ramp(40, 40), "UNCERT", h -> {
            h.getHeader().addValue("BZERO", 5.0, null);
        }));
        DecodeResult byIndex = decode(withHdu("2"), f);
        assertEquals(2, byIndex.hdu());
        assertEquals(5.0f, byIndex.image().get(0, 0));
        DecodeResult byName = decode(withHdu("uncert"), f);
        assertEquals(2, byName.hdu());
        DecodeResult missing = decode(withHdu("NOPE"), f);
        assertEquals(Outcome.SKIPPED, missing.outcome());
        assertEquals(FitsImageDecoder.HDU_MISSING, missing.reason());
        DecodeResult table = decode(withHdu("1"), bytes(emptyPrimary(), table("LIGHTCURVE")));
        assertEquals(FitsImageDecoder.HDU_NOT_IMAGE, table.reason());
    }

    @Test
    void unsigned16BitWithBzeroAndBlank() {
        short[][] raw = new short[32][32];
        raw[0][0] = Short.MIN_VALUE; // physical 0 with BZERO 32768
        raw[0][1] = Short.MAX_VALUE; // physical 65535
        raw[0][2] = 7; // the BLANK value
        ImageHDU hdu = image(raw, null, h -> {
            h.getHeader().addValue("BZERO", 32768.0, null);
            h.getHeader().addValue("BLANK", 7, null);
        });
        DecodeResult r = decode(auto, bytes(hdu));
        assertEquals(0f, r.image().get(0, 0));
        assertEquals(65535f, r.image().get(0, 1));
        assertTrue(Float.isNaN(r.image().get(0, 2)));
        assertEquals(32768f, r.image().get(1, 1));
    }

    @Test
    void bscaleOnIntegersAndUnsignedBytes() {
        int[][] ints = new int[32][32];
        ints[3][4] = 10;
        DecodeResult r = decode(auto, bytes(image(ints, null, h -> {
            h.getHeader().addValue("BSCALE", 0.5, null);
            h.getHeader().addValue("BZERO", -1.0, null);
        })));
        assertEquals(4.0f, r.image().get(3, 4));
        assertEquals(-1.0f, r.image().get(0, 0));
        byte[][] b = new byte[32][32];
        b[0][0] = (byte) 200;
        assertEquals(200f, decode(auto, bytes(image(b, null, null))).image().get(0, 0));
        double[][] d = new double[32][32];
        d[1][1] = 2.5;
        assertEquals(2.5f, decode(auto, bytes(image(d, null, null))).image().get(1, 1));
        long[][] l = new long[32][32];
        l[2][2] = 1L << 40;
        assertEquals((float) (1L << 40), decode(auto, bytes(image(l, null, null))).image().get(2, 2));
    }

    @Test
    void nanAndInfPassThroughForPreprocessing() {
        float[][] a = ramp(32, 32);
        a[1][1] = Float.NaN;
        a[2][2] = Float.POSITIVE_INFINITY;
        DecodeResult r = decode(auto, bytes(image(a, null, null)));
        assertTrue(Float.isNaN(r.image().get(1, 1)));
        assertTrue(Float.isInfinite(r.image().get(2, 2)));
    }

    @Test
    void cubeGivesTheConfiguredPlane() {
        float[][][] cube = new float[3][40][40];
        for (int p = 0; p < 3; p++) {
            cube[p][5][6] = p + 1;
        }
        assertEquals(1f, decode(auto, bytes(image(cube, null, null))).image().get(5, 6));
        FitsImageDecoder second = new FitsImageDecoder(new DecoderSettings("auto", 32, 1L << 30, 2));
        assertEquals(3f, decode(second, bytes(image(cube, null, null))).image().get(5, 6));
        FitsImageDecoder outOfRange = new FitsImageDecoder(new DecoderSettings("auto", 32, 1L << 30, 5));
        assertEquals(FitsImageDecoder.CUBE_PLANE, decode(outOfRange, bytes(image(cube, null, null))).reason());
    }

    @Test
    void tileCompressedImage() throws Exception {
        int[][] data = new int[64][48];
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 48; x++) {
                data[y][x] = y * 100 + x;
            }
        }
        CompressedImageHDU c = CompressedImageHDU.fromImageHDU(image(data, "COMPRESSED_IMAGE", null), 48, 16);
        c.setCompressAlgorithm("RICE_1");
        c.compress();
        DecodeResult r = decode(auto, bytes(emptyPrimary(), c));
        assertEquals(Outcome.IMAGE, r.outcome(), r.fullReason());
        assertEquals(1, r.hdu());
        assertEquals(64, r.height());
        assertEquals(48, r.width());
        assertEquals(63 * 100 + 47, r.image().get(63, 47));
    }

    @Test
    void wholeFileGzip() throws IOException {
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(bytes(emptyPrimary(), image(ramp(40, 40), "CAL", null)));
        }
        DecodeResult r = decode(auto, gz.toByteArray());
        assertEquals(Outcome.IMAGE, r.outcome(), r.fullReason());
        assertEquals(39 * 1000 + 39, r.image().get(39, 39));
    }

    @Test
    void scienceRegionAndQualityFromHeader() {
        DecodeResult r = decode(auto, bytes(emptyPrimary(), image(ramp(40, 50), "CAL", h -> {
            h.getHeader().addValue("SCCSA", 3, null);
            h.getHeader().addValue("SCCED", 44, null);
            h.getHeader().addValue("SCIROWS", 1, null);
            h.getHeader().addValue("SCIROWE", 36, null);
            h.getHeader().addValue("DQUALITY", 2048, null);
        })));
        assertEquals(new ScienceRegion(3, 44, 1, 36), r.image().scienceRegion());
        assertEquals(2048, r.image().quality());
    }

    @Test
    void badFilesFailWithAReason() {
        byte[] good = bytes(emptyPrimary(), image(ramp(64, 64), "CAL", null));
        DecodeResult truncated = decode(auto, Arrays.copyOf(good, good.length - 5000));
        assertEquals(Outcome.FAILED, truncated.outcome());
        assertEquals(FitsImageDecoder.TRUNCATED, truncated.reason(), truncated.fullReason());

        byte[] random = new byte[5760];
        new java.util.Random(1).nextBytes(random);
        DecodeResult garbage = decode(auto, random);
        assertEquals(Outcome.FAILED, garbage.outcome());
        assertNull(garbage.image());
        assertTrue(!garbage.reason().isEmpty());

        DecodeResult empty = decode(auto, new byte[0]);
        assertEquals(Outcome.FAILED, empty.outcome());
    }

    // --- real TESS files from ../shared/data/tess ---

    private DecodeResult decodeReal(String name) throws IOException {
        Path file = FitsFixtures.realData().resolve(name);
        try (InputStream in = Files.newInputStream(file)) {
            return auto.decode(in, Files.size(file));
        }
    }

    @Test
    void realLightCurvesAreTablesAndTheirAperturesDoNotCount() throws IOException {
        for (String name : new String[] {"hlsp_tess-data-alerts_tess_phot_00025155310-s01_tess_v1_lc.fits",
                "test-lc-tess-pimen-100-cadences.fits", "tess25155310-s01-first-cadences.fits.gz",
                "tess-s0001-4-2_84.291190_-80.469170_6x6_astrocut.fits", "test-tpf-tesscut_1x1.fits"}) {
            DecodeResult r = decodeReal(name);
            assertEquals(Outcome.SKIPPED, r.outcome(), name + ": " + r.fullReason());
            assertEquals(FitsImageDecoder.TABLES_ONLY, r.reason(), name);
            assertTrue(r.detail().contains("APERTURE"), name + ": " + r.detail());
        }
    }

    @Test
    void apertureIsAnImageWhenAskedForByName() throws IOException {
        Path file = FitsFixtures.realData().resolve("hlsp_tess-data-alerts_tess_phot_00025155310-s01_tess_v1_lc.fits");
        try (InputStream in = Files.newInputStream(file)) {
            DecodeResult r = new FitsImageDecoder(new DecoderSettings("APERTURE", 32, 1L << 30, 0))
                    .decode(in, Files.size(file));
            assertEquals(Outcome.IMAGE, r.outcome(), r.fullReason());
            assertEquals(11, r.height());
            assertNotNull(r.image());
        }
    }
}
