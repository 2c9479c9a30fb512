package org.tessexo.common.lightcurve;

import org.junit.jupiter.api.Test;
import org.tessexo.common.testing.FitsFixtures;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A peak below {@code min-sde} whose transits have data only once is a lone dip, not a period: it is masked and not
 * listed, so that the first place, which is listed whatever its SDE, goes to the strongest periodic signal.
 */
class LoneDipTest {

    /**
     * TOI-216's sector-1 light curve with its two known dips cut out (as the 2-minute recovery bench's host): a
     * single dip left at the sector's start (an edge ramp) came first as a 13.9-day "period" below the threshold, and
     * the transit injected at SNR 9 (the bench's own: 2.396 days, eleven transits) came second, below the threshold
     * too, so it was never listed. Now the transit is the first signal.
     */
    @Test
    void aLoneDipBelowTheThresholdDoesNotTakeTheFirstPlace() throws IOException {
        Path file = FitsFixtures.realData().resolve("hlsp_tess-data-alerts_tess_phot_00055652896-s01_tess_v1_lc.fits");
        TransitSearch search = new TransitSearch(TransitSearch.Settings.defaults());
        LightCurveReader.Result r = new LightCurveReader("PDCSAP_FLUX").read(Files.readAllBytes(file),
                file.getFileName().toString());
        assertTrue(r.ok(), r.reason());
        LightCurve clean = search.clean(r.lightCurve());
        boolean[] keep = new boolean[clean.size()];
        for (int i = 0; i < keep.length; i++) {
            double t = clean.time()[i];
            keep[i] = !(t > 1331.0 && t < 1331.6) && !(t > 1342.2 && t < 1342.7);
        }
        LightCurve host = clean.select(keep);
        double period = 2.39614;
        double epoch = 1326.31887;
        double duration = 2.676 / 24;
        TransitSearch.Result result = ActiveStarRecovery.searchedWith(search, host, 9, period, epoch, duration);
        assertFalse(result.signals().isEmpty());
        TransitSearch.Signal first = result.signals().get(0);
        assertTrue(ActiveStarRecovery.at(first, period, epoch, duration), "first signal " + first);
        for (TransitSearch.Signal s : result.signals()) {
            assertTrue(s.passed() || s.transitsObserved() >= 2, "a lone dip listed below the threshold: " + s);
        }
    }
}
