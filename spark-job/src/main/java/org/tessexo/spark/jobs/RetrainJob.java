package org.tessexo.spark.jobs;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tessexo.common.config.PipelineSettings;
import org.tessexo.common.errors.NoValidDataException;
import org.tessexo.common.errors.UserException;
import org.tessexo.common.eval.BinaryMetrics;
import org.tessexo.common.eval.HeldOutSplit;
import org.tessexo.common.labels.LabelMatcher;
import org.tessexo.common.model.CnnFactory;
import org.tessexo.common.model.ModelMetadata;
import org.tessexo.common.model.ModelPackage;
import org.tessexo.common.model.Registry;
import org.tessexo.common.report.RunReport;
import org.tessexo.spark.engine.Dl4jSparkTrainer;
import org.tessexo.spark.io.ListedFile;
import org.tessexo.spark.steps.Decode;
import org.tessexo.spark.steps.Evaluation;
import org.tessexo.spark.steps.FailurePolicy;
import org.tessexo.spark.steps.Ingest;
import org.tessexo.spark.steps.JobContext;
import org.tessexo.spark.steps.LabelsTable;
import org.tessexo.spark.steps.ModelRegistry;
import org.tessexo.spark.transforms.LabelJoin;
import org.tessexo.spark.transforms.SampleRow;
import org.tessexo.spark.transforms.ToDataSetFn;
import scala.Tuple2;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code retrain}: the registry's current image CNN trained further on the files of {@code --input} it has not
 * trained on (labels from {@code --labels}), with a replay of files it has, then it and the current model scored on
 * the registry's fixed evaluation set; the new version is promoted (published and made current) only if its AUC is
 * not more than {@code tess.retrain.max-drop} below the current one's, otherwise kept as a candidate with the reason.
 * The first run on an empty registry trains from scratch and fixes the evaluation set.
 */
final class RetrainJob extends Job {
    private static final Logger LOG = LoggerFactory.getLogger(RetrainJob.class);
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper().enable(
                    com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT);

    @Override
    void describe(JobContext ctx, RunReport.Builder report) {
        report.setting("retrain", ctx.settings().retrain()).setting("training", ctx.settings().training());
    }

    @Override
    void run(JobContext ctx, RunReport.Builder report) {
        PipelineSettings s = ctx.settings();
        if (s.retrain().registry().isBlank()) {
            throw new UserException("retrain needs --registry URI: the model registry folder (it is created at the"
                    + " first run).");
        }
        if (s.labels().isEmpty()) {
            throw new UserException("retrain needs --labels: the labels of the new files (a CSV or Parquet table"
                    + " with a file column and an integer label).");
        }
        try (ModelRegistry registry = new ModelRegistry(s.retrain().registry(), ctx.hadoop(), ctx.out().runId())) {
            retrain(ctx, report, registry);
        } catch (IOException e) {
            throw new UncheckedIOException("registry " + s.retrain().registry() + ": " + e.getMessage(), e);
        }
    }

    private void retrain(JobContext ctx, RunReport.Builder report, ModelRegistry registry) throws IOException {
        PipelineSettings s = ctx.settings();
        Map<String, Object> section = new LinkedHashMap<>();
        section.put("registry", registry.uri());
        List<String> leftovers = registry.removeLeftovers();
        if (!leftovers.isEmpty()) {
            section.put("removed_leftovers", leftovers);
        }
        Optional<String> current = registry.current();
        section.put("current_before", current.orElse(null));
        List<Registry.Entry> manifest = current.isPresent() ? registry.manifest(current.get()) : List.of();
        List<Registry.Entry> evaluation = registry.evaluation();
        List<ListedFile> listed = list(ctx, report);
        Set<String> known = new HashSet<>();
        manifest.forEach(e -> known.add(e.path()));
        evaluation.forEach(e -> known.add(e.path()));
        List<ListedFile> fresh = listed.stream().filter(f -> !known.contains(f.path())).toList();
        section.put("listed", listed.size());
        section.put("new_files", fresh.size());
        section.put("trained_on_before", manifest.size());
        report.retrain(section);
        if (fresh.isEmpty()) {
            section.put("decision", "nothing new");
            section.put("reason", "every listed file is in " + current.orElse("the registry")
                    + "'s manifest or its evaluation set");
            report.retrain(section);
            LOG.info("Nothing new in {} since {}: the registry stays as it is", s.input(), current.orElse("-"));
            return;
        }

        // The model's own input rules: a warm start decodes and preprocesses exactly as the current version did.
        ModelPackage.Loaded base = current.isPresent()
                ? ModelPackage.load(registry.read(current.get(), "model.zip"), true) : null;
        PipelineSettings ms = base == null ? s.withModel(s.fits(), s.preprocess(), s.model(), s.training().epochs())
                : s.withModel(base.metadata().decoder(), base.metadata().preprocess(), base.metadata().model(),
                s.retrain().epochs());
        JobContext mctx = new JobContext(ctx.command(), ms, ctx.spark(), ctx.out());

        List<Registry.Entry> replay = replay(manifest, (int) Math.min(manifest.size(),
                Math.ceil(s.retrain().replay() * fresh.size())), s.retrain().seed() + manifest.size());
        Map<String, Integer> stored = new HashMap<>();
        replay.forEach(e -> stored.put(e.path(), e.label()));
        evaluation.forEach(e -> stored.put(e.path(), e.label()));
        List<ListedFile> toRead = new ArrayList<>(fresh);
        replay.forEach(e -> toRead.add(new ListedFile(e.path(), e.size())));
        evaluation.forEach(e -> toRead.add(new ListedFile(e.path(), e.size())));
        section.put("replayed", replay.size());
        section.put("evaluation_files", evaluation.isEmpty() ? null : evaluation.size());
        report.retrain(section);

        Dataset<Row> labels = LabelsTable.read(ctx.spark(), s);
        String pathColumn = LabelJoin.pathColumn(labels, s.labelsTable().pathColumn(), s.labels());
        Broadcast<Map<String, Integer>> storedLabels = ctx.sc().broadcast(stored);
        int classes = ms.model().numClasses();
        // New files take their label from --labels; files the registry knows keep the label they were trained with.
        Ingest.Ingested<SampleRow> in = ingest(mctx, report, toRead, Decode.spec(mctx, rows -> LabelJoin.apply(rows,
                labels, pathColumn, s.labelsTable().labelColumn(), classes, s.labels()).map(r ->
                r.isImage() && storedLabels.value().containsKey(r.path())
                        ? r.withLabel(storedLabels.value().get(r.path()), "") : r)));
        try {
            report.warnings(FailurePolicy.check(mctx, in.tally(), "images"));
            train(ctx, mctx, report, registry, section, in.rows(), current, base, manifest, evaluation, listed);
        } finally {
            in.rows().unpersist(false);
            storedLabels.destroy();
        }
    }

    private void train(JobContext ctx, JobContext mctx, RunReport.Builder report, ModelRegistry registry,
                       Map<String, Object> section, JavaRDD<SampleRow> rows, Optional<String> current,
                       ModelPackage.Loaded base, List<Registry.Entry> manifest, List<Registry.Entry> evaluation,
                       List<ListedFile> listed) throws IOException {
        PipelineSettings ms = mctx.settings();
        PipelineSettings.Retrain r = ms.retrain();
        JavaRDD<SampleRow> labelled = rows.filter(x -> x.isImage() && x.label() >= 0);
        JavaRDD<SampleRow> evalRows;
        JavaRDD<SampleRow> trainRows;
        List<Registry.Entry> evalEntries = evaluation;
        Map<String, Long> sizes = new HashMap<>();
        listed.forEach(f -> sizes.put(f.path(), f.length()));
        if (evaluation.isEmpty()) { // the first version: the evaluation set is fixed now, by file name
            long seed = r.seed();
            double fraction = r.evaluationFraction();
            evalRows = labelled.filter(x -> HeldOutSplit.isHeldOut(LabelMatcher.fileName(x.path()), seed, fraction));
            trainRows = labelled.filter(x -> !HeldOutSplit.isHeldOut(LabelMatcher.fileName(x.path()), seed,
                    fraction));
            evalEntries = entries(evalRows, sizes);
        } else {
            Set<String> evalPaths = new HashSet<>();
            evaluation.forEach(e -> evalPaths.add(e.path()));
            Broadcast<Set<String>> ep = ctx.sc().broadcast(evalPaths);
            evalRows = labelled.filter(x -> ep.value().contains(x.path()));
            trainRows = labelled.filter(x -> !ep.value().contains(x.path()));
        }
        Set<String> old = new HashSet<>();
        manifest.forEach(e -> old.add(e.path()));
        Broadcast<Set<String>> oldPaths = ctx.sc().broadcast(old);
        // Only the new files' names and labels reach the driver: the manifest is written there.
        List<Registry.Entry> added = entries(trainRows.filter(x -> !oldPaths.value().contains(x.path())), sizes);
        long samples = trainRows.count();
        section.put("new_labelled", added.size());
        section.put("training_samples", samples);
        section.put("evaluation_samples", evalRows.count());
        report.retrain(section);
        if (added.isEmpty()) {
            throw new NoValidDataException("No valid data loaded from " + ms.input() + ": none of the "
                    + section.get("new_files") + " new files decoded to an image with a label in " + ms.labels()
                    + " (outcomes/ says why for each).");
        }

        int h = ms.preprocess().height();
        int w = ms.preprocess().width();
        Registry.Metrics currentMetrics = null;
        if (base != null) {
            long t = System.nanoTime();
            BinaryMetrics before = Evaluation.heldOut(new Dl4jSparkTrainer(ctx.sc(), base.network().clone(),
                    ms.training()), evalRows, h, w);
            currentMetrics = new Registry.Metrics(before.auc(), before.logLoss());
            section.put("current_evaluation", metrics(before));
            report.timing("evaluate-current", t);
        }
        long t = System.nanoTime();
        MultiLayerNetwork net = base != null ? base.network() : CnnFactory.build(ms.model(), h, w);
        if (base != null && r.learningRate() > 0) {
            // A warm start fine-tunes: a step that suited training from scratch throws a converged model about.
            net.setLearningRate(r.learningRate());
        }
        Dl4jSparkTrainer trainer = new Dl4jSparkTrainer(ctx.sc(), net, ms.training());
        List<Double> scores = new ArrayList<>();
        LOG.info("Retraining {} on {} samples ({} new, {} replayed), {} epochs, {} workers", current.orElse(
                "a new model"), samples, added.size(), section.get("replayed"), ms.training().epochs(),
                trainer.workers());
        trainer.fit(trainRows.map(new ToDataSetFn(h, w, ms.model().numClasses())), 1, ms.training().epochs(),
                (epoch, score, network) -> {
                    scores.add(score);
                    section.put("scores", List.copyOf(scores));
                    report.retrain(section);
                });
        report.timing("train", t);
        t = System.nanoTime();
        BinaryMetrics after = Evaluation.heldOut(trainer, evalRows, h, w);
        report.timing("evaluate", t);
        section.put("new_evaluation", metrics(after));
        Registry.Decision decision = Registry.Decision.of(currentMetrics, new Registry.Metrics(after.auc(),
                after.logLoss()), r.maxDrop(), r.maxLossRise());
        section.put("current_auc", currentMetrics == null ? null : currentMetrics.auc());
        section.put("new_auc", after.auc());
        section.put("current_log_loss", currentMetrics == null ? null : currentMetrics.logLoss());
        section.put("new_log_loss", after.logLoss());
        section.put("decision", decision.promote() ? "promoted" : "kept current");
        section.put("reason", decision.reason());
        LOG.info("Retrain: {}", decision.reason());

        List<Registry.Entry> all = new ArrayList<>(manifest);
        all.addAll(added);
        ModelMetadata meta = new ModelMetadata(ModelMetadata.FORMAT_VERSION, "table", ms.model().classes(),
                new int[] {1, 1, h, w}, ms.fits(), ms.preprocess(), ms.model(), ms.input(), Instant.now().toString());
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("parent", current.orElse(null));
        info.put("run_id", ctx.out().runId());
        info.put("created_at", meta.createdAt());
        info.put("input", ms.input());
        info.put("labels", ms.labels());
        info.put("new_files", added.size());
        info.put("replayed", section.get("replayed"));
        info.put("trained_on", all.size());
        info.put("fingerprint", Registry.fingerprint(all));
        info.put("evaluation_fingerprint", Registry.fingerprint(evalEntries));
        info.put("epochs", ms.training().epochs());
        info.put("current_auc", section.get("current_auc"));
        info.put("new_auc", after.auc());
        info.put("current_log_loss", section.get("current_log_loss"));
        info.put("new_log_loss", after.logLoss());
        info.put("decision", section.get("decision"));
        info.put("reason", decision.reason());
        info.put("run_report", ctx.out().uri(org.tessexo.spark.io.OutputStore.REPORT));
        section.put("fingerprint", info.get("fingerprint"));

        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("model.zip", modelBytes(trainer.network(), meta));
        files.put(Registry.MANIFEST, Registry.toCsv(all).getBytes(StandardCharsets.UTF_8));
        report.retrain(section);
        if (decision.promote()) {
            if (evaluation.isEmpty()) {
                registry.writeEvaluation(evalEntries);
            }
            // version.json last: a version folder is complete when it has one (the rename publishes all at once)
            files.put("run-report.json", report.build().toJson().getBytes(StandardCharsets.UTF_8));
            files.put(Registry.VERSION_INFO, JSON.writeValueAsBytes(info));
            String version = registry.publish(files);
            registry.point(version);
            section.put("version", version);
            report.model(registry.uri(version, "model.zip"));
        } else {
            files.put(Registry.VERSION_INFO, JSON.writeValueAsBytes(info));
            section.put("candidate", registry.keepCandidate(ctx.out().runId(), files));
        }
        report.retrain(section);
    }

    private static Map<String, Object> metrics(BinaryMetrics m) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("samples", m.samples());
        out.put("accuracy", m.accuracy());
        out.put("auc", m.auc());
        out.put("log_loss", m.logLoss());
        return out;
    }

    /** (path, size, label) of rows, sorted by path: only these small records reach the driver. */
    private static List<Registry.Entry> entries(JavaRDD<SampleRow> rows, Map<String, Long> sizes) {
        List<Registry.Entry> out = new ArrayList<>();
        for (Tuple2<String, Integer> t : rows.map(x -> new Tuple2<>(x.path(), x.label())).collect()) {
            out.add(new Registry.Entry(t._1(), sizes.getOrDefault(t._1(), -1L), t._2()));
        }
        out.sort(Comparator.comparing(Registry.Entry::path));
        return out;
    }

    /** A fixed-size sample of the manifest, the same for the same manifest and seed. */
    static List<Registry.Entry> replay(List<Registry.Entry> manifest, int n, long seed) {
        List<Registry.Entry> shuffled = new ArrayList<>(manifest);
        java.util.Collections.shuffle(shuffled, new java.util.Random(seed));
        return shuffled.subList(0, Math.min(n, shuffled.size()));
    }

    private static byte[] modelBytes(MultiLayerNetwork net, ModelMetadata meta) throws IOException {
        java.nio.file.Path tmp = Files.createTempFile("tess-retrain-", ".zip");
        try {
            ModelPackage.save(net, meta, tmp);
            return Files.readAllBytes(tmp);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
