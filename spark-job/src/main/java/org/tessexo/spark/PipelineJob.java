package org.tessexo.spark;

import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tessexo.common.config.CommandLineArgs.Command;
import org.tessexo.common.errors.NoValidDataException;
import org.tessexo.common.config.PipelineSettings;
import org.tessexo.common.errors.TooManyFailuresException;
import org.tessexo.common.errors.UserException;
import org.tessexo.common.eval.BinaryMetrics;
import org.tessexo.common.eval.HeldOutSplit;
import org.tessexo.common.labels.LabelMatcher;
import org.tessexo.common.model.CheckpointState;
import org.tessexo.common.model.CnnFactory;
import org.tessexo.common.model.ModelMetadata;
import org.tessexo.common.model.ModelPackage;
import org.tessexo.common.report.InputAdvice;
import org.tessexo.common.report.RunReport;
import org.tessexo.spark.io.Csv;
import org.tessexo.spark.io.FitsLister;
import org.tessexo.spark.io.ListedFile;
import org.tessexo.spark.io.OutputStore;
import org.tessexo.spark.io.SerializableHadoopConf;
import org.tessexo.spark.transforms.DecodeFn;
import org.tessexo.spark.transforms.FileOutcome;
import org.tessexo.spark.transforms.LabelJoin;
import org.tessexo.spark.transforms.SampleRow;
import org.tessexo.spark.transforms.ToDataSetFn;
import scala.Tuple2;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The commands {@code train}, {@code single} and {@code inspect} over a SparkSession the caller owns: list on the
 * driver, decode and preprocess on the executors, join labels, write {@code outcomes/}, train with parameter
 * averaging, evaluate on the held-out split, save {@code model.zip}. {@code run-report.json} is written at the end
 * whatever happens once the output folder is known. Only keys, counts and per-sample scores reach the driver.
 */
public final class PipelineJob {
    private static final Logger LOG = LoggerFactory.getLogger(PipelineJob.class);
    public static final String REPORT = "run-report.json";
    public static final String MODEL = "model.zip";
    public static final String OUTCOMES = "outcomes";
    /** Progress lines at most this often. */
    static final double PROGRESS_SECONDS = 15;

    /** How the output folder is treated: replace an earlier run's results, or continue its training. */
    public record Options(boolean overwrite, boolean resume) {
        public static final Options DEFAULT = new Options(false, false);
    }

    private final Command command;
    private final Options options;
    private final PipelineSettings s;
    private final SparkSession spark;
    private final JavaSparkContext sc;
    private final RunReport report = new RunReport();
    private String fingerprint;

    private PipelineJob(Command command, PipelineSettings settings, SparkSession spark, Options options) {
        this.command = command;
        this.options = options;
        this.s = settings;
        this.spark = spark;
        this.sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    }

    public static RunReport run(Command command, PipelineSettings settings, SparkSession spark) {
        return run(command, settings, spark, Options.DEFAULT);
    }

    public static RunReport run(Command command, PipelineSettings settings, SparkSession spark, Options options) {
        return new PipelineJob(command, qualified(settings, spark), spark, options).run();
    }

    /**
     * Plain relative paths are made absolute on the driver when the default file system is local: executors of a
     * standalone cluster run in their own working folders and would otherwise read and write elsewhere. (Where the
     * default is HDFS, as on EMR, a plain path keeps its HDFS meaning.)
     */
    static PipelineSettings qualified(PipelineSettings s, SparkSession spark) {
        String defaultFs = spark.sparkContext().hadoopConfiguration().get("fs.defaultFS", "file:///");
        if (!defaultFs.startsWith("file:")) {
            return s;
        }
        return s.withInput(absolute(s.input())).withOutput(absolute(s.output()))
                .withLabels(s.labels().isEmpty() ? "" : absolute(s.labels()));
    }

    private static String absolute(String uri) {
        if (uri.matches("^[A-Za-z][A-Za-z0-9+.-]*:.*") || uri.startsWith("/")) {
            return uri;
        }
        String abs = Path.of(uri).toAbsolutePath().normalize().toString();
        return uri.endsWith("/") && !abs.endsWith("/") ? abs + "/" : abs;
    }

    /** The report of the run in progress in this JVM (for the Ctrl-C message), or null. */
    private static volatile RunReport active;

    static RunReport active() {
        return active;
    }

    private RunReport run() {
        long t0 = System.nanoTime();
        report.command = command.label();
        report.input = s.input();
        report.output = s.output();
        report.master = sc.master();
        if (command != Command.SEARCH) {
            report.settings.put("preprocess", s.preprocess());
            report.settings.put("fits", s.fits());
        }
        report.runId = newRunId();
        Configuration hadoop = sc.hadoopConfiguration();
        OutputStore out;
        try {
            out = new OutputStore(s.output(), hadoop, report.runId);
        } catch (IOException | IllegalArgumentException e) {
            throw new UserException("Cannot use output " + s.output() + ": " + e.getMessage(), e);
        }
        // Before any work: the folder is writable and this run's alone until it ends (exit 2 otherwise).
        out.claim(command.label());
        try {
            prepareOutput(out);
        } catch (IOException | RuntimeException e) {
            out.release();
            throw e instanceof UserException u ? u
                    : new UserException("Cannot use output " + s.output() + ": " + e.getMessage(), e);
        }
        JavaRDD<SampleRow> rows = null;
        active = report;
        try {
            if (command == Command.SEARCH) {
                SearchJob.run(s, spark, report, out);
            } else {
                rows = listAndDecode(hadoop, out);
                if (command != Command.INSPECT) {
                    train(rows, out);
                }
            }
            report.status = "ok";
            return report;
        } catch (Exception | Error e) {
            // Exception, not only RuntimeException: Spark's Scala code throws the checked SparkException unchecked.
            report.status = "failed";
            report.error = TessJob.interrupted() ? "interrupted (Ctrl-C or SIGTERM)"
                    : e.getMessage() == null ? e.getClass().getName() : e.getMessage();
            throw e;
        } finally {
            if (rows != null) {
                rows.unpersist(false);
            }
            report.timing("total", t0);
            try {
                out.writeText(REPORT, report.toJson());
            } catch (IOException | RuntimeException | Error e) {
                LOG.error("Cannot write {} to {}: {}", REPORT, s.output(), e.toString());
            } finally {
                out.release();
                active = null;
            }
        }
    }

    /** Time first (runs sort by start), then random hex: unique across hosts. */
    static String newRunId() {
        return java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT)
                .withZone(java.time.ZoneOffset.UTC).format(Instant.now())
                + "-" + String.format(Locale.ROOT, "%06x", new java.security.SecureRandom().nextInt(1 << 24));
    }

    /**
     * An earlier run's results are never mixed with this one's: they stop the run (exit 2) unless --overwrite
     * (then they are deleted first, and nothing else in the folder) or --resume (then the checkpoints stay).
     */
    private void prepareOutput(OutputStore out) throws IOException {
        List<String> found = out.existingResults();
        if (options.resume()) {
            if (!out.exists(CheckpointState.DIR + "/" + CheckpointState.FILE)) {
                throw new UserException("--resume: no checkpoint in " + out.uri(CheckpointState.DIR)
                        + ". Run without --resume (add --overwrite to replace what is there).");
            }
            out.deleteResults(CheckpointState.DIR);
        } else if (!found.isEmpty()) {
            if (!options.overwrite()) {
                throw out.existsError(found);
            }
            LOG.info("--overwrite: deleting {} in {}", found, out.rootUri());
            out.deleteResults();
        }
    }

    private JavaRDD<SampleRow> listAndDecode(Configuration hadoop, OutputStore out) {
        long t = System.nanoTime();
        FitsLister.Listing listing = FitsLister.list(s.input(), s.listing().suffixes(), hadoop);
        List<ListedFile> keys = listing.files();
        report.warnings.addAll(listing.warnings());
        report.timing("list", t);
        report.listed = keys.size();
        LOG.info("Listed {} FITS files under {}", keys.size(), s.input());
        fingerprint = fingerprint(keys);
        if (command == Command.SINGLE && keys.size() != 1) {
            throw new UserException("single trains on one file, but --input " + s.input() + " lists " + keys.size()
                    + " FITS files. Give the URI of one file.");
        }
        Dataset<Row> labelsTable = command == Command.INSPECT || s.labels().isEmpty() ? null : readLabels();

        // A decode takes milliseconds: partitions of up to 1000 files keep task overhead small and progress moving.
        int partitions = Progress.partitions(keys.size(), s.listing().partitions(), sc.defaultParallelism(), 1000);
        Broadcast<SerializableHadoopConf> conf = sc.broadcast(new SerializableHadoopConf(hadoop));
        JavaRDD<SampleRow> rows = sc.parallelize(keys, partitions)
                .mapPartitions(new DecodeFn(conf, s.fits(), s.preprocess(), filesInFlight(),
                        SparkSetup.concurrentTasks(sc.getConf())));
        if (labelsTable != null) {
            String pathCol = LabelJoin.pathColumn(labelsTable, s.labelsTable().pathColumn(), s.labels());
            rows = LabelJoin.apply(rows, labelsTable, pathCol, s.labelsTable().labelColumn(),
                    s.model().numClasses(), s.labels());
        }
        if (command == Command.INSPECT) {
            rows = rows.map(SampleRow::withoutFeatures); // inspect keeps outcomes, not 64 KB of samples per file
        }
        rows = rows.persist(Dl4jSparkTrainer.storageLevel(s.training().storageLevel()));

        t = System.nanoTime();
        Progress progress = Progress.start(sc.sc(), "decode", keys.size(), partitions, PROGRESS_SECONDS);
        try {
            count(rows);
        } finally {
            progress.close();
        }
        report.timing("decode", t);
        writeOutcomes(rows, out);
        if (report.images == 0) {
            throw new NoValidDataException("No valid data loaded from " + s.input() + ": " + report.listed
                    + " listed, 0 images, " + report.skipped + " skipped, " + report.failed + " failed ("
                    + report.reasonsLine() + "); " + InputAdvice.commonestLine(report) + ". See " + out.uri(REPORT)
                    + " and " + out.uri(OUTCOMES) + ".");
        }
        if (s.failures().exceeded(report.failed, report.listed)) {
            throw new TooManyFailuresException(String.format(Locale.ROOT,
                    "%d of %d listed files failed (%.1f%%), more than tess.failures allows (max-fraction %s,"
                            + " max-count %s). Commonest reasons: %s. Each file's reason is in %s. Fix or remove"
                            + " those files, or raise tess.failures.max-fraction / max-count.",
                    report.failed, report.listed, 100.0 * report.failed / report.listed,
                    s.failures().maxFraction(), s.failures().maxCount() < 0 ? "none" : s.failures().maxCount(),
                    report.failedReasonsLine(), out.uri(OUTCOMES)));
        }
        InputAdvice.checkMostUsed(report, report.images, "images", s.failures().strict());
        return rows;
    }

    /** Same files (paths and sizes), labels and training-shaping settings give the same fingerprint. */
    private String fingerprint(List<ListedFile> keys) {
        CheckpointState.Fingerprint f = new CheckpointState.Fingerprint()
                .add(s.labels()).add(s.fits()).add(s.preprocess()).add(s.model().seed())
                .add(Arrays.toString(s.model().filters())).add(s.model().dense()).add(s.model().learningRate())
                .add(s.model().l2()).add(s.model().classes()).add(s.training().batchSizePerWorker())
                .add(s.training().averagingFrequency()).add(s.training().testFraction())
                .add(s.training().splitSeed()).add(keys.size());
        for (ListedFile k : keys) {
            f.add(k.path()).add(k.length());
        }
        return f.hex();
    }

    /** listing.files-in-flight, where 0 means: several for object stores (latency to hide), one for disks. */
    private int filesInFlight() {
        int n = s.listing().filesInFlight();
        if (n > 0) {
            return n;
        }
        String scheme = new org.apache.hadoop.fs.Path(s.input()).toUri().getScheme();
        return scheme != null && scheme.toLowerCase(Locale.ROOT).startsWith("s3") ? 4 : 1;
    }

    private Dataset<Row> readLabels() {
        String format = s.labelsTable().format();
        String uri = s.labels();
        if (format.equals("auto")) {
            format = isParquet(uri) ? "parquet" : "csv";
        }
        try {
            Dataset<Row> table = format.equals("parquet") ? spark.read().parquet(uri)
                    : Csv.reader(spark.read()).option("inferSchema", "false").option("comment", "#").csv(uri);
            for (String c : table.columns()) { // a spreadsheet's byte-order mark or padding is not part of a name
                String clean = c.replace("\uFEFF", "").trim();
                if (!clean.equals(c)) {
                    table = table.withColumnRenamed(c, clean);
                }
            }
            report.labelsTable = uri;
            return table;
        } catch (Exception e) {
            throw new UserException("Cannot read the labels table " + uri + " as " + format + ": " + e.getMessage()
                    + ". Give a CSV with a header or a Parquet table (tess.labels-table.format).", e);
        }
    }

    private static boolean isParquet(String uri) {
        String u = uri.toLowerCase(Locale.ROOT);
        return u.endsWith(".parquet") || u.endsWith("/");
    }

    /** One pass over the cached rows: counts and bytes by outcome and reason, then a bounded list of problems. */
    private void count(JavaRDD<SampleRow> rows) {
        long unlabelled = FileOutcome.count(rows, report, s.maxProblems());
        report.unlabelled = unlabelled;
        LOG.info("Decoded: {} images, {} skipped, {} failed, {} bytes read; reasons: {}", report.images,
                report.skipped, report.failed, report.bytesRead, report.reasonsLine());
    }

    private void writeOutcomes(JavaRDD<SampleRow> rows, OutputStore out) {
        StructType schema = new StructType()
                .add("path", DataTypes.StringType).add("outcome", DataTypes.StringType)
                .add("reason", DataTypes.StringType).add("hdu", DataTypes.IntegerType)
                .add("height", DataTypes.IntegerType).add("width", DataTypes.IntegerType)
                .add("detail", DataTypes.StringType).add("bytes_read", DataTypes.LongType)
                .add("label", DataTypes.IntegerType);
        JavaRDD<Row> table = rows.map(r -> RowFactory.create(r.path(), r.outcome(), r.reason(),
                r.hdu() < 0 ? null : r.hdu(), r.height() == 0 ? null : r.height(), r.width() == 0 ? null : r.width(),
                r.detail(), r.bytesRead(), r.label() < 0 ? null : r.label()));
        int files = (int) Math.max(1, Math.min(64, report.listed / 100_000));
        Csv.writer(spark.createDataFrame(table, schema).coalesce(files).write().mode(SaveMode.Overwrite))
                .csv(out.folderTarget(OUTCOMES));
        try {
            out.commitFolder(OUTCOMES);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + out.uri(OUTCOMES) + ": " + e.getMessage(), e);
        }
    }

    private void train(JavaRDD<SampleRow> rows, OutputStore out) {
        boolean dummy = s.labels().isEmpty();
        int classes = s.model().numClasses();
        int h = s.preprocess().height();
        int w = s.preprocess().width();
        report.labels = dummy ? "dummy" : "table";
        report.epochs = s.training().epochs();
        JavaRDD<SampleRow> labelled;
        if (dummy) {
            LOG.warn("*** No labels table given (--labels): training with a DUMMY label, every image is class 0. ***");
            LOG.warn("*** The model learns nothing about the sky: this run only checks the pipeline.        ***");
            labelled = rows.filter(SampleRow::isImage).map(r -> r.withLabel(0, ""));
        } else {
            labelled = rows.filter(r -> r.isImage() && r.label() >= 0);
        }
        report.labelled = dummy ? report.images : report.images - report.unlabelled;
        if (report.unlabelled > 0) {
            // Examples of each reason (no label, not an integer, conflicting labels...), with what the table says.
            report.unlabelledExamples.addAll(rows.filter(r -> r.isImage() && r.label() < 0)
                    .map(r -> r.path() + ": " + r.reason() + (r.detail().isEmpty() ? "" : " (" + r.detail() + ")"))
                    .take(20));
            LOG.warn("{} decoded images have no usable label in {} and are left out of training ({}; first: {})",
                    report.unlabelled, s.labels(), report.reasonsLine(), report.unlabelledExamples.get(0));
        }
        if (report.labelled == 0) {
            throw new NoValidDataException("No valid data loaded from " + s.input() + ": " + report.images
                    + " images decoded but none has a label in " + s.labels() + " (" + report.reasonsLine()
                    + "). Check that the labels table's file column names these files.");
        }
        double fraction = dummy || command == Command.SINGLE ? 0 : s.training().testFraction();
        long seed = s.training().splitSeed();
        // By file name, not full path: the same files give the same split wherever they are stored.
        JavaRDD<SampleRow> trainRows = labelled.filter(r -> !HeldOutSplit.isHeldOut(
                LabelMatcher.fileName(r.path()), seed, fraction));
        JavaRDD<SampleRow> testRows = labelled.filter(r -> HeldOutSplit.isHeldOut(
                LabelMatcher.fileName(r.path()), seed, fraction));
        report.trainSamples = trainRows.count();
        if (report.trainSamples == 0) {
            throw new NoValidDataException("No valid data loaded from " + s.input() + ": all " + report.labelled
                    + " labelled images fell into the held-out split; lower tess.training.test-fraction.");
        }

        long t = System.nanoTime();
        ModelMetadata meta = new ModelMetadata(ModelMetadata.FORMAT_VERSION, report.labels, s.model().classes(),
                new int[] {1, 1, h, w}, s.fits(), s.preprocess(), s.model(), s.input(), Instant.now().toString());
        int done = 0;
        MultiLayerNetwork net;
        if (options.resume()) {
            CheckpointState state = readCheckpointState(out);
            net = loadCheckpoint(out, state);
            done = state.epoch();
            report.scores.addAll(state.scores());
            report.resumedFromEpoch = done;
            report.resumedFrom = out.uri(CheckpointState.DIR + "/" + state.checkpoint());
            LOG.info("Resuming from {} (epoch {} of {})", report.resumedFrom, done, report.epochs);
        } else {
            net = CnnFactory.build(s.model(), h, w);
        }
        Dl4jSparkTrainer trainer = new Dl4jSparkTrainer(sc, net, s.training());
        report.trainingApproach = trainer.approachName();
        report.workers = trainer.workers();
        LOG.info("Training on {} samples ({} labels), epochs {}..{}, {} workers, approach {}", report.trainSamples,
                report.labels, done + 1, report.epochs, trainer.workers(), trainer.approachName());
        JavaRDD<DataSet> data = trainRows.map(new ToDataSetFn(h, w, classes));
        trainer.fit(data, done + 1, report.epochs, (epoch, score, network) -> {
            report.scores.add(score);
            int every = s.training().checkpointEvery();
            if (every > 0 && (epoch % every == 0 || epoch == report.epochs)) {
                saveCheckpoint(out, network, meta, epoch);
            }
        });
        report.timing("train", t);

        if (fraction > 0) {
            t = System.nanoTime();
            report.evaluation = evaluate(trainer, testRows, h, w);
            report.timing("evaluate", t);
            LOG.info("Held-out evaluation: {}", report.evaluation);
        }

        t = System.nanoTime();
        saveModel(out, trainer.network(), meta, MODEL);
        report.model = out.uri(MODEL);
        report.timing("save", t);
    }

    private static void saveModel(OutputStore out, MultiLayerNetwork net, ModelMetadata meta, String name) {
        try {
            Path local = Files.createTempFile("tess-model-", ".zip");
            try {
                ModelPackage.save(net, meta, local);
                out.copyFromLocal(local, name);
            } finally {
                Files.deleteIfExists(local);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot save the model to " + out.uri(name) + ": " + e.getMessage(), e);
        }
    }

    /** The model after {@code epoch}, then the state naming it (so the state never names a partial file). */
    private void saveCheckpoint(OutputStore out, MultiLayerNetwork net, ModelMetadata meta, int epoch) {
        String name = CheckpointState.checkpointName(epoch);
        saveModel(out, net, meta, CheckpointState.DIR + "/" + name);
        CheckpointState state = new CheckpointState(epoch, List.copyOf(report.scores), name, fingerprint,
                Instant.now().toString());
        try {
            out.writeText(CheckpointState.DIR + "/" + CheckpointState.FILE, state.toJson());
            List<String> old = out.list(CheckpointState.DIR).stream()
                    .filter(n -> n.startsWith("epoch-") && n.endsWith(".zip")).sorted().toList();
            for (int i = 0; i < old.size() - s.training().checkpointKeep(); i++) {
                out.delete(CheckpointState.DIR + "/" + old.get(i));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the checkpoint state to " + out.uri(CheckpointState.DIR)
                    + ": " + e.getMessage(), e);
        }
        report.checkpoint = out.uri(CheckpointState.DIR + "/" + name);
        LOG.info("Checkpoint: {}", report.checkpoint);
    }

    private CheckpointState readCheckpointState(OutputStore out) {
        String where = out.uri(CheckpointState.DIR + "/" + CheckpointState.FILE);
        CheckpointState state;
        try {
            state = CheckpointState.fromJson(new String(out.read(CheckpointState.DIR + "/" + CheckpointState.FILE),
                    StandardCharsets.UTF_8));
        } catch (IOException | UncheckedIOException e) {
            throw new UserException("--resume: cannot read " + where + ": " + e.getMessage()
                    + ". Run without --resume (with --overwrite).", e);
        }
        if (!state.fingerprint().equals(fingerprint)) {
            throw new UserException("--resume: the checkpoint in " + out.uri(CheckpointState.DIR) + " was made from"
                    + " other files, labels or training settings than this run's. Resume with the same --input,"
                    + " --labels and settings, or start again with --overwrite.");
        }
        return state;
    }

    private static MultiLayerNetwork loadCheckpoint(OutputStore out, CheckpointState state) {
        String name = CheckpointState.DIR + "/" + state.checkpoint();
        try {
            Path local = Files.createTempFile("tess-checkpoint-", ".zip");
            try {
                out.copyToLocal(name, local);
                return ModelPackage.load(local, true).network();
            } finally {
                Files.deleteIfExists(local);
            }
        } catch (IOException | RuntimeException e) {
            throw new UserException("--resume: cannot load the checkpoint " + out.uri(name) + ": " + e.getMessage()
                    + ". Start again with --overwrite.", e);
        }
    }

    private static BinaryMetrics evaluate(Dl4jSparkTrainer trainer, JavaRDD<SampleRow> test, int h, int w) {
        JavaPairRDD<Integer, INDArray> features = test.mapToPair(r ->
                new Tuple2<>(r.label(), Nd4j.create(r.features(), new long[] {1, 1, h, w}, 'c')));
        List<Tuple2<Integer, Double>> scored = trainer.predict(features, 32)
                .mapToPair(p -> new Tuple2<>(p._1(), p._2().getDouble(0, 1)))
                .collect();
        double[] scores = new double[scored.size()];
        int[] labels = new int[scored.size()];
        for (int i = 0; i < scored.size(); i++) {
            labels[i] = scored.get(i)._1();
            scores[i] = scored.get(i)._2();
        }
        return BinaryMetrics.compute(scores, labels, 0.5);
    }
}
