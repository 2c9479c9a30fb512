package org.tessexo.common.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.tessexo.common.eval.BinaryMetrics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code run-report.json}: what a run read, what it skipped and why, how training went, where the model is. Filled
 * in as the run goes and written always, also when the run fails after it started (then with {@code status: failed}
 * and the error). Field names and meanings are fixed by CONTRACT.md; fields are only ever added.
 */
public final class RunReport {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** A skipped or failed file. A class, not a record: it travels through Spark's Kryo 4. */
    public static final class Problem implements java.io.Serializable {
        private static final long serialVersionUID = 1L;
        public final String path;
        public final String outcome;
        public final String reason;

        public Problem(String path, String outcome, String reason) {
            this.path = path;
            this.outcome = outcome;
            this.reason = reason;
        }
    }

    public String command;
    /** This run's id: in the output folder's claim, its temporary names and here. */
    public String runId;
    public String input;
    public String output;
    public String master;
    public String status = "running";
    public String error;
    public long listed;
    public long images;
    public long skipped;
    public long failed;
    public Map<String, Long> reasons = new LinkedHashMap<>();
    /** The reasons of failed files only (a subset of {@link #reasons}). */
    public Map<String, Long> failedReasons = new LinkedHashMap<>();
    public List<Problem> problems = new ArrayList<>();
    public long problemsTotal;
    public long bytesRead;
    public String labels;
    public String labelsTable;
    public long labelled;
    public long unlabelled;
    public List<String> unlabelledExamples = new ArrayList<>();
    public long trainSamples;
    public int epochs;
    public List<Double> scores = new ArrayList<>();
    public String trainingApproach;
    public int workers;
    public BinaryMetrics evaluation = BinaryMetrics.empty();
    public String model;
    public Integer resumedFromEpoch;
    public String resumedFrom;
    public String checkpoint;
    /** The search command: the strongest candidates (at most max-problems of them), their count, the figures. */
    public List<Map<String, Object>> candidates;
    public long candidatesTotal;
    public List<String> figures = new ArrayList<>();
    public Map<String, Double> timings = new LinkedHashMap<>();
    /** What a user should know although the run succeeded (most of the input skipped, say). */
    public List<String> warnings = new ArrayList<>();
    public Map<String, Object> settings = new LinkedHashMap<>();

    /**
     * Adds {@code n} files of one outcome ("image", "skipped", "failed") and reason, which read {@code bytes}.
     *
     * @return how many of them are images that carry a reason (an image without a label): 0 otherwise
     */
    public long tally(String outcome, String reason, long n, long bytes) {
        bytesRead += bytes;
        if (outcome.equals("image")) {
            images += n;
            if (reason.isEmpty()) {
                return 0;
            }
            reasons.merge(reason, n, Long::sum);
            return n;
        }
        if (outcome.equals("skipped")) {
            skipped += n;
        } else {
            failed += n;
            failedReasons.merge(reason, n, Long::sum);
        }
        reasons.merge(reason, n, Long::sum);
        return 0;
    }

    public void timing(String step, long startNanos) {
        timings.put(step, Math.round((System.nanoTime() - startNanos) / 1e7) / 100.0);
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("command", command);
        m.put("run_id", runId);
        m.put("input", input);
        m.put("output", output);
        m.put("master", master);
        m.put("status", status);
        m.put("error", error);
        m.put("warnings", warnings);
        Map<String, Object> counts = new LinkedHashMap<>();
        counts.put("listed", listed);
        counts.put("images", images);
        counts.put("skipped", skipped);
        counts.put("failed", failed);
        m.put("counts", counts);
        m.put("reasons", reasons);
        m.put("failed_reasons", failedReasons);
        m.put("problems", problems);
        m.put("problems_total", problemsTotal);
        m.put("bytes_read", bytesRead);
        if (labels != null) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("labels", labels);
            t.put("labels_table", labelsTable);
            t.put("labelled", labelled);
            t.put("unlabelled", unlabelled);
            t.put("unlabelled_examples", unlabelledExamples);
            t.put("samples", trainSamples);
            t.put("epochs", epochs);
            t.put("scores", scores);
            t.put("approach", trainingApproach);
            t.put("workers", workers);
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("samples", evaluation.samples());
            e.put("accuracy", evaluation.accuracy());
            e.put("precision", evaluation.precision());
            e.put("recall", evaluation.recall());
            e.put("auc", evaluation.auc());
            t.put("evaluation", e);
            t.put("checkpoint", checkpoint);
            if (resumedFromEpoch != null) {
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("epoch", resumedFromEpoch);
                r.put("checkpoint", resumedFrom);
                t.put("resumed", r);
            }
            m.put("training", t);
        }
        if (candidates != null) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("candidates", candidatesTotal);
            c.put("strongest", candidates);
            c.put("figures", figures);
            m.put("search", c);
        }
        m.put("model", model);
        m.put("timings_s", timings);
        m.put("settings", settings);
        return m;
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(toMap());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The counts by reason, commonest first, as one line for messages. */
    public String reasonsLine() {
        return line(reasons);
    }

    private static String line(Map<String, Long> reasons) {
        StringBuilder sb = new StringBuilder();
        reasons.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue(), a.getValue())).forEach(e -> {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(e.getValue()).append(" x ").append(e.getKey());
        });
        return sb.toString();
    }

    /** The failed files' reasons, commonest first. */
    public String failedReasonsLine() {
        return line(failedReasons);
    }
}
