package org.tessexo.spark.steps;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tessexo.common.config.PipelineSettings;
import org.tessexo.common.fits.Outcome;
import org.tessexo.common.report.Tally;
import org.tessexo.spark.engine.Progress;
import org.tessexo.spark.io.FitsLister;
import org.tessexo.spark.io.ListedFile;
import org.tessexo.spark.io.OutputStore;
import org.tessexo.spark.io.SerializableHadoopConf;
import org.tessexo.spark.transforms.FileOutcome;
import scala.Tuple2;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The step every command starts with: list the input on the driver, spread the files over partitions, run the
 * command's per-file function on the executors (one row per file, whatever happens to it), persist the rows,
 * count them by outcome and reason in one pass, and write {@code outcomes/}. Only keys, counts and a bounded list
 * of problems reach the driver. The failure policy is {@link FailurePolicy}'s, applied by the job once the counts
 * are in its report.
 */
public final class Ingest {
    private static final Logger LOG = LoggerFactory.getLogger(Ingest.class);

    private Ingest() {
    }

    /**
     * What a command does with each file.
     *
     * @param step         the step's name, in progress lines and timings ("decode", "search")
     * @param filesPerTask at most this many files per partition (the setting listing.partitions overrides it): a
     *                     decode takes milliseconds, a search seconds
     * @param perFile      the executors' function, given the broadcast Hadoop configuration
     * @param shape        what is done to the rows before they are persisted (a labels join, dropping features)
     * @param storage      how the rows are kept for the command's later steps
     * @param outcomes     the layout of {@code outcomes/}
     */
    public record Spec<T extends FileOutcome>(
            String step, int filesPerTask,
            Function<Broadcast<SerializableHadoopConf>, FlatMapFunction<Iterator<ListedFile>, T>> perFile,
            UnaryOperator<JavaRDD<T>> shape, StorageLevel storage, OutcomeTable<T> outcomes) {
    }

    /**
     * The step's result.
     *
     * @param rows    one per listed file, persisted: the caller unpersists them when its run ends
     * @param tally   the rows counted
     * @param conf    the broadcast Hadoop configuration, for later reads on the executors
     * @param timings seconds per part of the step
     */
    public record Ingested<T>(JavaRDD<T> rows, Tally tally, Broadcast<SerializableHadoopConf> conf,
                              Map<String, Double> timings) {
    }

    /** The input's files (and what the listing noticed), listed on the driver. */
    public static FitsLister.Listing list(JobContext ctx) {
        return list(ctx, List.of());
    }

    /** @param moreSuffixes names listed beside tess.listing.suffixes (the light-curve commands' text tables) */
    public static FitsLister.Listing list(JobContext ctx, List<String> moreSuffixes) {
        PipelineSettings s = ctx.settings();
        List<String> suffixes = new java.util.ArrayList<>(s.listing().suffixes());
        suffixes.addAll(moreSuffixes);
        FitsLister.Listing listing = FitsLister.list(s.input(), suffixes, ctx.hadoop());
        LOG.info("Listed {} files under {}", listing.files().size(), s.input());
        return listing;
    }

    public static <T extends FileOutcome> Ingested<T> run(JobContext ctx, List<ListedFile> files, Spec<T> spec) {
        PipelineSettings s = ctx.settings();
        JavaSparkContext sc = ctx.sc();
        int partitions = Progress.partitions(files.size(), s.listing().partitions(), sc.defaultParallelism(),
                spec.filesPerTask());
        Broadcast<SerializableHadoopConf> conf = sc.broadcast(new SerializableHadoopConf(ctx.hadoop()));
        JavaRDD<T> rows = spec.shape().apply(sc.parallelize(files, Math.max(1, partitions))
                .mapPartitions(spec.perFile().apply(conf))).persist(spec.storage());
        Map<String, Double> timings = new LinkedHashMap<>();
        long t = System.nanoTime();
        Tally tally;
        Progress progress = Progress.start(sc.sc(), spec.step(), files.size(), partitions,
                JobContext.PROGRESS_SECONDS);
        try {
            tally = tally(rows, files.size(), s.maxProblems());
        } finally {
            progress.close();
        }
        timings.put(spec.step(), seconds(t));
        LOG.info("{}: {} used, {} skipped, {} failed, {} bytes read; reasons: {}", spec.step(), tally.used(),
                tally.skipped(), tally.failed(), tally.bytesRead(), tally.reasonsLine());
        Dataset<Row> outcomes = ctx.spark().createDataFrame(rows.map(spec.outcomes().toRow()),
                spec.outcomes().schema());
        Tables.writeCsvUnordered(outcomes, ctx.out(), OutputStore.OUTCOMES, files.size());
        return new Ingested<>(rows, tally, conf, timings);
    }

    /**
     * One pass over the persisted rows: files and bytes by outcome and reason, then at most {@code maxProblems} of
     * the skipped and failed files with their reasons. The outcome travels by name: an enum's hash code differs
     * between JVMs, and would split one group over several reducers.
     */
    static <T extends FileOutcome> Tally tally(JavaRDD<T> rows, long listed, int maxProblems) {
        Map<Tuple2<String, String>, Tuple2<Long, Long>> agg = rows
                .mapToPair(r -> new Tuple2<>(new Tuple2<>(r.outcome().name(), r.reason()),
                        new Tuple2<>(1L, r.bytesRead())))
                .reduceByKey((a, b) -> new Tuple2<>(a._1() + b._1(), a._2() + b._2()))
                .collectAsMap();
        List<Tally.Group> groups = new ArrayList<>();
        agg.forEach((k, v) -> groups.add(new Tally.Group(Outcome.valueOf(k._1()), k._2(), v._1(), v._2())));
        Tally counted = Tally.of(listed, groups, List.of());
        if (counted.problemsTotal() == 0 || maxProblems <= 0) {
            return counted;
        }
        List<Tally.Problem> problems = rows.filter(r -> !r.isUsed())
                .map(r -> new Tally.Problem(r.path(), r.outcome(),
                        r.detail().isEmpty() ? r.reason() : r.reason() + ": " + r.detail()))
                .take(maxProblems);
        return Tally.of(listed, groups, problems);
    }

    static double seconds(long startNanos) {
        return Math.round((System.nanoTime() - startNanos) / 1e7) / 100.0;
    }
}
