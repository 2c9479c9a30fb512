package org.tessexo.common.lightcurve;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Our BLS against astropy's {@code BoxLeastSquares} (Debian's python3-astropy, run by bench/bls_astropy.py) on the
 * real WASP-126 light curve as the search prepares it, on the same grid.
 */
class BlsAgainstAstropyTest {

    @Test
    void theSamePeriodogramAsAstropy(@TempDir Path tmp) throws Exception {
        assertTrue(BlsComparison.astropyAvailable(),
                "needs /usr/bin/python3 with astropy: apt-get install -y python3-astropy (.ci/run does)");
        LightCurve lc = BlsComparison.prepared(
                LightCurveReaderTest.read("hlsp_tess-data-alerts_tess_phot_00025155310-s01_tess_v1_lc.fits"));
        // The search's grid, 4x coarser in frequency to keep the test short (18,000 periods x 12 durations).
        TransitSearch.Settings s = TransitSearch.Settings.defaults();
        PeriodGrid grid = PeriodGrid.auto(lc.baseline(), s.minPeriod(), lc.baseline() / 2,
                PeriodGrid.durationsHours(s.minDurationHours(), s.maxDurationHours(), s.durations()), 2, 4.0);
        BlsComparison.Outcome o = BlsComparison.run(lc, grid, s.oversample(), tmp, 1);
        double[] astropy = o.astropyPower();
        int peakAt = argmax(astropy);
        double peak = astropy[peakAt];

        // 1. With astropy's own binning, the same numbers to rounding, at every period.
        BoxLeastSquares.Periodogram same = new BoxLeastSquares(lc.time(), lc.flux(), lc.fluxErr())
                .power(grid, s.oversample(), BoxLeastSquares.Binning.ASTROPY);
        for (int i = 0; i < astropy.length; i++) {
            assertEquals(astropy[i], same.power()[i], 1e-9 * peak, "power at period " + grid.periods()[i]);
            if (astropy[i] > 1e-6 * peak) {
                assertEquals(o.astropyDepth()[i], same.depth()[i], 1e-9, "depth at period " + grid.periods()[i]);
                assertEquals(0, TransitSearch.phase(same.epoch()[i], grid.periods()[i], o.astropyEpoch()[i]), 1e-9);
            }
        }

        // 2. The search's own binning (every box at every phase, the last bin kept): the same peak, and elsewhere
        //    at least astropy's power except where astropy's overwritten last bin happened to help it.
        BoxLeastSquares.Periodogram ours = o.ours();
        assertEquals(peakAt, ours.best(), "the same strongest period");
        assertEquals(peak, ours.power()[peakAt], 1e-9 * peak);
        int below = 0;
        for (int i = 0; i < astropy.length; i++) {
            double d = ours.power()[i] - astropy[i];
            assertTrue(d > -0.005 * peak, "period " + grid.periods()[i] + ": " + ours.power()[i] + " vs " + astropy[i]);
            below += d < -1e-9 * peak ? 1 : 0;
        }
        assertTrue(below < astropy.length / 20, below + " of " + astropy.length + " periods below astropy's power");
        System.out.printf("BLS vs astropy: %d periods, peak %.5f d; astropy binning max |diff| %.2g of the peak; "
                        + "full binning: %d periods below astropy (at most 0.5%% of the peak)%n", astropy.length,
                grid.periods()[peakAt], maxDiff(astropy, same.power()) / peak, below);
    }

    private static int argmax(double[] a) {
        int b = 0;
        for (int i = 1; i < a.length; i++) {
            if (a[i] > a[b]) {
                b = i;
            }
        }
        return b;
    }

    private static double maxDiff(double[] a, double[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }
}
