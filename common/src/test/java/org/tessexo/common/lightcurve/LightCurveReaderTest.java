package org.tessexo.common.lightcurve;

import org.junit.jupiter.api.Test;
import org.tessexo.common.testing.FitsFixtures;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reading the real TESS light curves, target pixel files and cutouts of ../shared/data/tess. */
class LightCurveReaderTest {
    private final LightCurveReader reader = new LightCurveReader("PDCSAP_FLUX");

    static LightCurve read(String name) throws IOException {
        LightCurveReader.Result r = new LightCurveReader("PDCSAP_FLUX")
                .read(Files.readAllBytes(FitsFixtures.realData().resolve(name)));
        assertTrue(r.ok(), name + ": " + r.reason() + " " + r.detail());
        return r.lightCurve();
    }

    @Test
    void aSpocLightCurveGivesTimeFluxErrorQualityAndTheTarget() throws IOException {
        LightCurve lc = read("hlsp_tess-data-alerts_tess_phot_00025155310-s01_tess_v1_lc.fits");
        assertEquals(20076, lc.size());
        assertEquals(new LightCurve.Target(25155310L, 1, 4, 1, "PDCSAP_FLUX"), lc.target());
        assertEquals(1325.29, lc.time()[0], 0.01);
        assertTrue(lc.baseline() > 27 && lc.baseline() < 28.5, "baseline " + lc.baseline());
        int finite = 0;
        int flagged = 0;
        for (int i = 0; i < lc.size(); i++) {
            finite += Double.isFinite(lc.flux()[i]) ? 1 : 0;
            flagged += lc.quality()[i] != 0 ? 1 : 0;
            if (i > 0 && Double.isFinite(lc.time()[i]) && Double.isFinite(lc.time()[i - 1])) {
                assertTrue(lc.time()[i] > lc.time()[i - 1], "time increases at " + i);
            }
        }
        assertTrue(finite > 18000, finite + " finite fluxes");
        assertTrue(flagged > 0, "some cadences are flagged");
        LightCurve sap = new LightCurveReader("SAP_FLUX")
                .read(Files.readAllBytes(FitsFixtures.realData()
                        .resolve("hlsp_tess-data-alerts_tess_phot_00025155310-s01_tess_v1_lc.fits"))).lightCurve();
        assertEquals("SAP_FLUX", sap.target().fluxColumn());
        assertFalse(java.util.Arrays.equals(sap.flux(), lc.flux()));
    }

    @Test
    void aTargetPixelFileGivesAperturePhotometry() throws IOException {
        LightCurve lc = read("tess25155310-s01-first-cadences.fits.gz");
        assertEquals(5, lc.size());
        assertEquals(25155310L, lc.target().tic());
        assertTrue(lc.target().fluxColumn().startsWith("SAP("), lc.target().fluxColumn());
        for (int i = 0; i < lc.size(); i++) {
            // WASP-126 is a T = 10.6 star: thousands of e-/s in its aperture
            assertTrue(lc.flux()[i] > 1000 && lc.flux()[i] < 1e6, "flux " + lc.flux()[i]);
            assertTrue(lc.fluxErr()[i] > 0 && lc.fluxErr()[i] < lc.flux()[i] / 100);
        }
    }

    @Test
    void tesscutCutoutsWithoutAMarkedApertureUseTheBrightestPixels() throws IOException {
        LightCurve one = read("test-tpf-tesscut_1x1.fits");
        assertEquals(1289, one.size());
        assertEquals(12, one.target().sector());
        assertEquals("SAP(1 px)", one.target().fluxColumn());
        LightCurve six = read("tess-s0001-4-2_84.291190_-80.469170_6x6_astrocut.fits");
        assertEquals(50, six.size());
        assertEquals("SAP(9 px)", six.target().fluxColumn());
    }

    @Test
    void aLightCurveCutInItsTableIsUnreadableNotTableless() throws IOException {
        byte[] whole = Files.readAllBytes(FitsFixtures.realData()
                .resolve("hlsp_tess-data-alerts_tess_phot_00025155310-s01_tess_v1_lc.fits"));
        LightCurveReader.Result cut = reader.read(java.util.Arrays.copyOf(whole, whole.length / 2));
        assertEquals(LightCurveReader.UNREADABLE, cut.reason(), cut.detail());
        assertTrue(cut.detail().startsWith("HDU 1 unreadable"), cut.detail());
    }

    @Test
    void filesWithoutATableAreSkippedAndGarbageIsUnreadable(@org.junit.jupiter.api.io.TempDir Path tmp) {
        byte[] image = FitsFixtures.bytes(FitsFixtures.image(FitsFixtures.ramp(40, 40), null, null));
        assertEquals(LightCurveReader.NO_TABLE, reader.read(image).reason());
        assertEquals(LightCurveReader.UNREADABLE, reader.read("not a fits file at all".getBytes()).reason());
        assertEquals(LightCurveReader.UNREADABLE, reader.read(new byte[0]).reason());
    }
}
