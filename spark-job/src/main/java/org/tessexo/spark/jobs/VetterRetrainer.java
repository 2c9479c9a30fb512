package org.tessexo.spark.jobs;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tessexo.common.config.PipelineSettings;
import org.tessexo.common.errors.NoValidDataException;
import org.tessexo.common.eval.BinaryMetrics;
import org.tessexo.common.eval.HeldOutSplit;
import org.tessexo.common.labels.LabelMatcher;
import org.tessexo.common.model.Registry;
import org.tessexo.common.report.RunReport;
import org.tessexo.common.vetting.TrainingExamples;
import org.tessexo.common.vetting.Vetter;
import org.tessexo.common.vetting.VetterNetwork;
import org.tessexo.common.vetting.VettingMetrics;
import org.tessexo.spark.engine.Dl4jGraphTrainer;
import org.tessexo.spark.io.ListedFile;
import org.tessexo.spark.steps.FailurePolicy;
import org.tessexo.spark.steps.Ingest;
import org.tessexo.spark.steps.JobContext;
import org.tessexo.spark.transforms.ExampleRow;
import org.tessexo.spark.transforms.VetFn;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The vetter's retraining: light curves into training examples as {@code train-vetter} makes them (injected planets
 * and binaries, inverted false alarms, and the known signals of {@code --labels}, which may be left out), seeded by
 * file name, so the evaluation set's examples are the same at every version; a warm start of the vetting network;
 * AUC and log loss of the planet probability (planet candidate against the rest).
 */
final class VetterRetrainer implements Retrainer {
    private static final Logger LOG = LoggerFactory.getLogger(VetterRetrainer.class);

    @Override
    public String modelFile() {
        return TrainVetterJob.VETTER;
    }

    @Override
    public List<ListedFile> list(JobContext ctx, RunReport.Builder report) {
        return Job.listLightCurves(ctx, report);
    }

    @Override
    public Trained train(JobContext ctx, RunReport.Builder report, Map<String, Object> section, Plan plan)
            throws IOException {
        PipelineSettings s = ctx.settings();
        PipelineSettings.Retrain r = s.retrain();
        List<Registry.Entry> evaluation = plan.evaluation();
        List<ListedFile> toRead = new ArrayList<>(plan.fresh());
        if (evaluation.isEmpty()) { // the first version: a share of the light curves, by file name, evaluates
            List<Registry.Entry> chosen = new ArrayList<>();
            for (ListedFile f : plan.fresh()) {
                if (HeldOutSplit.isHeldOut(LabelMatcher.fileName(f.path()), r.seed(), r.evaluationFraction())) {
                    chosen.add(new Registry.Entry(f.path(), f.length(), -1));
                }
            }
            chosen.sort(Comparator.comparing(Registry.Entry::path));
            evaluation = chosen;
        } else {
            evaluation.forEach(e -> toRead.add(new ListedFile(e.path(), e.size())));
        }
        plan.replay().forEach(e -> toRead.add(new ListedFile(e.path(), e.size())));
        Set<String> evalPaths = new HashSet<>();
        evaluation.forEach(e -> evalPaths.add(e.path()));
        Set<String> old = new HashSet<>();
        plan.manifest().forEach(e -> old.add(e.path()));

        Broadcast<Map<String, TrainingExamples.Known>> known = ctx.sc().broadcast(TrainVetterJob.labels(ctx));
        Ingest.Ingested<ExampleRow> in = Job.ingest(ctx, report, toRead, TrainVetterJob.examplesSpec(ctx, known));
        Broadcast<Set<String>> ep = ctx.sc().broadcast(evalPaths);
        Broadcast<Set<String>> op = ctx.sc().broadcast(old);
        JavaRDD<ExampleRow> rows = in.rows();
        try {
            report.warnings(FailurePolicy.check(ctx, in.tally(), "light curves with examples"));
            JavaRDD<TrainingExamples.Example> evalExamples = rows.filter(x -> ep.value().contains(x.path()))
                    .flatMap(x -> x.examples().iterator());
            JavaRDD<ExampleRow> trainRows = rows.filter(x -> !ep.value().contains(x.path()));
            List<Registry.Entry> added = new ArrayList<>();
            for (scala.Tuple2<String, Long> t : trainRows.filter(x -> !op.value().contains(x.path())
                    && !x.examples().isEmpty()).map(x -> new scala.Tuple2<>(x.path(), x.bytesRead())).collect()) {
                added.add(new Registry.Entry(t._1(), plan.sizes().getOrDefault(t._1(), t._2()), -1));
            }
            added.sort(Comparator.comparing(Registry.Entry::path));
            section.put("new_light_curves_with_examples", added.size());
            report.retrain(section);
            if (added.isEmpty()) {
                throw new NoValidDataException("No valid data loaded from " + s.input() + ": none of the "
                        + plan.fresh().size() + " new light curves gave a training example (outcomes/ says why).");
            }
            return fit(ctx, report, section, plan, trainRows, evalExamples, added, evaluation);
        } finally {
            rows.unpersist(false);
            known.destroy();
        }
    }

    private static Trained fit(JobContext ctx, RunReport.Builder report, Map<String, Object> section, Plan plan,
                               JavaRDD<ExampleRow> trainRows, JavaRDD<TrainingExamples.Example> evalExamples,
                               List<Registry.Entry> added, List<Registry.Entry> evaluation) throws IOException {
        PipelineSettings s = ctx.settings();
        PipelineSettings.Vetting v = s.vetting();
        PipelineSettings.Retrain r = s.retrain();
        boolean mirror = v.mirror();
        JavaRDD<MultiDataSet> train = trainRows.flatMap(x -> x.examples().iterator())
                .flatMap(e -> (mirror ? List.of(e.views(), e.views().mirrored()) : List.of(e.views())).stream()
                        .map(views -> (MultiDataSet) VetterNetwork.example(views, e.label())).iterator())
                .persist(StorageLevel.MEMORY_AND_DISK_SER());
        try {
            long samples = train.count();
            section.put("training_samples", samples);
            Registry.Metrics before = null;
            if (plan.currentModel() != null) {
                BinaryMetrics m = score(ctx, plan.currentModel(), evalExamples, v.threshold());
                before = new Registry.Metrics(m.auc(), m.logLoss());
                section.put("current_evaluation", RetrainJob.metrics(m.samples(), m.accuracy(), m.auc(),
                        m.logLoss()));
            }
            ComputationGraph net;
            int epochs;
            if (plan.currentModel() == null) {
                net = TrainVetterJob.newNetwork(v);
                epochs = v.epochs();
            } else {
                net = Vetter.load(plan.currentModel(), true).network();
                if (r.learningRate() > 0) {
                    net.setLearningRate(r.learningRate());
                }
                epochs = r.epochs();
            }
            Dl4jGraphTrainer trainer = new Dl4jGraphTrainer(ctx.sc(), net, s.training(), v.batchSize());
            List<Double> scores = new ArrayList<>();
            LOG.info("Retraining the vetter {} on {} samples ({} new light curves, {} replayed), {} epochs",
                    plan.current().orElse("(new)"), samples, added.size(), plan.replay().size(), epochs);
            long t = System.nanoTime();
            trainer.fit(train, epochs, (epoch, score, n) -> {
                scores.add(score);
                section.put("scores", List.copyOf(scores));
                report.retrain(section);
            });
            report.timing("train", t);
            byte[] provisional = TrainVetterJob.bytes(new Vetter(trainer.network(), Vetter.info(v.threshold(),
                    s.input(), samples, Double.NaN)));
            BinaryMetrics after = score(ctx, provisional, evalExamples, v.threshold());
            Vetter saved = new Vetter(trainer.network(), Vetter.info(v.threshold(), s.input(), samples,
                    after.auc() == null ? Double.NaN : after.auc()));
            section.put("new_evaluation", RetrainJob.metrics(after.samples(), after.accuracy(), after.auc(),
                    after.logLoss()));
            return new Trained(TrainVetterJob.bytes(saved), added, evaluation, before,
                    new Registry.Metrics(after.auc(), after.logLoss()), epochs);
        } finally {
            train.unpersist(false);
        }
    }

    /** A vetter's planet probability on the evaluation examples, on the executors: planet against the rest. */
    private static BinaryMetrics score(JobContext ctx, byte[] vetter, JavaRDD<TrainingExamples.Example> examples,
                                       double threshold) {
        Broadcast<byte[]> b = ctx.sc().broadcast(vetter);
        try {
            return VettingMetrics.binary(examples.mapPartitions(new VetFn(b)).collect(), threshold);
        } finally {
            b.destroy();
        }
    }
}
