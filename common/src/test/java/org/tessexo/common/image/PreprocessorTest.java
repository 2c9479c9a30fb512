package org.tessexo.common.image;

import org.junit.jupiter.api.Test;
import org.tessexo.common.fits.DecodedImage;
import org.tessexo.common.fits.ScienceRegion;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PreprocessorTest {

    private static DecodedImage img(float[] px, int h, int w, ScienceRegion region) {
        return new DecodedImage(px, h, w, 1, "CAL", region, null);
    }

    @Test
    void areaAveragingIntegerFactorIsTheBlockMean() {
        float[] src = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
        float[] out = Preprocessor.areaResize(src, 4, 0, 0, 4, 4, 2, 2);
        assertArrayEquals(new float[] {3.5f, 5.5f, 11.5f, 13.5f}, out, 1e-6f);
    }

    @Test
    void areaAveragingNonIntegerFactorWeighsOverlapsAndKeepsTheMean() {
        // 3 -> 2 along x: output 0 = (a + 0.5 b) / 1.5, output 1 = (0.5 b + c) / 1.5
        float[] out = Preprocessor.areaResize(new float[] {3, 6, 9}, 3, 0, 0, 3, 1, 2, 1);
        assertArrayEquals(new float[] {4f, 8f}, out, 1e-5f);
        Random rng = new Random(3);
        float[] big = new float[97 * 131];
        double sum = 0;
        for (int i = 0; i < big.length; i++) {
            big[i] = rng.nextFloat() * 100;
            sum += big[i];
        }
        float[] small = Preprocessor.areaResize(big, 131, 0, 0, 131, 97, 16, 16);
        double mean = 0;
        for (float v : small) {
            mean += v;
        }
        assertEquals(sum / big.length, mean / small.length, 1e-3);
    }

    @Test
    void areaAveragingIgnoresNonFinitePixels() {
        float[] src = {1, Float.NaN, 3, Float.POSITIVE_INFINITY};
        float[] out = Preprocessor.areaResize(src, 2, 0, 0, 2, 2, 1, 1);
        assertEquals(2f, out[0], 1e-6f);
        float[] allNan = Preprocessor.areaResize(new float[] {Float.NaN, Float.NaN}, 2, 0, 0, 2, 1, 1, 1);
        assertTrue(Float.isNaN(allNan[0]));
    }

    @Test
    void trimUsesHeaderRegionThenTessLayoutThenWholeImage() {
        Preprocessor p = new Preprocessor(PreprocessSettings.defaults());
        ScienceRegion header = new ScienceRegion(3, 10, 2, 9);
        assertEquals(header, p.regionFor(img(new float[12 * 12], 12, 12, header)));
        assertEquals(ScienceRegion.TESS_FFI, p.regionFor(img(new float[2078 * 2136], 2078, 2136, null)));
        assertEquals(new ScienceRegion(1, 12, 1, 10), p.regionFor(img(new float[120], 10, 12, null)));
        ScienceRegion outside = new ScienceRegion(3, 50, 1, 9);
        assertEquals(new ScienceRegion(1, 12, 1, 12), p.regionFor(img(new float[144], 12, 12, outside)));
        Preprocessor none = new Preprocessor(new PreprocessSettings(PreprocessSettings.Trim.NONE, 8, 8, 5));
        assertEquals(new ScienceRegion(1, 12, 1, 12), none.regionFor(img(new float[144], 12, 12, header)));
    }

    @Test
    void trimmedPixelsNeverReachTheOutput() {
        // Virtual columns full of huge values outside the science region must not leak into the result.
        int h = 16;
        int w = 20;
        float[] px = new float[h * w];
        Random rng = new Random(1);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                px[y * w + x] = (x < 2 || x >= 18) ? 1e6f : 100 + (float) rng.nextGaussian();
            }
        }
        Preprocessor p = new Preprocessor(new PreprocessSettings(PreprocessSettings.Trim.AUTO, 8, 8, 5));
        Preprocessor.Result r = p.apply(img(px, h, w, new ScienceRegion(3, 18, 1, 16)));
        for (float v : r.values()) {
            assertTrue(Math.abs(v) < 5, "a virtual pixel leaked: " + v);
        }
    }

    @Test
    void normalizationIsRobustFiniteAndClipped() {
        Random rng = new Random(2);
        int n = 64;
        float[] px = new float[n * n];
        for (int i = 0; i < px.length; i++) {
            px[i] = 500 + 10 * (float) rng.nextGaussian();
        }
        px[5] = 1e9f; // a saturated star
        px[6] = Float.NaN;
        px[7] = Float.NEGATIVE_INFINITY;
        Preprocessor p = new Preprocessor(new PreprocessSettings(PreprocessSettings.Trim.NONE, n, n, 5));
        Preprocessor.Result r = p.apply(img(px, n, n, null));
        assertTrue(r.ok());
        double mean = 0;
        double var = 0;
        for (float v : r.values()) {
            assertTrue(Float.isFinite(v));
            assertTrue(Math.abs(v) <= 5f);
            mean += v;
        }
        mean /= r.values().length;
        for (float v : r.values()) {
            var += (v - mean) * (v - mean);
        }
        assertEquals(0, mean, 0.05);
        assertEquals(1, Math.sqrt(var / r.values().length), 0.1);
        assertEquals(5f, r.values()[5]);
        assertEquals(0f, r.values()[6]);
    }

    @Test
    void allNanAndConstantImagesHaveNothingToLearn() {
        Preprocessor p = new Preprocessor(new PreprocessSettings(PreprocessSettings.Trim.NONE, 8, 8, 5));
        float[] nan = new float[16 * 16];
        java.util.Arrays.fill(nan, Float.NaN);
        Preprocessor.Result r = p.apply(img(nan, 16, 16, null));
        assertFalse(r.ok());
        assertNull(r.values());
        assertEquals(Preprocessor.ALL_NAN, r.reason());
        float[] flat = new float[16 * 16];
        java.util.Arrays.fill(flat, 3f);
        assertEquals(Preprocessor.CONSTANT, p.apply(img(flat, 16, 16, null)).reason());
    }

    @Test
    void outputHasTheModelSize() {
        Preprocessor p = new Preprocessor(new PreprocessSettings(PreprocessSettings.Trim.AUTO, 128, 128, 5));
        float[] px = new float[300 * 280];
        Random rng = new Random(4);
        for (int i = 0; i < px.length; i++) {
            px[i] = rng.nextFloat();
        }
        assertEquals(128 * 128, p.apply(img(px, 300, 280, null)).values().length);
    }

    @Test
    void aReusedBufferGivesTheSameResultAsAFreshOne() {
        org.tessexo.common.fits.FitsImageDecoder reusing = org.tessexo.common.fits.FitsImageDecoder.streaming(
                org.tessexo.common.fits.DecoderSettings.defaults(), 1000);
        org.tessexo.common.fits.FitsImageDecoder fresh = new org.tessexo.common.fits.FitsImageDecoder(
                org.tessexo.common.fits.DecoderSettings.defaults());
        Preprocessor p = new Preprocessor(new PreprocessSettings(PreprocessSettings.Trim.AUTO, 16, 16, 5));
        byte[] big = org.tessexo.common.testing.FitsFixtures.bytes(org.tessexo.common.testing.FitsFixtures.image(
                org.tessexo.common.testing.FitsFixtures.ramp(80, 90), null, null));
        float[][] small = org.tessexo.common.testing.FitsFixtures.ramp(40, 40);
        small[3][3] = -500;
        byte[] second = org.tessexo.common.testing.FitsFixtures.bytes(
                org.tessexo.common.testing.FitsFixtures.image(small, null, null));
        reusing.decode(big); // leaves a larger buffer behind, whose tail must not leak into the next image
        float[] a = p.apply(reusing.decode(second).image()).values();
        float[] b = p.apply(fresh.decode(second).image()).values();
        org.junit.jupiter.api.Assertions.assertArrayEquals(b, a);
    }
}
