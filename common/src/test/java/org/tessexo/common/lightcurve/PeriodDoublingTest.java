package org.tessexo.common.lightcurve;

import org.junit.jupiter.api.Test;
import org.tessexo.common.testing.FitsFixtures;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A peak at half the period moves to the period when the transits are every other fold's, and stays where it is when
 * they are every fold's ({@link TransitSearch#atTwiceThePeriod}); on real data, a hot Jupiter in a month of 1-minute
 * Kepler cadences is found at its period, not at half of it.
 */
class PeriodDoublingTest {
    private static final double PERIOD = 3.1;
    private static final double EPOCH = 1.3;
    private static final double DURATION = 3.0 / 24;
    private static final double DEPTH = 3e-3;

    /** 27 days of 30-minute cadences, white noise of 1e-3, a primary every 3.1 days and a dip half a period later. */
    private static LightCurve eclipses(double secondaryOverPrimary) {
        int n = 1296;
        double[] t = new double[n];
        double[] f = new double[n];
        Random rnd = new Random(11);
        for (int i = 0; i < n; i++) {
            t[i] = i / 48.0;
            double ph = TransitSearch.phase(t[i], PERIOD, EPOCH);
            double half = TransitSearch.phase(t[i], PERIOD, EPOCH + PERIOD / 2);
            f[i] = 1 + 1e-3 * rnd.nextGaussian() - (Math.abs(ph) < DURATION / 2 ? DEPTH : 0)
                    - (Math.abs(half) < DURATION / 2 ? secondaryOverPrimary * DEPTH : 0);
        }
        return new LightCurve(t, f, new double[n], new int[n], new LightCurve.Target(1, 1, 1, 1, "doubling"));
    }

    /** The period the check leaves of the refined peak at half the period. */
    private static double checked(double secondaryOverPrimary) {
        LightCurve lc = eclipses(secondaryOverPrimary);
        TransitSearch search = new TransitSearch(TransitSearch.Settings.defaults().toBuilder().whitenHours(0).build());
        PeriodGrid grid = search.grid(27);
        BoxLeastSquares bls = new BoxLeastSquares(lc.time(), lc.flux(), lc.fluxErr());
        double[] near = new double[TransitSearch.REFINE_STEPS];
        for (int i = 0; i < near.length; i++) {
            near[i] = PERIOD / 2 * (1 + 0.002 * (i - near.length / 2) / near.length);
        }
        BoxLeastSquares.Periodogram half = bls.power(new PeriodGrid(near, grid.durations()), 2);
        assertEquals(PERIOD / 2, half.periods()[half.best()], 0.002 * PERIOD, "the peak handed to the check");
        BoxLeastSquares.Periodogram out = search.atTwiceThePeriod(bls, half, grid, 0, null);
        return out.periods()[out.best()];
    }

    @Test
    void transitsEveryOtherFoldMoveToTwiceThePeriod() {
        assertEquals(PERIOD, checked(0), 0.002 * PERIOD);
        // a binary's shallow secondary: 0.2 of the primary, under the 0.41 where the powers cross
        assertEquals(PERIOD, checked(0.2), 0.002 * PERIOD);
    }

    @Test
    void transitsEveryFoldStayAtTheirPeriod() {
        // equal dips every half period: the period is the half
        assertEquals(PERIOD / 2, checked(1), 0.002 * PERIOD);
        // a secondary of 0.8 of the primary: twice the period holds less power than its half
        assertEquals(PERIOD / 2, checked(0.8), 0.002 * PERIOD);
    }

    @Test
    void aHotJupiterInOneMinuteKeplerDataIsFoundAtItsPeriod() throws IOException {
        byte[] bytes = Files.readAllBytes(FitsFixtures.realPhotometry().resolve(
                "kepler/kplr010666592-2009131110544_slc.fits"));
        LightCurveReader.Result r = new LightCurveReader("PDCSAP_FLUX").read(bytes, "HAT-P-7");
        assertTrue(r.ok(), r.reason());
        TransitSearch.Result found = new TransitSearch(TransitSearch.Settings.defaults()).search(r.lightCurve());
        assertTrue(found.ok(), found.reason());
        TransitSearch.Signal b = found.signals().get(0);
        // HAT-P-7 b: 2.2047354 days (the NASA Exoplanet Archive's Kepler period)
        assertEquals(2.2047354, b.period(), 2.2047354 * 0.001, "period within 0.1%: " + b);
    }
}
