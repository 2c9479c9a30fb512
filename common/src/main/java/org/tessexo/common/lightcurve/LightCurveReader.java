package org.tessexo.common.lightcurve;

import nom.tam.fits.BasicHDU;
import nom.tam.fits.BinaryTableHDU;
import nom.tam.fits.Fits;
import nom.tam.fits.FitsException;
import nom.tam.fits.Header;
import nom.tam.fits.ImageHDU;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a light curve from a FITS file:
 * <ul>
 *   <li>a SPOC light curve ({@code *_lc.fits}: BINTABLE {@code LIGHTCURVE} with TIME, PDCSAP_FLUX or SAP_FLUX, their
 *   errors and QUALITY);</li>
 *   <li>a target pixel file or a TESScut/astrocut cutout (BINTABLE {@code PIXELS}: a FLUX image per cadence, and an
 *   {@code APERTURE} image): simple aperture photometry, see {@link AperturePhotometry}.</li>
 * </ul>
 * TIC ID, sector, camera and CCD come from the primary header (TICID, SECTOR, CAMERA, CCD), else the table's.
 */
public final class LightCurveReader {
    public static final String NO_TABLE = "no light curve or pixel table";
    public static final String NO_FLUX = "no usable flux column";
    public static final String UNREADABLE = "unreadable FITS";
    public static final String NO_CADENCES = "no cadences";
    public static final String BAD_TIME = "time system not readable";

    private final String fluxColumn;

    /** @param fluxColumn "PDCSAP_FLUX" (the default: systematics corrected), "SAP_FLUX", or any column name */
    public LightCurveReader(String fluxColumn) {
        this.fluxColumn = fluxColumn;
    }

    /**
     * A light curve (then {@code detail} notes what was done to it, such as a time conversion, or is empty), or
     * why there is none.
     */
    public record Result(LightCurve lightCurve, String reason, String detail) {
        public boolean ok() {
            return lightCurve != null;
        }

        static Result none(String reason, String detail) {
            return new Result(null, reason, detail);
        }
    }

    public Result read(byte[] file) {
        List<BasicHDU<?>> hdus = new ArrayList<>();
        String damage = null;
        try (Fits f = new Fits(new ByteArrayInputStream(file))) {
            for (BasicHDU<?> h = f.readHDU(); h != null; h = f.readHDU()) {
                hdus.add(h);
            }
        } catch (IOException | RuntimeException e) {
            damage = e.getClass().getSimpleName() + ": " + e.getMessage();
            if (hdus.isEmpty()) {
                return Result.none(UNREADABLE, damage);
            }
            // A damaged trailing HDU (a truncated target pixel file, say) does not spoil the tables before it.
        }
        if (hdus.isEmpty()) {
            return Result.none(UNREADABLE, "no HDU");
        }
        Header primary = hdus.get(0).getHeader();
        BinaryTableHDU lc = table(hdus, "LIGHTCURVE");
        try {
            if (lc != null) {
                return fromLightCurveTable(lc, primary);
            }
            BinaryTableHDU pixels = table(hdus, "PIXELS");
            if (pixels == null) {
                pixels = tableWith(hdus, "FLUX", "TIME", true);
            }
            if (pixels != null) {
                ImageHDU aperture = null;
                for (BasicHDU<?> h : hdus) {
                    if (h instanceof ImageHDU img
                            && "APERTURE".equalsIgnoreCase(img.getHeader().getStringValue("EXTNAME"))) {
                        aperture = img;
                    }
                }
                return AperturePhotometry.fromPixels(pixels, aperture, primary);
            }
            BinaryTableHDU any = tableWith(hdus, fluxColumn, "TIME", false);
            if (any != null) {
                return fromLightCurveTable(any, primary);
            }
        } catch (RuntimeException e) {
            return Result.none(UNREADABLE, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        if (damage != null) {
            // The table may well have been in the part that could not be read.
            return Result.none(UNREADABLE, "HDU " + hdus.size() + " unreadable: " + damage);
        }
        return Result.none(NO_TABLE, hdus.size() + " HDUs, none a LIGHTCURVE or PIXELS table");
    }

    private Result fromLightCurveTable(BinaryTableHDU t, Header primary) throws FitsException {
        String column = t.findColumn(fluxColumn) >= 0 ? fluxColumn
                : t.findColumn("PDCSAP_FLUX") >= 0 ? "PDCSAP_FLUX" : t.findColumn("SAP_FLUX") >= 0 ? "SAP_FLUX" : null;
        if (column == null || t.findColumn("TIME") < 0) {
            return Result.none(NO_FLUX, "table " + t.getHeader().getStringValue("EXTNAME") + " has no TIME and "
                    + fluxColumn + " columns");
        }
        if (t.getNRows() == 0) {
            return Result.none(NO_CADENCES, "table " + t.getHeader().getStringValue("EXTNAME") + " has no rows");
        }
        double[] time = doubles(t, "TIME");
        TimeSystem.Conversion c = TimeSystem.toBtjd(primary, t.getHeader(), time);
        if (c.problem() != null) {
            return Result.none(BAD_TIME, c.problem());
        }
        TimeSystem.apply(time, c);
        double[] flux = doubles(t, column);
        double[] err = t.findColumn(column + "_ERR") >= 0 ? doubles(t, column + "_ERR") : nanArray(time.length);
        int[] quality = t.findColumn("QUALITY") >= 0 ? ints(t, "QUALITY") : new int[time.length];
        return new Result(new LightCurve(time, flux, err, quality, target(primary, t.getHeader(), column)), "",
                c.note());
    }

    static LightCurve.Target target(Header primary, Header table, String column) {
        return new LightCurve.Target(longCard(primary, table, "TICID", 0), (int) longCard(primary, table, "SECTOR", -1),
                (int) longCard(primary, table, "CAMERA", -1), (int) longCard(primary, table, "CCD", -1), column);
    }

    private static long longCard(Header primary, Header table, String key, long missing) {
        for (Header h : new Header[] {primary, table}) {
            if (h != null && h.containsKey(key)) {
                try {
                    return h.getLongValue(key);
                } catch (RuntimeException e) {
                    // an empty or non-numeric card (early TESScut files leave SECTOR empty): try the next header
                }
            }
        }
        return missing;
    }

    private static BinaryTableHDU table(List<BasicHDU<?>> hdus, String extname) {
        for (BasicHDU<?> h : hdus) {
            if (h instanceof BinaryTableHDU t && extname.equalsIgnoreCase(t.getHeader().getStringValue("EXTNAME"))) {
                return t;
            }
        }
        return null;
    }

    private static BinaryTableHDU tableWith(List<BasicHDU<?>> hdus, String a, String b, boolean imageColumn) {
        for (BasicHDU<?> h : hdus) {
            if (h instanceof BinaryTableHDU t && t.findColumn(a) >= 0 && t.findColumn(b) >= 0) {
                if (!imageColumn || t.getHeader().containsKey("TDIM" + (t.findColumn(a) + 1))) {
                    return t;
                }
            }
        }
        return null;
    }

    /** A numeric scalar column as doubles (TNULL of integer columns is not applied: TESS uses NaN). */
    static double[] doubles(BinaryTableHDU t, String name) throws FitsException {
        Object col = t.getColumn(t.findColumn(name));
        int n = Array.getLength(col);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = ((Number) Array.get(col, i)).doubleValue();
        }
        return out;
    }

    static int[] ints(BinaryTableHDU t, String name) throws FitsException {
        Object col = t.getColumn(t.findColumn(name));
        int n = Array.getLength(col);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = ((Number) Array.get(col, i)).intValue();
        }
        return out;
    }

    static double[] nanArray(int n) {
        double[] a = new double[n];
        java.util.Arrays.fill(a, Double.NaN);
        return a;
    }
}
