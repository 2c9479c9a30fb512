package org.tessexo.spark.jobs;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tessexo.common.config.PipelineSettings;
import org.tessexo.common.errors.NoValidDataException;
import org.tessexo.common.errors.UserException;
import org.tessexo.common.eval.HeldOutSplit;
import org.tessexo.common.report.RunReport;
import org.tessexo.common.vetting.TrainingExamples;
import org.tessexo.common.vetting.VetterLabels;
import org.tessexo.common.vetting.VetterNetwork;
import org.tessexo.common.vetting.Vetter;
import org.tessexo.common.vetting.VettingMetrics;
import org.tessexo.spark.engine.Dl4jGraphTrainer;
import org.tessexo.spark.engine.SparkSetup;
import org.tessexo.spark.io.HadoopFiles;
import org.tessexo.spark.steps.FailurePolicy;
import org.tessexo.spark.steps.Ingest;
import org.tessexo.spark.steps.JobContext;
import org.tessexo.spark.steps.OutcomeTable;
import org.tessexo.spark.steps.Tables;
import org.tessexo.spark.transforms.ExampleRow;
import org.tessexo.spark.transforms.ExamplesFn;
import org.tessexo.spark.transforms.VetFn;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code train-vetter} command: list light curves, make the training examples on the executors (each light
 * curve itself when labelled, inverted, and with injected planets and binaries: searched, views made), split by
 * star, fit the {@link VetterNetwork} with parameter averaging (keeping the mean of the later epochs' weights,
 * or the epoch that scores best on a validation tenth of the training stars), score the held-out stars on the
 * executors, and write {@code vetter.zip}, the held-out scores ({@code examples/}) and the evaluation in the
 * report. With {@code vetter.folds} k above 1, k fits by star-level cross-validation: every star scored once by a
 * vetter that never saw it.
 */
final class TrainVetterJob extends Job {
    private static final Logger LOG = LoggerFactory.getLogger(TrainVetterJob.class);
    public static final String VETTER = "vetter.zip";
    public static final String EXAMPLES = "examples";
    /** Each light curve is searched several times: partitions of 2 files spread them over the cores. */
    static final int FILES_PER_TASK = 2;

    @Override
    void describe(JobContext ctx, RunReport.Builder report) {
        report.setting("vetter", ctx.settings().vetting()).setting("search", ctx.settings().search());
    }

    static final OutcomeTable<ExampleRow> OUTCOMES = new OutcomeTable<>(OutcomeTable.leading()
            .add("examples", DataTypes.IntegerType),
            r -> OutcomeTable.row(r, null, null, null, r.examples().size()));

    static final StructType SCORED = new StructType()
            .add("star", DataTypes.StringType).add("source", DataTypes.StringType)
            .add("label", DataTypes.StringType).add("planet_score", DataTypes.DoubleType)
            .add("disposition", DataTypes.StringType).add("period_days", DataTypes.DoubleType)
            .add("snr", DataTypes.DoubleType).add("injected_snr", DataTypes.DoubleType)
            .add("detail", DataTypes.StringType);

    @Override
    void run(JobContext ctx, RunReport.Builder report) {
        PipelineSettings s = ctx.settings();
        PipelineSettings.Vetting v = s.vetting();
        Map<String, TrainingExamples.Known> known = labels(ctx);
        Broadcast<Map<String, TrainingExamples.Known>> knownB = ctx.sc().broadcast(known);
        Ingest.Ingested<ExampleRow> in = ingest(ctx, report, listLightCurves(ctx, report), examplesSpec(ctx, knownB));
        JavaRDD<ExampleRow> rows = in.rows();
        try {
            report.warnings(FailurePolicy.check(ctx, in.tally(), "light curves with examples"));
            JavaRDD<TrainingExamples.Example> examples = rows.flatMap(r -> r.examples().iterator());
            Map<String, Long> bySource = new java.util.TreeMap<>(examples
                    .map(e -> e.source() + " -> " + e.label().label()).countByValue());
            Split split = new Split(v.seed(), v.folds(), v.testFraction());
            List<Fitted> fits = new ArrayList<>();
            List<VettingMetrics.Scored> pooled = new ArrayList<>();
            JavaRDD<VettingMetrics.Scored> allScored = null;
            long t = System.nanoTime();
            for (int k = 0; k < split.fits(); k++) {
                Fitted f = fit(ctx, examples, split, k, bySource, in.tally().used());
                fits.add(f);
                pooled.addAll(f.heldOut());
                allScored = allScored == null ? f.scored() : allScored.union(f.scored());
            }
            report.timing("fit", t);
            Fitted first = fits.get(0);
            VettingMetrics metrics = VettingMetrics.of(first.heldOut(), v.threshold());
            Dataset<Row> table = ctx.spark().createDataFrame(allScored.map(TrainVetterJob::scoredRow), SCORED);
            Tables.writeParquet(table, ctx.out(), EXAMPLES + "/parquet");
            Tables.writeCsv(table, ctx.out(), EXAMPLES + "/csv", pooled.size());
            fits.forEach(f -> f.scored().unpersist(false));

            Vetter vetter = new Vetter(first.net(), Vetter.info(v.threshold(), s.input() + " ("
                    + bySource + ")", first.trainCount(), metrics.auc()));
            save(ctx, vetter);
            Map<String, Object> section = new LinkedHashMap<>();
            section.put("examples", bySource);
            section.put("train_examples", first.trainCount());
            section.put("held_out_examples", first.heldOut().size());
            section.put("labelled_stars", known.size());
            section.put("epochs", v.epochs());
            section.put("scores", first.scores());
            section.put("validation_examples", first.validationCount());
            section.put("validation_auc", first.validationAuc());
            section.put("chosen_epoch", first.chosenEpoch());
            section.put("averaged_epochs", Math.min(v.averagedEpochs(), v.epochs()));
            section.put("workers", first.workers());
            section.put("approach", first.approach());
            section.put("mirror", v.mirror());
            section.put("samples_per_s", Math.round(first.samples() * (double) v.epochs()
                    / first.fitSeconds() * 10) / 10.0);
            section.put("evaluation", metrics.toMap());
            if (split.folds() > 1) {
                VettingMetrics cv = VettingMetrics.of(pooled, v.threshold());
                Map<String, Object> folds = new LinkedHashMap<>();
                folds.put("folds", split.folds());
                folds.put("auc_by_fold", fits.stream()
                        .map(f -> VettingMetrics.of(f.heldOut(), v.threshold()).auc()).toList());
                folds.put("chosen_epochs", fits.stream().map(Fitted::chosenEpoch).toList());
                folds.put("pooled", cv.toMap());
                section.put("cross_validation", folds);
                LOG.info("Vetter: {}-fold cross-validated AUC {} on {} examples (folds: {})", split.folds(),
                        cv.auc(), pooled.size(), folds.get("auc_by_fold"));
            }
            report.vetting(section).model(ctx.out().uri(VETTER));
            LOG.info("Vetter: held-out AUC {} on {} examples; saved {}", metrics.auc(), first.heldOut().size(),
                    ctx.out().uri(VETTER));
        } finally {
            rows.unpersist(false);
        }
    }

    /** The ingest step of the vetter's training: each light curve into its examples (ExamplesFn). */
    static Ingest.Spec<ExampleRow> examplesSpec(JobContext ctx, Broadcast<Map<String, TrainingExamples.Known>> known) {
        PipelineSettings s = ctx.settings();
        PipelineSettings.Vetting v = s.vetting();
        int tasks = SparkSetup.concurrentTasks(ctx.sc().getConf());
        TrainingExamples.Plan plan = new TrainingExamples.Plan(v.planetsPerStar(), v.binariesPerStar(), v.minSnr(),
                v.maxSnr());
        return new Ingest.Spec<>("examples", FILES_PER_TASK,
                conf -> new ExamplesFn(conf, s.search().fluxColumn(), v.trainSearch(), s.fits().maxImageBytes(),
                        tasks, known, plan, v.seed()), rows -> rows, StorageLevel.MEMORY_AND_DISK_SER(), OUTCOMES);
    }

    /** A new, untrained vetting network with the settings' learning rate. */
    static ComputationGraph newNetwork(PipelineSettings.Vetting v) {
        VetterNetwork.Settings ns = VetterNetwork.Settings.defaults();
        return VetterNetwork.build(new VetterNetwork.Settings(ns.seed(), ns.globalFilters(), ns.localFilters(),
                ns.kernel(), ns.dense(), v.learningRate(), ns.l2(), ns.dropout()));
    }

    /**
     * Which stars a fit holds out: with one fold, {@code testFraction} of them; with k folds, fold {@code k} of a
     * star-level k-fold split (fold 0 is what one split of 1/k holds out).
     */
    record Split(long seed, int folds, double testFraction) implements java.io.Serializable {
        int fits() {
            return folds;
        }

        boolean heldOut(String star, int k) {
            return folds > 1 ? HeldOutSplit.fold(star, seed, folds) == k
                    : HeldOutSplit.isHeldOut(star, seed, testFraction);
        }

        /** Of the stars not held out, a tenth kept aside to choose the epoch. */
        boolean validation(String star) {
            return HeldOutSplit.isHeldOut(star, seed + 1, VALIDATION);
        }
    }

    /** One fit: the network chosen, its held-out stars scored (a small record per example), how it went. */
    record Fitted(ComputationGraph net, long trainCount, long samples, int validationCount, List<Double> scores,
                  List<Double> validationAuc, int chosenEpoch, double fitSeconds, int workers, String approach,
                  JavaRDD<VettingMetrics.Scored> scored, List<VettingMetrics.Scored> heldOut) {
    }

    /**
     * Fits the network on the stars that fold {@code k} does not hold out, keeping the mean of the weights after
     * each of the last {@code vetter.averaged-epochs} epochs (chosen epoch 0), or with 0 the epoch that scores best
     * on a validation tenth of them, and scores the held-out stars on the executors with the vetter as it would be
     * saved.
     */
    private static Fitted fit(JobContext ctx, JavaRDD<TrainingExamples.Example> examples, Split split, int k,
                              Map<String, Long> bySource, long files) {
        PipelineSettings s = ctx.settings();
        PipelineSettings.Vetting v = s.vetting();
        JavaRDD<TrainingExamples.Example> notHeldOut = examples.filter(e -> !split.heldOut(e.star(), k));
        List<TrainingExamples.Example> validation = notHeldOut.filter(e -> split.validation(e.star()))
                .take(MAX_VALIDATION); // a few hundred small records to the driver
        boolean mirror = v.mirror();
        JavaRDD<MultiDataSet> train = notHeldOut.filter(e -> !split.validation(e.star()))
                .flatMap(e -> (mirror ? List.of(e.views(), e.views().mirrored()) : List.of(e.views())).stream()
                        .map(views -> (MultiDataSet) VetterNetwork.example(views, e.label())).iterator())
                .persist(StorageLevel.MEMORY_AND_DISK_SER());
        try {
            long samples = train.count(); // with vetter.mirror each example twice
            long trainCount = mirror ? samples / 2 : samples;
            if (trainCount == 0) {
                throw new NoValidDataException("No training examples: " + files
                        + " light curves gave none (see outcomes/)");
            }
            LOG.info("Vetter{}: {} training examples, {} for validation ({})", split.folds() > 1 ? " fold "
                    + (k + 1) + " of " + split.folds() : "", trainCount, validation.size(), bySource);
            ComputationGraph net = newNetwork(v);
            Dl4jGraphTrainer trainer = new Dl4jGraphTrainer(ctx.sc(), net, s.training(), v.batchSize());
            List<Double> scores = new ArrayList<>();
            List<Double> validationAuc = new ArrayList<>();
            ComputationGraph[] best = {null};
            int[] bestEpoch = {0};
            INDArray[] sum = {null};
            int[] averaged = {0};
            int averageFrom = v.averagedEpochs() == 0 ? 0 : Math.max(1, v.epochs() - v.averagedEpochs() + 1);
            long t = System.nanoTime();
            trainer.fit(train, v.epochs(), (epoch, score, n) -> {
                scores.add(score);
                double auc = validationAuc(n, validation, v.threshold());
                validationAuc.add(auc);
                if (averageFrom > 0) {
                    if (epoch >= averageFrom) {
                        sum[0] = sum[0] == null ? n.params().dup() : sum[0].addi(n.params());
                        averaged[0]++;
                    }
                    best[0] = n.clone(); // the latest network; its weights become the mean at the end
                } else if (best[0] == null || !(auc <= validationAuc.get(bestEpoch[0] - 1))) {
                    best[0] = n.clone();
                    bestEpoch[0] = epoch;
                }
                LOG.info("Vetter epoch {}: validation AUC {}", epoch, auc);
            });
            if (averaged[0] > 0) {
                best[0].setParams(sum[0].divi(averaged[0]));
                LOG.info("Vetter: the mean of epochs {}-{}: validation AUC {}", averageFrom, v.epochs(),
                        validationAuc(best[0], validation, v.threshold()));
            }
            double fitSeconds = (System.nanoTime() - t) / 1e9;

            Vetter provisional = new Vetter(best[0], Vetter.info(v.threshold(), s.input(), trainCount, Double.NaN));
            Broadcast<byte[]> vetterB = ctx.sc().broadcast(bytes(provisional));
            JavaRDD<VettingMetrics.Scored> scored = examples.filter(e -> split.heldOut(e.star(), k))
                    .mapPartitions(new VetFn(vetterB)).persist(StorageLevel.MEMORY_AND_DISK_SER());
            List<VettingMetrics.Scored> heldOut = scored.collect(); // one small record per held-out example
            return new Fitted(best[0], trainCount, samples, validation.size(), scores, validationAuc, bestEpoch[0],
                    fitSeconds, trainer.workers(), trainer.approachName(), scored, heldOut);
        } finally {
            train.unpersist(false);
        }
    }

    /** Stars of the training side kept aside to choose the epoch (never the held-out ones). */
    static final double VALIDATION = 0.1;
    static final int MAX_VALIDATION = 5000;

    /** Planet against not planet, on the driver, for the epoch just fitted (NaN without validation examples). */
    static double validationAuc(ComputationGraph net, List<TrainingExamples.Example> validation, double threshold) {
        if (validation.isEmpty()) {
            return Double.NaN;
        }
        Vetter v = new Vetter(net, Vetter.info(threshold, "validation", 0, Double.NaN));
        return VettingMetrics.of(VettingMetrics.scored(v, validation), threshold).auc();
    }

    private static Row scoredRow(VettingMetrics.Scored e) {
        return RowFactory.create(e.star(), e.source(), e.label().label(), SearchJob.round(e.planetScore(), 4),
                e.disposition().label(), SearchJob.round(e.period(), 6), SearchJob.round(e.snr(), 2),
                SearchJob.round(e.injectedSnr(), 2), e.detail());
    }

    /** The labels table (driver: a small file), file name → known signal; empty without --labels. */
    static Map<String, TrainingExamples.Known> labels(JobContext ctx) {
        String uri = ctx.settings().labels();
        if (uri == null || uri.isBlank()) {
            return new java.util.HashMap<>();
        }
        try {
            String text = new String(HadoopFiles.readAll(uri, ctx.hadoop()), StandardCharsets.UTF_8);
            Map<String, TrainingExamples.Known> m = VetterLabels.parse(text);
            LOG.info("Labels: {} known signals in {}", m.size(), uri);
            return new java.util.HashMap<>(m);
        } catch (IOException e) {
            throw new UserException("--labels " + uri + " cannot be read: " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new UserException("--labels " + uri + ": " + e.getMessage(), e);
        }
    }

    static byte[] bytes(Vetter v) {
        try {
            Path tmp = Files.createTempFile("tess-vetter-", ".zip");
            try {
                v.save(tmp, false);
                return Files.readAllBytes(tmp);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void save(JobContext ctx, Vetter v) {
        try {
            ctx.out().write(VETTER, o -> o.write(bytes(v)));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot save the vetter to " + ctx.out().uri(VETTER) + ": "
                    + e.getMessage(), e);
        }
    }
}
