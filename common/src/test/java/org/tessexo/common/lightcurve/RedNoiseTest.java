package org.tessexo.common.lightcurve;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The scatter on a transit's time scale against the textbook values for white and for correlated noise. */
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
}
