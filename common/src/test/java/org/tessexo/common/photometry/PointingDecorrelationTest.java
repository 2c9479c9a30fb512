package org.tessexo.common.photometry;

import org.junit.jupiter.api.Test;
import org.tessexo.common.stats.RobustStats;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PointingDecorrelationTest {

    /** A light curve whose aperture loses light with the pointing, with a transit and a deep eclipse on it. */
    @Test
    void pointingTermsGoTransitsAndEclipsesStay() {
        Random rng = new Random(3);
        int n = 1200;
        double[] t = new double[n];
        double[] dx = new double[n];
        double[] dy = new double[n];
        double[] f = new double[n];
        boolean[] use = new boolean[n];
        boolean[] transit = new boolean[n];
        boolean[] eclipse = new boolean[n];
        double noise = 1e-4;
        for (int i = 0; i < n; i++) {
            t[i] = i / 48.0;
            dx[i] = 0.03 * rng.nextGaussian() + (i % 144 < 3 ? 0.3 : 0);
            dy[i] = 0.03 * rng.nextGaussian();
            double pointing = -0.008 * dx[i] + 0.004 * dy[i] - 0.03 * dx[i] * dx[i];
            transit[i] = (t[i] % 3.1) < 0.1;
            eclipse[i] = ((t[i] + 1.3) % 4.7) < 0.12;
            double star = 1 - (transit[i] ? 0.002 : 0) - (eclipse[i] ? 0.3 : 0)
                    + 0.01 * Math.sin(2 * Math.PI * t[i] / 2.3);
            f[i] = 5e4 * star * (1 + pointing) * (1 + noise * rng.nextGaussian());
            use[i] = true;
        }
        double before = p2p(f, transit, eclipse);
        double[] c = PointingDecorrelation.correct(t, f, dx, dy, use);
        double after = p2p(c, transit, eclipse);
        assertTrue(before > 2 * noise, "the pointing adds noise: " + before);
        assertEquals(noise, after, 0.15 * noise, "what is left is the photon noise: " + after);
        assertEquals(0.002, depth(c, t, transit, eclipse), 0.0001, "the transit's depth");
        assertEquals(0.3, 1 - mean(c, eclipse) / mean(c, out(transit, eclipse)), 0.01, "the eclipse's depth");
    }

    @Test
    void tooFewCadencesOrNoPointingLeaveTheFluxAsItIs() {
        double[] f = {1, 2, 3};
        assertEquals(2, PointingDecorrelation.correct(new double[] {0, 1, 2}, f, new double[3], new double[3],
                new boolean[] {true, true, true})[1]);
        double[] nan = new double[100];
        java.util.Arrays.fill(nan, Double.NaN);
        double[] g = new double[100];
        java.util.Arrays.fill(g, 5);
        boolean[] all = new boolean[100];
        java.util.Arrays.fill(all, true);
        double[] t = new double[100];
        for (int i = 0; i < 100; i++) {
            t[i] = i * 0.02;
        }
        assertEquals(5, PointingDecorrelation.correct(t, g, nan, nan, all)[50]);
    }

    private static boolean[] out(boolean[] a, boolean[] b) {
        boolean[] o = new boolean[a.length];
        for (int i = 0; i < a.length; i++) {
            o[i] = !a[i] && !b[i];
        }
        return o;
    }

    private static double depth(double[] f, double[] t, boolean[] transit, boolean[] eclipse) {
        // against the cadences just around each transit (the star's own wave is slow)
        double in = 0;
        double around = 0;
        int ni = 0;
        int na = 0;
        for (int i = 0; i < f.length; i++) {
            double ph = t[i] % 3.1;
            if (eclipse[i]) {
                continue;
            }
            if (transit[i]) {
                in += f[i];
                ni++;
            } else if (ph < 0.3 || ph > 2.9) {
                around += f[i];
                na++;
            }
        }
        return 1 - (in / ni) / (around / na);
    }

    private static double mean(double[] f, boolean[] sel) {
        double s = 0;
        int n = 0;
        for (int i = 0; i < f.length; i++) {
            if (sel[i]) {
                s += f[i];
                n++;
            }
        }
        return s / n;
    }

    /** White noise per cadence from second differences (blind to the star's slow wave). */
    private static double p2p(double[] f, boolean[] a, boolean[] b) {
        double[] d = new double[f.length];
        int m = 0;
        for (int i = 1; i + 1 < f.length; i++) {
            boolean clean = true;
            for (int k = i - 1; k <= i + 1; k++) {
                clean &= !a[k] && !b[k];
            }
            if (clean) {
                d[m++] = (f[i + 1] - 2 * f[i] + f[i - 1]) / f[i];
            }
        }
        return 1.4826 * RobustStats.mad(java.util.Arrays.copyOf(d, m)) / Math.sqrt(6);
    }

    /**
     * The 3 x 3 solve written out for the local quadratic gives the general solve's answer bit for bit: on
     * well-posed systems, on the local quadratic's own ill-conditioned sums of time powers, with every pivot order,
     * and on singular ones (both say so).
     */
    @Test
    void theWrittenOutSolveIsTheGeneralOne() {
        Random rnd = new Random(15);
        for (int trial = 0; trial < 20_000; trial++) {
            double[][] a = new double[3][4];
            if (trial % 4 == 3) {
                // the normal equations of a quadratic over half a day, 20 days from the origin
                double[] s = new double[5];
                for (int k = 0; k < 24; k++) {
                    double u = 20 + rnd.nextDouble() * 0.5;
                    for (int p = 0; p < 5; p++) {
                        s[p] += Math.pow(u, p);
                    }
                }
                for (int r = 0; r < 3; r++) {
                    a[r] = new double[] {s[r], s[r + 1], s[r + 2], rnd.nextGaussian() * s[r]};
                }
            } else {
                for (double[] row : a) {
                    for (int j = 0; j < 4; j++) {
                        row[j] = rnd.nextGaussian() * Math.pow(10, rnd.nextInt(7) - 3);
                    }
                }
                if (trial % 50 == 0) {
                    a[2] = a[trial % 100 == 0 ? 0 : 1].clone(); // singular
                    a[2][3] += 1;
                }
                if (trial % 70 == 0) {
                    a[trial % 3][trial % 2] = 0;
                }
            }
            double[][] b = {a[0].clone(), a[1].clone(), a[2].clone()};
            double[] general = PointingDecorrelation.solve(a);
            double[] x = new double[3];
            boolean ok = PointingDecorrelation.solve3(b, x);
            assertEquals(general != null, ok, "trial " + trial);
            if (ok) {
                for (int j = 0; j < 3; j++) {
                    assertEquals(Double.doubleToLongBits(general[j]), Double.doubleToLongBits(x[j]),
                            "trial " + trial + ", x" + j);
                }
            }
        }
    }
}
