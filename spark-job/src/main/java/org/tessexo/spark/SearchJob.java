package org.tessexo.spark;

import org.apache.hadoop.conf.Configuration;
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
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tessexo.common.errors.NoValidDataException;
import org.tessexo.common.config.PipelineSettings;
import org.tessexo.common.errors.TooManyFailuresException;
import org.tessexo.common.lightcurve.LightCurve;
import org.tessexo.common.lightcurve.LightCurveReader;
import org.tessexo.common.lightcurve.SingleEvents;
import org.tessexo.common.lightcurve.TransitFigure;
import org.tessexo.common.lightcurve.TransitSearch;
import org.tessexo.common.report.InputAdvice;
import org.tessexo.common.report.RunReport;
import org.tessexo.spark.io.Csv;
import org.tessexo.spark.io.FitsLister;
import org.tessexo.spark.io.ListedFile;
import org.tessexo.spark.io.OutputStore;
import org.tessexo.spark.io.SerializableHadoopConf;
import org.tessexo.spark.transforms.FileOutcome;
import org.tessexo.spark.transforms.SearchFn;
import org.tessexo.spark.transforms.SearchRow;
import scala.Tuple2;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code search} command: list light curves (and target pixel files, cutouts), search each on an executor, and
 * write the candidates table (Parquet and CSV), the single-event table, the outcomes, figures of the strongest
 * candidates and the report. Only counts, the strongest candidates and a few figures reach the driver.
 */
public final class SearchJob {
    private static final Logger LOG = LoggerFactory.getLogger(SearchJob.class);
    public static final String CANDIDATES = "candidates";
    public static final String EVENTS = "events";
    public static final String FIGURES = "figures";

    private final PipelineSettings s;
    private final SparkSession spark;
    private final JavaSparkContext sc;
    private final RunReport report;
    /** The strongest candidates (one signal each), for the report and the figures. */
    private List<SearchRow> strongest = List.of();

    private SearchJob(PipelineSettings s, SparkSession spark, RunReport report) {
        this.s = s;
        this.spark = spark;
        this.sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        this.report = report;
    }

    /** Runs the search into {@code out}, filling {@code report}; PipelineJob owns the output folder and the report. */
    static void run(PipelineSettings s, SparkSession spark, RunReport report, OutputStore out) {
        new SearchJob(s, spark, report).run(out);
    }

    private void run(OutputStore out) {
        Configuration hadoop = sc.hadoopConfiguration();
        report.settings.put("search", s.search());
        long t = System.nanoTime();
        FitsLister.Listing listing = FitsLister.list(s.input(), s.listing().suffixes(), hadoop);
        List<ListedFile> files = listing.files();
        report.warnings.addAll(listing.warnings());
        report.timing("list", t);
        report.listed = files.size();
        LOG.info("Listed {} FITS files under {}", files.size(), s.input());
        // A search takes seconds per light curve: partitions of up to 4 files spread them over the cores.
        int partitions = Progress.partitions(files.size(), s.listing().partitions(), sc.defaultParallelism(), 4);
        Broadcast<SerializableHadoopConf> conf = sc.broadcast(new SerializableHadoopConf(hadoop));
        JavaRDD<SearchRow> rows = sc.parallelize(files, Math.max(1, partitions))
                .mapPartitions(new SearchFn(conf, s.search().fluxColumn(), s.search().transit(),
                        s.fits().maxImageBytes(), SparkSetup.concurrentTasks(sc.getConf())))
                .persist(StorageLevel.MEMORY_AND_DISK_SER());
        try {
            t = System.nanoTime();
            Progress progress = Progress.start(sc.sc(), "search", files.size(), partitions,
                    PipelineJob.PROGRESS_SECONDS);
            try {
                count(rows);
            } finally {
                progress.close();
            }
            report.timing("search", t);
            writeOutcomes(rows, out);
            if (report.images == 0) {
                throw new NoValidDataException("No valid data loaded from " + s.input() + ": " + report.listed
                        + " listed, 0 light curves searched, " + report.skipped + " skipped, " + report.failed
                        + " failed ("
                        + report.reasonsLine() + "); " + InputAdvice.commonestLine(report) + ". See "
                        + out.uri(PipelineJob.REPORT) + ".");
            }
            if (s.failures().exceeded(report.failed, report.listed)) {
                throw new TooManyFailuresException(String.format(Locale.ROOT,
                        "%d of %d listed files failed (%.1f%%), more than tess.failures allows. Commonest reasons:"
                                + " %s. Each file's reason is in %s.", report.failed, report.listed,
                        100.0 * report.failed / report.listed, report.failedReasonsLine(),
                        out.uri(PipelineJob.OUTCOMES)));
            }
            InputAdvice.checkMostUsed(report, report.images, "light curves searched", s.failures().strict());
            t = System.nanoTime();
            writeTables(rows, out);
            report.timing("write", t);
            t = System.nanoTime();
            writeFigures(out, conf);
            report.timing("figures", t);
        } finally {
            rows.unpersist(false);
        }
    }

    private void count(JavaRDD<SearchRow> rows) {
        FileOutcome.count(rows, report, s.maxProblems());
        report.candidatesTotal = rows.map(r -> (long) r.signals().size()).fold(0L, Long::sum);
        LOG.info("Searched: {} light curves, {} skipped, {} failed, {} candidates; reasons: {}", report.images,
                report.skipped, report.failed, report.candidatesTotal, report.reasonsLine());
    }

    private void writeOutcomes(JavaRDD<SearchRow> rows, OutputStore out) {
        // The contract's leading columns (hdu, height and width stay empty: a light curve is a table), then the
        // search's own.
        StructType schema = new StructType()
                .add("path", DataTypes.StringType).add("outcome", DataTypes.StringType)
                .add("reason", DataTypes.StringType).add("hdu", DataTypes.IntegerType)
                .add("height", DataTypes.IntegerType).add("width", DataTypes.IntegerType)
                .add("detail", DataTypes.StringType).add("bytes_read", DataTypes.LongType)
                .add("tic", DataTypes.LongType).add("sector", DataTypes.IntegerType)
                .add("cadences", DataTypes.IntegerType).add("signals", DataTypes.IntegerType);
        JavaRDD<Row> table = rows.map(r -> RowFactory.create(r.path(), r.outcome(), r.reason(), null, null, null,
                r.detail(), r.bytesRead(), r.target() == null ? null : r.target().tic(),
                r.target() == null ? null : r.target().sector(), r.cadences(), r.signals().size()));
        writeCsv(spark.createDataFrame(table, schema), out, PipelineJob.OUTCOMES);
    }

    static final StructType CANDIDATE_SCHEMA = new StructType()
            .add("tic", DataTypes.LongType).add("sector", DataTypes.IntegerType)
            .add("camera", DataTypes.IntegerType).add("ccd", DataTypes.IntegerType)
            .add("file", DataTypes.StringType).add("rank", DataTypes.IntegerType)
            .add("period_days", DataTypes.DoubleType).add("epoch_btjd", DataTypes.DoubleType)
            .add("duration_hours", DataTypes.DoubleType).add("depth_ppm", DataTypes.DoubleType)
            .add("snr", DataTypes.DoubleType).add("sde", DataTypes.DoubleType)
            .add("transits", DataTypes.IntegerType).add("flux", DataTypes.StringType);

    static final StructType EVENT_SCHEMA = new StructType()
            .add("tic", DataTypes.LongType).add("sector", DataTypes.IntegerType)
            .add("file", DataTypes.StringType).add("time_btjd", DataTypes.DoubleType)
            .add("duration_hours", DataTypes.DoubleType).add("depth_ppm", DataTypes.DoubleType)
            .add("snr", DataTypes.DoubleType);

    private void writeTables(JavaRDD<SearchRow> rows, OutputStore out) {
        JavaRDD<Row> candidates = rows.flatMap(r -> {
            List<Row> list = new ArrayList<>();
            for (TransitSearch.Signal g : r.signals()) {
                list.add(candidateRow(r, g));
            }
            return list.iterator();
        });
        Dataset<Row> c = spark.createDataFrame(candidates, CANDIDATE_SCHEMA).orderBy(
                org.apache.spark.sql.functions.col("sde").desc());
        c.write().mode(SaveMode.Overwrite).parquet(out.folderTarget(CANDIDATES + "/parquet"));
        commit(out, CANDIDATES + "/parquet");
        writeCsv(c, out, CANDIDATES + "/csv");
        JavaRDD<Row> events = rows.flatMap(r -> {
            List<Row> list = new ArrayList<>();
            for (SingleEvents.Event e : r.events()) {
                list.add(RowFactory.create(r.target().tic(), r.target().sector(), r.path(), e.time(),
                        e.duration() * 24, e.depth() * 1e6, e.snr()));
            }
            return list.iterator();
        });
        Dataset<Row> ev = spark.createDataFrame(events, EVENT_SCHEMA).orderBy(
                org.apache.spark.sql.functions.col("tic"), org.apache.spark.sql.functions.col("time_btjd"));
        ev.write().mode(SaveMode.Overwrite).parquet(out.folderTarget(EVENTS + "/parquet"));
        commit(out, EVENTS + "/parquet");
        writeCsv(ev, out, EVENTS + "/csv");

        // The strongest candidates, for the report and the figures: a few rows to the driver.
        List<SearchRow> top = rows.filter(r -> !r.signals().isEmpty())
                .flatMap(r -> r.signals().stream().map(g -> new SearchRow(r.path(), r.outcome(), r.reason(),
                        r.detail(), r.target(), r.cadences(), r.bytesRead(), List.of(g), List.of())).iterator())
                .takeOrdered(Math.max(s.search().figures(), Math.min(s.maxProblems(), 100)), BY_SDE);
        report.candidates = new ArrayList<>();
        for (SearchRow r : top) {
            report.candidates.add(asMap(r, r.signals().get(0)));
        }
        this.strongest = top;
    }

    /** Descending SDE, then the file, then rank: a total order, the same on every run. */
    static final Comparator<SearchRow> BY_SDE = new BySde();

    private static final class BySde implements Comparator<SearchRow>, Serializable {
        private static final long serialVersionUID = 1L;

        @Override
        public int compare(SearchRow a, SearchRow b) {
            TransitSearch.Signal x = a.signals().get(0);
            TransitSearch.Signal y = b.signals().get(0);
            int c = Double.compare(y.sde(), x.sde());
            if (c != 0) {
                return c;
            }
            c = a.path().compareTo(b.path());
            return c != 0 ? c : Integer.compare(x.rank(), y.rank());
        }
    }

    private static Row candidateRow(SearchRow r, TransitSearch.Signal g) {
        LightCurve.Target t = r.target();
        return RowFactory.create(t.tic(), t.sector(), t.camera(), t.ccd(), r.path(), g.rank(), g.period(), g.epoch(),
                g.duration() * 24, g.depth() * 1e6, g.snr(), g.sde(), g.transitsObserved(), t.fluxColumn());
    }

    private static Map<String, Object> asMap(SearchRow r, TransitSearch.Signal g) {
        Map<String, Object> m = new LinkedHashMap<>();
        Row row = candidateRow(r, g);
        for (int i = 0; i < CANDIDATE_SCHEMA.fields().length; i++) {
            m.put(CANDIDATE_SCHEMA.fields()[i].name(), row.get(i));
        }
        return m;
    }

    /**
     * Figures of the strongest candidates: their files are searched again on the executors, once per file (a
     * handful), each figure drawn there, and the PNG bytes written here.
     */
    private void writeFigures(OutputStore out, Broadcast<SerializableHadoopConf> conf) {
        int n = Math.min(s.search().figures(), strongest.size());
        if (n == 0) {
            return;
        }
        Map<String, List<Integer>> ranksByFile = new LinkedHashMap<>();
        for (SearchRow r : strongest.subList(0, n)) {
            ranksByFile.computeIfAbsent(r.path(), k -> new ArrayList<>()).add(r.signals().get(0).rank());
        }
        List<Tuple2<String, List<Integer>>> wanted = new ArrayList<>();
        ranksByFile.forEach((path, ranks) -> wanted.add(new Tuple2<>(path, ranks)));
        String flux = s.search().fluxColumn();
        TransitSearch.Settings settings = s.search().transit();
        List<Tuple2<String, byte[]>> pngs = sc.parallelize(wanted, Math.min(wanted.size(), sc.defaultParallelism()))
                .flatMap(w -> figures(w._1(), w._2(), conf.value(), flux, settings).iterator()).collect();
        java.util.Set<String> used = new java.util.HashSet<>();
        for (Tuple2<String, byte[]> p : pngs) {
            String name = p._1();
            for (int i = 2; !used.add(name); i++) { // files of one name in different folders
                name = p._1().replaceFirst("\\.png$", "") + "-" + i + ".png";
            }
            String target = FIGURES + "/" + name;
            try {
                out.write(target, o -> o.write(p._2()));
                report.figures.add(target);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot write " + out.uri(target), e);
            }
        }
        LOG.info("Wrote {} figures to {}", report.figures.size(), out.uri(FIGURES));
    }

    /** The file searched again, and a figure for each of the given signal ranks: (file name, PNG bytes). */
    static List<Tuple2<String, byte[]>> figures(String path, List<Integer> ranks, SerializableHadoopConf conf,
                                                String flux, TransitSearch.Settings settings) throws IOException {
        byte[] bytes = SearchFn.readAll(new ListedFile(path, -1), conf);
        LightCurveReader.Result lc = new LightCurveReader(flux).read(bytes);
        List<Tuple2<String, byte[]>> out = new ArrayList<>();
        if (!lc.ok()) {
            LOG.warn("{}: no figure, the file now reads as {}", path, lc.reason());
            return out;
        }
        TransitSearch.Result r = new TransitSearch(settings).search(lc.lightCurve());
        LightCurve.Target t = lc.lightCurve().target();
        for (TransitSearch.Signal g : r.signals()) {
            if (ranks.contains(g.rank())) {
                String file = new org.apache.hadoop.fs.Path(path).getName();
                String name = figureName(file, g.rank());
                String title = String.format(Locale.ROOT, "%s, %s, signal %d (%s)",
                        t.tic() > 0 ? "TIC " + t.tic() : "TIC unknown",
                        t.sector() >= 0 ? "sector " + t.sector() : "sector unknown", g.rank(), file);
                out.add(new Tuple2<>(name, TransitFigure.png(r.detrended(), g, title, 1200, 800)));
            }
        }
        return out;
    }

    /** A figure is named after its file (a TIC ID is missing or shared by many files), then the signal's rank. */
    static String figureName(String fileName, int rank) {
        String stem = fileName.replaceFirst("(?i)(\\.(fits|fit|fts))?(\\.(gz|fz))?$", "");
        stem = stem.replaceAll("[^A-Za-z0-9._+-]", "_");
        return stem + "-" + rank + ".png";
    }

    private void writeCsv(Dataset<Row> table, OutputStore out, String name) {
        int files = (int) Math.max(1, Math.min(64, report.listed / 100_000));
        Csv.writer(table.coalesce(files).write().mode(SaveMode.Overwrite)).csv(out.folderTarget(name));
        commit(out, name);
    }

    private static void commit(OutputStore out, String name) {
        try {
            out.commitFolder(name);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + out.uri(name) + ": " + e.getMessage(), e);
        }
    }

}
