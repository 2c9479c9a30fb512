package org.tessexo.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code search} over the real files of ../shared/data/tess: light curves, target pixel files and cutouts are
 * searched, the rest skipped with a reason; WASP-126 b comes out as the strongest candidate, in Parquet and CSV;
 * TOI-216 c's lone deep transit is in the single-event table; figures are written; a second run needs --overwrite.
 */
class SearchIT {
    private static final SparkSession SPARK = SparkTestSupport.spark();

    @Test
    void realLightCurvesGiveWasp126bAndToi216cAndEveryFileIsAccountedFor(@TempDir Path tmp) throws IOException {
        Path out = tmp.resolve("search");
        String data = SparkTestSupport.realData().toString();
        assertEquals(0, TessJob.run(new String[] {"search", "--input", data, "--output", out.toString(),
                "search.figures=3"}));
        JsonNode report = new ObjectMapper().readTree(out.resolve("run-report.json").toFile());
        assertEquals("ok", report.get("status").asText());
        JsonNode counts = report.get("counts");
        long fitsFiles;
        try (Stream<Path> files = Files.list(SparkTestSupport.realData())) {
            fitsFiles = files.filter(p -> p.getFileName().toString().matches("(?i).*\\.(fits|fits\\.gz|csv|txt)"))
                    .count();
        }
        assertEquals(fitsFiles, counts.get("listed").asLong());
        assertEquals(counts.get("listed").asLong(), counts.get("images").asLong() + counts.get("skipped").asLong()
                + counts.get("failed").asLong());
        assertTrue(counts.get("images").asLong() >= 3, "both full-sector light curves and the 1x1 cutout: " + counts);
        // A light curve is counted as what it is; counts.images stays for the scripts that read it.
        assertEquals(counts.get("images").asLong(), counts.get("searched").asLong());
        assertTrue(report.get("reasons").has("too few good cadences"), report.get("reasons").toString());

        // The candidates table, both ways; WASP-126 b is the best planet candidate. (Not always the highest SDE: the
        // 1x1-pixel test cutout's 195,000-ppm ramps at the sector's edges, folded at 13.9 days, reach 23.7 on the
        // detrended periodogram, and are called a false alarm and flagged edge-ramp.)
        Dataset<Row> parquet = SPARK.read().parquet(out.resolve("candidates/parquet").toString());
        Dataset<Row> csv = SPARK.read().option("header", "true").option("inferSchema", "true")
                .csv(out.resolve("candidates/csv").toString());
        assertEquals(report.get("search").get("candidates").asLong(), parquet.count());
        assertEquals(parquet.count(), csv.count());
        Row top = parquet.orderBy(parquet.col("planet_score").desc()).first();
        assertEquals(25155310L, top.getLong(top.fieldIndex("tic")));
        assertEquals("TIC 25155310", top.getString(top.fieldIndex("target")));
        assertEquals("BTJD", top.getString(top.fieldIndex("time_system")));
        assertEquals(top.getDouble(top.fieldIndex("epoch_btjd")) + 2457000, top.getDouble(top.fieldIndex("epoch_bjd")),
                1e-4);
        assertTrue(top.getBoolean(top.fieldIndex("passed_min_sde")));
        double score = top.getDouble(top.fieldIndex("planet_score"));
        assertTrue(score >= 0 && score <= 1, "planet score " + score);
        assertTrue(List.of("planet candidate", "eclipsing binary", "false alarm")
                .contains(top.getString(top.fieldIndex("disposition"))), top.toString());
        // No period listed twice for one file
        assertEquals(parquet.count(), parquet.select("file", "period_days").distinct().count());
        // One merged CSV beside Spark's parts, one header line
        List<String> merged = Files.readAllLines(out.resolve("candidates.csv"));
        assertEquals(parquet.count() + 1, merged.size());
        assertTrue(merged.get(0).startsWith("tic,sector,camera,ccd,file,rank,period_days,epoch_btjd,duration_hours,"
                + "depth_ppm,snr,sde,transits,flux,planet_score,disposition"),
                "CONTRACT's columns first: " + merged.get(0));
        assertTrue(report.get("vetting").get("vetter").asText().contains("shipped"), report.get("vetting").toString());
        // Text tables that are not light curves are skipped with the columns they have
        assertTrue(report.get("reasons").has("no usable flux column"), report.get("reasons").toString());
        assertEquals(1, top.getInt(top.fieldIndex("rank")));
        assertEquals(3.28879, top.getDouble(top.fieldIndex("period_days")), 3.28879 * 0.001);
        assertTrue(top.getString(top.fieldIndex("file")).endsWith("00025155310-s01_tess_v1_lc.fits"));
        JsonNode strongest = report.get("search").get("strongest");
        boolean wasp126 = false;
        for (JsonNode c : strongest) {
            wasp126 |= c.get("tic").asLong() == 25155310L;
        }
        assertTrue(wasp126, strongest.toString());
        ReportPageCheck.inBrowser(out.resolve("report.html"), strongest.size());

        // TOI-216 c's single deep transit at BTJD 1331.26 is listed as an event.
        List<Row> events = SPARK.read().parquet(out.resolve("events/parquet").toString())
                .filter("tic = 55652896").collectAsList();
        assertTrue(events.stream().anyMatch(e -> Math.abs(e.getDouble(e.fieldIndex("time_btjd")) - 1331.264) < 0.05
                && e.getDouble(e.fieldIndex("depth_ppm")) > 10_000), events.toString());

        // Figures of the three strongest, as PNG.
        JsonNode figures = report.get("search").get("figures");
        assertEquals(3, figures.size());
        for (JsonNode f : figures) {
            byte[] png = Files.readAllBytes(out.resolve(f.asText()));
            assertTrue(png.length > 10_000 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G', f.asText());
        }
        assertTrue(Files.exists(
                out.resolve("figures/hlsp_tess-data-alerts_tess_phot_00025155310-s01_tess_v1_lc-1.png")),
                "figures are named after their files: " + figures);

        // Every file has its outcome row; a second run into the same folder needs --overwrite.
        assertEquals(counts.get("listed").asLong(), SPARK.read().option("header", "true")
                .csv(out.resolve("outcomes").toString()).count());
        assertEquals(counts.get("searched").asLong(), SPARK.read().option("header", "true")
                .csv(out.resolve("outcomes").toString()).where("outcome = 'searched'").count());
        assertEquals(2, TessJob.run(new String[] {"search", "--input", data, "--output", out.toString()}));
    }

    @Test
    void brokenFilesAreCountedWithTheirReasonAndTheLimitApplies(@TempDir Path tmp) throws IOException {
        Path in = Files.createDirectories(tmp.resolve("in"));
        byte[] lc = Files.readAllBytes(SparkTestSupport.realData()
                .resolve("hlsp_tess-data-alerts_tess_phot_00025155310-s01_tess_v1_lc.fits"));
        Files.write(in.resolve("good_lc.fits"), lc);
        Files.write(in.resolve("cut_lc.fits"), java.util.Arrays.copyOf(lc, lc.length / 2));
        Files.writeString(in.resolve("notes_lc.fits"), "not FITS");
        // 2 of 3 failed: past the default failures.max-fraction, so exit 1 naming the reasons.
        assertEquals(1, TessJob.run(new String[] {"search", "--input", in.toString(), "--output",
                tmp.resolve("o1").toString(), "search.figures=0"}));
        JsonNode failed = new ObjectMapper().readTree(tmp.resolve("o1/run-report.json").toFile());
        assertEquals("failed", failed.get("status").asText());
        assertEquals(2, failed.get("failed_reasons").get("unreadable FITS").asInt(), failed.toString());
        assertTrue(failed.get("error").asText().contains("2 x unreadable FITS"), failed.get("error").asText());
        // Allowed: the good file is searched, the two others stay in the report and outcomes with their reasons.
        assertEquals(0, TessJob.run(new String[] {"search", "--input", in.toString(), "--output",
                tmp.resolve("o2").toString(), "search.figures=0", "failures.max-fraction=1"}));
        JsonNode ok = new ObjectMapper().readTree(tmp.resolve("o2/run-report.json").toFile());
        assertEquals(1, ok.get("counts").get("images").asInt());
        assertEquals(2, ok.get("counts").get("failed").asInt());
        assertEquals(2, ok.get("problems").size());
        assertEquals(25155310L, ok.get("search").get("strongest").get(0).get("tic").asLong());
        assertEquals(0, ok.get("search").get("figures").size());
    }

    @Test
    void nothingSearchableIsExit3WithTheCounts(@TempDir Path tmp) throws IOException {
        Path in = Files.createDirectories(tmp.resolve("in"));
        Files.copy(SparkTestSupport.realData().resolve("tess2019085135100-s0010-2-4-0140-s_cbv.fits"),
                in.resolve("cbv.fits"));
        Files.copy(SparkTestSupport.realData().resolve("test-lc-tess-pimen-100-cadences.fits"),
                in.resolve("short_lc.fits"));
        Path out = tmp.resolve("o");
        assertEquals(3, TessJob.run(new String[] {"search", "--input", in.toString(), "--output", out.toString()}));
        JsonNode r = new ObjectMapper().readTree(out.resolve("run-report.json").toFile());
        assertTrue(r.get("error").asText().startsWith("No valid data loaded from "), r.get("error").asText());
        // A cotrending-basis-vector file has a TIME column but no flux: skipped with the columns it has
        assertEquals(1, r.get("reasons").get("no usable flux column").asInt(), r.get("reasons").toString());
        assertEquals(1, r.get("reasons").get("too few good cadences").asInt());
        List<String> header = Files.readAllLines(Files.list(out.resolve("outcomes"))
                .filter(p -> p.toString().endsWith(".csv")).findFirst().orElseThrow());
        String detail = String.join("\n", header);
        assertTrue(detail.contains("VECTOR_1") && detail.contains("tess.search.flux-column"), detail);
        assertTrue(header.get(0).startsWith("path,outcome,reason,hdu,height,width"), header.get(0));
    }

    /**
     * Parquet light curves as photometry writes them (one row per star, arrays), written by Spark itself: every star
     * is searched as its own light curve and named by its id; the planet injected into one of them is its strongest
     * candidate; a damaged Parquet file and a table of one row per cadence are accounted for with their reasons.
     */
    @Test
    void parquetLightCurveTablesAreSearchedStarByStar(@TempDir Path tmp) throws IOException {
        org.apache.spark.sql.types.StructType schema = new org.apache.spark.sql.types.StructType()
                .add("id", "string").add("tic", "long").add("sector", "int")
                .add("time", "array<double>").add("flux", "array<double>").add("flux_err", "array<double>")
                .add("quality", "array<int>");
        java.util.Random rnd = new java.util.Random(5);
        List<Row> rows = new java.util.ArrayList<>();
        double period = 3.1;
        for (int s = 0; s < 6; s++) {
            int n = 1250;
            Double[] t = new Double[n];
            Double[] f = new Double[n];
            Double[] e = new Double[n];
            Integer[] q = new Integer[n];
            for (int i = 0; i < n; i++) {
                t[i] = 1325.3 + i / 48.0;
                double phase = ((t[i] - 1326.0) % period + period) % period;
                boolean transit = s == 4 && Math.min(phase, period - phase) < 0.06;
                f[i] = 1 + 5e-4 * rnd.nextGaussian() - (transit ? 3e-3 : 0);
                e[i] = 5e-4;
                q[i] = 0;
            }
            f[7] = null; // a missing cadence
            rows.add(org.apache.spark.sql.RowFactory.create("TIC " + (700 + s), 700L + s, 12, t, f, e, q));
        }
        Path in = tmp.resolve("in");
        SPARK.createDataFrame(rows, schema).repartition(2).write().parquet(in.resolve("lightcurves").toString());
        SPARK.createDataFrame(List.of(org.apache.spark.sql.RowFactory.create("a", 1.0, 1.0)), new org.apache.spark
                .sql.types.StructType().add("id", "string").add("time", "double").add("flux", "double"))
                .coalesce(1).write().parquet(in.resolve("long").toString());
        Files.writeString(in.resolve("broken.parquet"), "not Parquet");
        Path out = tmp.resolve("o");
        assertEquals(0, TessJob.run(new String[] {"search", "--input", in.toString(), "--output", out.toString(),
                "search.figures=1", "failures.max-fraction=1"}));
        JsonNode report = new ObjectMapper().readTree(out.resolve("run-report.json").toFile());
        assertEquals(6, report.get("counts").get("searched").asInt(), report.get("counts").toString());
        assertEquals(1, report.get("failed_reasons").get("unreadable Parquet").asInt(), report.toString());
        assertEquals(1, report.get("reasons").get("not a light-curve table").asInt(), report.toString());
        Dataset<Row> c = SPARK.read().parquet(out.resolve("candidates/parquet").toString());
        Row top = c.orderBy(c.col("sde").desc()).first();
        assertEquals(704L, top.getLong(top.fieldIndex("tic")));
        assertEquals("TIC 704", top.getString(top.fieldIndex("target")));
        assertEquals(12, top.getInt(top.fieldIndex("sector")));
        assertTrue(top.getString(top.fieldIndex("file")).endsWith(".parquet#TIC 704"), top.toString());
        assertEquals(period, top.getDouble(top.fieldIndex("period_days")), period * 0.002);
        assertEquals(6, SPARK.read().option("header", "true").csv(out.resolve("outcomes").toString())
                .where("outcome = 'searched'").select("path").distinct().count());
        assertTrue(Files.exists(out.resolve("figures/TIC_704-1.png")), "the figure is named by the star's id");

        // --min-score keeps exactly the signals scored at least that
        Path kept = tmp.resolve("kept");
        assertEquals(0, TessJob.run(new String[] {"search", "--input", in.toString(), "--output", kept.toString(),
                "--min-score", "0.5", "search.figures=0", "failures.max-fraction=1"}));
        Dataset<Row> k = SPARK.read().parquet(kept.resolve("candidates/parquet").toString());
        assertEquals(0, k.where("planet_score < 0.5").count());
        assertEquals(c.where("planet_score >= 0.5").count(), k.count());
        assertTrue(k.count() < c.count(), "noise stars' signals are not planets: " + k.count() + " of " + c.count());
    }
}
