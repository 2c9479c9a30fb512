package org.tessexo.common.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The model registry's layout and rules, shared by {@code retrain} (which writes it) and {@code serve} (which
 * follows it). A registry is a folder:
 * <pre>
 *   current              the name of the version served, one line ("v0003"): the commit point
 *   v0001/ v0002/ ...    complete versions: the model (model.zip or vetter.zip), manifest.csv (every file the
 *                        model has trained on, with its size and label), version.json (metrics, decision,
 *                        fingerprint), run-report.json
 *   evaluation.csv       the fixed evaluation set (file, size, label), chosen at the first version, never trained on
 *   candidates/RUN/      a model that was trained but not promoted, and why
 *   .vNNNN.RUN.tmp/      a version being written (a crash leaves it; it is never served, the next run removes it)
 * </pre>
 * A version folder appears whole (written as staging, then renamed) before {@code current} names it, and
 * {@code current} is replaced whole: a crash at any point leaves {@code current} naming a complete version.
 */
public final class Registry {
    public static final String CURRENT = "current";
    public static final String MANIFEST = "manifest.csv";
    public static final String EVALUATION = "evaluation.csv";
    public static final String VERSION_INFO = "version.json";
    public static final String CANDIDATES = "candidates";
    private static final Pattern VERSION = Pattern.compile("v(\\d{4,})");

    private Registry() {
    }

    /** The folder name of version {@code n} (v0001). */
    public static String versionName(int n) {
        return String.format(Locale.ROOT, "v%04d", n);
    }

    /** The number of a version folder's name, or empty for any other name. */
    public static Optional<Integer> versionNumber(String name) {
        Matcher m = VERSION.matcher(name);
        return m.matches() ? Optional.of(Integer.parseInt(m.group(1))) : Optional.empty();
    }

    /** The name the next version gets: one past the highest of the names given (v0001 when there is none). */
    public static String nextVersion(Collection<String> names) {
        int max = 0;
        for (String n : names) {
            max = Math.max(max, versionNumber(n).orElse(0));
        }
        return versionName(max + 1);
    }

    /** One file a model trained on (or is evaluated on): its URI, size and label. */
    public record Entry(String path, long size, int label) {
        public String csvLine() {
            return quote(path) + "," + size + "," + label;
        }
    }

    public static final String MANIFEST_HEADER = "file,size,label";

    /** Writes entries as CSV with {@link #MANIFEST_HEADER}. */
    public static String toCsv(Collection<Entry> entries) {
        StringBuilder sb = new StringBuilder(MANIFEST_HEADER).append('\n');
        for (Entry e : entries) {
            sb.append(e.csvLine()).append('\n');
        }
        return sb.toString();
    }

    /** Reads what {@link #toCsv} wrote. @throws IllegalArgumentException a line that is not an entry */
    public static List<Entry> fromCsv(String text) {
        List<Entry> out = new ArrayList<>();
        String[] lines = text.split("\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || (i == 0 && line.equals(MANIFEST_HEADER))) {
                continue;
            }
            int b = line.lastIndexOf(',');
            int a = line.lastIndexOf(',', b - 1);
            if (a <= 0 || b <= a) {
                throw new IllegalArgumentException("line " + (i + 1) + " is not file,size,label: " + line);
            }
            try {
                out.add(new Entry(unquote(line.substring(0, a)), Long.parseLong(line.substring(a + 1, b)),
                        Integer.parseInt(line.substring(b + 1))));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("line " + (i + 1) + " is not file,size,label: " + line, e);
            }
        }
        return out;
    }

    private static String quote(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    private static String unquote(String s) {
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")
                ? s.substring(1, s.length() - 1).replace("\"\"", "\"") : s;
    }

    /** SHA-256 of the entries' CSV lines, sorted: the same set of files and labels gives the same fingerprint. */
    public static String fingerprint(Collection<Entry> entries) {
        List<String> lines = new ArrayList<>();
        entries.forEach(e -> lines.add(e.csvLine()));
        lines.sort(null);
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            for (String l : lines) {
                d.update(l.getBytes(StandardCharsets.UTF_8));
                d.update((byte) '\n');
            }
            return "sha256:" + HexFormat.of().formatHex(d.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The promotion rule: a new model replaces the current one unless, on the fixed evaluation set, its AUC falls
     * more than {@code maxDrop} below the current one's or its log loss rises more than {@code maxLossRise} above
     * it. The AUC alone misses a model taught wrong labels alongside right ones (its ranking can hold while its
     * probabilities lose their meaning); the log loss sees that. The first version, with nothing to compare, is
     * promoted. A metric that cannot be computed (null or NaN: one class only in the evaluation set) is no
     * evidence: the new model is not promoted over a current one.
     */
    public record Decision(boolean promote, String reason) {
        public static Decision of(Metrics current, Metrics candidate, double maxDrop, double maxLossRise) {
            if (current == null) {
                return new Decision(true, "first version" + (candidate.known() ? ": " + candidate : ""));
            }
            if (!candidate.known() || !current.known()) {
                return new Decision(false, "an evaluation metric could not be computed (" + candidate + " against "
                        + current + "): the current version stays");
            }
            boolean auc = candidate.auc() >= current.auc() - maxDrop;
            boolean loss = candidate.logLoss() <= current.logLoss() + maxLossRise;
            String verdict = auc && loss ? "promoted" : "not promoted, the current version stays ("
                    + (auc ? "" : "AUC fell") + (auc || loss ? "" : ", ") + (loss ? "" : "log loss rose") + ")";
            return new Decision(auc && loss, String.format(Locale.ROOT, "%s against the current %s (the rule: AUC at"
                    + " most %.4f lower, log loss at most %.4f higher): %s", candidate, current, maxDrop,
                    maxLossRise, verdict));
        }
    }

    /** A model's metrics on the evaluation set (null or NaN when undefined). */
    public record Metrics(Double auc, Double logLoss) {
        boolean known() {
            return auc != null && !auc.isNaN() && logLoss != null && !logLoss.isNaN();
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "AUC %s, log loss %s", auc == null ? "n/a"
                    : String.format(Locale.ROOT, "%.4f", auc), logLoss == null ? "n/a"
                    : String.format(Locale.ROOT, "%.4f", logLoss));
        }
    }
}
