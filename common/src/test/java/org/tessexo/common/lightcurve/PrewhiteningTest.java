package org.tessexo.common.lightcurve;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Prewhitening removes smooth periodic variability faster than the detrending window and keeps transits: a
 * pulsator's modes go and an injected transit keeps its depth; a transit train and white noise are left alone.
 */
class PrewhiteningTest {
    static final double NOISE = 3e-4;
    static final double PERIOD = 3.7;
    static final double EPOCH = 1326.3;
    static final double DURATION = 0.1;

    /** 27 days of 10-minute cadences with the mid-sector gap: noise, the given sines (period, amplitude), a transit. */
    static double[][] curve(double[][] sines, double depth, long seed) {
        Random rnd = new Random(seed);
        int n = 27 * 144;
        double[] t = new double[n];
        double[] f = new double[n];
        int k = 0;
        for (int i = 0; i < n; i++) {
            double x = 1325 + i / 144.0;
            if (x > 1338.5 && x < 1339.5) {
                continue;
            }
            double v = 1 + NOISE * rnd.nextGaussian();
            for (double[] s : sines) {
                v += s[1] * Math.sin(2 * Math.PI * x / s[0] + s[0]);
            }
            if (Math.abs(TransitSearch.phase(x, PERIOD, EPOCH)) < DURATION / 2) {
                v -= depth;
            }
            t[k] = x;
            f[k++] = v;
        }
        return new double[][] {java.util.Arrays.copyOf(t, k), java.util.Arrays.copyOf(f, k)};
    }

    /** Mean flux out of transit minus in transit. */
    static double depth(double[] t, double[] f) {
        double in = 0;
        int nIn = 0;
        double out = 0;
        int nOut = 0;
        for (int i = 0; i < t.length; i++) {
            double ph = Math.abs(TransitSearch.phase(t[i], PERIOD, EPOCH));
            if (ph < DURATION / 2) {
                in += f[i];
                nIn++;
            } else if (ph > DURATION) {
                out += f[i];
                nOut++;
            }
        }
        return out / nOut - in / nIn;
    }

    static double rmsOutOfTransit(double[] t, double[] f) {
        double s = 0;
        int n = 0;
        for (int i = 0; i < t.length; i++) {
            if (Math.abs(TransitSearch.phase(t[i], PERIOD, EPOCH)) > DURATION) {
                s += (f[i] - 1) * (f[i] - 1);
                n++;
            }
        }
        return Math.sqrt(s / n);
    }

    @Test
    void aPulsatorsModesGoAndTheTransitKeepsItsDepth() {
        double[][] modes = {{0.31, 2e-3}, {0.173, 8e-4}, {0.9, 1.2e-3}};
        double[][] c = curve(modes, 1e-3, 1);
        Prewhitening.Result r = Prewhitening.apply(c[0], c[1], 1.0 / 24, 3, 10);
        assertTrue(r.removed().size() >= 3, "removed " + r.removed());
        for (double[] m : modes) {
            assertTrue(r.removed().stream().anyMatch(x -> Math.abs(x.period() / m[0] - 1) < 0.01),
                    m[0] + " d among " + r.removed());
        }
        assertTrue(rmsOutOfTransit(c[0], r.flux()) < 1.2 * NOISE, "left " + rmsOutOfTransit(c[0], r.flux()));
        // Tolerance: 5% of the depth (the noise alone moves it by about 2% here)
        assertEquals(depth(curve(new double[0][], 1e-3, 1)[0], curve(new double[0][], 1e-3, 1)[1]),
                depth(c[0], r.flux()), 5e-5, "the transit's depth after prewhitening; removed " + r.removed());
    }

    @Test
    void aDeepTransitTrainIsNotTakenForVariability() {
        double[][] c = curve(new double[0][], 5e-3, 2);
        Prewhitening.Result r = Prewhitening.apply(c[0], c[1], 1.0 / 24, 3, 10);
        assertTrue(r.removed().isEmpty(), "removed " + r.removed());
        org.junit.jupiter.api.Assertions.assertArrayEquals(c[1], r.flux(), 1e-15);
    }

    @Test
    void whiteNoiseIsLeftAlone() {
        double[][] c = curve(new double[0][], 0, 3);
        assertTrue(Prewhitening.apply(c[0], c[1], 1.0 / 24, 3, 10).removed().isEmpty());
    }

    @Test
    void theSearchFindsAPlanetOnAPulsatorThatHidItBefore() {
        double[][] modes = {{0.31, 4e-3}, {0.52, 3e-3}, {0.173, 2e-3}};
        double[][] c = curve(modes, 8e-4, 4);
        LightCurve lc = new LightCurve(c[0], c[1], LightCurveReader.nanArray(c[0].length), new int[c[0].length],
                new LightCurve.Target(1, 1, 1, 1, "FLUX"));
        TransitSearch.Settings d = withPrewhitening(10);
        TransitSearch.Result with = new TransitSearch(d).search(lc);
        assertTrue(with.notes().contains("stellar variability removed"), with.notes());
        // the pulsation the box search saw before prewhitening is listed first, as what it is
        TransitSearch.Signal first = with.signals().stream().filter(g -> !g.beforePrewhitening()).findFirst()
                .orElseThrow();
        assertEquals(PERIOD, first.period(), PERIOD * 0.01, "strongest after prewhitening: " + with.signals());
        // without prewhitening the modes hide it from the plain search; the whitened one, whose noise model takes
        // in part of the modes, finds it even so
        TransitSearch off = new TransitSearch(d.toBuilder().prewhiten(0).whitenHours(0).build());
        assertTrue(off.search(lc).signals().stream().noneMatch(g -> Math.abs(g.period() / PERIOD - 1) < 0.01),
                "without prewhitening the modes hide it");
        TransitSearch whitenedOnly = new TransitSearch(d.toBuilder().prewhiten(0)
                .whitenHours(TransitSearch.Settings.WHITEN_HOURS).build());
        assertTrue(whitenedOnly.search(lc).signals().stream().anyMatch(g -> Math.abs(g.period() / PERIOD - 1) < 0.01),
                "whitened without prewhitening");
    }

    @Test
    void brighteningsAreClippedNotFitted() {
        // brief 20% brightenings every 0.755 d (an inverted binary's eclipses: no dips, so not a dip train). A sine
        // series fitted to them rings on every other cadence (the 3-hour scatter of such a real host rose 3x);
        // they are upward outliers the search clips, and prewhitening leaves them out of its spectrum and fits
        double[][] c = curve(new double[0][], 2e-3, 6);
        for (int i = 0; i < c[0].length; i++) {
            double x = Math.abs(TransitSearch.phase(c[0][i], 0.755, 1325.2)) / 0.05;
            c[1][i] += x < 1 ? 0.2 * (1 - x) : 0;
        }
        LightCurve lc = new LightCurve(c[0], c[1], LightCurveReader.nanArray(c[0].length), new int[c[0].length],
                new LightCurve.Target(1, 1, 1, 1, "FLUX"));
        TransitSearch.Result r = new TransitSearch(withPrewhitening(10)).search(lc);
        assertTrue(r.ok(), r.reason() + " " + r.notes());
        assertTrue(r.detrended().size() > 0.8 * c[0].length, r.detrended().size() + " of " + c[0].length);
        double[] f = r.detrended().flux();
        assertEquals(1, org.tessexo.common.stats.RobustStats.median(f.clone(), f.length), 1e-3, "normalized");
        double scatter = 1.4826 * org.tessexo.common.stats.RobustStats.mad(f);
        assertTrue(scatter < 1.2 * NOISE, "no ringing left: robust scatter " + scatter + " against noise " + NOISE
                + r.notes());
        assertEquals(PERIOD, r.signals().get(0).period(), PERIOD * 0.01, "the transit found: " + r.signals());
    }

    @Test
    void aContactBinaryTakenForVariabilityIsStillReportedFirst() {
        // a contact binary: minima of unequal depth every half of its 1.3-day orbit, a smooth light curve that the
        // sine series takes as the star's variability. Without the search before prewhitening its first signal was
        // the transit, and the binary was not listed at all: the vetter never saw it. Its 5% wave also bent the
        // detrending window's trend, which the sines could not follow (the transit was lost under what they left)
        // until the trend was measured again without the variability
        double orbit = 1.3;
        double[][] c = curve(new double[0][], 1.5e-3, 8);
        for (int i = 0; i < c[0].length; i++) {
            double phi = 2 * Math.PI * (c[0][i] - 1325.1) / orbit;
            c[1][i] *= 1 - 0.05 * (1 + Math.cos(2 * phi)) / 2 - 0.005 * Math.cos(phi);
        }
        LightCurve lc = new LightCurve(c[0], c[1], LightCurveReader.nanArray(c[0].length), new int[c[0].length],
                new LightCurve.Target(1, 1, 1, 1, "FLUX"));
        TransitSearch.Result r = new TransitSearch(withPrewhitening(10)).search(lc);
        assertTrue(r.notes().contains("stellar variability removed"), r.notes());
        TransitSearch.Signal first = r.signals().get(0);
        assertTrue(first.beforePrewhitening(), "found before prewhitening: " + r.signals());
        assertTrue(java.util.stream.DoubleStream.of(orbit, orbit / 2, 2 * orbit)
                .anyMatch(p -> Math.abs(first.period() / p - 1) < 0.01), "the binary's period: " + first);
        assertEquals(1, first.rank());
        assertTrue(r.signals().stream().anyMatch(g -> !g.beforePrewhitening()
                && Math.abs(g.period() / PERIOD - 1) < 0.01), "and the transit: " + r.signals() + "; "
                + r.notes());
        assertTrue(r.signals().stream().filter(TransitSearch.Signal::beforePrewhitening).count() == 1);
        for (int i = 0; i < r.signals().size(); i++) {
            assertEquals(i + 1, r.signals().get(i).rank(), "ranks in order: " + r.signals());
        }
        // the figure's periodogram is the one the first signal was found in (it was the prewhitened search's)
        double[][] pg = r.periodogram();
        int peak = 0;
        for (int i = 1; i < pg[1].length; i++) {
            peak = pg[1][i] > pg[1][peak] ? i : peak;
        }
        assertEquals(first.period(), pg[0][peak], 0.01 * first.period(), "periodogram of the first signal");

        // with the time budget spent, the search before prewhitening is not run, and the notes say so
        TransitSearch.Result spent = new TransitSearch(withPrewhitening(10, 0)).search(lc);
        assertTrue(spent.signals().stream().noneMatch(TransitSearch.Signal::beforePrewhitening), spent.signals()
                + "");
        assertTrue(spent.notes().contains("before prewhitening"), spent.notes());
    }

    /** The default search with prewhitening of at most {@code terms} frequencies (off by default). */
    static TransitSearch.Settings withPrewhitening(int terms) {
        return withPrewhitening(terms, TransitSearch.Settings.defaults().timeBudget());
    }

    /** The same with a time budget (seconds) of its own. */
    static TransitSearch.Settings withPrewhitening(int terms, double timeBudget) {
        TransitSearch.Settings d = TransitSearch.Settings.defaults();
        return d.toBuilder().prewhiten(terms).timeBudget(timeBudget).build();
    }
}
