package org.tessexo.common.lightcurve;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The detrender and the BLS on synthetic light curves with a known answer. */
class DetrendAndBlsTest {

    /** 2-minute cadence over 27 days with a 1-day gap, a slow wave, white noise and box transits. */
    static double[][] synthetic(double period, double epoch, double duration, double depth, double noise, long seed) {
        Random rnd = new Random(seed);
        int n = 27 * 720;
        double[] t = new double[n];
        double[] f = new double[n];
        double[] e = new double[n];
        int k = 0;
        for (int i = 0; i < n; i++) {
            double time = 1325 + i / 720.0;
            if (time > 1338 && time < 1339) {
                continue; // the mid-sector data downlink gap
            }
            t[k] = time;
            // 0.3% variability over 5.3 days: a spotted star. (At 1%, the slope within a 0.75-day window spreads
            // the flux as much as a 0.5% transit, and a location estimator then takes in part of the transit.)
            double trend = 1 + 0.003 * Math.sin(2 * Math.PI * time / 5.3);
            double inTransit = Math.abs(TransitSearch.phase(time, period, epoch)) < duration / 2 ? 1 - depth : 1;
            f[k] = trend * inTransit + noise * rnd.nextGaussian();
            e[k] = noise;
            k++;
        }
        return new double[][] {java.util.Arrays.copyOf(t, k), java.util.Arrays.copyOf(f, k),
                java.util.Arrays.copyOf(e, k)};
    }

    @Test
    void theBiweightRemovesTheTrendAndKeepsTheTransitDepth() {
        double[][] lc = synthetic(4.1, 1327.3, 0.12, 0.005, 0.0005, 1);
        double[] flat = Detrender.flatten(lc[0], lc[1], 0.75, Detrender.Method.BIWEIGHT);
        double inSum = 0;
        int in = 0;
        double outVar = 0;
        int out = 0;
        for (int i = 0; i < flat.length; i++) {
            double ph = Math.abs(TransitSearch.phase(lc[0][i], 4.1, 1327.3));
            if (ph < 0.04) {
                inSum += flat[i];
                in++;
            } else if (ph > 0.2) {
                outVar += (flat[i] - 1) * (flat[i] - 1);
                out++;
            }
        }
        double depth = 1 - inSum / in;
        assertEquals(0.005, depth, 0.0006, "depth kept after detrending");
        // the 0.3% wave is gone: what is left out of transit is the 0.05% noise
        assertTrue(Math.sqrt(outVar / out) < 0.0006, "rms " + Math.sqrt(outVar / out));
        double[] median = Detrender.flatten(lc[0], lc[1], 0.75, Detrender.Method.MEDIAN);
        assertTrue(Double.isFinite(median[100]) && Math.abs(median[100] - 1) < 0.005);
    }

    @Test
    void blsFindsAnInjectedTransit() {
        double period = 3.7;
        double epoch = 1326.05;
        double duration = 0.1;
        double[][] lc = synthetic(period, epoch, duration, 0.002, 0.001, 2);
        double[] flat = Detrender.flatten(lc[0], lc[1], 0.75, Detrender.Method.BIWEIGHT);
        PeriodGrid grid = PeriodGrid.auto(lc[0][lc[0].length - 1] - lc[0][0], 0.5, 13,
                PeriodGrid.durationsHours(1, 6, 6), 2, 1.0);
        BoxLeastSquares.Periodogram pg = new BoxLeastSquares(lc[0], flat, lc[2]).power(grid, 10);
        int b = pg.best();
        assertEquals(period, pg.periods()[b], period * 0.001);
        assertEquals(0, TransitSearch.phase(pg.epoch()[b], period, epoch), 0.01);
        assertEquals(duration, pg.duration()[b], 0.04);
        // the box is the grid's duration nearest the transit's: depth diluted or not by the ratio of the two
        assertEquals(0.002 * Math.min(1, duration / pg.duration()[b]), pg.depth()[b], 0.0003);
        assertTrue(pg.sde(b) > 10, "SDE " + pg.sde(b));
        assertTrue(pg.snr(b) > 20, "SNR " + pg.snr(b));
    }

    @Test
    void theBinnedPowerEqualsTheDirectLikelihoodOfTheBestBox() {
        double[][] lc = synthetic(2.3, 1325.7, 0.08, 0.003, 0.001, 3);
        PeriodGrid grid = new PeriodGrid(new double[] {2.3, 2.31, 5.0}, PeriodGrid.durationsHours(1, 4, 4));
        BoxLeastSquares.Periodogram pg = new BoxLeastSquares(lc[0], lc[1], lc[2]).power(grid, 10);
        for (int p = 0; p < 3; p++) {
            // Recompute the model the binned search reports, cadence by cadence.
            double start = pg.epoch()[p] - pg.duration()[p] / 2;
            double sIn = 0;
            double wIn = 0;
            double sOut = 0;
            double wOut = 0;
            for (int i = 0; i < lc[0].length; i++) {
                double w = 1 / (lc[2][i] * lc[2][i]);
                double x = (lc[0][i] - start) / pg.periods()[p];
                double into = (x - Math.floor(x)) * pg.periods()[p];
                // the fold's bins decide membership; allow the cadences on the box's edges either way
                if (into < pg.duration()[p] - 1e-9) {
                    sIn += w * lc[1][i];
                    wIn += w;
                } else {
                    sOut += w * lc[1][i];
                    wOut += w;
                }
            }
            double depth = sOut / wOut - sIn / wIn;
            assertEquals(depth, pg.depth()[p], Math.abs(depth) * 0.05 + 1e-5, "period " + pg.periods()[p]);
            assertEquals(0.5 * wIn * depth * depth, pg.power()[p], pg.power()[p] * 0.1, "period " + pg.periods()[p]);
        }
    }

    @Test
    void addingAConstantChangesNothing() {
        double[][] lc = synthetic(3.1, 1326.0, 0.1, 0.002, 0.001, 4);
        PeriodGrid grid = PeriodGrid.auto(26, 1, 8, PeriodGrid.durationsHours(1, 4, 3), 2, 2.0);
        double[] shifted = lc[1].clone();
        for (int i = 0; i < shifted.length; i++) {
            shifted[i] += 5;
        }
        BoxLeastSquares.Periodogram a = new BoxLeastSquares(lc[0], lc[1], lc[2]).power(grid, 5);
        BoxLeastSquares.Periodogram b = new BoxLeastSquares(lc[0], shifted, lc[2]).power(grid, 5);
        for (int i = 0; i < a.power().length; i++) {
            assertEquals(a.power()[i], b.power()[i], 1e-6 * a.power()[a.best()]);
        }
    }

    @Test
    void theGridFollowsTheBaselineAndTheShortestDuration() {
        PeriodGrid g = PeriodGrid.auto(27, 0.5, 100, new double[] {0.02, 0.2}, 3, 1.0);
        assertEquals(13.5, g.periods()[0], 1e-9, "longest period: three transits in the baseline");
        assertEquals(27, PeriodGrid.auto(27, 0.5, 100, new double[] {0.02}, 2, 1.0).periods()[0], 1e-9);
        assertEquals(0.5, g.periods()[g.periods().length - 1], 1e-3);
        double df = 1 / g.periods()[1] - 1 / g.periods()[0];
        assertEquals(0.02 / (27.0 * 27.0), df, 1e-12);
    }
}
