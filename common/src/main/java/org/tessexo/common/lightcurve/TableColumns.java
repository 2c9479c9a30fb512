package org.tessexo.common.lightcurve;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Which columns of a table with named columns (a text table's header, a Parquet table's schema) hold a light curve:
 * the time ({@link #TIME_NAMES}), the flux (the configured column, then {@link LightCurveReader#FLUX_PREFERENCE}),
 * its error (the flux's name with an error suffix, then common error names) and the quality flags. Names are matched
 * case-insensitively; an index is -1 when the table has no such column.
 */
public record TableColumns(List<String> names, int time, int flux, int error, int quality) {
    public static final List<String> TIME_NAMES = List.of("time", "btjd", "bjd", "bjd_tdb", "bjd-2457000", "bkjd",
            "jd", "hjd", "t");
    static final List<String> ERROR_SUFFIXES = List.of("_err", "_unc", "_error", "err");
    static final List<String> ERROR_NAMES = List.of("flux_err", "err", "error", "e_flux", "flux_unc", "sigma");

    public static TableColumns pick(List<String> names, String fluxColumn) {
        List<String> lower = new ArrayList<>();
        for (String n : names) {
            lower.add(n.strip().toLowerCase(Locale.ROOT));
        }
        int time = find(lower, TIME_NAMES);
        int flux = find(lower, List.of(fluxColumn.toLowerCase(Locale.ROOT)));
        if (flux < 0) {
            flux = find(lower, lowerCase(LightCurveReader.FLUX_PREFERENCE));
        }
        int error = -1;
        if (flux >= 0) {
            List<String> errorNames = new ArrayList<>();
            for (String s : ERROR_SUFFIXES) {
                errorNames.add(lower.get(flux) + s);
            }
            errorNames.addAll(ERROR_NAMES);
            error = find(lower, errorNames);
        }
        int quality = find(lower, lowerCase(LightCurveReader.QUALITY_COLUMNS));
        return new TableColumns(List.copyOf(names), time, flux, error, quality);
    }

    public boolean usable() {
        return time >= 0 && flux >= 0;
    }

    /** Why the table is no light curve, with the columns it has and the setting that would read it. */
    public String missing(String fluxColumn) {
        return "columns " + String.join(", ", names) + (time < 0 ? ": no time column (" + String.join(", ",
                TIME_NAMES) + ")" : "") + (flux < 0 ? ": no flux column (" + fluxColumn + ", flux, kspflux,"
                + " pdcsap_flux, ...)" : "") + ". Set tess.search.flux-column to the one to read";
    }

    public String name(int index) {
        return index < 0 ? "" : names.get(index).strip();
    }

    private static List<String> lowerCase(List<String> names) {
        return names.stream().map(n -> n.toLowerCase(Locale.ROOT)).toList();
    }

    private static int find(List<String> names, List<String> wanted) {
        for (String w : wanted) {
            int i = names.indexOf(w);
            if (i >= 0) {
                return i;
            }
        }
        return -1;
    }
}
