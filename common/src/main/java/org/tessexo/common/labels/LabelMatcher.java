package org.tessexo.common.labels;

import java.util.Locale;

/**
 * Decides whether a labels-table entry names a listed file. An entry may be a full URI
 * ({@code s3a://bucket/key.fits}, {@code file:/data/x.fits}), a key or relative path ({@code tess/public/.../x.fits})
 * or a bare file name. URIs compare after normalizing the scheme ({@code s3://}, {@code s3n://} and {@code s3a://}
 * are the same object; {@code file:/x} and {@code file:///x} and {@code /x} the same file); keys match the end of
 * the listed path on a {@code /} boundary; file names match the last path segment. Joins first group by
 * {@link #fileName}, so only entries with the same file name are ever compared.
 */
public final class LabelMatcher {
    private LabelMatcher() {
    }

    public static String fileName(String pathOrUri) {
        String p = pathOrUri.trim();
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p.substring(p.lastIndexOf('/') + 1);
    }

    public static boolean matches(String listedPath, String entry) {
        String e = entry.trim();
        if (e.isEmpty()) {
            return false;
        }
        String listed = normalize(listedPath);
        if (e.contains("://") || e.startsWith("file:")) {
            return listed.equals(normalize(e));
        }
        if (e.startsWith("/")) {
            return listed.equals(normalize(e));
        }
        if (e.contains("/")) {
            return listed.endsWith("/" + e) || listed.equals(e);
        }
        return fileName(listed).equals(e);
    }

    static String normalize(String uri) {
        String u = uri.trim();
        String lower = u.toLowerCase(Locale.ROOT);
        if (lower.startsWith("s3://") || lower.startsWith("s3n://")) {
            u = "s3a://" + u.substring(u.indexOf("://") + 3);
        } else if (lower.startsWith("file:")) {
            String rest = u.substring(5);
            while (rest.startsWith("//")) {
                rest = rest.substring(1);
            }
            u = "file:" + rest;
        } else if (u.startsWith("/")) {
            u = "file:" + u;
        }
        return u;
    }
}
