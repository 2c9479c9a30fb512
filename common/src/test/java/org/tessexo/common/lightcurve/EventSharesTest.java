package org.tessexo.common.lightcurve;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EventSharesTest {
    private static final double CADENCE = 2.0 / 1440;
    private static final double PERIOD = 3.0;
    private static final double EPOCH = 1.0;
    private static final double DURATION = 0.12;

    /** Twenty days of 2-minute cadences at 1 with white noise of {@code sigma}. */
    private static double[][] quiet(double sigma, long seed) {
        int n = (int) (20 / CADENCE);
        double[] t = new double[n];
        double[] f = new double[n];
        Random rnd = new Random(seed);
        for (int i = 0; i < n; i++) {
            t[i] = i * CADENCE;
            f[i] = 1 + sigma * rnd.nextGaussian();
        }
        return new double[][] {t, f};
    }

    private static void dip(double[][] lc, double centre, double depth) {
        for (int i = 0; i < lc[0].length; i++) {
            if (Math.abs(lc[0][i] - centre) < DURATION / 2) {
                lc[1][i] -= depth;
            }
        }
    }

    @Test
    void aTrainOfEqualTransitsSharesItsDepth() {
        double[][] lc = quiet(1e-3, 1);
        for (double c = EPOCH; c < 20; c += PERIOD) {
            dip(lc, c, 1e-3); // seven transits, each at SNR 9 over its 86 cadences
        }
        double share = EventShares.of(lc[0], lc[1], null, PERIOD, EPOCH, DURATION).share();
        assertEquals(1, share, 0.15);
        assertFalse(EventShares.carriedByOne(lc[0], lc[1], null, PERIOD, EPOCH, DURATION));
    }

    @Test
    void oneDeepDipAmongFlatWindowsCarriesThePeriod() {
        double[][] lc = quiet(1e-3, 2);
        dip(lc, EPOCH + 2 * PERIOD, 5e-3);
        double share = EventShares.of(lc[0], lc[1], null, PERIOD, EPOCH, DURATION).share();
        assertEquals(0, share, 0.15);
        assertTrue(EventShares.carriedByOne(lc[0], lc[1], null, PERIOD, EPOCH, DURATION));
    }

    @Test
    void aShallowerDipOfItsOwnIsASecondEventNotNoise() {
        double[][] lc = quiet(1e-3, 4);
        dip(lc, EPOCH + PERIOD, 2e-2); // one deep transit (a long-period planet's) ...
        dip(lc, EPOCH + 4 * PERIOD, 3e-3); // ... and another planet's, shallower, at SNR 28 on its own
        EventShares.Shares shares = EventShares.of(lc[0], lc[1], null, PERIOD, EPOCH, DURATION);
        assertTrue(shares.share() < EventShares.MIN_REST_SHARE, shares.toString());
        assertEquals(3e-3 / 1e-3 * Math.sqrt(86) / Math.sqrt(6), shares.restSnr(), 2.5, shares.toString());
        assertFalse(shares.carriedByOne(), shares.toString());
    }

    @Test
    void twoEqualTransitsAreATrainAndMaskedOnesDoNotCount() {
        double[][] lc = quiet(1e-4, 3);
        dip(lc, EPOCH, 1e-3);
        dip(lc, EPOCH + PERIOD, 1e-3);
        boolean[] usable = new boolean[lc[0].length];
        for (int i = 0; i < usable.length; i++) {
            usable[i] = lc[0][i] < EPOCH + 1.5 * PERIOD; // the later windows masked (by an earlier signal)
        }
        assertEquals(1, EventShares.of(lc[0], lc[1], usable, PERIOD, EPOCH, DURATION).share(), 0.05);
        // every window: five flat ones join the two dips; the rest (a dip and five flat) holds a sixth of a dip's
        // depth where the signal's mean is two sevenths of it
        assertEquals(7.0 / 12, EventShares.of(lc[0], lc[1], null, PERIOD, EPOCH, DURATION).share(), 0.05);
        for (int i = 0; i < usable.length; i++) {
            usable[i] = lc[0][i] < EPOCH + 0.5 * PERIOD; // one transit with data: no share to speak of
        }
        assertTrue(Double.isNaN(EventShares.of(lc[0], lc[1], usable, PERIOD, EPOCH, DURATION).share()));
        assertFalse(EventShares.carriedByOne(lc[0], lc[1], usable, PERIOD, EPOCH, DURATION));
    }
}
