package org.tessexo.common.lightcurve;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a light curve kept as plain text, as users of lightkurve, juliet, allesfitter and LATTE keep them: a CSV or
 * whitespace/tab table of time, flux and (optionally) flux error. The rule:
 * <ul>
 *   <li>lines starting with {@code #} are comments, blank lines are skipped; fields are split at commas when the
 *   first data line has one, else at whitespace;</li>
 *   <li>a header is a line (commented or not, before the first data line) whose fields are not all numbers, with as
 *   many fields as the data: columns are then found by name, case-insensitively ({@code time}, {@code bjd},
 *   {@code bjd_tdb}, {@code btjd}, {@code bkjd}; the flux as in {@link LightCurveReader#FLUX_PREFERENCE}, or the
 *   configured flux column; its error {@code <flux>_err}, {@code <flux>_unc}, {@code flux_err}, {@code err});
 *   without a header the columns are time, flux, error in that order;</li>
 *   <li>a column of words (juliet's instrument) splits the rows: the rows of its most common value are read, and
 *   the detail says how many were left;</li>
 *   <li>the time system is read from the values ({@link TimeSystem#ofTextColumn}); an error column that is
 *   constant or not positive is a placeholder and is not used (the search then takes the scatter).</li>
 * </ul>
 */
public final class TextLightCurveReader {
    /** The suffixes {@code search} lists as text light curves (any case). */
    public static final List<String> SUFFIXES = List.of(".csv", ".txt", ".dat", ".tsv", ".tbl");
    public static final String NOT_A_TABLE = "not a light-curve table";

    private final String fluxColumn;

    public TextLightCurveReader(String fluxColumn) {
        this.fluxColumn = fluxColumn;
    }

    public static boolean isTextName(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        for (String s : SUFFIXES) {
            if (lower.endsWith(s)) {
                return true;
            }
        }
        return false;
    }

    public LightCurveReader.Result read(byte[] file, String fileName) {
        String text = new String(file, StandardCharsets.UTF_8);
        String[] lines = text.split("\r?\n|\r");
        List<String> comments = new ArrayList<>();
        List<String[]> rows = new ArrayList<>();
        String[] header = null;
        Boolean comma = null;
        for (String raw : lines) {
            String line = raw.strip();
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("#")) {
                if (rows.isEmpty()) {
                    comments.add(line.replaceFirst("^#+", "").strip().replaceFirst("^#+", "").strip());
                }
                continue;
            }
            if (comma == null) {
                comma = line.contains(",");
            }
            String[] f = split(line, comma);
            if (rows.isEmpty() && header == null && !anyNumber(f)) {
                header = f;
                continue;
            }
            rows.add(f);
        }
        if (rows.isEmpty()) {
            return LightCurveReader.Result.none(NOT_A_TABLE, "no data lines");
        }
        int width = rows.get(0).length;
        if (header == null) {
            for (int i = comments.size() - 1; i >= 0 && header == null; i--) {
                String[] f = split(comments.get(i), Boolean.TRUE.equals(comma));
                if (f.length == width && !anyNumber(f)) {
                    header = f;
                }
            }
        }
        if (width < 2) {
            return LightCurveReader.Result.none(NOT_A_TABLE, "one column per line; a light curve needs time and"
                    + " flux");
        }
        // Which columns hold numbers, and which words (an instrument label splits the rows).
        int label = -1;
        for (int c = 0; c < width; c++) {
            if (!isNumber(rows.get(0)[c])) {
                label = c;
            }
        }
        List<String> notes = new ArrayList<>();
        if (label >= 0) {
            Map<String, Integer> counts = new HashMap<>();
            for (String[] r : rows) {
                if (r.length > label) {
                    counts.merge(r[label], 1, Integer::sum);
                }
            }
            String most = counts.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
            int before = rows.size();
            int col = label;
            rows.removeIf(r -> r.length <= col || !r[col].equals(most));
            if (rows.size() < before) {
                notes.add("the " + rows.size() + " rows of '" + most + "' read (of " + before + "; column "
                        + (label + 1) + " names " + counts.size() + " sources)");
            }
        }
        int timeCol;
        int fluxCol;
        int errCol;
        String timeName = "";
        if (header != null) {
            TableColumns cols = TableColumns.pick(List.of(header), fluxColumn);
            if (!cols.usable()) {
                return LightCurveReader.Result.none(LightCurveReader.NO_FLUX, cols.missing(fluxColumn));
            }
            timeCol = cols.time();
            fluxCol = cols.flux();
            errCol = cols.error();
            timeName = cols.name(timeCol).toLowerCase(Locale.ROOT);
            notes.add(0, "columns " + header[timeCol].strip() + ", " + header[fluxCol].strip()
                    + (errCol >= 0 ? ", " + header[errCol].strip() : " (no error column)"));
        } else {
            timeCol = 0;
            fluxCol = 1;
            errCol = width > 2 && label != 2 ? 2 : -1;
            notes.add(0, "no header: columns 1-" + (errCol >= 0 ? 3 : 2) + " read as time, flux"
                    + (errCol >= 0 ? ", error" : ""));
        }
        int n = rows.size();
        double[] time = new double[n];
        double[] flux = new double[n];
        double[] err = new double[n];
        int bad = 0;
        for (int i = 0; i < n; i++) {
            String[] r = rows.get(i);
            time[i] = parse(r, timeCol);
            flux[i] = parse(r, fluxCol);
            err[i] = errCol >= 0 ? parse(r, errCol) : Double.NaN;
            bad += Double.isFinite(time[i]) ? 0 : 1;
        }
        if (bad == n) {
            return LightCurveReader.Result.none(NOT_A_TABLE, "no row has a number in the time column");
        }
        if (errCol >= 0 && placeholder(err)) {
            notes.add(String.format(Locale.ROOT, "error column constant or not positive (%s): not used",
                    err.length == 0 ? "" : Double.toString(err[0])));
            Arrays.fill(err, Double.NaN);
        }
        TimeSystem.Conversion c = TimeSystem.ofTextColumn(timeName, time);
        TimeSystem.apply(time, c);
        if (!c.note().isEmpty()) {
            notes.add(c.note());
        }
        String name = TargetNames.fromFileName(fileName);
        LightCurve.Target target = new LightCurve.Target(TargetNames.tic(name), -1, -1, -1,
                header == null ? "column 2" : header[fluxCol].strip(), name, c.system());
        LightCurve lc = new LightCurve(time, flux, err, new int[n], target);
        return new LightCurveReader.Result(lc, "", String.join("; ", notes));
    }

    private static boolean placeholder(double[] err) {
        double first = Double.NaN;
        boolean constant = true;
        for (double e : err) {
            if (!(e > 0) || !Double.isFinite(e)) {
                return true;
            }
            if (Double.isNaN(first)) {
                first = e;
            } else if (e != first) {
                constant = false;
            }
        }
        return constant;
    }

    private static double parse(String[] r, int c) {
        if (c >= r.length) {
            return Double.NaN;
        }
        try {
            return Double.parseDouble(r[c]);
        } catch (NumberFormatException e) {
            return Double.NaN; // "nan", "--", an empty field: a missing value
        }
    }

    private static String[] split(String line, boolean comma) {
        String[] f = comma ? line.split(",", -1) : line.split("\\s+");
        for (int i = 0; i < f.length; i++) {
            f[i] = f[i].strip();
        }
        return f;
    }

    private static boolean anyNumber(String[] fields) {
        for (String f : fields) {
            if (isNumber(f)) {
                return true;
            }
        }
        return false;
    }

    static boolean isNumber(String s) {
        if (s.isEmpty()) {
            return false;
        }
        String l = s.toLowerCase(Locale.ROOT);
        if (l.equals("nan") || l.equals("inf") || l.equals("-inf")) {
            return true;
        }
        try {
            Double.parseDouble(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
