package org.tessexo.common.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.tessexo.common.eval.BinaryMetrics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code run-report.json}: what a run read, what it skipped and why, how training went, where the model is. Written
 * always, also when the run fails after it started (then with {@code status: failed} and the error). Field names and
 * meanings are fixed by CONTRACT.md; fields are only ever added.
 *
 * <p>Immutable: the job that runs a command owns the one {@link Builder}; the shared steps return typed results
 * ({@link Tally}, {@link Training}, {@link Search}) that the job puts in.
 */
public final class RunReport {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * The training section: how the model was fitted and how it did on the held-out split; {@code oneDnn} says
     * whether DL4J's oneDNN helpers ran the convolutions on the driver and the executors.
     */
    public record Training(String labels, String labelsTable, long labelled, long unlabelled,
                           List<String> unlabelledExamples, long samples, int epochs, List<Double> scores,
                           String approach, int workers, BinaryMetrics evaluation, String checkpoint,
                           Integer resumedFromEpoch, String resumedFrom, String oneDnn) {
        public Training {
            unlabelledExamples = List.copyOf(unlabelledExamples);
            scores = List.copyOf(scores);
        }
    }

    /** The search section: how many candidate signals, the strongest (one map per candidate row), the figures. */
    public record Search(long candidates, List<Map<String, Object>> strongest, List<String> figures) {
        public Search {
            strongest = List.copyOf(strongest);
            figures = List.copyOf(figures);
        }
    }

    public final String command;
    /** This run's id: in the output folder's claim, its temporary names and here. */
    public final String runId;
    public final String input;
    public final String output;
    public final String master;
    public final String status;
    public final String error;
    public final long listed;
    /** Files used: decoded images, or light curves searched (CONTRACT's {@code counts.images}, kept for both). */
    public final long images;
    public final long skipped;
    public final long failed;
    public final Map<String, Long> reasons;
    public final Map<String, Long> failedReasons;
    public final List<Tally.Problem> problems;
    public final long problemsTotal;
    public final long bytesRead;
    // The training section's fields, flat: null / 0 / empty when the command does not train.
    public final String labels;
    public final long labelled;
    public final long unlabelled;
    public final long trainSamples;
    public final int epochs;
    public final List<Double> scores;
    public final int workers;
    public final BinaryMetrics evaluation;
    public final String checkpoint;
    /** Whether DL4J's oneDNN helpers ran the convolutions, on the driver and the executors; null without training. */
    public final String oneDnn;
    public final String model;
    /** The search command: the strongest candidates, or null for other commands. */
    public final List<Map<String, Object>> candidates;
    public final long candidatesTotal;
    public final List<String> figures;
    public final List<String> warnings;
    /**
     * The vetting section: for {@code search} the vetter used and the candidates by disposition; for
     * {@code train-vetter} the examples by source and label, the held-out evaluation and the fit's speed. Null for
     * other commands.
     */
    public final Map<String, Object> vetting;
    /** The photometry section: CCDs, stars, frames measured, light curves written (photometry only). */
    public final Map<String, Object> photometry;
    /** The retrain section: the registry, what was new, the metrics of both models, the decision (retrain only). */
    public final Map<String, Object> retrain;
    private final Tally tally;
    private final Training training;
    private final Search search;
    private final Map<String, Double> timings;
    private final Map<String, Object> settings;

    private RunReport(Builder b) {
        command = b.command;
        runId = b.runId;
        input = b.input;
        output = b.output;
        master = b.master;
        status = b.status;
        error = b.error;
        tally = b.tally;
        training = b.training;
        search = b.search;
        model = b.model;
        warnings = List.copyOf(b.warnings);
        vetting = b.vetting == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(b.vetting));
        photometry = b.photometry == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(b.photometry));
        retrain = b.retrain == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(b.retrain));
        timings = Collections.unmodifiableMap(new LinkedHashMap<>(b.timings));
        settings = Collections.unmodifiableMap(new LinkedHashMap<>(b.settings));
        listed = tally.listed();
        images = tally.used();
        skipped = tally.skipped();
        failed = tally.failed();
        reasons = tally.reasons();
        failedReasons = tally.failedReasons();
        problems = tally.problems();
        problemsTotal = tally.problemsTotal();
        bytesRead = tally.bytesRead();
        labels = training == null ? null : training.labels();
        labelled = training == null ? 0 : training.labelled();
        unlabelled = training == null ? 0 : training.unlabelled();
        trainSamples = training == null ? 0 : training.samples();
        epochs = training == null ? 0 : training.epochs();
        scores = training == null ? List.of() : training.scores();
        workers = training == null ? 0 : training.workers();
        evaluation = training == null ? BinaryMetrics.empty() : training.evaluation();
        checkpoint = training == null ? null : training.checkpoint();
        oneDnn = training == null ? null : training.oneDnn();
        candidates = search == null ? null : search.strongest();
        candidatesTotal = search == null ? 0 : search.candidates();
        figures = search == null ? List.of() : search.figures();
    }

    /** The counts by reason, commonest first, as one line for messages. */
    public String reasonsLine() {
        return tally.reasonsLine();
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
        counts.put("images", images); // CONTRACT: kept for the scripts that read it; for search, = searched
        if ("search".equals(command) || "train-vetter".equals(command)) {
            counts.put("searched", images);
        }
        counts.put("skipped", skipped);
        counts.put("failed", failed);
        m.put("counts", counts);
        m.put("reasons", reasons);
        m.put("failed_reasons", failedReasons);
        m.put("problems", problems);
        m.put("problems_total", problemsTotal);
        m.put("bytes_read", bytesRead);
        if (training != null) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("labels", training.labels());
            t.put("labels_table", training.labelsTable());
            t.put("labelled", training.labelled());
            t.put("unlabelled", training.unlabelled());
            t.put("unlabelled_examples", training.unlabelledExamples());
            t.put("samples", training.samples());
            t.put("epochs", training.epochs());
            t.put("scores", training.scores());
            t.put("approach", training.approach());
            t.put("workers", training.workers());
            t.put("onednn", training.oneDnn());
            Map<String, Object> e = new LinkedHashMap<>();
            BinaryMetrics ev = training.evaluation();
            e.put("samples", ev.samples());
            e.put("accuracy", ev.accuracy());
            e.put("precision", ev.precision());
            e.put("recall", ev.recall());
            e.put("auc", ev.auc());
            e.put("log_loss", ev.logLoss());
            t.put("evaluation", e);
            t.put("checkpoint", training.checkpoint());
            if (training.resumedFromEpoch() != null) {
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("epoch", training.resumedFromEpoch());
                r.put("checkpoint", training.resumedFrom());
                t.put("resumed", r);
            }
            m.put("training", t);
        }
        if (search != null) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("candidates", search.candidates());
            c.put("strongest", search.strongest());
            c.put("figures", search.figures());
            m.put("search", c);
        }
        if (retrain != null) {
            m.put("retrain", retrain);
        }
        if (photometry != null) {
            m.put("photometry", photometry);
        }
        if (vetting != null) {
            m.put("vetting", vetting);
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

    public static Builder builder(String command) {
        return new Builder(command);
    }

    /**
     * The report of a run in progress, owned by the job that runs the command. Synchronized: the Ctrl-C hook takes
     * a {@link #build() snapshot} from another thread.
     */
    public static final class Builder {
        private final String command;
        private String runId;
        private String input;
        private String output;
        private String master;
        private String status = "running";
        private String error;
        private Tally tally = Tally.empty();
        private Training training;
        private Search search;
        private Map<String, Object> vetting;
        private Map<String, Object> photometry;
        private Map<String, Object> retrain;
        private String model;
        private final List<String> warnings = new ArrayList<>();
        private final Map<String, Double> timings = new LinkedHashMap<>();
        private final Map<String, Object> settings = new LinkedHashMap<>();

        private Builder(String command) {
            this.command = command;
        }

        public synchronized Builder run(String id, String in, String out, String sparkMaster) {
            this.runId = id;
            this.input = in;
            this.output = out;
            this.master = sparkMaster;
            return this;
        }

        public synchronized Builder setting(String section, Object value) {
            settings.put(section, value);
            return this;
        }

        public synchronized Builder tally(Tally t) {
            this.tally = t;
            return this;
        }

        public synchronized Builder warnings(List<String> w) {
            warnings.addAll(w);
            return this;
        }

        public synchronized Builder training(Training t) {
            this.training = t;
            return this;
        }

        public synchronized Builder photometry(Map<String, Object> p) {
            this.photometry = p;
            return this;
        }

        public synchronized Builder retrain(Map<String, Object> r) {
            this.retrain = new LinkedHashMap<>(r);
            return this;
        }

        public synchronized Builder vetting(Map<String, Object> v) {
            this.vetting = v;
            return this;
        }

        public synchronized Builder search(Search s) {
            this.search = s;
            return this;
        }

        public synchronized Builder model(String uri) {
            this.model = uri;
            return this;
        }

        /** Timings measured by a step, in seconds. */
        public synchronized Builder timings(Map<String, Double> steps) {
            timings.putAll(steps);
            return this;
        }

        /** The seconds since {@code startNanos} (System.nanoTime), as step {@code step}'s timing. */
        public synchronized Builder timing(String step, long startNanos) {
            timings.put(step, Math.round((System.nanoTime() - startNanos) / 1e7) / 100.0);
            return this;
        }

        public synchronized Builder ok() {
            this.status = "ok";
            return this;
        }

        public synchronized Builder failed(String message) {
            this.status = "failed";
            this.error = message;
            return this;
        }

        public synchronized RunReport build() {
            return new RunReport(this);
        }
    }
}
