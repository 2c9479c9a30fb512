package org.tessexo.common.lightcurve;

import org.junit.jupiter.api.Test;
import org.tessexo.common.testing.FitsFixtures;
import org.tessexo.common.vetting.Injector;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The flare clip takes a clipped cadence's neighbours with it while they still stand 2 sigma above the star: a
 * flare's decay and the edges of a binary's eclipse turned over are not left in the light curve searched.
 */
class FlareTailTest {
    private static final double CADENCE = 1.0 / 48;

    private record Flare(double start, double amplitude, double decay) {
    }

    @Test
    void aFlaresDecayGoesWithItsPeakAndTheQuietCadencesStay() {
        Random rnd = new Random(11);
        int n = (int) (27 / CADENCE);
        double sigma = 1e-3;
        double[] t = new double[n];
        double[] f = new double[n];
        double[] excess = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = 1600 + i * CADENCE;
            f[i] = 1 + sigma * rnd.nextGaussian();
        }
        // about a flare a day: peaks of 8 to 50 sigma, decays of 10 to 60 minutes (an M dwarf at 30-minute cadence)
        Flare[] flares = new Flare[25];
        for (int k = 0; k < flares.length; k++) {
            flares[k] = new Flare(1600.5 + k * 1.05 + 0.3 * rnd.nextDouble(), sigma * (8 + 42 * rnd.nextDouble()),
                    (10 + 50 * rnd.nextDouble()) / 1440);
            for (int i = 0; i < n; i++) {
                if (t[i] >= flares[k].start()) {
                    excess[i] += flares[k].amplitude() * Math.exp(-(t[i] - flares[k].start()) / flares[k].decay());
                }
            }
        }
        for (int i = 0; i < n; i++) {
            f[i] += excess[i];
        }
        LightCurve lc = new LightCurve(t, f, filled(n, sigma), new int[n], new LightCurve.Target(1, 1, 1, 1,
                "PDCSAP_FLUX"));
        LightCurve searched = new TransitSearch(TransitSearch.Settings.defaults()).prepare(lc).detrended();
        int decayKept = 0;
        int quiet = 0;
        int quietKept = 0;
        java.util.Set<Double> kept = new java.util.HashSet<>();
        for (double x : searched.time()) {
            kept.add(x);
        }
        for (int i = 0; i < n; i++) {
            if (excess[i] > 4 * sigma && kept.contains(t[i])) {
                decayKept++; // a flare's light 4 sigma above the star, searched as if it were the star's
            }
            if (excess[i] < 0.1 * sigma) {
                quiet++;
                quietKept += kept.contains(t[i]) ? 1 : 0;
            }
        }
        assertEquals(0, decayKept, "cadences of a flare's decay left in the light curve searched");
        assertTrue(quietKept > 0.995 * quiet, "quiet cadences kept: " + quietKept + " of " + quiet);
    }

    /**
     * A real binary turned over (TESSellator TIC 120684604, 2.19 days; inverted as the recovery bench does): its
     * eclipses become brightenings that the clip drops, but their edges stood below the clip and left a signal at the
     * binary's period above the transit injected at SNR 12 (the bench's own injection of that host: 8.61 days, three
     * transits). With the edges gone the transit is the first signal.
     */
    @Test
    void theEdgesOfABinarysEclipsesTurnedOverDoNotHideATransit() throws IOException {
        Path file = FitsFixtures.realPhotometry().resolve("tessellator").resolve("TIC120684604.fits");
        TransitSearch search = new TransitSearch(TransitSearch.Settings.defaults());
        LightCurveReader.Result r = new LightCurveReader("PDCSAP_FLUX").read(Files.readAllBytes(file),
                file.getFileName().toString());
        assertTrue(r.ok(), r.reason());
        LightCurve host = Injector.inverted(search.clean(r.lightCurve()));
        double period = 8.60880;
        double epoch = 1686.20004;
        double duration = 4.099 / 24;
        TransitSearch.Result result = ActiveStarRecovery.searchedWith(search, host, 12, period, epoch, duration);
        assertFalse(result.signals().isEmpty());
        TransitSearch.Signal first = result.signals().get(0);
        assertTrue(ActiveStarRecovery.at(first, period, epoch, duration), "first signal " + first);
        for (TransitSearch.Signal s : result.signals()) {
            assertTrue(Math.abs(s.period() / 2.1890973 - 1) > 0.01, "the binary's period: " + s);
        }
    }

    private static double[] filled(int n, double v) {
        double[] a = new double[n];
        java.util.Arrays.fill(a, v);
        return a;
    }
}
