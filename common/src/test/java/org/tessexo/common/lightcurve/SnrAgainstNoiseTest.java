package org.tessexo.common.lightcurve;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The recovery bench's SNR of an injection against its host's noise ({@link ActiveStarRecovery#snrAgainstNoise})
 * against closed forms. On white noise it is the injected SNR (times the trapezoid's {@code sqrt(mean s^2)}: its
 * ramps hold less than a box). On an AR(1) noise of correlation {@code phi} a cadence, a box of {@code L}
 * cadences sized by the point-to-point scatter ({@code sigma_x sqrt(1 - phi)}) meets
 * {@code sqrt(1 / (1 + phi)) sqrt((1 + (L - 1) (1 - phi)^2 + phi^2) / L)} of its SNR: the whitened statistic's
 * variance {@code ||A b||^2} (inside and two edges) over {@code sigma_e^2 = sigma_x^2 (1 - phi^2)}; 0.53 for
 * {@code phi} 0.5 and 6 cadences, where the long-box limit {@code (1 - phi) / sqrt(1 + phi)} is 0.41.
 */
class SnrAgainstNoiseTest {
    private static final double CADENCE = 30.0 / 60 / 24;

    private static final double PERIOD = 3.0;
    private static final double EPOCH = 1326.1;
    private static final double DURATION = 3.0 / 24;

    @Test
    void onWhiteNoiseItIsTheInjectedSnr() {
        assertEquals(trapezoid(), ratio(0, 11), 0.03);
    }

    @Test
    void onCorrelatedNoiseItFollowsTheClosedForm() {
        double phi = 0.5;
        int cadences = (int) Math.round(DURATION / CADENCE);
        double box = Math.sqrt(1 / (1 + phi)) * Math.sqrt((1 + (cadences - 1) * (1 - phi) * (1 - phi) + phi * phi)
                / cadences);
        assertEquals(box * trapezoid(), ratio(phi, 12), 0.03);
    }

    /** {@code sqrt(mean s^2)} of the injected trapezoid over the cadences in transit. */
    private static double trapezoid() {
        double sum = 0;
        int n = 0;
        for (int i = 0; i < 1_300; i++) {
            double x = Math.abs(TransitSearch.phase(1325 + i * CADENCE, PERIOD, EPOCH));
            if (x < DURATION / 2) {
                double s = ActiveStarRecovery.trapezoid(x, DURATION);
                sum += s * s;
                n++;
            }
        }
        return Math.sqrt(sum / n);
    }

    /** The median over 9 hosts of the SNR against the noise over the injected SNR (12), 3-hour boxes every 3 days. */
    private static double ratio(double phi, long seed) {
        TransitSearch search = new TransitSearch(TransitSearch.Settings.defaults().toBuilder().prewhiten(0).build());
        double[] ratios = new double[9];
        for (int k = 0; k < ratios.length; k++) {
            Random r = new Random(seed * 100 + k);
            int n = 1_300;
            double[] t = new double[n];
            double[] f = new double[n];
            double x = 0;
            for (int i = 0; i < n; i++) {
                x = phi * x + Math.sqrt(1 - phi * phi) * r.nextGaussian();
                t[i] = 1325 + i * CADENCE + (i >= n / 2 ? 1 : 0);
                f[i] = 1 + 1e-3 * x;
            }
            LightCurve host = new LightCurve(t, f, new double[n], new int[n],
                    new LightCurve.Target(1, 1, 1, 1, "PDCSAP_FLUX"));
            LightCurve clean = search.clean(host);
            LightCurve searched = search.prepare(clean).detrended();
            double sigma = ActiveStarRecovery.scatter(clean.flux());
            ratios[k] = ActiveStarRecovery.snrAgainstNoise(clean, sigma, 12, PERIOD, EPOCH, DURATION, searched) / 12;
        }
        java.util.Arrays.sort(ratios);
        return ratios[ratios.length / 2];
    }
}
