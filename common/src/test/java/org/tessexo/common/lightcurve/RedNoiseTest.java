package org.tessexo.common.lightcurve;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The scatter on a transit's time scale against the textbook values for white and for correlated noise, and the
 * periodogram weighted by it.
 */
class RedNoiseTest {
    private static final double CADENCE = 2.0 / 60 / 24;
    private static final double DURATION = 3.0 / 24;
    private static final double SIGMA = 1e-3;

    private static double[] times(int n) {
        double[] t = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = 1325 + i * CADENCE + (i > n / 2 ? 1.5 : 0); // a mid-sector gap
        }
        return t;
    }

    @Test
    void onWhiteNoiseTheScatterAveragesDownAsOneOverRootN() {
        int n = 18_000;
        double[] f = new double[n];
        Random r = new Random(11);
        for (int i = 0; i < n; i++) {
            f[i] = 1 + SIGMA * r.nextGaussian();
        }
        double sigmaD = RedNoise.sigmaOver(times(n), f, null, DURATION);
        double white = SIGMA / Math.sqrt(DURATION / CADENCE);
        assertEquals(white, sigmaD, 0.12 * white, "white: " + sigmaD + " vs " + white);
        // then the SNR is the box SNR: depth / sigma x sqrt(cadences in transit x transits)
        double snr = RedNoise.snr(4e-4, sigmaD, 9);
        double box = 4e-4 / SIGMA * Math.sqrt(DURATION / CADENCE * 9);
        assertEquals(box, snr, 0.15 * box);
    }

    @Test
    void correlatedNoiseAveragesDownSlowerByTheFactorTheoryGives() {
        // AR(1), correlation rho between neighbours: the mean of n cadences has variance
        // sigma^2 / n x (1 + rho) / (1 - rho) for n >> 1 / (1 - rho)
        int n = 18_000;
        double rho = 0.9;
        double[] f = new double[n];
        Random r = new Random(12);
        double x = 0;
        for (int i = 0; i < n; i++) {
            x = rho * x + Math.sqrt(1 - rho * rho) * SIGMA * r.nextGaussian();
            f[i] = 1 + x;
        }
        double[] t = times(n);
        double sigmaD = RedNoise.sigmaOver(t, f, null, DURATION);
        double white = SIGMA / Math.sqrt(DURATION / CADENCE);
        double theory = white * Math.sqrt((1 + rho) / (1 - rho));
        assertEquals(theory, sigmaD, 0.2 * theory, "red: " + sigmaD + " vs " + theory);
        assertTrue(sigmaD > 3 * white, "four times the white-noise value expected, got " + sigmaD / white);
    }

    @Test
    void excludedCadencesDoNotCountAndTooLittleDataIsNaN() {
        int n = 18_000;
        double[] t = times(n);
        double[] f = new double[n];
        boolean[] keep = new boolean[n];
        Random r = new Random(13);
        for (int i = 0; i < n; i++) {
            f[i] = 1 + SIGMA * r.nextGaussian() - (Math.abs(TransitSearch.phase(t[i], 2.1, 1326)) < DURATION / 2
                    ? 0.05 : 0);
            keep[i] = Math.abs(TransitSearch.phase(t[i], 2.1, 1326)) >= DURATION;
        }
        double white = SIGMA / Math.sqrt(DURATION / CADENCE);
        assertEquals(white, RedNoise.sigmaOver(t, f, keep, DURATION), 0.15 * white, "transits excluded");
        assertTrue(Double.isNaN(RedNoise.sigmaOver(java.util.Arrays.copyOf(t, 500), f, null, DURATION)));
    }

    @Test
    void theFactorIsOneOnWhiteNoiseAndWhatTheoryGivesOnCorrelatedNoise() {
        int n = 18_000;
        double[] t = times(n);
        double[] durations = {1.0 / 24, 3.0 / 24, 10.0 / 24};
        double[] white = new double[n];
        double[] red = new double[n];
        Random r = new Random(13);
        double rho = 0.9;
        double x = 0;
        for (int i = 0; i < n; i++) {
            white[i] = 1 + SIGMA * r.nextGaussian();
            x = rho * x + Math.sqrt(1 - rho * rho) * SIGMA * r.nextGaussian();
            red[i] = 1 + x;
        }
        // white: 1, within the estimate's own scatter (60 independent 10-hour windows: about 9%)
        for (double beta : RedNoise.factors(t, white, durations)) {
            assertTrue(beta >= 1 && beta < 1.25, "white: " + beta);
        }
        // AR(1): the point-to-point scatter is sigma x sqrt(1 - rho), the mean of n >> 10 cadences scatters by
        // sigma / sqrt(n) x sqrt((1 + rho) / (1 - rho)): beta = sqrt(1 + rho) / (1 - rho) = 13.8
        double[] beta = RedNoise.factors(t, red, durations);
        double theory = Math.sqrt(1 + rho) / (1 - rho);
        assertEquals(theory, beta[1], 0.2 * theory, "red, 3 h");
        assertEquals(theory, beta[2], 0.25 * theory, "red, 10 h");
        assertTrue(beta[0] > 0.5 * theory, "red, 1 h (30 cadences, three correlation times): " + beta[0]);
        double[] nothing = RedNoise.factors(new double[] {1, 2}, new double[] {1, 1}, durations);
        assertArrayEquals(new double[] {1, 1, 1}, nothing, 0.0, "too little data: white");
    }

    /**
     * The periodogram against the noise each box meets: each duration's power times its weight; weights of 1 give
     * the plain periodogram; a transit's own duration, penalized, loses to a neighbouring one.
     */
    @Test
    void eachDurationsPowerIsWeightedWhereTheBestBoxIsChosen() {
        double[][] lc = DetrendAndBlsTest.synthetic(2.3, 1325.7, 0.125, 0.003, 0.001, 3);
        double[] durations = {1.0 / 24, 3.0 / 24};
        PeriodGrid grid = new PeriodGrid(new double[] {2.3, 3.1, 5.0}, durations);
        BoxLeastSquares bls = new BoxLeastSquares(lc[0], lc[1], lc[2]);
        BoxLeastSquares.Periodogram plain = bls.power(grid, 10, BoxLeastSquares.Binning.FULL, 1.0, 0, false);
        BoxLeastSquares.Periodogram ones = bls.power(grid, 10, BoxLeastSquares.Binning.FULL, 1.0, 0, false,
                BoxLeastSquares.Shape.BOX, new double[] {1, 1});
        assertArrayEquals(plain.power(), ones.power(), 0.0);
        assertEquals(3.0 / 24, plain.duration()[0], 1e-9, "the 3-hour transit's own box");
        // one duration only: the power is the weight times the plain power, at every period
        PeriodGrid single = new PeriodGrid(grid.periods(), new double[] {3.0 / 24});
        BoxLeastSquares.Periodogram one = bls.power(single, 10, BoxLeastSquares.Binning.FULL, 1.0, 0, false);
        BoxLeastSquares.Periodogram quarter = bls.power(single, 10, BoxLeastSquares.Binning.FULL, 1.0, 0, false,
                BoxLeastSquares.Shape.BOX, new double[] {0.25});
        for (int p = 0; p < 3; p++) {
            assertEquals(0.25 * one.power()[p], quarter.power()[p], 1e-9 * one.power()[p]);
            assertEquals(one.depth()[p], quarter.depth()[p], 0.0, "depths are not weighted");
        }
        // the 3-hour box's power at a ninth (beta 3): the 1-hour box inside the transit wins, with its own power
        BoxLeastSquares.Periodogram red = bls.power(grid, 10, BoxLeastSquares.Binning.FULL, 1.0, 0, false,
                BoxLeastSquares.Shape.BOX, new double[] {1, 1.0 / 9});
        assertEquals(1.0 / 24, red.duration()[0], 1e-9);
        assertTrue(red.power()[0] < plain.power()[0] && red.power()[0] > plain.power()[0] / 9,
                red.power()[0] + " against " + plain.power()[0]);
        // the limb-darkened template is weighted the same way
        BoxLeastSquares.Periodogram ld = bls.power(single, 10, BoxLeastSquares.Binning.FULL, 1.0, 0, false,
                BoxLeastSquares.Shape.LIMB_DARKENED);
        BoxLeastSquares.Periodogram ldQuarter = bls.power(single, 10, BoxLeastSquares.Binning.FULL, 1.0, 0, false,
                BoxLeastSquares.Shape.LIMB_DARKENED, new double[] {0.25});
        assertEquals(0.25 * ld.power()[0], ldQuarter.power()[0], 1e-9 * ld.power()[0]);
    }
}
