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
 * Reads a light curve from a FITS file. The rule, in order:
 * <ol>
 *   <li>a BINTABLE named {@code LIGHTCURVE} (SPOC, data alerts, Kepler, K2, lightkurve's {@code to_fits()}, TGLC);
 *   </li>
 *   <li>a BINTABLE named {@code PIXELS}, or one with an image FLUX column (target pixel files, TESScut/astrocut
 *   cutouts): simple aperture photometry, see {@link AperturePhotometry};</li>
 *   <li>any other BINTABLE with a time column and a flux column (eleanor's unnamed table).</li>
 * </ol>
 * Column names are matched case-insensitively, as FITS defines them. The time column is {@code TIME} (or
 * {@code BTJD}, {@code BJD}); the flux is {@code search.flux-column} when the table has it, else the first of
 * {@link #FLUX_PREFERENCE} it has (systematics-corrected fluxes before raw ones); its error is the column of the
 * flux's name plus {@code _ERR} (or {@code FLUX_ERR}); the quality flags are {@code QUALITY}, {@code SAP_QUALITY} or
 * TGLC's {@code TESS_flags}. A table with none of these is skipped with the columns it has and the setting that
 * would read it.
 *
 * <p>The target is named from {@code TICID}, then {@code KEPLERID} (KIC, or EPIC when the mission is K2), then
 * {@code OBJECT} (lightkurve writes the bare TIC or KIC there), then the file's name ({@code TIC123}, {@code kplr…},
 * {@code ktwo…}, {@code tic…}); sector, camera and CCD from the primary header, else the table's.
 */
public final class LightCurveReader {
    public static final String NO_TABLE = "no light curve or pixel table";
    public static final String NO_FLUX = "no usable flux column";
    public static final String UNREADABLE = "unreadable FITS";
    public static final String NO_CADENCES = "no cadences";
    public static final String BAD_TIME = "time system not readable";

    /**
     * Flux columns tried when the configured one is missing, best first: SPOC's corrected flux, QLP's, eleanor's,
     * lightkurve's and the plain-text tables' FLUX, TGLC's calibrated PSF then aperture flux, then raw fluxes.
     */
    public static final List<String> FLUX_PREFERENCE = List.of("PDCSAP_FLUX", "KSPSAP_FLUX", "KSPFLUX", "CORR_FLUX",
            "DET_FLUX", "FLUX", "CAL_PSF_FLUX", "CAL_APER_FLUX", "SAP_FLUX", "PSF_FLUX", "APERTURE_FLUX", "RAW_FLUX",
            "RAWFLUX");
    static final List<String> TIME_COLUMNS = List.of("TIME", "BTJD", "BJD", "BJD_TDB", "BKJD", "JD");
    static final List<String> QUALITY_COLUMNS = List.of("QUALITY", "SAP_QUALITY", "TESS_FLAGS", "DQUALITY");

    private final String fluxColumn;

    /** @param fluxColumn "PDCSAP_FLUX" (the default: systematics corrected), "SAP_FLUX", or any column name */
    public LightCurveReader(String fluxColumn) {
        this.fluxColumn = fluxColumn;
    }

    /** The flux column asked for first (tess.search.flux-column). */
    public String fluxColumn() {
        return fluxColumn;
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
        return read(file, "");
    }

    /**
     * A FITS light curve, or a text one when the name ends in one of {@link TextLightCurveReader#SUFFIXES}.
     *
     * @param fileName the file's name or path, to tell text from FITS and to name the target when no header card
     *                 does ("" when unknown)
     */
    public Result read(byte[] file, String fileName) {
        if (TextLightCurveReader.isTextName(fileName)) {
            return new TextLightCurveReader(fluxColumn).read(file, fileName);
        }
        Result r = readFits(file);
        if (r.ok() && r.lightCurve().target().name().isEmpty()) {
            LightCurve lc = r.lightCurve();
            LightCurve named = new LightCurve(lc.time(), lc.flux(), lc.fluxErr(), lc.quality(),
                    lc.target().withName(TargetNames.fromFileName(fileName)));
            return new Result(named, r.reason(), r.detail());
        }
        return r;
    }

    private Result readFits(byte[] file) {
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
            if (lc != null && Columns.of(lc).find(TIME_COLUMNS) >= 0) {
                return fromLightCurveTable(lc, primary);
            }
            BinaryTableHDU pixels = table(hdus, "PIXELS");
            if (pixels == null) {
                pixels = tableWithImageFlux(hdus);
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
            BinaryTableHDU any = null;
            for (BasicHDU<?> h : hdus) {
                if (h instanceof BinaryTableHDU t && Columns.of(t).find(TIME_COLUMNS) >= 0) {
                    Columns c = Columns.of(t);
                    if (any == null || fluxIndex(c) >= 0 && fluxIndex(Columns.of(any)) < 0) {
                        any = t;
                    }
                }
            }
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
        return Result.none(NO_TABLE, hdus.size() + " HDUs, none a LIGHTCURVE or PIXELS table or a table with a TIME"
                + " column");
    }

    /** The flux column this reader takes from a table, or -1. */
    private int fluxIndex(Columns c) {
        int i = c.find(List.of(fluxColumn));
        return i >= 0 ? i : c.find(FLUX_PREFERENCE);
    }

    private Result fromLightCurveTable(BinaryTableHDU t, Header primary) throws FitsException {
        Columns cols = Columns.of(t);
        int timeIndex = cols.find(TIME_COLUMNS);
        int fluxIndex = fluxIndex(cols);
        String extname = t.getHeader().getStringValue("EXTNAME");
        String tableName = extname == null || extname.isBlank() ? "the table" : "table " + extname;
        if (fluxIndex < 0 || timeIndex < 0) {
            return Result.none(NO_FLUX, tableName + " has " + (timeIndex < 0 ? "no time column and " : "")
                    + "no flux column (" + (FLUX_PREFERENCE.contains(fluxColumn.toUpperCase(java.util.Locale.ROOT))
                    ? "" : fluxColumn + " or ") + String.join(", ", FLUX_PREFERENCE)
                    + "); its columns: " + String.join(", ", cols.names())
                    + ". Set tess.search.flux-column to the one to read");
        }
        if (t.getNRows() == 0) {
            return Result.none(NO_CADENCES, tableName + " has no rows");
        }
        String column = cols.names().get(fluxIndex);
        double[] time = doubles(t, timeIndex);
        String timeUnit = t.getHeader().getStringValue("TUNIT" + (timeIndex + 1));
        TimeSystem.Conversion c = TimeSystem.toBtjd(primary, t.getHeader(), timeUnit, time);
        if (c.problem() != null) {
            return Result.none(BAD_TIME, c.problem());
        }
        TimeSystem.apply(time, c);
        double[] flux = doubles(t, fluxIndex);
        int errIndex = cols.find(List.of(column + "_ERR", column + "_UNC", "FLUX_ERR"));
        double[] err = errIndex >= 0 ? doubles(t, errIndex) : nanArray(time.length);
        int qualityIndex = cols.find(QUALITY_COLUMNS);
        int[] quality = qualityIndex >= 0 ? ints(t, qualityIndex) : new int[time.length];
        LightCurve.Target target = target(primary, t.getHeader(), column).withTimeSystem(c.system());
        return new Result(new LightCurve(time, flux, err, quality, target), "", c.note());
    }

    static LightCurve.Target target(Header primary, Header table, String column) {
        long tic = longCard(primary, table, "TICID", 0);
        String object = stringCard(primary, table, "OBJECT");
        String mission = stringCard(primary, table, "MISSION") + " " + stringCard(primary, table, "TELESCOP");
        long kepler = longCard(primary, table, "KEPLERID", 0);
        boolean tess = mission.toUpperCase(java.util.Locale.ROOT).contains("TESS");
        if (tic <= 0 && tess) {
            tic = TargetNames.number(object, "TIC");
        }
        String name = tic > 0 ? "TIC " + tic
                : kepler > 0 ? (mission.toUpperCase(java.util.Locale.ROOT).contains("K2") ? "EPIC " : "KIC ") + kepler
                : TargetNames.fromObject(object);
        return new LightCurve.Target(tic, (int) longCard(primary, table, "SECTOR", -1),
                (int) longCard(primary, table, "CAMERA", -1), (int) longCard(primary, table, "CCD", -1), column, name,
                TimeSystem.BTJD);
    }

    private static String stringCard(Header primary, Header table, String key) {
        for (Header h : new Header[] {primary, table}) {
            if (h != null && h.containsKey(key)) {
                String v = h.getStringValue(key);
                if (v != null && !v.isBlank()) {
                    return v.trim();
                }
            }
        }
        return "";
    }

    private static long longCard(Header primary, Header table, String key, long missing) {
        for (Header h : new Header[] {primary, table}) {
            if (h != null && h.containsKey(key)) {
                try {
                    return h.getLongValue(key);
                } catch (RuntimeException e) {
                    // an empty or non-numeric card (early TESScut files leave SECTOR empty): try the string form
                }
                long n = TargetNames.number(h.getStringValue(key), "");
                if (n > 0) {
                    return n; // TGLC writes TICID as a string
                }
            }
        }
        return missing;
    }

    static BinaryTableHDU table(List<BasicHDU<?>> hdus, String extname) {
        for (BasicHDU<?> h : hdus) {
            if (h instanceof BinaryTableHDU t && extname.equalsIgnoreCase(t.getHeader().getStringValue("EXTNAME"))) {
                return t;
            }
        }
        return null;
    }

    static BinaryTableHDU tableWithImageFlux(List<BasicHDU<?>> hdus) {
        for (BasicHDU<?> h : hdus) {
            if (h instanceof BinaryTableHDU t) {
                Columns c = Columns.of(t);
                int flux = c.find(List.of("FLUX"));
                if (flux >= 0 && c.find(List.of("TIME")) >= 0 && t.getHeader().containsKey("TDIM" + (flux + 1))) {
                    return t;
                }
            }
        }
        return null;
    }

    /** A table's column names (TTYPEn), looked up case-insensitively as FITS defines them. */
    record Columns(List<String> names) {
        static Columns of(BinaryTableHDU t) {
            List<String> names = new ArrayList<>();
            for (int i = 0; i < t.getNCols(); i++) {
                String n = t.getColumnName(i);
                names.add(n == null ? "" : n.trim());
            }
            return new Columns(names);
        }

        /** The index of the first of {@code wanted} the table has (in {@code wanted}'s order), or -1. */
        int find(List<String> wanted) {
            for (String w : wanted) {
                for (int i = 0; i < names.size(); i++) {
                    if (names.get(i).equalsIgnoreCase(w)) {
                        return i;
                    }
                }
            }
            return -1;
        }
    }

    /** A numeric scalar column as doubles (TNULL of integer columns is not applied: TESS uses NaN). */
    static double[] doubles(BinaryTableHDU t, String name) throws FitsException {
        return doubles(t, Columns.of(t).find(List.of(name)));
    }

    static double[] doubles(BinaryTableHDU t, int index) throws FitsException {
        Object col = t.getColumn(index);
        int n = Array.getLength(col);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = ((Number) Array.get(col, i)).doubleValue();
        }
        return out;
    }

    static int[] ints(BinaryTableHDU t, String name) throws FitsException {
        return ints(t, Columns.of(t).find(List.of(name)));
    }

    static int[] ints(BinaryTableHDU t, int index) throws FitsException {
        Object col = t.getColumn(index);
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
