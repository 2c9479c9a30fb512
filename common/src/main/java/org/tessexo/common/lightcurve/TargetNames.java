package org.tessexo.common.lightcurve;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A target's catalog name from what a file says: a header card ({@code OBJECT = 'TIC 261136679'}, or a bare
 * number) or the file's name as the archives and the common tools write it: {@code TIC120251815.fits},
 * {@code tess2018206045859-s0001-0000000261136679-0120-s_lc.fits}, {@code kplr011446443-…}, {@code ktwo228735255-…},
 * {@code hlsp_…_tic-0000000123…}, {@code TIC_200322593_spoc_pdcsap.csv}.
 */
public final class TargetNames {
    private static final Pattern CATALOG = Pattern.compile("(?i)\\b(TIC|KIC|EPIC|KOI|TOI|K2|Kepler|HAT-P|WASP|TrES)"
            + "[ _-]?(\\d[\\d.]*[a-z]?)");
    private static final Pattern FILE_CATALOG = Pattern.compile("(?i)(?:^|[^a-z])(tic|kic|epic)[ _-]?0*(\\d{3,})");
    private static final Pattern KEPLER_FILE = Pattern.compile("(?i)^(kplr|ktwo)0*(\\d{3,})");
    private static final Pattern SPOC_FILE = Pattern.compile("(?i)^tess\\d{13}-s\\d{4}-0*(\\d+)-\\d{4}-[a-z]_");

    private TargetNames() {
    }

    /** The number after {@code prefix} in {@code text} ("TIC 123" → 123 for "TIC"), or the text's bare number; 0. */
    public static long number(String text, String prefix) {
        if (text == null) {
            return 0;
        }
        String t = text.trim();
        if (!prefix.isEmpty() && t.toUpperCase(Locale.ROOT).startsWith(prefix.toUpperCase(Locale.ROOT))) {
            t = t.substring(prefix.length()).trim();
        }
        return t.matches("\\d{1,18}") ? Long.parseLong(t) : 0;
    }

    /** OBJECT as a name: kept as written when it names a catalog entry, "" when blank. */
    public static String fromObject(String object) {
        if (object == null || object.isBlank()) {
            return "";
        }
        return object.trim();
    }

    /** The catalog name a file's name carries, else the name without its suffixes; "" for "". */
    public static String fromFileName(String fileName) {
        if (fileName == null || fileName.isEmpty()) {
            return "";
        }
        String base = fileName.substring(fileName.lastIndexOf('/') + 1);
        Matcher m = KEPLER_FILE.matcher(base);
        if (m.find()) {
            return (m.group(1).equalsIgnoreCase("kplr") ? "KIC " : "EPIC ") + Long.parseLong(m.group(2));
        }
        m = SPOC_FILE.matcher(base);
        if (m.find()) {
            return "TIC " + Long.parseLong(m.group(1));
        }
        m = FILE_CATALOG.matcher(base);
        if (m.find()) {
            return m.group(1).toUpperCase(Locale.ROOT) + " " + Long.parseLong(m.group(2));
        }
        m = CATALOG.matcher(base.replace('_', ' '));
        if (m.find()) {
            return canonical(m.group(1)) + "-" + m.group(2).replaceAll("\\.$", "");
        }
        int dot = base.indexOf('.');
        return dot > 0 ? base.substring(0, dot) : base;
    }

    private static String canonical(String catalog) {
        for (String c : new String[] {"TIC", "KIC", "EPIC", "KOI", "TOI", "K2", "Kepler", "HAT-P", "WASP", "TrES"}) {
            if (c.equalsIgnoreCase(catalog)) {
                return c;
            }
        }
        return catalog;
    }

    /** The TIC number a name carries ("TIC 123" → 123), or 0. */
    public static long tic(String name) {
        return name != null && name.startsWith("TIC ") ? number(name, "TIC") : 0;
    }
}
