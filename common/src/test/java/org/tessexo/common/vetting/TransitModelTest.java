package org.tessexo.common.vetting;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The transit model against the closed forms of Mandel and Agol (2002). */
class TransitModelTest {

    /** Mandel and Agol's eq. (1): the light a uniform disk loses to a dark one. */
    static double uniform(double p, double z) {
        if (z >= 1 + p) {
            return 0;
        }
        if (z <= p - 1) {
            return 1;
        }
        if (z <= 1 - p) {
            return p * p;
        }
        double k0 = Math.acos((p * p + z * z - 1) / (2 * p * z));
        double k1 = Math.acos((1 - p * p + z * z) / (2 * z));
        return (p * p * k0 + k1 - Math.sqrt((4 * z * z - Math.pow(1 + z * z - p * p, 2)) / 4)) / Math.PI;
    }

    @Test
    void aUniformStarMatchesEquationOne() {
        double worst = 0;
        for (double p : new double[] {0.01, 0.05, 0.1, 0.3, 0.7}) {
            for (double z = 0; z < 1 + p + 0.05; z += 0.013) {
                worst = Math.max(worst, Math.abs(TransitModel.blocked(z, p, 0, 0) - uniform(p, z)));
            }
        }
        assertTrue(worst < 2e-6, "largest difference " + worst);
    }

    @Test
    void aCentralTransitOfALimbDarkenedStarMatchesTheClosedForm() {
        // integral of I over the disk's centre of radius p, with mu = sqrt(1 - r^2): exact for the quadratic law
        for (double[] c : new double[][] {{0.1, 0.4, 0.26}, {0.05, 0.6, 0.1}, {0.2, 0.3, 0.3}}) {
            double p = c[0];
            double u1 = c[1];
            double u2 = c[2];
            double mp = Math.sqrt(1 - p * p);
            double a = 1 - mp * mp;
            double b = (1 - 2.0 / 3) - (mp * mp - 2 * mp * mp * mp / 3);
            double d = (1 - 4.0 / 3 + 0.5) - (mp * mp - 4 * Math.pow(mp, 3) / 3 + Math.pow(mp, 4) / 2);
            double expected = (a - u1 * b - u2 * d) / (1 - u1 / 3 - u2 / 6);
            assertEquals(expected, TransitModel.blocked(0, p, u1, u2), 1e-7, "p=" + p);
        }
    }

    @Test
    void theSmallPlanetLimitIsTheLocalBrightness() {
        // Mandel and Agol section 5: a small planet blocks p^2 I(z) / (the mean brightness)
        double p = 0.005;
        for (double z : new double[] {0, 0.3, 0.6, 0.9}) {
            double mu = Math.sqrt(1 - z * z);
            double local = 1 - 0.4 * (1 - mu) - 0.25 * (1 - mu) * (1 - mu);
            double expected = p * p * local / (1 - 0.4 / 3 - 0.25 / 6);
            assertEquals(expected, TransitModel.blocked(z, p, 0.4, 0.25), expected * 2e-3, "z=" + z);
        }
    }

    @Test
    void limbDarkeningMakesTheTransitRoundAndTheEdgeShallower() {
        double centre = TransitModel.blocked(0, 0.1, 0.5, 0.2);
        double nearLimb = TransitModel.blocked(0.85, 0.1, 0.5, 0.2);
        assertTrue(centre > 0.01, "deeper than p^2 at the centre: " + centre);
        assertTrue(nearLimb < 0.01, "shallower near the limb: " + nearLimb);
        assertEquals(1, TransitModel.blocked(0, 2, 0.5, 0.2), 1e-9, "a disk larger than the star blocks it all");
        assertEquals(0, TransitModel.blocked(1.2, 0.1, 0.5, 0.2), 0, "no overlap");
    }

    @Test
    void keplersThirdLawAndTheDuration() {
        // the Earth: a/R = 215 around a 1.41 g/cm^3 Sun; a hot Jupiter: 13 h at 3 days, a/R ~ 8.5
        assertEquals(215, TransitModel.aOverR(365.25, 1.41), 1);
        double a = TransitModel.aOverR(3, 1.41);
        assertEquals(8.5, a, 0.3);
        double hours = TransitModel.duration(3, a, 0.1, 0) * 24;
        assertEquals(3 / Math.PI * Math.asin(1.1 / a) * 24, hours, 1e-9);
        assertTrue(hours > 2.5 && hours < 3.5, hours + " h");
        double[] t = {0, 0.01, 1.5};
        double[] f = TransitModel.planet(t, 3, 0, a, 0.1, 0, 0.4, 0.25);
        assertTrue(f[0] < 0.99 && f[1] < 0.99, "in transit at t0");
        assertEquals(1, f[2], 0, "the planet is behind the star at phase 0.5");
    }
}
