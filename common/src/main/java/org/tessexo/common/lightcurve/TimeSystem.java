package org.tessexo.common.lightcurve;

import nom.tam.fits.Header;
import org.tessexo.common.stats.RobustStats;

import java.util.Arrays;
import java.util.Locale;

/**
 * The one time system of every time the search writes: BTJD, the TESS Barycentric Julian Date, BJD_TDB - 2457000
 * (days). A light curve's TIME column is put into it from its header cards and, where the cards are missing, its
 * values:
 * <ol>
 *   <li>{@code TIMEUNIT} other than days is not read (a reason, no guess);</li>
 *   <li>{@code BJDREFI} + {@code BJDREFF} (table header first, then primary) give TIME's zero point: SPOC TESS
 *   files have 2457000 (TIME is BTJD already), Kepler and K2 2454833 (BKJD, so BTJD = BKJD - 2167);</li>
 *   <li>without them, values above 2,400,000 are full Julian dates (BJD) and 2457000 is subtracted; smaller values
 *   are taken as BTJD.</li>
 * </ol>
 * A TIME column of full BJD under a BJDREFI of 2457000 (a writer that got it wrong) is caught by the same value
 * test. Without BJDREFI, the time column's unit ({@code TUNITn}) is read: {@code bkjd} or {@code BJD - 2454833}
 * (lightkurve writes the first for Kepler and K2), {@code btjd} or {@code BJD - 2457000}.
 *
 * <p>Each conversion names the file's own system ({@link #BTJD}, {@link #BKJD}, {@link #BJD}), which the
 * candidates table reports beside the epoch in BTJD and in full BJD.
 */
public final class TimeSystem {
    public static final double BTJD_ZERO = 2457000.0;
    /** Kepler's and K2's zero point: BKJD = BJD - 2454833. */
    public static final double BKJD_ZERO = 2454833.0;
    public static final String BTJD = "BTJD";
    public static final String BKJD = "BKJD";
    public static final String BJD = "BJD";
    /** Julian dates of the space-photometry era are above this; BTJD, BKJD and MJD-like values far below. */
    static final double FULL_JD = 2_400_000.0;

    private TimeSystem() {
    }

    /**
     * @param offset  days to add to TIME to make it BTJD
     * @param note    what was done, for the outcome ("" when TIME was BTJD already)
     * @param problem why TIME cannot be used, or null
     */
    public record Conversion(double offset, String note, String problem, String system) {
        public Conversion(double offset, String note, String problem) {
            this(offset, note, problem, Math.abs(offset) < 1e-9 ? BTJD
                    : Math.abs(offset + BTJD_ZERO - BKJD_ZERO) < 1e-6 ? BKJD
                    : Math.abs(offset + BTJD_ZERO) < 1e-6 ? BJD : "BJD - " + (BTJD_ZERO - offset));
        }
    }

    public static Conversion toBtjd(Header primary, Header table, double[] time) {
        return toBtjd(primary, table, null, time);
    }

    /**
     * The zero point a column unit names: "bkjd", "BJD - 2454833", "btjd", "BJD - 2457000" (any case and spacing);
     * NaN for anything else.
     */
    static double zeroOfUnit(String unit) {
        if (unit == null) {
            return Double.NaN;
        }
        String u = unit.replace(" ", "").toLowerCase(Locale.ROOT);
        if (u.equals("bkjd") || u.equals("bjd-2454833")) {
            return BKJD_ZERO;
        }
        if (u.equals("btjd") || u.equals("bjd-2457000") || u.equals("tjd")) {
            return BTJD_ZERO;
        }
        return Double.NaN;
    }

    /**
     * Times of a text table, from their values and the column's name: full Julian dates above 2,400,000 (BJD), a
     * column named {@code bkjd} is BKJD, anything else is taken as BTJD (the note says so when the name did not).
     */
    public static Conversion ofTextColumn(String columnName, double[] time) {
        double median = median(time);
        if (median > FULL_JD) {
            return new Conversion(-BTJD_ZERO, "", null);
        }
        double zero = zeroOfUnit(columnName);
        if (zero == BKJD_ZERO) {
            return new Conversion(BKJD_ZERO - BTJD_ZERO, "", null);
        }
        String named = columnName == null ? "" : columnName.toLowerCase(Locale.ROOT);
        return new Conversion(0, named.contains("btjd") || named.contains("tjd") ? ""
                : String.format(Locale.ROOT, "times below 2,400,000 (median %.1f) taken as BTJD", median), null);
    }

    public static Conversion toBtjd(Header primary, Header table, String timeUnit, double[] time) {
        String unit = card(primary, table, "TIMEUNIT");
        if (unit != null && !unit.isBlank() && !DAYS.contains(unit.trim().toLowerCase(Locale.ROOT))) {
            return new Conversion(0, "", "TIMEUNIT = '" + unit.trim() + "', not days");
        }
        double median = median(time);
        String refi = card(primary, table, "BJDREFI");
        String reff = card(primary, table, "BJDREFF");
        double ref = Double.NaN;
        if (refi != null) {
            try {
                ref = Double.parseDouble(refi.trim()) + (reff == null ? 0 : Double.parseDouble(reff.trim()));
            } catch (NumberFormatException e) {
                ref = Double.NaN;
            }
        }
        if (median > FULL_JD) {
            return new Conversion(-BTJD_ZERO, String.format(Locale.ROOT, "TIME holds full BJD (median %.1f)%s:"
                    + " converted to BTJD", median, Double.isNaN(ref) ? "" : ", although BJDREFI says " + ref), null);
        }
        if (Double.isNaN(ref)) {
            ref = zeroOfUnit(timeUnit);
        }
        if (Double.isNaN(ref)) {
            return new Conversion(0, "", null); // no reference, values far below JD: BTJD, as TESS files use
        }
        double offset = ref - BTJD_ZERO;
        if (Math.abs(offset) < 1e-9) {
            return new Conversion(0, "", null);
        }
        return new Conversion(offset, String.format(Locale.ROOT, "TIME + %.4f - 2457000: times in BTJD", ref),
                null);
    }

    private static final java.util.List<String> DAYS = java.util.List.of("d", "day", "days");

    private static String card(Header primary, Header table, String key) {
        for (Header h : new Header[] {table, primary}) {
            if (h != null && h.containsKey(key)) {
                String v = h.findCard(key).getValue();
                if (v != null && !v.isBlank()) {
                    return v.replace("'", "");
                }
            }
        }
        return null;
    }

    private static double median(double[] t) {
        double[] finite = Arrays.stream(t).filter(Double::isFinite).toArray();
        return finite.length == 0 ? Double.NaN : RobustStats.median(finite, finite.length);
    }

    /** TIME in place, made BTJD. */
    public static void apply(double[] time, Conversion c) {
        if (c.offset() != 0) {
            for (int i = 0; i < time.length; i++) {
                time[i] += c.offset();
            }
        }
    }
}
