package org.tessexo.common.photometry;

import org.junit.jupiter.api.Test;
import org.tessexo.common.lightcurve.LightCurve;
import org.tessexo.common.lightcurve.PixelCubes;
import org.tessexo.common.lightcurve.TransitSearch;
import org.tessexo.common.testing.FitsFixtures;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The FFI photometry on real pixel cubes: TGLC's 5 x 5 cubes of TOI-519 (an 11% transit every 1.2652338 d, an M
 * dwarf of Tmag 14.5) in sectors 7 and 8, and a TESScut cutout.
 */
class CubePhotometryTest {
    static final double TOI_519_B = 1.2652338;

    static Path tglc(String sector) {
        return FitsFixtures.realPhotometry().resolve("tglc/hlsp_tglc_tess_ffi_gaiaid-5707485527450614656-" + sector
                + "_tess_v2_llc.fits");
    }

    static LightCurve lightCurve(Path file) throws Exception {
        PixelCubes.Cube cube = PixelCubes.read(Files.readAllBytes(file), file.getFileName().toString());
        assertTrue(cube.ok(), cube.reason() + ": " + cube.detail());
        CubePhotometry.Result r = CubePhotometry.measure(cube.planes(), cube.time(), cube.quality(),
                cube.exposureSeconds(), new double[] {1.0, 1.5, 2.0, 2.5, 3.0});
        assertEquals("", r.problem());
        return new LightCurve(cube.time(), r.flux(), r.error(), cube.quality(), cube.target());
    }

    @Test
    void toi519bFromTheRawPixelsOfEachSector() throws Exception {
        for (String sector : new String[] {"s0007-cam2-ccd3", "s0008-cam2-ccd4"}) {
            LightCurve lc = lightCurve(tglc(sector));
            assertEquals("TIC 218795833", lc.target().name());
            TransitSearch.Result r = new TransitSearch(TransitSearch.Settings.defaults()).search(lc);
            // recovered: a signal that passes search.min-sde at the period (in sector 8 a ramp at the edge of the
            // mid-sector gap comes first, below the threshold, as it does in TGLC's own cal_aper_flux)
            TransitSearch.Signal b = r.signals().stream().filter(TransitSearch.Signal::passed)
                    .filter(s -> Math.abs(s.period() - TOI_519_B) < 0.001 * TOI_519_B).findFirst().orElse(null);
            assertTrue(b != null, sector + ": " + r.signals());
            System.out.printf(Locale.ROOT, "%s: P %.5f d (%.3f%% off), depth %.0f ppm, SNR %.1f, SDE %.1f%n", sector,
                    b.period(), 100 * Math.abs(b.period() / TOI_519_B - 1), b.depth() * 1e6, b.snr(), b.sde());
            // 11% in the catalog; an aperture holds the light of neighbours too (TGLC's PSF fit takes them out)
            assertTrue(b.depth() > 0.04 && b.depth() < 0.15, "an 11% transit (box depth): " + b.depth());
        }
    }

    @Test
    void aTesscutCutoutIsMeasuredToo() throws Exception {
        Path file = FitsFixtures.realData().resolve("tess-s0001-4-2_84.291190_-80.469170_6x6_astrocut.fits");
        PixelCubes.Cube cube = PixelCubes.read(Files.readAllBytes(file), file.getFileName().toString());
        assertTrue(cube.ok(), cube.reason() + ": " + cube.detail());
        assertEquals("pixel table", cube.kind());
        CubePhotometry.Result r = CubePhotometry.measure(cube.planes(), cube.time(), cube.quality(),
                cube.exposureSeconds(), new double[] {1.0, 1.5, 2.0});
        assertEquals("", r.problem());
        long finite = java.util.Arrays.stream(r.flux()).filter(Double::isFinite).count();
        assertTrue(finite > 0.8 * r.flux().length, finite + " of " + r.flux().length);
        assertTrue(Math.abs(r.star().x() - 2.5) <= 1.5 && Math.abs(r.star().y() - 2.5) <= 1.5, r.star().toString());
    }

    @Test
    void aLightCurveWithoutPixelsIsNoCube() throws Exception {
        Path file = FitsFixtures.realPhotometry().resolve(
                "tglc/hlsp_tglc_tess_ffi_gaiaid-6399196263939178880-s0001-cam2-ccd1_tess_v1_llc.fits");
        PixelCubes.Cube cube = PixelCubes.read(Files.readAllBytes(file), file.getFileName().toString());
        assertEquals(PixelCubes.NO_CUBE, cube.reason());
    }
}
