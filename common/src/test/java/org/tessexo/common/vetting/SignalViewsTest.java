package org.tessexo.common.vetting;

import org.junit.jupiter.api.Test;
import org.tessexo.common.lightcurve.LightCurve;
import org.tessexo.common.lightcurve.TransitSearch;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The views tell a planet (equal transits, no secondary) from a binary (a secondary, unequal odd and even). */
class SignalViewsTest {
    static final double PERIOD = 2.5;
    static final double DURATION = 0.12;

    /** 27 days of 10-minute cadences, noise 200 ppm; box dips of the given depths (odd, even) and a secondary. */
    static LightCurve curve(double oddDepth, double evenDepth, double secondary, long seed) {
        return curve(oddDepth, evenDepth, secondary, 0.5, seed);
    }

    /** As above, the secondary at {@code secondaryPhase} (an eccentric orbit's is off 0.5). */
    static LightCurve curve(double oddDepth, double evenDepth, double secondary, double secondaryPhase, long seed) {
        Random rnd = new Random(seed);
        int n = 27 * 144;
        double[] t = new double[n];
        double[] f = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = 1000 + i / 144.0;
            double ph = TransitSearch.phase(t[i], PERIOD, 1001);
            long k = Math.round((t[i] - 1001) / PERIOD);
            double dip = Math.abs(ph) < DURATION / 2 ? (Math.floorMod(k, 2) == 1 ? oddDepth : evenDepth) : 0;
            double ph2 = TransitSearch.phase(t[i], PERIOD, 1001 + PERIOD * secondaryPhase);
            dip += Math.abs(ph2) < DURATION / 2 ? secondary : 0;
            f[i] = 1 - dip + 2e-4 * rnd.nextGaussian();
        }
        return new LightCurve(t, f, new double[n], new int[n], new LightCurve.Target(1, 1, 1, 1, "FLUX"));
    }

    static TransitSearch.Signal signal(double depth) {
        return new TransitSearch.Signal(1, PERIOD, 1001, DURATION, depth, 50, 20, 1, 10);
    }

    @Test
    void aPlanetHasEqualTransitsAndNoSecondary() {
        SignalViews.Views v = SignalViews.of(curve(0.004, 0.004, 0, 1), signal(0.004));
        assertEquals(SignalViews.GLOBAL_BINS, v.global().length);
        assertEquals(SignalViews.LOCAL_BINS, v.local().length);
        assertEquals(-1, v.local()[SignalViews.LOCAL_BINS / 2], 0.15, "the transit's centre is the unit depth");
        assertEquals(0, v.local()[0], 0.1, "the edges of the local view are out of transit");
        assertEquals(-1, java.util.Arrays.stream(v.global()).min().orElseThrow(), 1e-9);
        assertEquals(4000, v.depthPpm(), 200);
        assertTrue(v.oddEvenSigma() < 3, "odd-even " + v.oddEvenSigma());
        assertTrue(Math.abs(v.secondarySigma()) < 3, "secondary " + v.secondarySigma());
        assertEquals(0, v.secondary()[SignalViews.LOCAL_BINS / 2], 0.15);
        assertEquals(SignalViews.SCALARS.length, v.scalars().length);
        assertTrue(v.anySecondary().sigma() < 4.5, "noise's best dip at a free phase " + v.anySecondary());
    }

    @Test
    void aMirroredExampleIsTheSameDipWithTimeReversed() {
        // the eccentric secondary at phase 0.37 sits on one side of the global view; mirrored, on the other
        SignalViews.Views v = SignalViews.of(curve(0.004, 0.004, 0.001, 0.37, 3), signal(0.004));
        SignalViews.Views m = v.mirrored();
        int n = v.global().length;
        int lowest = argMin(v.global(), n / 4, n);   // away from the transit at the centre
        assertEquals(n - 1 - lowest, argMin(m.global(), 0, n - n / 4));
        for (int i = 0; i < v.local().length; i++) {
            assertEquals(v.odd()[i], m.odd()[v.local().length - 1 - i]);
        }
        assertEquals(java.util.Arrays.toString(v.global()), java.util.Arrays.toString(m.mirrored().global()));
        assertEquals(v.scalars(), m.scalars());
    }

    private static int argMin(double[] a, int from, int to) {
        int best = from;
        for (int i = from; i < to; i++) {
            if (Math.abs(i - a.length / 2) > a.length / 8 && a[i] < a[best]) {
                best = i;
            }
        }
        return best;
    }

    @Test
    void anEccentricBinarysSecondaryIsFoundAwayFromPhaseHalf() {
        SignalViews.Views v = SignalViews.of(curve(0.004, 0.004, 0.001, 0.37, 3), signal(0.004));
        assertTrue(Math.abs(v.secondarySigma()) < 3, "nothing at phase 0.5: " + v.secondarySigma());
        assertTrue(v.anySecondary().sigma() > 10, "the secondary at 0.37: " + v.anySecondary());
        assertEquals(0.37, v.anySecondary().phase(), DURATION / PERIOD / 2);
        assertEquals(1000, v.anySecondary().depth() * 1e6, 150);
        int ratio = java.util.List.of(SignalViews.SCALARS).indexOf("any_secondary_ratio");
        assertEquals(0.25, v.scalars()[ratio], 0.05);
    }

    @Test
    void theTransitItselfIsNeverItsOwnSecondary() {
        // the primary's own wings are excluded: a deep transit on a quiet star has no significant dip elsewhere
        SignalViews.Views v = SignalViews.of(curve(0.02, 0.02, 0, 4), signal(0.02));
        double offset = Math.min(v.anySecondary().phase(), 1 - v.anySecondary().phase());
        assertTrue(offset * PERIOD >= SignalViews.PRIMARY_EXCLUSION * DURATION, "at " + v.anySecondary());
        assertTrue(v.anySecondary().sigma() < 4.5, "best dip " + v.anySecondary());
    }

    @Test
    void aBinaryShowsItsSecondaryAndUnequalEclipses() {
        SignalViews.Views v = SignalViews.of(curve(0.006, 0.003, 0.0015, 2), signal(0.0045));
        assertTrue(v.oddEvenSigma() > 10, "odd-even " + v.oddEvenSigma());
        assertTrue(v.secondarySigma() > 10, "secondary " + v.secondarySigma());
        assertEquals(1500, v.secondaryPpm(), 150);
        int mid = SignalViews.LOCAL_BINS / 2;
        assertTrue(v.odd()[mid] < v.even()[mid] - 0.3, "odd " + v.odd()[mid] + " even " + v.even()[mid]);
        // the secondary keeps its size relative to the transit: 1500 / 4500 ppm
        assertEquals(-1500.0 / 4500, v.secondary()[mid], 0.12);
    }
}
