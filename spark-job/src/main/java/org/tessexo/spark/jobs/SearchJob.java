package org.tessexo.spark.jobs;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tessexo.common.config.PipelineSettings;
import org.tessexo.common.detect.CandidateColumns;
import org.tessexo.common.lightcurve.SingleEvents;
import org.tessexo.common.lightcurve.TransitSearch;
import org.tessexo.common.vetting.Verdict;
import org.tessexo.common.report.RunReport;
import org.tessexo.spark.engine.SparkSetup;
import org.tessexo.spark.io.OutputStore;
import org.tessexo.spark.io.SerializableHadoopConf;
import org.tessexo.spark.steps.FailurePolicy;
import org.tessexo.spark.steps.Ingest;
import org.tessexo.spark.steps.JobContext;
import org.tessexo.spark.steps.OutcomeTable;
import org.tessexo.spark.steps.ReportPage;
import org.tessexo.spark.steps.Tables;
import org.tessexo.spark.steps.VetterFiles;
import org.tessexo.spark.transforms.Figures;
import org.tessexo.spark.transforms.SearchFn;
import org.tessexo.spark.transforms.SearchRow;
import scala.Tuple2;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code search} command: list light curves (and target pixel files, cutouts), search each on an executor, and
 * write the candidates table (Parquet and CSV), the single-event table, the outcomes, figures of the strongest
 * candidates and the report. Only counts, the strongest candidates and a few figures reach the driver.
 */
final class SearchJob extends Job {
    private static final Logger LOG = LoggerFactory.getLogger(SearchJob.class);
    public static final String CANDIDATES = "candidates";
    public static final String EVENTS = "events";
    public static final String FIGURES = "figures";
    /** A search takes seconds per light curve: partitions of up to 4 files spread them over the cores. */
    static final int FILES_PER_TASK = 4;

    @Override
    void describe(JobContext ctx, RunReport.Builder report) {
        report.setting("search", ctx.settings().search());
    }

    @Override
    void run(JobContext ctx, RunReport.Builder report) {
        PipelineSettings s = ctx.settings();
        int tasks = SparkSetup.concurrentTasks(ctx.sc().getConf());
        VetterFiles.Loaded vetter = VetterFiles.load(ctx);
        Broadcast<byte[]> vetterBytes = vetter.bytes() == null ? null : ctx.sc().broadcast(vetter.bytes());
        Ingest.Spec<SearchRow> spec = new Ingest.Spec<>("search", FILES_PER_TASK,
                conf -> new SearchFn(conf, s.search().fluxColumn(), s.search().transit(), s.fits().maxImageBytes(),
                        tasks, vetterBytes), rows -> rows, StorageLevel.MEMORY_AND_DISK_SER(), OUTCOMES);
        Ingest.Ingested<SearchRow> in = ingest(ctx, report, listLightCurves(ctx, report), spec);
        JavaRDD<SearchRow> rows = in.rows();
        try {
            long candidates = rows.map(r -> (long) r.signals().size()).fold(0L, Long::sum);
            LOG.info("Searched: {} light curves, {} candidates", in.tally().used(), candidates);
            report.warnings(FailurePolicy.check(ctx, in.tally(), "light curves searched"));
            long t = System.nanoTime();
            double minScore = s.vetting().minScore();
            Map<String, Long> dispositions = new java.util.TreeMap<>(rows.flatMap(r -> {
                List<String> d = new ArrayList<>();
                for (int i = 0; i < r.signals().size(); i++) {
                    Verdict v = r.verdict(i);
                    d.add(v == null || v.disposition().isEmpty() ? "not vetted" : v.disposition());
                }
                return d.iterator();
            }).countByValue());
            List<SearchRow> strongest = writeTables(ctx, rows, in.tally().listed(), minScore);
            List<Map<String, Object>> table = new ArrayList<>();
            for (SearchRow r : strongest) {
                table.add(asMap(r, 0));
            }
            Map<String, Object> vetting = new LinkedHashMap<>();
            vetting.put("vetter", vetter.description());
            vetting.put("threshold", s.vetting().threshold());
            vetting.put("min_score", minScore);
            vetting.put("dispositions", dispositions);
            report.vetting(vetting);
            report.search(new RunReport.Search(candidates, table, List.of())).timing("write", t);
            t = System.nanoTime();
            List<String> figures = writeFigures(ctx, in.conf(), strongest, vetterBytes);
            report.search(new RunReport.Search(candidates, table, figures)).timing("figures", t);
            ReportPage.write(ctx.out(), REPORT_PAGE, strongest, figures, candidates, vetter.description());
        } finally {
            rows.unpersist(false);
        }
    }

    public static final String REPORT_PAGE = "report.html";

    /** CONTRACT's leading columns (hdu, height and width stay empty: a light curve is a table), then the search's. */
    static final OutcomeTable<SearchRow> OUTCOMES = new OutcomeTable<>(OutcomeTable.leading()
            .add("tic", DataTypes.LongType).add("sector", DataTypes.IntegerType)
            .add("cadences", DataTypes.IntegerType).add("signals", DataTypes.IntegerType),
            r -> OutcomeTable.row(r, null, null, null, r.target() == null ? null : r.target().tic(),
                    r.target() == null ? null : r.target().sector(), r.cadences(), r.signals().size()));

    /** The candidates table: {@link CandidateColumns}, the columns every writer of candidates shares. */
    static final StructType CANDIDATE_SCHEMA = candidateSchema();

    private static StructType candidateSchema() {
        StructType t = new StructType();
        for (CandidateColumns.Column c : CandidateColumns.COLUMNS) {
            t = t.add(c.name(), switch (c.type()) {
                case LONG -> DataTypes.LongType;
                case INT -> DataTypes.IntegerType;
                case DOUBLE -> DataTypes.DoubleType;
                case STRING -> DataTypes.StringType;
                case BOOLEAN -> DataTypes.BooleanType;
            });
        }
        return t;
    }

    static final StructType EVENT_SCHEMA = new StructType()
            .add("tic", DataTypes.LongType).add("sector", DataTypes.IntegerType)
            .add("file", DataTypes.StringType).add("time_btjd", DataTypes.DoubleType)
            .add("duration_hours", DataTypes.DoubleType).add("depth_ppm", DataTypes.DoubleType)
            .add("snr", DataTypes.DoubleType).add("target", DataTypes.StringType);

    /**
     * The candidates table (signals whose planet score reaches {@code minScore}; all when 0 or not vetted) and the
     * single-event table; returns the best candidates (one signal each, by planet score then SDE), a few rows.
     */
    private static List<SearchRow> writeTables(JobContext ctx, JavaRDD<SearchRow> rows, long listed,
                                               double minScore) {
        OutputStore out = ctx.out();
        JavaRDD<SearchRow> kept = rows.filter(r -> !r.signals().isEmpty())
                .flatMap(r -> {
                    List<SearchRow> one = new ArrayList<>();
                    for (int i = 0; i < r.signals().size(); i++) {
                        Verdict v = r.verdict(i);
                        if (minScore > 0 && v != null && !(v.planetScore() >= minScore)) {
                            continue;
                        }
                        one.add(new SearchRow(r.path(), r.outcome(), r.reason(), r.detail(), r.target(),
                                r.cadences(), r.bytesRead(), List.of(r.signals().get(i)),
                                v == null ? List.of() : List.of(v), List.of()));
                    }
                    return one.iterator();
                });
        JavaRDD<Row> candidates = kept.map(r -> candidateRow(r, 0));
        Dataset<Row> c = ctx.spark().createDataFrame(candidates, CANDIDATE_SCHEMA).orderBy(
                org.apache.spark.sql.functions.col("planet_score").desc_nulls_last(),
                org.apache.spark.sql.functions.col("sde").desc());
        Tables.writeParquet(c, out, CANDIDATES + "/parquet");
        Tables.writeCsv(c, out, CANDIDATES + "/csv", listed);
        Tables.mergeCsv(out, CANDIDATES + "/csv", CANDIDATES + ".csv");
        JavaRDD<Row> events = rows.flatMap(r -> {
            List<Row> list = new ArrayList<>();
            for (SingleEvents.Event e : r.events()) {
                list.add(RowFactory.create(r.target().tic(), r.target().sector(), r.path(), round(e.time(), 5),
                        round(e.duration() * 24, 3), round(e.depth() * 1e6, 0), round(e.snr(), 2),
                        r.target().name()));
            }
            return list.iterator();
        });
        Dataset<Row> ev = ctx.spark().createDataFrame(events, EVENT_SCHEMA).orderBy(
                org.apache.spark.sql.functions.col("tic"), org.apache.spark.sql.functions.col("time_btjd"));
        Tables.writeParquet(ev, out, EVENTS + "/parquet");
        Tables.writeCsv(ev, out, EVENTS + "/csv", listed);

        // The best candidates, for the report, the figures and report.html: a few rows to the driver.
        PipelineSettings s = ctx.settings();
        return kept.takeOrdered(Math.max(s.search().figures(), Math.min(s.maxProblems(), 100)), BEST);
    }

    /** Planet score (unvetted last), then SDE, then the file, then rank: a total order, the same on every run. */
    static final Comparator<SearchRow> BEST = new Best();

    private static final class Best implements Comparator<SearchRow>, Serializable {
        private static final long serialVersionUID = 1L;

        @Override
        public int compare(SearchRow a, SearchRow b) {
            double sa = a.verdict(0) == null || Double.isNaN(a.verdict(0).planetScore()) ? -1
                    : a.verdict(0).planetScore();
            double sb = b.verdict(0) == null || Double.isNaN(b.verdict(0).planetScore()) ? -1
                    : b.verdict(0).planetScore();
            int c = Double.compare(sb, sa);
            if (c != 0) {
                return c;
            }
            TransitSearch.Signal x = a.signals().get(0);
            TransitSearch.Signal y = b.signals().get(0);
            c = Double.compare(y.sde(), x.sde());
            if (c != 0) {
                return c;
            }
            c = a.path().compareTo(b.path());
            return c != 0 ? c : Integer.compare(x.rank(), y.rank());
        }
    }

    /** {@code x} rounded to {@code digits} decimals; null for NaN or infinity (an empty cell). */
    static Double round(double x, int digits) {
        return CandidateColumns.round(x, digits);
    }

    static Row candidateRow(SearchRow r, int i) {
        return RowFactory.create(CandidateColumns.values(r.path(), r.target(), r.signals().get(i), r.verdict(i)));
    }

    private static Map<String, Object> asMap(SearchRow r, int i) {
        return CandidateColumns.asMap(r.path(), r.target(), r.signals().get(i), r.verdict(i));
    }

    /**
     * Figures of the strongest candidates: their files are searched again on the executors, once per file (a
     * handful), each figure drawn there, and the PNG bytes written here.
     */
    private static List<String> writeFigures(JobContext ctx, Broadcast<SerializableHadoopConf> conf,
                                             List<SearchRow> strongest, Broadcast<byte[]> vetter) {
        PipelineSettings s = ctx.settings();
        JavaSparkContext sc = ctx.sc();
        OutputStore out = ctx.out();
        int n = Math.min(s.search().figures(), strongest.size());
        List<String> written = new ArrayList<>();
        if (n == 0) {
            return written;
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
                .flatMap(w -> Figures.draw(w._1(), w._2(), conf.value(), flux, settings,
                        vetter == null ? null : vetter.value()).iterator()).collect();
        Set<String> used = new HashSet<>();
        for (Tuple2<String, byte[]> p : pngs) {
            String name = p._1();
            for (int i = 2; !used.add(name); i++) { // files of one name in different folders
                name = p._1().replaceFirst("\\.png$", "") + "-" + i + ".png";
            }
            String target = FIGURES + "/" + name;
            try {
                out.write(target, o -> o.write(p._2()));
                written.add(target);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot write " + out.uri(target), e);
            }
        }
        LOG.info("Wrote {} figures to {}", written.size(), out.uri(FIGURES));
        return written;
    }
}
