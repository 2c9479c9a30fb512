package org.tessexo.common.vetting;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The known signals of a labels table for {@code train-vetter}: a CSV or tab-separated table with a header, one row
 * per light curve, keyed by the file's name (a {@code file}, {@code filename} or {@code path} column; only the name
 * after the last {@code /} counts). Either of two layouts:
 * <ul>
 *   <li>{@code label} (planet, cp, kp: a planet; eb, binary, eclipsing-binary: a binary; fp, fa, false-alarm: not a
 *   planet) and {@code period_days};</li>
 *   <li>TESSellator's {@code INDEX.tsv}: {@code toi_disposition} CP or KP with {@code toi_period_d} is a planet, a
 *   {@code kebc_period_d} (Kepler Eclipsing Binary Catalog) a binary, FP or FA a false alarm; PC, APC and rows
 *   without either are not known (they stay out of the real examples).</li>
 * </ul>
 */
public final class VetterLabels {
    private VetterLabels() {
    }

    /** File name → known signal. Rows that say nothing usable are left out. */
    public static Map<String, TrainingExamples.Known> parse(String text) {
        String[] lines = text.split("\r?\n");
        Map<String, TrainingExamples.Known> out = new HashMap<>();
        if (lines.length == 0) {
            return out;
        }
        String sep = lines[0].contains("\t") ? "\t" : ",";
        List<String> head = java.util.Arrays.stream(lines[0].split(sep, -1))
                .map(h -> h.trim().replace("\"", "").toLowerCase(Locale.ROOT)).toList();
        int file = first(head, "file", "filename", "path", "key", "name");
        if (file < 0) {
            throw new IllegalArgumentException("the labels table has no file column (file, filename or path); its"
                    + " columns: " + head);
        }
        int label = head.indexOf("label");
        int period = first(head, "period_days", "period", "period_d");
        int toi = head.indexOf("toi_disposition");
        int toiPeriod = head.indexOf("toi_period_d");
        int kebc = head.indexOf("kebc_period_d");
        if (label < 0 && toi < 0 && kebc < 0) {
            throw new IllegalArgumentException("the labels table has neither a label column (with period_days) nor"
                    + " TESSellator's toi_disposition / kebc_period_d; its columns: " + head);
        }
        for (int i = 1; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            String[] f = lines[i].split(sep, -1);
            String name = cell(f, file);
            name = name.substring(name.lastIndexOf('/') + 1);
            TrainingExamples.Known k = null;
            if (label >= 0) {
                Vetter.Kind kind = kind(cell(f, label));
                double p = number(cell(f, period));
                if (kind != null && p > 0) {
                    k = new TrainingExamples.Known(kind, p);
                }
            } else {
                String d = cell(f, toi).toUpperCase(Locale.ROOT);
                double pt = number(cell(f, toiPeriod));
                double pk = number(cell(f, kebc));
                if ((d.equals("CP") || d.equals("KP")) && pt > 0) {
                    k = new TrainingExamples.Known(Vetter.Kind.PLANET, pt);
                } else if (pk > 0) {
                    k = new TrainingExamples.Known(Vetter.Kind.ECLIPSING_BINARY, pk);
                } else if ((d.equals("FP") || d.equals("FA")) && pt > 0) {
                    k = new TrainingExamples.Known(Vetter.Kind.FALSE_ALARM, pt);
                }
            }
            if (k != null && !name.isEmpty()) {
                out.put(name, k);
            }
        }
        return out;
    }

    static Vetter.Kind kind(String label) {
        return switch (label.trim().toLowerCase(Locale.ROOT)) {
            case "planet", "cp", "kp", "confirmed" -> Vetter.Kind.PLANET;
            case "eb", "binary", "eclipsing-binary", "eclipsing binary" -> Vetter.Kind.ECLIPSING_BINARY;
            case "fp", "fa", "false-alarm", "false alarm", "false positive" -> Vetter.Kind.FALSE_ALARM;
            default -> null;
        };
    }

    private static int first(List<String> head, String... names) {
        for (String n : names) {
            if (head.contains(n)) {
                return head.indexOf(n);
            }
        }
        return -1;
    }

    private static String cell(String[] f, int i) {
        return i >= 0 && i < f.length ? f[i].trim().replace("\"", "") : "";
    }

    private static double number(String s) {
        try {
            return s.isEmpty() ? Double.NaN : Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}
