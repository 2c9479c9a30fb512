package org.tessexo.common.report;

import org.tessexo.common.fits.Outcome;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What became of a run's listed files, counted: by outcome, by reason, the bytes read, and a bounded list of the
 * skipped and failed files. The shared ingest step returns one; the job puts it into the report. Immutable.
 *
 * @param listed        files listed
 * @param used          files used: decoded images, or light curves searched
 * @param skipped       valid files the command cannot use
 * @param failed        files that could not be read
 * @param reasons       skipped and failed files by reason, plus used files that carry a reason (an image without a
 *                      label), commonest first
 * @param failedReasons the failed files' reasons only, commonest first
 * @param usedWithReason used files that carry a reason (images without a usable label)
 * @param problems      at most max-problems skipped and failed files, with their reasons
 * @param problemsTotal all skipped and failed files
 */
public record Tally(long listed, long used, long skipped, long failed, long bytesRead, Map<String, Long> reasons,
                   Map<String, Long> failedReasons, long usedWithReason, List<Problem> problems,
                   long problemsTotal) {

    /** A skipped or failed file. A class, not a record: it travels through Spark's Kryo 4. */
    public static final class Problem implements Serializable {
        private static final long serialVersionUID = 1L;
        public final String path;
        public final String outcome;
        public final String reason;

        public Problem(String path, Outcome outcome, String reason) {
            this.path = path;
            this.outcome = outcome.label();
            this.reason = reason;
        }
    }

    /** Files of one outcome and reason, and the bytes they read: one group of the ingest step's aggregation. */
    public record Group(Outcome outcome, String reason, long files, long bytes) {
    }

    public Tally {
        reasons = Collections.unmodifiableMap(new LinkedHashMap<>(reasons));
        failedReasons = Collections.unmodifiableMap(new LinkedHashMap<>(failedReasons));
        problems = List.copyOf(problems);
    }

    /** Nothing listed yet. */
    public static Tally empty() {
        return listed(0);
    }

    /** Files listed, nothing counted yet. */
    public static Tally listed(long listed) {
        return new Tally(listed, 0, 0, 0, 0, Map.of(), Map.of(), 0, List.of(), 0);
    }

    /**
     * The tally of {@code listed} files from their groups by outcome and reason. Reasons are ordered commonest first
     * (then by name), so that the report reads the same on every run.
     */
    public static Tally of(long listed, Iterable<Group> groups, List<Problem> problems) {
        long used = 0;
        long skipped = 0;
        long failed = 0;
        long bytes = 0;
        long usedWithReason = 0;
        Map<String, Long> reasons = new LinkedHashMap<>();
        Map<String, Long> failedReasons = new LinkedHashMap<>();
        for (Group g : groups) {
            bytes += g.bytes();
            switch (g.outcome()) {
                case IMAGE, SEARCHED -> {
                    used += g.files();
                    if (!g.reason().isEmpty()) {
                        usedWithReason += g.files();
                        reasons.merge(g.reason(), g.files(), Long::sum);
                    }
                }
                case SKIPPED -> {
                    skipped += g.files();
                    reasons.merge(g.reason(), g.files(), Long::sum);
                }
                case FAILED -> {
                    failed += g.files();
                    reasons.merge(g.reason(), g.files(), Long::sum);
                    failedReasons.merge(g.reason(), g.files(), Long::sum);
                }
            }
        }
        return new Tally(listed, used, skipped, failed, bytes, commonestFirst(reasons), commonestFirst(failedReasons),
                usedWithReason, problems, skipped + failed);
    }

    private static Map<String, Long> commonestFirst(Map<String, Long> m) {
        Map<String, Long> sorted = new LinkedHashMap<>();
        m.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return sorted;
    }

    /** The counts by reason, commonest first, as one line for messages: "3 x truncated, 1 x not FITS". */
    public String reasonsLine() {
        return line(reasons);
    }

    /** The failed files' reasons, commonest first, as one line. */
    public String failedReasonsLine() {
        return line(failedReasons);
    }

    /** The commonest reason among the skipped and failed files (and used files with a reason), or null. */
    public Map.Entry<String, Long> commonest() {
        return reasons.isEmpty() ? null : reasons.entrySet().iterator().next();
    }

    private static String line(Map<String, Long> reasons) {
        List<String> parts = new ArrayList<>();
        reasons.forEach((reason, n) -> parts.add(String.format(Locale.ROOT, "%d x %s", n, reason)));
        return String.join(", ", parts);
    }
}
