package org.tessexo.common.lightcurve;

import org.junit.jupiter.api.Test;
import org.tessexo.common.testing.FitsFixtures;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every light-curve format a user has, read from the real files of {@code ../shared/data/real} and
 * {@code ../shared/data/tess}: the flux column taken, the target's name, and the times put into BTJD from the file's
 * own system (checked against the catalog epochs of the MANIFEST).
 */
class LightCurveFormatsTest {
    private final LightCurveReader reader = new LightCurveReader("PDCSAP_FLUX");

    private LightCurveReader.Result read(Path file) throws IOException {
        return reader.read(Files.readAllBytes(file), file.getFileName().toString());
    }

    private LightCurve ok(Path file) throws IOException {
        LightCurveReader.Result r = read(file);
        assertTrue(r.ok(), file.getFileName() + ": " + r.reason() + " " + r.detail());
        return r.lightCurve();
    }

    private static Path real(String name) {
        return FitsFixtures.realPhotometry().resolve(name);
    }

    /** Finite times within [lo, hi] BTJD. */
    private static void timesWithin(LightCurve lc, double lo, double hi) {
        for (double t : lc.time()) {
            if (Double.isFinite(t)) {
                assertTrue(t >= lo && t <= hi, lc.target().name() + ": time " + t + " outside BTJD " + lo + "-" + hi);
            }
        }
    }

    @Test
    void everyFitsFileOfTheRealSetIsALightCurve() throws IOException {
        List<String> failed = new ArrayList<>();
        int n = 0;
        try (Stream<Path> files = Files.walk(FitsFixtures.realPhotometry())) {
            for (Path f : files.filter(p -> p.toString().endsWith(".fits")).sorted().toList()) {
                n++;
                LightCurveReader.Result r = read(f);
                if (!r.ok() || r.lightCurve().target().name().isEmpty()) {
                    failed.add(f.getFileName() + ": " + r.reason() + " " + r.detail());
                }
            }
        }
        assertTrue(n >= 330, n + " FITS files");
        assertEquals(List.of(), failed, "of " + n);
    }

    @Test
    void lightkurveToFitsReadsFluxAndNamesTheTic() throws IOException {
        LightCurve lc = ok(real("tessellator/TIC120251815.fits"));
        assertEquals("FLUX", lc.target().fluxColumn());
        assertEquals("TIC 120251815", lc.target().name());
        assertEquals(120251815L, lc.target().tic());
        assertEquals(14, lc.target().sector());
        assertEquals(1220, lc.size());
        timesWithin(lc, 1683.3, 1710.2); // INDEX.tsv's t_start and t_end
    }

    @Test
    void keplerTimesAreBkjdAndTheTargetAKic() throws IOException {
        // Kepler's own file: BJDREFI = 2454833. TrES-2 b transits at BKJD 122.763 + n x 2.47061.
        LightCurve lc = ok(real("kepler/kplr011446443-2009131110544_slc.fits"));
        assertEquals("KIC 11446443", lc.target().name());
        assertEquals(TimeSystem.BKJD, lc.target().timeSystem());
        assertEquals("PDCSAP_FLUX", lc.target().fluxColumn());
        timesWithin(lc, 120 - 2167, 131 - 2167);
        // lightkurve's to_fits() of a Kepler quarter: no BJDREFI, TUNIT1 = 'bkjd'
        LightCurve lk = ok(real("kepler/10797460.fits"));
        assertEquals("KIC 10797460", lk.target().name());
        assertEquals(TimeSystem.BKJD, lk.target().timeSystem());
        assertEquals("FLUX", lk.target().fluxColumn());
        assertTrue(lk.time()[0] < -1000, "BKJD made BTJD: " + lk.time()[0]);
    }

    @Test
    void tglcColumnsAreFoundWhateverTheirCase() throws IOException {
        LightCurve lc = ok(real("tglc/hlsp_tglc_tess_ffi_gaiaid-5707485527450614656-s0007-cam2-ccd3_tess_v2_llc.fits"));
        assertEquals("cal_psf_flux", lc.target().fluxColumn());
        assertEquals("TIC 218795833", lc.target().name());
        assertEquals(1093, lc.size());
        timesWithin(lc, 1490, 1518); // sector 7
        LightCurve aper = new LightCurveReader("CAL_APER_FLUX").read(Files.readAllBytes(real(
                "tglc/hlsp_tglc_tess_ffi_gaiaid-5707485527450614656-s0007-cam2-ccd3_tess_v2_llc.fits")), "x.fits")
                .lightCurve();
        assertEquals("cal_aper_flux", aper.target().fluxColumn());
        assertFalse(java.util.Arrays.equals(aper.flux(), lc.flux()));
    }

    @Test
    void eleanorReadsCorrFlux() throws IOException {
        LightCurve lc = ok(FitsFixtures.realData().resolve("test-lc-tess-pimen_s1_eleanor_full-100-cadences.fits"));
        assertEquals("CORR_FLUX", lc.target().fluxColumn());
        assertEquals(100, lc.size());
        timesWithin(lc, 1325, 1354);
    }

    @Test
    void textTablesWithAndWithoutHeaders() throws IOException {
        // '# #BJD_TDB,flux,flux_err': a commented header, full BJD
        LightCurve toi540 = ok(real("TIC_200322593_spoc_pdcsap.csv"));
        assertEquals("TIC 200322593", toi540.target().name());
        assertEquals(TimeSystem.BJD, toi540.target().timeSystem());
        assertEquals(48244, toi540.size());
        timesWithin(toi540, 1410.9, 1490.1);
        assertTrue(toi540.fluxErr()[0] > 0.002 && toi540.fluxErr()[0] < 0.003);
        // 'time,rawflux,kspflux': BTJD, the corrected flux preferred, no error column
        LightCurveReader.Result toi2000 = read(real("toi_2000_table_02.csv"));
        assertEquals("kspflux", toi2000.lightCurve().target().fluxColumn());
        assertEquals("TOI-2000", toi2000.lightCurve().target().name());
        assertTrue(Double.isNaN(toi2000.lightCurve().fluxErr()[0]));
        timesWithin(toi2000.lightCurve(), 1543.7, 1623.9);
        // whitespace with a header
        LightCurve latte = ok(real("LATTE_FFI_55525572_data.txt"));
        assertEquals(1228, latte.size());
        assertEquals("flux", latte.target().fluxColumn());
        // no header, an instrument column: the K2 rows only
        LightCurveReader.Result k2 = read(real("juliet_K2-140_lc.dat"));
        assertEquals(2232, k2.lightCurve().size(), k2.detail());
        assertTrue(k2.detail().contains("'K2'"), k2.detail());
        assertEquals("K2-140", k2.lightCurve().target().name());
        // no header, a placeholder error of 1.0
        LightCurveReader.Result piMen = read(real("allesfitter_PiMensae_TESS_year1_detrended.csv"));
        assertEquals(93628, piMen.lightCurve().size());
        assertTrue(Double.isNaN(piMen.lightCurve().fluxErr()[0]), piMen.detail());
        assertTrue(piMen.detail().contains("not used"), piMen.detail());
    }

    @Test
    void anUnknownTableIsSkippedWithItsColumnsAndTheSetting() {
        byte[] text = "when,brightness\n1,2\n2,3\n".getBytes(StandardCharsets.UTF_8);
        LightCurveReader.Result r = reader.read(text, "mine.csv");
        assertFalse(r.ok());
        assertEquals(LightCurveReader.NO_FLUX, r.reason());
        assertTrue(r.detail().contains("when, brightness") && r.detail().contains("tess.search.flux-column"),
                r.detail());
        LightCurveReader.Result named = new LightCurveReader("brightness").read(
                "time,brightness\n1,2\n2,3\n".getBytes(StandardCharsets.UTF_8), "mine.csv");
        assertTrue(named.ok(), named.reason() + " " + named.detail());
    }

    @Test
    void targetNamesFromFileNames() {
        assertEquals("KIC 11446443", TargetNames.fromFileName("kplr011446443-2009131110544_slc.fits"));
        assertEquals("EPIC 228735255", TargetNames.fromFileName("ktwo228735255-c10_llc.fits"));
        assertEquals("TIC 261136679", TargetNames.fromFileName(
                "tess2018206045859-s0001-0000000261136679-0120-s_lc.fits"));
        assertEquals("TIC 120251815", TargetNames.fromFileName("s3a://b/x/TIC120251815.fits"));
        assertEquals("KOI-1003", TargetNames.fromFileName("allesfitter_KOI-1003_Kepler_Q2.csv"));
        assertEquals("my_star", TargetNames.fromFileName("my_star.csv"));
    }
}
