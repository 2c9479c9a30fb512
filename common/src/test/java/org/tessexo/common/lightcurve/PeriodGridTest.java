package org.tessexo.common.lightcurve;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The drift grid bounds a transit's drift over the baseline at every period by what the uniform grid allows at the
 * longest one, with about 8x fewer periods on a sector; the BLS economies (bins sized to the cadence, boxes started
 * at a tenth of their duration) find the same signal with the same power.
 */
class PeriodGridTest {
    static final double BASELINE = 27.4;
    static final double[] DURATIONS = PeriodGrid.durationsHours(0.5, 10, 12);

    @Test
    void theDriftGridBoundsTheDriftAtEveryPeriodWithFarFewerPeriods() {
        PeriodGrid uniform = PeriodGrid.auto(BASELINE, 0.5, BASELINE / 2, DURATIONS, 2, 1.0, Integer.MAX_VALUE,
                PeriodGrid.Spacing.FREQUENCY);
        PeriodGrid drift = PeriodGrid.auto(BASELINE, 0.5, BASELINE / 2, DURATIONS, 2, 1.0, Integer.MAX_VALUE,
                PeriodGrid.Spacing.DRIFT);
        double minDur = 0.5 / 24;
        double bound = 1.0 * minDur / 2; // the uniform grid's drift at its longest period, T / 2
        double[] p = drift.periods();
        for (int i = 1; i < p.length; i++) {
            double df = 1 / p[i] - 1 / p[i - 1];
            assertTrue(BASELINE * p[i - 1] * df <= bound * 1.0001, "drift at " + p[i - 1] + " d");
        }
        double[] u = uniform.periods();
        assertEquals(bound, BASELINE * u[0] * (1 / u[1] - 1 / u[0]), bound * 0.01, "the uniform grid at T / 2");
        assertEquals(BASELINE / 2, p[0], 1e-9);
        assertEquals(BASELINE / 2, drift.longest(), 1e-9);
        assertEquals(0.5, p[p.length - 1], 1e-9);
        double expected = 2 * BASELINE / minDur * Math.log(BASELINE / 2 / 0.5);
        assertEquals(expected, p.length, expected * 0.01);
        assertTrue(u.length > 7 * p.length, uniform.periods().length + " against " + p.length);
    }

    @Test
    void aCapWidensEveryStepAlikeAndIsSaid() {
        PeriodGrid capped = PeriodGrid.auto(300, 0.5, 150, DURATIONS, 2, 1.0, 10_000, PeriodGrid.Spacing.DRIFT);
        assertEquals(10_000, capped.periods().length);
        assertTrue(capped.capped() && capped.wanted() > 10_000);
        double[] p = capped.periods();
        double ratio = p[0] / p[1];
        assertEquals(ratio, p[5000] / p[5001], 1e-9, "log-uniform");
    }

    @Test
    void binsSizedToTheCadenceAndRelativeStartsFindTheSameSignal() {
        Random rnd = new Random(3);
        int n = 1250;
        double[] t = new double[n];
        double[] f = new double[n];
        double[] e = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = 1325.3 + i / 48.0;
            boolean in = Math.abs(TransitSearch.phase(t[i], 4.21, 1327.0)) < 0.07;
            f[i] = 1 + 6e-4 * rnd.nextGaussian() - (in ? 1.2e-3 : 0);
            e[i] = 6e-4;
        }
        PeriodGrid grid = PeriodGrid.auto(t[n - 1] - t[0], 0.5, 13, DURATIONS, 2, 1.0, Integer.MAX_VALUE,
                PeriodGrid.Spacing.DRIFT);
        BoxLeastSquares bls = new BoxLeastSquares(t, f, e);
        BoxLeastSquares.Periodogram full = bls.power(grid, 10, BoxLeastSquares.Binning.FULL, 0.15, 0, false);
        BoxLeastSquares.Periodogram fast = bls.power(grid, 10, BoxLeastSquares.Binning.FULL, 0.15, 1.0 / 96, true);
        assertEquals(full.periods()[full.best()], fast.periods()[fast.best()], 1e-3 * 4.21,
                "a neighbouring period at most");
        assertEquals(4.21, fast.periods()[fast.best()], 0.01);
        assertEquals(full.power()[full.best()], fast.power()[fast.best()], 0.05 * full.power()[full.best()]);
        assertEquals(full.sde(full.best()), fast.sde(fast.best()), 0.05 * full.sde(full.best()));
    }
}
