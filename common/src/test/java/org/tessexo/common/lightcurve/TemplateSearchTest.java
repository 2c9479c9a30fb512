package org.tessexo.common.lightcurve;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The limb-darkened template against the box: each wins on its own shape, and the template measures depth. */
class TemplateSearchTest {
    private static final double PERIOD = 3.17;
    private static final double EPOCH = 1326.4;
    private static final double DURATION = 3.0 / 24;

    /** Quadratic limb darkening (u1 0.40, u2 0.25), a tenth of the duration in ingress: depth 1 at the centre. */
    private static double limb(double fromCentre) {
        return BoxLeastSquares.limbDarkenedProfile(fromCentre / (DURATION / 2));
    }

    /** 2-minute cadences over a sector, white noise, transits of {@code depth} at the centre. */
    private static double[][] lightCurve(boolean limbDarkened, double depth, double noise, long seed) {
        int n = 27 * 720;
        double[] t = new double[n];
        double[] f = new double[n];
        double[] e = new double[n];
        Random r = new Random(seed);
        for (int i = 0; i < n; i++) {
            t[i] = 1325 + i / 720.0;
            double x = Math.abs(TransitSearch.phase(t[i], PERIOD, EPOCH));
            double shape = limbDarkened ? limb(x) : x < DURATION / 2 ? 1 : 0;
            f[i] = 1 - depth * shape + noise * r.nextGaussian();
            e[i] = noise;
        }
        return new double[][] {t, f, e};
    }

    private static BoxLeastSquares.Periodogram atTruePeriod(double[][] lc, BoxLeastSquares.Shape shape) {
        PeriodGrid grid = new PeriodGrid(new double[] {PERIOD}, PeriodGrid.durationsHours(1, 6, 12));
        return new BoxLeastSquares(lc[0], lc[1], lc[2]).power(grid, 10, BoxLeastSquares.Binning.FULL, 0.15, 0, false,
                shape);
    }

    @Test
    void theTemplatesLevelsAverageToOneAndFallTowardsTheLimb() {
        double[] l = BoxLeastSquares.RING_LEVELS;
        double mean = 0;
        double prevWidth = 0;
        for (int r = l.length - 1; r >= 0; r--) {
            mean += l[r] * (BoxLeastSquares.RING_WIDTHS[r] - prevWidth);
            prevWidth = BoxLeastSquares.RING_WIDTHS[r];
        }
        assertEquals(1, mean, 1e-6);
        assertTrue(l[0] < l[1] && l[1] < l[2], "the limb is darker than the centre");
    }

    @Test
    void withoutNoiseTheTemplateFindsTheEpochDurationAndMeanDepth() {
        double[][] lc = lightCurve(true, 0.01, 1e-6, 1);
        BoxLeastSquares.Periodogram pg = atTruePeriod(lc, BoxLeastSquares.Shape.LIMB_DARKENED);
        assertEquals(0, TransitSearch.phase(pg.epoch()[0], PERIOD, EPOCH), 0.05 * DURATION);
        assertEquals(DURATION, pg.duration()[0], 0.2 * DURATION);
        // the template's depth is its mean depth over the transit: the profile's mean, 0.01 x 0.87
        double mean = 0;
        for (int i = 0; i < 1000; i++) {
            mean += limb((i + 0.5) / 1000 * DURATION / 2) / 1000;
        }
        assertEquals(0.01 * mean, pg.depth()[0], 0.05 * 0.01 * mean);
    }

    @Test
    void eachShapeHasTheHigherSnrOnItsOwnKindOfTransit() {
        // a matched filter gains sqrt(mean(s^2)) / mean(s) on its own shape: a few per cent here, so averaged
        double onLimb = 0;
        double onBoxes = 0;
        int trials = 20;
        for (int seed = 0; seed < trials; seed++) {
            double[][] limbLc = lightCurve(true, 1.2e-3, 1e-3, 100 + seed);
            double[][] boxLc = lightCurve(false, 1e-3, 1e-3, 200 + seed);
            onLimb += atTruePeriod(limbLc, BoxLeastSquares.Shape.LIMB_DARKENED).snr(0)
                    / atTruePeriod(limbLc, BoxLeastSquares.Shape.BOX).snr(0) / trials;
            onBoxes += atTruePeriod(boxLc, BoxLeastSquares.Shape.LIMB_DARKENED).snr(0)
                    / atTruePeriod(boxLc, BoxLeastSquares.Shape.BOX).snr(0) / trials;
        }
        // measured: 1.0007 and 0.9932. A box of the right shorter width catches most of a limb-darkened dip (the
        // template's best case is sqrt(mean(s^2)) = 1.019 against a box as long as the transit)
        assertTrue(onLimb > 0.999, "the template at least as good as a box on limb-darkened transits: " + onLimb);
        assertTrue(onBoxes < 0.997, "box better on boxes: " + onBoxes);
        assertTrue(onLimb - onBoxes > 0.004, "the template gains on its own shape: " + onLimb + " vs " + onBoxes);
    }
}
