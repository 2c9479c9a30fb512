package org.tessexo.common.photometry;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tessexo.common.lightcurve.BlsComparison;
import org.tessexo.common.lightcurve.LightCurveReader;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The SPOC-layout FITS light curve: our reader and astropy read back what was written. */
class SpocLightCurveFileTest {

    @Test
    void readBackByOurReaderAndByAstropy(@TempDir Path tmp) throws Exception {
        int n = 50;
        double[] time = new double[n];
        float[] sap = new float[n];
        float[] flux = new float[n];
        float[] err = new float[n];
        float[] bkg = new float[n];
        float[] cx = new float[n];
        float[] cy = new float[n];
        float[] px = new float[n];
        float[] py = new float[n];
        int[] q = new int[n];
        for (int i = 0; i < n; i++) {
            time[i] = 1325.3 + i / 48.0;
            sap[i] = 1000 + i;
            flux[i] = 2000 + i;
            err[i] = 3;
            bkg[i] = 150;
            cx[i] = 10.25f;
            cy[i] = 20.5f;
            q[i] = i == 7 ? 32 : 0;
        }
        byte[] fits = SpocLightCurveFile.write(new SpocLightCurveFile.Target("TIC 123", 123, 1, 2, 3, 315.5, -30.25,
                9.5, 2.5, 0.875), time, sap, err, bkg, flux, cx, cy, px, py, q);
        LightCurveReader.Result r = new LightCurveReader("PDCSAP_FLUX").read(fits, "x_lc.fits");
        assertTrue(r.ok(), r.reason());
        assertEquals("TIC 123", r.lightCurve().target().name());
        assertEquals(2, r.lightCurve().target().camera());
        assertEquals(time[10], r.lightCurve().time()[10], 1e-9, "BTJD kept");
        assertEquals(2010, r.lightCurve().flux()[10], 1e-3, "PDCSAP_FLUX is the corrected flux");
        assertEquals(32, r.lightCurve().quality()[7]);

        assertTrue(BlsComparison.astropyAvailable(),
                "needs /usr/bin/python3 with astropy: apt-get install -y python3-astropy (.ci/run does)");
        Path file = tmp.resolve("x_lc.fits");
        Files.write(file, fits);
        Process p = new ProcessBuilder("/usr/bin/python3", "-c", String.join("\n",
                "import sys",
                "from astropy.io import fits",
                "h = fits.open(sys.argv[1])",
                "lc = h['LIGHTCURVE'].data",
                "print(h[0].header['TICID'], h[0].header['SECTOR'], lc['TIME'][10], lc['SAP_FLUX'][10],",
                "      lc['MOM_CENTR1'][0], h[1].header['CROWDSAP'], h[1].header['TUNIT1'])"), file.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, p.waitFor(), out);
        assertEquals("123 1 " + time[10] + " 1010.0 11.25 0.875 BJD - 2457000, days", out);
    }
}
