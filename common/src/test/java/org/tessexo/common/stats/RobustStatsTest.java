package org.tessexo.common.stats;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RobustStatsTest {

    @Test
    void medianBySortOrSelectionEqualsTheSortedMiddle() {
        java.util.Random rnd = new java.util.Random(4);
        for (int n : new int[] {1, 2, 3, 4, 5, 16, 17, 24, 25, 1000, 16384}) {
            for (int trial = 0; trial < 20; trial++) {
                double[] a = new double[n];
                for (int i = 0; i < n; i++) {
                    a[i] = trial % 2 == 0 ? rnd.nextInt(5) : rnd.nextGaussian(); // many ties, or none
                }
                double[] sorted = a.clone();
                java.util.Arrays.sort(sorted);
                double expected = n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
                assertEquals(expected, RobustStats.median(a, n), 0.0, "n=" + n + " trial " + trial);
            }
        }
    }

    @Test
    void madIgnoresNonFiniteValuesAndOutliers() {
        double[] a = {1, 2, 3, 4, 100, Double.NaN, Double.POSITIVE_INFINITY};
        assertEquals(1, RobustStats.mad(a), 0.0); // median 3, |deviations| 2,1,0,1,97 -> 1
        assertTrue(Double.isNaN(RobustStats.mad(new double[] {Double.NaN})));
        assertEquals(5, RobustStats.finite(a).length);
    }

    @Test
    void runningMedianEqualsTheMedianOfEachCutWindow() {
        java.util.Random rnd = new java.util.Random(9);
        for (int kernel : new int[] {1, 2, 5, 31}) {
            double[] a = new double[200];
            for (int i = 0; i < a.length; i++) {
                a[i] = i % 17 == 3 ? Double.NaN : rnd.nextInt(7) + 0.1 * i; // ties, a trend and gaps
            }
            double[] running = RobustStats.runningMedian(a, kernel);
            for (int i = 0; i < a.length; i++) {
                if (Double.isNaN(a[i])) {
                    assertTrue(Double.isNaN(running[i]), "a NaN's own entry is NaN");
                    continue;
                }
                double[] w = RobustStats.finite(java.util.Arrays.copyOfRange(a, Math.max(0, i - kernel / 2),
                        Math.min(a.length, i + kernel / 2 + 1)));
                assertEquals(RobustStats.median(w, w.length), running[i], 0.0, "kernel " + kernel + " at " + i);
            }
        }
    }

    @Test
    void pointToPointScatterIsTheWhiteNoiseUnderASlowWaveAndSkipsNonFiniteNeighbours() {
        java.util.Random rnd = new java.util.Random(8);
        double[] f = new double[20_000];
        for (int i = 0; i < f.length; i++) {
            f[i] = 1 + 0.05 * Math.sin(i / 500.0) + 1e-3 * rnd.nextGaussian(); // a wave 50 times the noise
        }
        f[100] = Double.NaN;
        assertEquals(1e-3, RobustStats.pointToPointScatter(f), 3e-5);
        assertTrue(Double.isNaN(RobustStats.pointToPointScatter(new double[] {1, Double.NaN, 2})));
    }
}
