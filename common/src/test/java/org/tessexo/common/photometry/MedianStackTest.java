package org.tessexo.common.photometry;

import org.junit.jupiter.api.Test;
import org.tessexo.common.fits.DecodedImage;
import org.tessexo.common.stats.RobustStats;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MedianStackTest {

    @Test
    void theNetworkSortsEveryOrderOfZerosAndOnes() {
        // the 0-1 principle: a comparator network that sorts all 2^n sequences of zeros and ones sorts everything
        for (int n = 1; n <= 16; n++) {
            int[] net = MedianStack.network(n);
            for (int bits = 0; bits < 1 << n; bits++) {
                float[][] rows = new float[n][1];
                for (int k = 0; k < n; k++) {
                    rows[k][0] = (bits >> k) & 1;
                }
                MedianStack.medianRow(rows, net, new float[1], 0, 1);
                for (int k = 1; k < n; k++) {
                    assertTrue(rows[k - 1][0] <= rows[k][0], "n = " + n + ", input " + Integer.toBinaryString(bits));
                }
            }
        }
        assertEquals(2 * 32, MedianStack.network(10).length, "comparators for the default 10 reference frames");
    }

    @Test
    void theStackIsThePerPixelMedianOfTheFiniteValues() {
        Random rnd = new Random(15);
        int h = 23;
        int w = 37;
        for (int n = 1; n <= 20; n++) {
            List<DecodedImage> frames = new ArrayList<>();
            float[][] px = new float[n][h * w];
            for (int k = 0; k < n; k++) {
                for (int i = 0; i < h * w; i++) {
                    double u = rnd.nextDouble();
                    // sky noise, quantized ties, a star's wing, NaN and infinite pixels, signed zeros
                    px[k][i] = u < 0.03 ? Float.NaN : u < 0.04 ? Float.POSITIVE_INFINITY
                            : u < 0.05 ? Float.NEGATIVE_INFINITY : u < 0.15 ? Math.round(rnd.nextGaussian())
                            : u < 0.17 ? (rnd.nextBoolean() ? 0f : -0f) : u < 0.2 ? (float) (1e5 * rnd.nextDouble())
                            : (float) (100 + 3 * rnd.nextGaussian());
                }
                frames.add(new DecodedImage(px[k], h, w, 1, "x", null, null));
            }
            // a pixel NaN in every frame
            for (int k = 0; k < n; k++) {
                px[k][5] = Float.NaN;
            }
            float[] expected = new float[h * w];
            double[] column = new double[n];
            for (int i = 0; i < h * w; i++) {
                int m = 0;
                for (int k = 0; k < n; k++) {
                    if (Float.isFinite(px[k][i])) {
                        column[m++] = px[k][i];
                    }
                }
                expected[i] = m == 0 ? Float.NaN : (float) RobustStats.median(column, m);
            }
            float[] got = MedianStack.of(frames).pixels();
            for (int i = 0; i < h * w; i++) {
                // bit for bit, but for the sign of a zero median (the order of equal zeros is the sort's own)
                assertEquals(Float.floatToIntBits(expected[i] + 0f), Float.floatToIntBits(got[i] + 0f),
                        "n = " + n + ", pixel " + i + ": " + Arrays.toString(column));
            }
            assertTrue(Float.isNaN(got[5]));
        }
    }

    @Test
    void anOddAndAnEvenStackOfConstantFramesIsTheirValue() {
        for (int n : new int[] {9, 10}) {
            List<DecodedImage> frames = new ArrayList<>();
            for (int k = 0; k < n; k++) {
                float[] f = new float[12];
                Arrays.fill(f, k < n / 2 ? 1f : 3f);
                frames.add(new DecodedImage(f, 3, 4, 1, "x", null, null));
            }
            float[] want = new float[12];
            Arrays.fill(want, n % 2 == 1 ? 3f : 2f);
            assertArrayEquals(want, MedianStack.of(frames).pixels());
        }
    }
}
