package org.tessexo.common.photometry;

import nom.tam.fits.BinaryTable;
import nom.tam.fits.BinaryTableHDU;
import nom.tam.fits.Fits;
import nom.tam.fits.FitsException;
import nom.tam.fits.Header;
import nom.tam.fits.NullDataHDU;
import nom.tam.util.FitsOutputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * A light curve of the photometry as a FITS file in the layout of SPOC's light curves ({@code *_lc.fits}), which
 * lightkurve, astropy and this project's own readers open: a header-only primary with the target's cards (OBJECT,
 * TICID, SECTOR, CAMERA, CCD, RA_OBJ, DEC_OBJ, TESSMAG) and a {@code LIGHTCURVE} table with TIME (BTJD: BJD -
 * 2457000), SAP_FLUX, SAP_FLUX_ERR, SAP_BKG (the aperture's, e-/s), PDCSAP_FLUX and PDCSAP_FLUX_ERR (here: the
 * flux corrected for the pointing and the crowding, not SPOC's PDC), QUALITY, MOM_CENTR1 and MOM_CENTR2 (the
 * centroid, one-based column and row as SPOC gives them), POS_CORR1 and POS_CORR2 (the frame's pointing offset); its
 * header says the aperture's radius (APERTURE) and, as SPOC's does, the share of the aperture's light that is the
 * target's (CROWDSAP) where the photometry modelled it.
 */
public final class SpocLightCurveFile {
    private SpocLightCurveFile() {
    }

    /** What the primary header says of the star. */
    public record Target(String id, long tic, int sector, int camera, int ccd, double ra, double dec, double tmag,
                         double aperturePx, double crowding) {
    }

    public static byte[] write(Target t, double[] time, float[] sapFlux, float[] fluxErr, float[] background,
                               float[] flux, float[] centroidX, float[] centroidY, float[] pointingX,
                               float[] pointingY, int[] quality) {
        try {
            NullDataHDU primary = new NullDataHDU();
            Header p = primary.getHeader();
            p.addValue("ORIGIN", "tess-exo photometry", "institution responsible for creating this file");
            p.addValue("TELESCOP", "TESS", "telescope");
            p.addValue("INSTRUME", "TESS Photometer", "detector type");
            p.addValue("OBJECT", t.id(), "string version of target id");
            if (t.tic() > 0) {
                p.addValue("TICID", t.tic(), "unique tess target identifier");
            }
            p.addValue("SECTOR", t.sector(), "Observing sector");
            p.addValue("CAMERA", t.camera(), "Camera number");
            p.addValue("CCD", t.ccd(), "CCD chip number");
            p.addValue("RA_OBJ", t.ra(), "[deg] right ascension");
            p.addValue("DEC_OBJ", t.dec(), "[deg] declination");
            if (Double.isFinite(t.tmag())) {
                p.addValue("TESSMAG", t.tmag(), "[mag] TESS magnitude");
            }
            BinaryTable table = new BinaryTable();
            table.addColumn(time);
            table.addColumn(sapFlux);
            table.addColumn(fluxErr);
            table.addColumn(background);
            table.addColumn(flux);
            table.addColumn(fluxErr);
            table.addColumn(quality);
            table.addColumn(plusOne(centroidX));
            table.addColumn(plusOne(centroidY));
            table.addColumn(pointingX);
            table.addColumn(pointingY);
            BinaryTableHDU lc = table.toHDU();
            Header h = lc.getHeader();
            String[][] columns = {{"TIME", "BJD - 2457000, days"}, {"SAP_FLUX", "e-/s"}, {"SAP_FLUX_ERR", "e-/s"},
                {"SAP_BKG", "e-/s"}, {"PDCSAP_FLUX", "e-/s"}, {"PDCSAP_FLUX_ERR", "e-/s"}, {"QUALITY", ""},
                {"MOM_CENTR1", "pixel"}, {"MOM_CENTR2", "pixel"}, {"POS_CORR1", "pixel"}, {"POS_CORR2", "pixel"}};
            for (int i = 0; i < columns.length; i++) {
                h.addValue("TTYPE" + (i + 1), columns[i][0], "column title");
                if (!columns[i][1].isEmpty()) {
                    h.addValue("TUNIT" + (i + 1), columns[i][1], "column units");
                }
            }
            h.addValue("EXTNAME", "LIGHTCURVE", "name of extension");
            h.addValue("TIMEREF", "SOLARSYSTEM", "barycentric correction applied to times");
            h.addValue("TIMESYS", "TDB", "time system is Barycentric Dynamical Time (TDB)");
            h.addValue("BJDREFI", 2457000, "integer part of BTJD reference date");
            h.addValue("BJDREFF", 0.0, "fraction of the day in BTJD reference date");
            h.addValue("TIMEUNIT", "d", "time unit for TIME, TSTART and TSTOP");
            if (time.length > 0) {
                h.addValue("TSTART", time[0], "observation start time in BTJD");
                h.addValue("TSTOP", time[time.length - 1], "observation stop time in BTJD");
            }
            h.addValue("NUMBAND", 1, "number of passbands");
            h.addValue("APERTURE", t.aperturePx(), "[pixel] radius of the photometric aperture");
            if (!Double.isNaN(t.crowding())) {
                h.addValue("CROWDSAP", t.crowding(), "Ratio of target flux to total flux in op. ap.");
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (Fits fits = new Fits(); FitsOutputStream out = new FitsOutputStream(bytes)) {
                fits.addHDU(primary);
                fits.addHDU(lc);
                fits.write(out);
            }
            return bytes.toByteArray();
        } catch (FitsException | IOException e) {
            throw new IllegalStateException("Cannot write the light curve of " + t.id() + " as FITS: "
                    + e.getMessage(), e);
        }
    }

    private static float[] plusOne(float[] v) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i] + 1;
        }
        return out;
    }
}
