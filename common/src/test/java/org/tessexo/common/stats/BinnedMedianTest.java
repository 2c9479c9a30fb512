package org.tessexo.common.stats;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;
import java.util.function.DoubleSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;

class BinnedMedianTest {

    private static double sortedMiddle(double[] a, int n) {
        double[] s = Arrays.copyOf(a, n);
        Arrays.sort(s);
        return n % 2 == 1 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
    }

    /** The same value as sorting, bit for bit, on the shapes an annulus takes and on the awkward ones. */
    @Test
    void theExactMedianOfEveryShape() {
        Random rnd = new Random(15);
        DoubleSupplier sky = () -> 200 + 10 * rnd.nextGaussian();
        DoubleSupplier[] shapes = {
            sky,
            // a bright star in the annulus: one value in ten far above, which widens sd a hundredfold
            () -> rnd.nextDouble() < 0.1 ? 2e5 * rnd.nextDouble() : 200 + 10 * rnd.nextGaussian(),
            // quantized values, many ties
            () -> rnd.nextInt(4),
            // two values only
            () -> rnd.nextBoolean() ? 1.0 : 3.0,
            // a value far beyond every other
            () -> rnd.nextDouble() < 0.01 ? 1e300 : rnd.nextGaussian(),
            // heavy tails both ways
            () -> Math.tan(Math.PI * (rnd.nextDouble() - 0.5)),
        };
        BinnedMedian median = new BinnedMedian();
        for (int s = 0; s < shapes.length; s++) {
            for (int n : new int[] {1, 2, 3, 15, 16, 17, 100, 171, 176, 1000}) {
                for (int trial = 0; trial < 30; trial++) {
                    double[] a = new double[n + 3];
                    for (int i = 0; i < a.length; i++) {
                        a[i] = shapes[s].getAsDouble();
                    }
                    double expected = sortedMiddle(a, n);
                    assertEquals(expected, median.of(a, n), 0.0, "shape " + s + ", n=" + n + ", trial " + trial);
                }
            }
        }
    }

    @Test
    void allEqualValuesAndNone() {
        double[] a = new double[50];
        Arrays.fill(a, 0.1);
        assertEquals(0.1, new BinnedMedian().of(a, 50), 0.0);
        assertEquals(Double.NaN, new BinnedMedian().of(a, 0), 0.0);
    }
}
