package org.tessexo.common.lightcurve;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TransitViewsTest {

    @Test
    void viewsAreCentredOnTheTransitWithMedianZeroAndMinimumMinusOne() {
        double period = 3.7;
        double epoch = 1326.05;
        double duration = 0.12;
        double[][] lc = DetrendAndBlsTest.synthetic(period, epoch, duration, 0.004, 0.0005, 5);
        double[] flat = Detrender.flatten(lc[0], lc[1], 0.75, Detrender.Method.BIWEIGHT);
        LightCurve curve = new LightCurve(lc[0], flat, lc[2], new int[lc[0].length],
                new LightCurve.Target(1, 1, 1, 1, "PDCSAP_FLUX"));
        TransitSearch.Signal s = new TransitSearch.Signal(1, period, epoch, duration, 0.004, 50, 20, 1, 7);
        double[][] views = {TransitViews.global(curve, s), TransitViews.local(curve, s)};
        double[] halfWidths = {period / 2, 2 * duration};
        for (int k = 0; k < 2; k++) {
            double[] v = views[k];
            // the bins within the transit (flat-bottomed: the lowest one is anywhere inside it)
            double inTransit = v.length * duration / (2 * halfWidths[k]) / 2;
            double min = Double.POSITIVE_INFINITY;
            int at = -1;
            for (int i = 0; i < v.length; i++) {
                assertTrue(Double.isFinite(v[i]));
                if (v[i] < min) {
                    min = v[i];
                    at = i;
                }
            }
            assertEquals(-1, min, 1e-12);
            assertEquals(v.length / 2, at, inTransit + 1, "the transit is in the middle");
            double[] sorted = v.clone();
            java.util.Arrays.sort(sorted);
            assertEquals(0, sorted[v.length / 2], 1e-12, "median 0");
        }
        double[] local = TransitViews.local(curve, s);
        // 4 durations wide: the middle half of the bins is in transit (near -1), the outer quarters are not (near 0)
        assertTrue(local[100] < -0.7 && local[5] > -0.3 && local[195] > -0.3,
                local[5] + " " + local[100] + " " + local[195]);
        INDArray[] arrays = TransitViews.arrays(curve, s);
        assertArrayEquals(new long[] {1, 2001}, arrays[0].shape());
        assertArrayEquals(new long[] {1, 201}, arrays[1].shape());
    }

    @Test
    void emptyBinsAreInterpolated() {
        double[] v = {Double.NaN, 1, Double.NaN, Double.NaN, 4, Double.NaN};
        TransitViews.interpolateGaps(v);
        assertArrayEquals(new double[] {1, 1, 2, 3, 4, 4}, v, 1e-12);
    }
}
