package org.tessexo.common.lightcurve;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whitening filter against the closed forms of an autoregressive process, white noise left as it is, and the
 * whitened search against the plain one on transits in correlated noise.
 */
class WhiteningTest {
    private static final double CADENCE = 30.0 / 60 / 24;

    @Test
    void theFilterOfAnAr1IsOneMinusPhi() {
        // AR(1) with unit innovations: autocovariance phi^k / (1 - phi^2)
        double phi = 0.6;
        double[] acov = new double[6];
        for (int k = 0; k < acov.length; k++) {
            acov[k] = Math.pow(phi, k) / (1 - phi * phi);
        }
        double[] a = Whitening.predictionError(acov, 100_000);
        assertEquals(2, a.length, "order 1 by Akaike's criterion");
        assertEquals(1, a[0], 1e-12);
        assertEquals(-phi, a[1], 1e-12);
    }

    @Test
    void aBoxsVarianceIsItsInsideAndItsTwoEdges() {
        // A b for a = (1, -phi): 1 at ingress, 1 - phi inside, -phi after egress
        double phi = 0.3;
        double[] a = {1, -phi};
        for (int len = 1; len <= 9; len++) {
            double expected = 1 + (len - 1) * (1 - phi) * (1 - phi) + phi * phi;
            assertEquals(expected, Whitening.varianceOfBox(a, len), 1e-12, "L = " + len);
        }
        assertEquals(7, Whitening.varianceOfBox(new double[] {1}, 7), 1e-12);
    }

    @Test
    void whiteNoiseIsSearchedAsItWas() {
        double[] t = times(2_000);
        double[] f = new double[t.length];
        Random r = new Random(3);
        for (int i = 0; i < t.length; i++) {
            f[i] = 1 + 1e-3 * r.nextGaussian();
        }
        Whitening w = Whitening.of(t, f, CADENCE, 20);
        double[] g = w.durationWeights(new double[] {1.0 / 24, 3.0 / 24, 10.0 / 24});
        for (double v : g) {
            assertEquals(1, v, 0.15, "a box's weight on white noise");
        }
        assertTrue(correlation(f, w.flux()) > 0.9, "the flux nearly as it was: " + correlation(f, w.flux()));
        double[] a = w.filter();
        assertEquals(1e-3, 1 / a[0], 1e-4, "the innovations are the noise itself");
    }

    @Test
    void aFilterOfRedNoiseFollowsItsCorrelation() {
        double[] f = redNoise(new Random(5), 4_000, 1e-3, 0.35, 8);
        double[] t = times(f.length);
        Whitening w = Whitening.of(t, f, CADENCE, 20);
        double sum = 0;
        for (double v : w.filter()) {
            sum += v;
        }
        // a box's long-term weight (sum a)^2 against white noise's 1 / sigma^2: far less in red noise
        double white = 1 / (1e-3 * 1e-3);
        assertTrue(sum * sum < 0.5 * white, "(sum a)^2 = " + sum * sum + " against " + white);
        double[] g = w.durationWeights(new double[] {0.5 / 24, 2.0 / 24, 10.0 / 24});
        assertTrue(g[0] < g[1] && g[1] < g[2] && g[2] <= 1, "edges weigh most on the shortest boxes");
    }

    /**
     * Transits at an SNR of 8 by the point-to-point scatter in white noise plus an exponentially correlated
     * component (a third of the variance, 4 hours): the whitened search finds more of them, and its depths are the
     * flux's own.
     */
    @Test
    void theWhitenedSearchFindsMoreTransitsInRedNoise() {
        TransitSearch plain = new TransitSearch(TransitSearch.Settings.defaults().toBuilder().whitenHours(0)
                .maxSignals(1).prewhiten(0).build());
        TransitSearch whitened = new TransitSearch(TransitSearch.Settings.defaults().toBuilder()
                .whitenHours(TransitSearch.Settings.WHITEN_HOURS).maxSignals(1).prewhiten(0).build());
        int foundPlain = 0;
        int foundWhitened = 0;
        int trials = 16;
        double depthError = 0;
        for (int s = 0; s < trials; s++) {
            Random r = new Random(100 + s);
            double[] f = redNoise(r, 1_250, 1e-3, 0.35, 8);
            double[] t = times(f.length);
            double period = 2 + 5 * r.nextDouble();
            double epoch = t[0] + period * r.nextDouble();
            double duration = 3.0 / 24;
            int inTransit = 0;
            for (double x : t) {
                inTransit += Math.abs(TransitSearch.phase(x, period, epoch)) < duration / 2 ? 1 : 0;
            }
            double diff = 0;
            for (int i = 1; i < f.length; i++) {
                diff += (f[i] - f[i - 1]) * (f[i] - f[i - 1]);
            }
            double p2p = Math.sqrt(diff / (f.length - 1) / 2); // the point-to-point scatter, as the benches size SNR
            double depth = 8 * p2p / Math.sqrt(inTransit);
            for (int i = 0; i < t.length; i++) {
                f[i] -= Math.abs(TransitSearch.phase(t[i], period, epoch)) < duration / 2 ? depth : 0;
            }
            LightCurve lc = new LightCurve(t, f, new double[t.length], new int[t.length],
                    new LightCurve.Target(1, 1, 1, 1, "PDCSAP_FLUX"));
            TransitSearch.Signal a = plain.search(lc).signals().get(0);
            TransitSearch.Signal b = whitened.search(lc).signals().get(0);
            boolean hitA = Math.abs(a.period() - period) < 0.01 * period;
            boolean hitB = Math.abs(b.period() - period) < 0.01 * period;
            foundPlain += hitA ? 1 : 0;
            foundWhitened += hitB ? 1 : 0;
            if (hitB) {
                depthError = Math.max(depthError, Math.abs(b.depth() / depth - 1));
            }
        }
        assertTrue(foundWhitened >= foundPlain + 3, "whitened " + foundWhitened + " of " + trials + ", plain "
                + foundPlain);
        assertTrue(depthError < 0.5, "depths measured on the flux: worst " + depthError);
    }

    @Test
    void aBoxMeasuredOnTheFluxIsThePeriodogramsBestBox() {
        double[] t = times(1_250);
        double[] f = new double[t.length];
        Random r = new Random(9);
        for (int i = 0; i < t.length; i++) {
            f[i] = 1 + 2e-4 * r.nextGaussian() - (Math.abs(TransitSearch.phase(t[i], 3.3, 1326.2)) < 0.06 ? 3e-3 : 0);
        }
        BoxLeastSquares bls = new BoxLeastSquares(t, f, null);
        BoxLeastSquares.Periodogram pg = bls.power(new PeriodGrid(new double[] {3.3}, new double[] {0.12}), 10);
        double[] box = bls.boxAt(3.3, pg.epoch()[0], pg.duration()[0]);
        assertEquals(pg.depth()[0], box[0], 0.02 * pg.depth()[0]);
        assertEquals(3e-3, box[0], 2e-4);
        assertEquals(pg.depthErr()[0], box[1], 0.05 * pg.depthErr()[0]);
        double[] none = bls.boxAt(3.3, pg.epoch()[0] + 1.5, pg.duration()[0]);
        assertTrue(Math.abs(none[0]) < 2e-4, "no dip half a period away: " + none[0]);
    }

    /**
     * AR(1) noise with a gap every 2.5 days (masked transits), whitened stretch by stretch: {@code u = C^-1 y} of
     * each stretch, whose variance is the diagonal of {@code C^-1}, {@code 1 + phi^2} inside a stretch and 1 at its
     * two ends (in units of the innovations). Filling the gaps with zeros instead makes the ends stand out (1.24
     * times the middle's scatter, tried), and a train of gaps a periodic signal of its own.
     */
    @Test
    void eachStretchBetweenGapsIsWhitenedExactly() {
        double phi = 0.8;
        Random r = new Random(21);
        int n = 12_000;
        double[] tAll = new double[n];
        double[] fAll = new double[n];
        double x = 0;
        for (int i = 0; i < n; i++) {
            x = phi * x + r.nextGaussian();
            tAll[i] = 1325 + i * CADENCE;
            fAll[i] = 1 + 1e-3 * x;
        }
        int kept = 0;
        for (int i = 0; i < n; i++) {
            kept += Math.abs(TransitSearch.phase(tAll[i], 2.5, 1326)) >= 0.1 ? 1 : 0;
        }
        double[] t = new double[kept];
        double[] f = new double[kept];
        for (int i = 0, j = 0; i < n; i++) {
            if (Math.abs(TransitSearch.phase(tAll[i], 2.5, 1326)) >= 0.1) {
                t[j] = tAll[i];
                f[j++] = fAll[i];
            }
        }
        double[] u = Whitening.of(t, f, CADENCE, 10).flux();
        double edge = 0;
        double middle = 0;
        int nEdge = 0;
        int nMiddle = 0;
        for (int i = 1; i < kept - 1; i++) {
            boolean after = t[i] - t[i - 1] > 1.5 * CADENCE;
            boolean before = t[i + 1] - t[i] > 1.5 * CADENCE;
            if (after || before) {
                edge += (u[i] - 1) * (u[i] - 1);
                nEdge++;
            } else if (t[i] - t[i - 1] < 1.5 * CADENCE && Math.abs(TransitSearch.phase(t[i], 2.5, 1326)) > 0.6) {
                middle += (u[i] - 1) * (u[i] - 1);
                nMiddle++;
            }
        }
        double ratio = Math.sqrt((edge / nEdge) / (middle / nMiddle));
        assertTrue(nEdge > 100, nEdge + " edge cadences");
        assertEquals(Math.sqrt(1 / (1 + phi * phi)), ratio, 0.06, "ends against middle scatter");
    }

    @Test
    void aSparseLightCurveIsSearchedPlainWithANote() {
        // 300 cadences of 30 minutes each spread over 400 days (a few per night): no cadence grid to whiten on
        int n = 300;
        double[] t = new double[n];
        double[] f = new double[n];
        Random r = new Random(4);
        for (int i = 0; i < n; i++) {
            t[i] = 1325 + (i / 3) * 4.0 + (i % 3) * CADENCE;
            f[i] = 1 + 1e-3 * r.nextGaussian();
        }
        assertFalse(Whitening.applicable(t, CADENCE));
        assertTrue(Whitening.applicable(times(1_250), CADENCE));
        LightCurve lc = new LightCurve(t, f, new double[n], new int[n], new LightCurve.Target(1, 1, 1, 1, "F"));
        TransitSearch.Result res = new TransitSearch(TransitSearch.Settings.defaults().toBuilder()
                .whitenHours(TransitSearch.Settings.WHITEN_HOURS).maxPeriods(2_000).build()).search(lc);
        assertTrue(res.notes().contains(TransitSearch.NOT_WHITENED), res.notes());
    }

    private static double[] times(int n) {
        double[] t = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = 1325 + i * CADENCE + (i >= n / 2 ? 1 : 0); // a mid-sector gap
        }
        return t;
    }

    /** 1 + white noise plus an exponentially correlated part ({@code share} of the variance, {@code tau} cadences). */
    private static double[] redNoise(Random r, int n, double sigma, double share, double tau) {
        double rho = Math.exp(-1 / tau);
        double[] f = new double[n];
        double x = r.nextGaussian();
        for (int i = 0; i < n; i++) {
            x = rho * x + Math.sqrt(1 - rho * rho) * r.nextGaussian();
            f[i] = 1 + sigma * (Math.sqrt(1 - share) * r.nextGaussian() + Math.sqrt(share) * x);
        }
        return f;
    }

    private static double correlation(double[] x, double[] y) {
        double mx = 0;
        double my = 0;
        for (int i = 0; i < x.length; i++) {
            mx += x[i];
            my += y[i];
        }
        mx /= x.length;
        my /= y.length;
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < x.length; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        return sxy / Math.sqrt(sxx * syy);
    }
}
