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
import org.tessexo.spark.transforms.LabelJoin;
import org.tessexo.spark.transforms.SampleRow;
import org.tessexo.spark.transforms.ToDataSetFn;
import scala.Tuple2;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The image CNN's retraining: FITS images decoded and preprocessed as the current model's metadata says (whatever
 * the settings), new files labelled from {@code --labels}, old ones with the labels they were trained with; a warm
 * start with the optimizer's state at tess.retrain.learning-rate; AUC and log loss of the class-1 probability.
 */
final class ImageRetrainer implements Retrainer {
    private static final Logger LOG = LoggerFactory.getLogger(ImageRetrainer.class);

    @Override
    public String modelFile() {
        return "model.zip";
    }

    @Override
    public List<ListedFile> list(JobContext ctx, RunReport.Builder report) {
        return Job.list(ctx, report);
    }

    @Override
    public Trained train(JobContext ctx, RunReport.Builder report, Map<String, Object> section, Plan plan)
            throws IOException {
        PipelineSettings s = ctx.settings();
        ModelPackage.Loaded base = plan.currentModel() == null ? null : ModelPackage.load(plan.currentModel(), true);
        PipelineSettings ms = base == null ? s.withModel(s.fits(), s.preprocess(), s.model(), s.training().epochs())
                : s.withModel(base.metadata().decoder(), base.metadata().preprocess(), base.metadata().model(),
                s.retrain().epochs());
        JobContext mctx = new JobContext(ctx.command(), ms, ctx.spark(), ctx.out());

        Map<String, Integer> stored = new HashMap<>();
        plan.replay().forEach(e -> stored.put(e.path(), e.label()));
        plan.evaluation().forEach(e -> stored.put(e.path(), e.label()));
        List<ListedFile> toRead = new ArrayList<>(plan.fresh());
        plan.replay().forEach(e -> toRead.add(new ListedFile(e.path(), e.size())));
        plan.evaluation().forEach(e -> toRead.add(new ListedFile(e.path(), e.size())));

        Dataset<Row> labels = LabelsTable.read(ctx.spark(), s);
        String pathColumn = LabelJoin.pathColumn(labels, s.labelsTable().pathColumn(), s.labels());
        Broadcast<Map<String, Integer>> storedLabels = ctx.sc().broadcast(stored);
        int classes = ms.model().numClasses();
        // New files take their label from --labels; files the registry knows keep the label they were trained with.
        Ingest.Ingested<SampleRow> in = Job.ingest(mctx, report, toRead, Decode.spec(mctx, rows -> LabelJoin.apply(
                rows, labels, pathColumn, s.labelsTable().labelColumn(), classes, s.labels()).map(r ->
                r.isImage() && storedLabels.value().containsKey(r.path())
                        ? r.withLabel(storedLabels.value().get(r.path()), "") : r)));
        try {
            report.warnings(FailurePolicy.check(mctx, in.tally(), "images"));
            return fit(ctx, mctx, report, section, in.rows(), plan, base);
        } finally {
            in.rows().unpersist(false);
            storedLabels.destroy();
        }
    }

    private static Trained fit(JobContext ctx, JobContext mctx, RunReport.Builder report, Map<String, Object> section,
                               JavaRDD<SampleRow> rows, Plan plan, ModelPackage.Loaded base) throws IOException {
        PipelineSettings ms = mctx.settings();
        PipelineSettings.Retrain r = ms.retrain();
        JavaRDD<SampleRow> labelled = rows.filter(x -> x.isImage() && x.label() >= 0);
        JavaRDD<SampleRow> evalRows;
        JavaRDD<SampleRow> trainRows;
        List<Registry.Entry> evalEntries = plan.evaluation();
        if (plan.evaluation().isEmpty()) { // the first version: the evaluation set is fixed now, by file name
            long seed = r.seed();
            double fraction = r.evaluationFraction();
            evalRows = labelled.filter(x -> HeldOutSplit.isHeldOut(LabelMatcher.fileName(x.path()), seed, fraction));
            trainRows = labelled.filter(x -> !HeldOutSplit.isHeldOut(LabelMatcher.fileName(x.path()), seed,
                    fraction));
            evalEntries = entries(evalRows, plan.sizes());
        } else {
            Set<String> evalPaths = new HashSet<>();
            plan.evaluation().forEach(e -> evalPaths.add(e.path()));
            Broadcast<Set<String>> ep = ctx.sc().broadcast(evalPaths);
            evalRows = labelled.filter(x -> ep.value().contains(x.path()));
            trainRows = labelled.filter(x -> !ep.value().contains(x.path()));
        }
        Set<String> old = new HashSet<>();
        plan.manifest().forEach(e -> old.add(e.path()));
        Broadcast<Set<String>> oldPaths = ctx.sc().broadcast(old);
        // Only the new files' names and labels reach the driver: the manifest is written there.
        List<Registry.Entry> added = entries(trainRows.filter(x -> !oldPaths.value().contains(x.path())),
                plan.sizes());
        long samples = trainRows.count();
        section.put("new_labelled", added.size());
        section.put("training_samples", samples);
        section.put("evaluation_samples", evalRows.count());
        report.retrain(section);
        if (added.isEmpty()) {
            throw new NoValidDataException("No valid data loaded from " + ms.input() + ": none of the "
                    + plan.fresh().size() + " new files decoded to an image with a label in " + ms.labels()
                    + " (outcomes/ says why for each).");
        }

        int h = ms.preprocess().height();
        int w = ms.preprocess().width();
        Registry.Metrics before = null;
        if (base != null) {
            long t = System.nanoTime();
            BinaryMetrics m = Evaluation.heldOut(new Dl4jSparkTrainer(ctx.sc(), base.network().clone(),
                    ms.training()), evalRows, h, w);
            before = new Registry.Metrics(m.auc(), m.logLoss());
            section.put("current_evaluation", RetrainJob.metrics(m.samples(), m.accuracy(), m.auc(), m.logLoss()));
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
        LOG.info("Retraining {} on {} samples ({} new, {} replayed), {} epochs, {} workers", plan.current().orElse(
                "a new model"), samples, added.size(), plan.replay().size(), ms.training().epochs(),
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
        section.put("new_evaluation", RetrainJob.metrics(after.samples(), after.accuracy(), after.auc(),
                after.logLoss()));
        ModelMetadata meta = new ModelMetadata(ModelMetadata.FORMAT_VERSION, "table", ms.model().classes(),
                new int[] {1, 1, h, w}, ms.fits(), ms.preprocess(), ms.model(), ms.input(), Instant.now().toString());
        return new Trained(modelBytes(trainer.network(), meta), added, evalEntries, before,
                new Registry.Metrics(after.auc(), after.logLoss()), ms.training().epochs());
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
