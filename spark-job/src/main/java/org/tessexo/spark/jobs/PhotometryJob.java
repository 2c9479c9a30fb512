package org.tessexo.spark.jobs;

import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Observation;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tessexo.common.config.PipelineSettings;
import org.tessexo.common.errors.NoValidDataException;
import org.tessexo.common.photometry.FrameInfo;
import org.tessexo.common.photometry.MedianStack;
import org.tessexo.common.photometry.SpocLightCurveFile;
import org.tessexo.common.photometry.Star;
import org.tessexo.common.report.RunReport;
import org.tessexo.spark.steps.Decode;
import org.tessexo.spark.steps.FailurePolicy;
import org.tessexo.spark.steps.Ingest;
import org.tessexo.spark.steps.JobContext;
import org.tessexo.spark.steps.OutcomeTable;
import org.tessexo.spark.steps.Tables;
import org.tessexo.spark.steps.TargetsTable;
import org.tessexo.spark.transforms.CadenceBlock;
import org.tessexo.spark.transforms.CubeRows;
import org.tessexo.spark.transforms.FrameHeaderFn;
import org.tessexo.spark.transforms.FrameRow;
import org.tessexo.spark.transforms.LightCurveRecord;
import org.tessexo.spark.transforms.LightCurveRows;
import org.tessexo.spark.transforms.PhotometryFn;
import org.tessexo.spark.transforms.ReferenceFn;
import org.tessexo.spark.transforms.StarField;
import scala.Tuple2;
import scala.Tuple3;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code photometry} command, full-frame images into light curves (the corner turn):
 * <ol>
 *   <li>list the frames and read their headers on the executors (CCD, time, quality, WCS; no pixels);</li>
 *   <li>per CCD (sector, camera, CCD), a reference image: the median of a few unflagged frames spread over the
 *   sector, made on an executor, and its stars, found there or placed from {@code --targets};</li>
 *   <li>every frame measured on the executors, one at a time; each task hands each star its measurements of a block
 *   of frames, keyed by the star ({@link PhotometryFn});</li>
 *   <li>the corner turn: measurements grouped by star and sorted by time into one row per star, written as Parquet
 *   ({@code lightcurves/}, the table {@code search} reads), with {@code stars.csv} and {@code outcomes/}.</li>
 * </ol>
 * Only frame times and the stars of each CCD reach the driver; no light curve does.
 */
final class PhotometryJob extends Job {
    private static final Logger LOG = LoggerFactory.getLogger(PhotometryJob.class);
    public static final String LIGHTCURVES = "lightcurves";
    public static final String STARS = "stars.csv";
    public static final String FIGURES = "figures";
    public static final String FITS = "lightcurves-fits";
    /** Reading a frame's headers takes a millisecond: large partitions. */
    static final int FILES_PER_TASK = 500;

    static final OutcomeTable<FrameRow> OUTCOMES = new OutcomeTable<>(
            OutcomeTable.leading().add("ccd_group", DataTypes.StringType).add("time_btjd", DataTypes.DoubleType)
                    .add("quality", DataTypes.IntegerType),
            r -> OutcomeTable.row(r, r.hdu() < 0 ? null : r.hdu(), r.height() == 0 ? null : r.height(),
                    r.width() == 0 ? null : r.width(), r.info() == null ? null : r.info().group(),
                    r.info() == null ? null : r.info().midBtjd(), r.info() == null ? null : r.info().quality()));

    @Override
    void describe(JobContext ctx, RunReport.Builder report) {
        report.setting("photometry", ctx.settings().photometry()).setting("fits", ctx.settings().fits());
    }

    @Override
    void run(JobContext ctx, RunReport.Builder report) {
        PipelineSettings s = ctx.settings();
        PipelineSettings.Photometry ph = s.photometry();
        List<Star> targets = ph.targets().isBlank() ? null : TargetsTable.read(ctx.spark(), ph.targets());
        int inFlight = Decode.filesInFlight(s);
        Ingest.Spec<FrameRow> spec = new Ingest.Spec<>("frame-headers", FILES_PER_TASK,
                conf -> new FrameHeaderFn(conf, s.fits(), inFlight), rows -> rows, StorageLevel.MEMORY_AND_DISK(),
                OUTCOMES);
        Ingest.Ingested<FrameRow> in = ingest(ctx, report, list(ctx, report), spec);
        JavaRDD<LightCurveRecord> cubeRows = null;
        try {
            report.warnings(FailurePolicy.check(ctx, in.tally(), "frames"));
            JavaRDD<FrameRow> frames = in.rows().filter(FrameRow::isFrame);
            JavaRDD<FrameRow> cubes = in.rows().filter(r -> r.isUsed() && r.cube());
            long cubeCount = cubes.count();

            long t = System.nanoTime();
            List<ReferenceFn.Group> groups = in.tally().used() > cubeCount
                    ? referenceGroups(frames, ph.referenceFrames(), targets) : List.of();
            List<StarField> fields = ctx.sc().parallelize(groups, Math.max(1, groups.size()))
                    .map(new ReferenceFn(in.conf(), s.fits(), ph)).collect();
            fields = new ArrayList<>(fields);
            fields.sort(Comparator.comparingInt(StarField::index));
            report.timing("reference", t);
            List<String> problems = new ArrayList<>();
            long stars = 0;
            for (StarField f : fields) {
                if (!f.problem().isEmpty()) {
                    problems.add(f.group() + ": " + f.problem());
                }
                stars += f.stars().size();
            }
            report.warnings(problems);
            if (stars == 0 && cubeCount == 0) {
                throw new NoValidDataException("No star to measure in " + s.input() + ": " + String.join("; ",
                        problems) + (targets == null ? ". Lower tess.photometry.detect-sigma, or give --targets."
                        : ". Check that --targets covers these CCDs (ra, dec in degrees)."));
            }
            writeFigures(ctx, fields);

            t = System.nanoTime();
            Broadcast<List<StarField>> shared = ctx.sc().broadcast(fields.stream().map(StarField::withoutFigure)
                    .toList());
            int partitions = cornerTurnPartitions(stars, ph.starsPerFile(), ctx.sc().defaultParallelism());
            JavaPairRDD<Long, Iterable<CadenceBlock>> byStar = frames
                    .mapPartitionsToPair(new PhotometryFn(in.conf(), shared, s.fits(), ph))
                    .groupByKey(partitions);
            cubeRows = cubes.repartition((int) Math.max(1, Math.min(cubeCount, 64)))
                    .mapPartitions(new CubeRows(in.conf(), ph.radii()));
            if (cubeCount > 0) { // read once: for the light curves and for stars.csv
                cubeRows.persist(StorageLevel.MEMORY_AND_DISK());
            }
            JavaRDD<LightCurveRecord> records = byStar.map(new LightCurveRows(shared)).union(cubeRows);
            Observation lengths = new Observation("light-curve-lengths");
            Dataset<Row> table = ctx.spark().createDataset(records.rdd(), Encoders.bean(LightCurveRecord.class))
                    .select(LightCurveRecord.columns())
                    .observe(lengths, functions.collect_set(functions.struct(functions.col("sector"),
                            functions.col("camera"), functions.col("ccd"), functions.size(functions.col("time"))))
                            .as(LENGTHS));
            Tables.writeMeasurements(table, ctx.out(), LIGHTCURVES);
            writeStars(ctx, fields, cubeCount > 0 ? cubeRows.map(PhotometryJob::cubeStarLine).toLocalIterator()
                    : java.util.Collections.emptyIterator());
            int fitsWritten = writeFits(ctx, ph.fitsStars());
            // a frame's stars are all measured or none: a CCD's light curves are as long as its frames measured
            long measured = framesMeasured(lengths, fields);
            long unmeasured = in.tally().used() - cubeCount - measured;
            report.timing("photometry", t);
            if (unmeasured > 0) {
                report.warnings(List.of(unmeasured + " frames could be listed but not measured (their reasons are"
                        + " in the executors' logs): their cadences are missing from the light curves"));
            }
            Map<String, Object> section = new LinkedHashMap<>();
            section.put("ccds", fields.size());
            section.put("stars", stars);
            section.put("pixel_cubes", cubeCount);
            section.put("frames_measured", in.tally().used() - cubeCount - unmeasured);
            section.put("frames_not_measured", unmeasured);
            section.put("light_curves", ctx.out().uri(LIGHTCURVES));
            section.put("stars_table", ctx.out().uri(STARS));
            section.put("fits_light_curves", fitsWritten);
            section.put("by_ccd", fields.stream().map(PhotometryJob::ccdSection).toList());
            report.photometry(section);
            LOG.info("Photometry: {} stars on {} CCDs, {} frames measured, {} pixel cubes", stars, fields.size(),
                    in.tally().used() - cubeCount - unmeasured, cubeCount);
        } finally {
            in.rows().unpersist(false);
            if (cubeRows != null) {
                cubeRows.unpersist(false);
            }
        }
    }

    private static final String LENGTHS = "lengths";

    /**
     * The corner turn's partitions, each a file of {@code lightcurves/} and a task of the search that reads it: at
     * most {@code perFile} stars each, in whole waves of the cluster's {@code parallelism} (so that no core idles
     * through a last wave of a few tasks: 10,000 stars at 2,000 a file on 2 cores are 6 tasks of 1,667, not 5 of
     * 2,000; 400 stars are 2 tasks, not 1), never more than the stars, at most 100,000.
     */
    static int cornerTurnPartitions(long stars, int perFile, int parallelism) {
        long files = Math.max(1, (stars + perFile - 1) / perFile);
        long slots = Math.max(1, parallelism);
        long waves = (files + slots - 1) / slots;
        return (int) Math.min(Math.min(100_000, Math.max(1, stars)), waves * slots);
    }

    /**
     * The frames measured: per CCD of frames, its longest light curve. The distinct (sector, camera, ccd, length)
     * of the rows are observed while the table is written (a handful per CCD): no second read of the light curves.
     */
    private static long framesMeasured(Observation lengths, List<StarField> fields) {
        java.util.Set<String> ccds = new java.util.HashSet<>();
        fields.forEach(f -> ccds.add(f.group()));
        Map<String, Integer> longest = new java.util.HashMap<>();
        Object seen;
        try {
            seen = lengths.getAsJava().get(LENGTHS); // an array column comes back as a Scala Seq
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the light curves' lengths were gathered", e);
        }
        if (!(seen instanceof scala.collection.Seq<?> seq)) {
            throw new IllegalStateException("the light curves' lengths came back as " + seen);
        }
        List<?> rows = scala.collection.JavaConverters.seqAsJavaListConverter(seq).asJava();
        for (Object o : rows) {
            Row r = (Row) o;
            if (r.isNullAt(0) || r.isNullAt(1) || r.isNullAt(2) || r.isNullAt(3)) {
                continue;
            }
            String group = FrameInfo.group(r.getInt(0), r.getInt(1), r.getInt(2));
            if (ccds.contains(group)) {
                longest.merge(group, r.getInt(3), Math::max);
            }
        }
        return longest.values().stream().mapToLong(Integer::longValue).sum();
    }

    private static Map<String, Object> ccdSection(StarField f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ccd", f.group());
        m.put("stars", f.stars().size());
        m.put("reference_frames", f.frames());
        m.put("frame_noise", f.frameNoise());
        m.put("read_variance_e2", f.readVariance());
        m.put("problem", f.problem());
        return m;
    }

    /**
     * Each CCD's reference frames, chosen on the executors from the frames' times and flags: only their paths
     * reach the driver. Groups are numbered in name order.
     */
    static List<ReferenceFn.Group> referenceGroups(JavaRDD<FrameRow> frames, int perGroup, List<Star> targets) {
        Map<String, List<Tuple2<String, Long>>> chosen = frames
                .mapToPair(f -> new Tuple2<>(f.info().group(), new Tuple3<>(f.info().midBtjd(), f.info().quality(),
                        new Tuple2<>(f.path(), f.length()))))
                .groupByKey()
                .mapValues(all -> {
                    List<Tuple3<Double, Integer, Tuple2<String, Long>>> list = new ArrayList<>();
                    all.forEach(list::add);
                    list.sort(Comparator.comparingDouble(Tuple3::_1));
                    int[] quality = list.stream().mapToInt(Tuple3::_2).toArray();
                    List<Tuple2<String, Long>> out = new ArrayList<>();
                    for (int i : MedianStack.spread(quality, perGroup)) {
                        out.add(list.get(i)._3());
                    }
                    return out;
                }).collectAsMap();
        List<String> names = new ArrayList<>(chosen.keySet());
        names.sort(null);
        List<ReferenceFn.Group> groups = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            List<Tuple2<String, Long>> refs = chosen.get(names.get(i));
            groups.add(new ReferenceFn.Group(i, names.get(i), refs.stream().map(Tuple2::_1).toList(),
                    refs.stream().map(Tuple2::_2).toList(), targets));
        }
        return groups;
    }

    /**
     * The chosen stars' light curves as FITS files in SPOC's layout (lightcurves-fits/), read back from the Parquet
     * written: a handful of rows reach the driver. A chosen id that no star has is a warning in the log.
     */
    private static int writeFits(JobContext ctx, List<String> ids) {
        if (ids.isEmpty()) {
            return 0;
        }
        Dataset<Row> lc = ctx.spark().read().parquet(ctx.out().uri(LIGHTCURVES));
        List<Row> rows = lc.where(lc.col("id").isin(ids.toArray())).collectAsList();
        for (Row r : rows) {
            SpocLightCurveFile.Target t = new SpocLightCurveFile.Target(r.getAs("id"),
                    r.isNullAt(r.fieldIndex("tic")) ? 0 : r.<Long>getAs("tic"), r.<Integer>getAs("sector"),
                    r.<Integer>getAs("camera"), r.<Integer>getAs("ccd"), r.<Double>getAs("ra"), r.<Double>getAs("dec"),
                    r.isNullAt(r.fieldIndex("tmag")) ? Double.NaN : r.<Double>getAs("tmag"),
                    r.<Double>getAs("aperture_px"),
                    r.isNullAt(r.fieldIndex("crowding")) ? Double.NaN : r.<Double>getAs("crowding"));
            byte[] fits = SpocLightCurveFile.write(t, doubles(r, "time"), floats(r, "sap_flux"), floats(r, "flux_err"),
                    floats(r, "background"), floats(r, "flux"), floats(r, "centroid_x"), floats(r, "centroid_y"),
                    floats(r, "pointing_x"), floats(r, "pointing_y"), ints(r, "quality"));
            String name = t.id().replaceAll("[^A-Za-z0-9._+-]", "_") + String.format(java.util.Locale.ROOT,
                    "-s%04d_lc.fits", t.sector());
            try {
                ctx.out().write(FITS + "/" + name, o -> o.write(fits));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("Cannot write " + ctx.out().uri(FITS + "/" + name) + ": "
                        + e.getMessage(), e);
            }
        }
        if (rows.size() < ids.size()) {
            LOG.warn("photometry.fits-stars: {} of {} ids name no star measured ({})", ids.size() - rows.size(),
                    ids.size(), ids);
        }
        return rows.size();
    }

    private static double[] doubles(Row r, String name) {
        return r.getList(r.fieldIndex(name)).stream().mapToDouble(v -> ((Number) v).doubleValue()).toArray();
    }

    private static float[] floats(Row r, String name) {
        List<Object> v = r.getList(r.fieldIndex(name));
        float[] out = new float[v.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ((Number) v.get(i)).floatValue();
        }
        return out;
    }

    private static int[] ints(Row r, String name) {
        return r.getList(r.fieldIndex(name)).stream().mapToInt(v -> ((Number) v).intValue()).toArray();
    }

    /** figures/reference-<ccd>.png: each CCD's reference image with its stars' apertures. */
    private static void writeFigures(JobContext ctx, List<StarField> fields) {
        for (StarField f : fields) {
            if (f.figure().length == 0) {
                continue;
            }
            try {
                ctx.out().write(FIGURES + "/reference-" + f.group() + ".png", o -> o.write(f.figure()));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("Cannot write a figure to " + ctx.out().uri(FIGURES) + ": "
                        + e.getMessage(), e);
            }
        }
    }

    /**
     * stars.csv: the frames' stars (on the driver already, from the references), then one line per pixel cube's star
     * (streamed from the executors, a partition at a time).
     */
    private static void writeStars(JobContext ctx, List<StarField> fields, java.util.Iterator<String> cubeStars) {
        try {
            ctx.out().write(STARS, o -> {
                java.io.Writer w = new java.io.BufferedWriter(new java.io.OutputStreamWriter(o,
                        java.nio.charset.StandardCharsets.UTF_8));
                w.write("id,ccd_group,ra,dec,x,y,tmag,reference_flux,aperture_px,crowding\n");
                for (StarField f : fields) {
                    for (Star st : f.stars()) {
                        w.write(starLine(st.id(), f.group(), st.ra(), st.dec(), st.x(), st.y(), st.mag(), st.flux(),
                                st.radius(), st.crowding()));
                    }
                }
                while (cubeStars.hasNext()) {
                    w.write(cubeStars.next());
                }
                w.flush();
            });
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("Cannot write " + ctx.out().uri(STARS) + ": " + e.getMessage(), e);
        }
    }

    private static String starLine(String id, String group, double ra, double dec, double x, double y, double mag,
                                   double flux, double radius, double crowding) {
        return String.format(java.util.Locale.ROOT, "%s,%s,%.6f,%.6f,%.3f,%.3f,%s,%.1f,%.1f,%s%n", csvField(id), group,
                ra, dec, x, y, Double.isNaN(mag) ? "" : String.format(java.util.Locale.ROOT, "%.3f", mag), flux,
                radius, Double.isNaN(crowding) ? "" : String.format(java.util.Locale.ROOT, "%.4f", crowding));
    }

    /** A pixel cube's star as a line of stars.csv, its group the cube's sector, camera and CCD. */
    static String cubeStarLine(LightCurveRecord r) {
        return starLine(r.getId(), org.tessexo.common.photometry.FrameInfo.group(r.getSector(), r.getCamera(),
                r.getCcd()), r.getRa(), r.getDec(), r.getX(), r.getY(), r.getTmag() == null ? Double.NaN : r.getTmag(),
                r.getReferenceFlux(), r.getAperturePx(), r.getCrowding() == null ? Double.NaN : r.getCrowding());
    }

    private static String csvField(String v) {
        return v.contains(",") || v.contains("\"") ? "\"" + v.replace("\"", "\"\"") + "\"" : v;
    }
}
