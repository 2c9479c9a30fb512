package org.tessexo.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tessexo.common.demo.SectorGenerator;
import org.tessexo.common.stats.RobustStats;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code photometry} on a generated sector (local[2]): every star found and measured, one Parquet row per star in
 * the layout {@code search} reads, light curves near the generator's photon-noise limit, bad files accounted for;
 * then {@code search} on the light curves finds every injected planet at its period; with {@code --targets} the
 * catalog's names and magnitudes are carried.
 */
class PhotometryIT {
    private static final SparkSession SPARK = SparkTestSupport.spark();
    @TempDir
    static Path tmp;
    static SectorGenerator.Summary sector;

    @BeforeAll
    static void generate() throws Exception {
        sector = SectorGenerator.generate(tmp.resolve("sector"), SectorGenerator.Spec.small(21));
        Files.writeString(sector.ffiDir().resolve("tess2018206999999-s0001-1-1-0120-s_ffic.fits"), "not FITS");
    }

    @Test
    void framesBecomeLightCurvesAndSearchFindsThePlanets() throws Exception {
        Path out = tmp.resolve("phot");
        assertEquals(0, TessJob.run(new String[] {"photometry", "--input", sector.ffiDir().toString(), "--output",
                out.toString()}));
        JsonNode report = new ObjectMapper().readTree(out.resolve("run-report.json").toFile());
        assertEquals("ok", report.get("status").asText());
        assertEquals(sector.frames() + 1, report.get("counts").get("listed").asInt());
        assertEquals(1, report.get("counts").get("failed").asInt(), report.get("counts").toString());
        JsonNode ph = report.get("photometry");
        assertEquals(1, ph.get("ccds").asInt());
        assertEquals(sector.frames(), ph.get("frames_measured").asInt());
        assertEquals(sector.stars().size(), ph.get("stars").asInt(), ph.toString());

        Dataset<Row> lc = SPARK.read().parquet(out.resolve("lightcurves").toString());
        List<Row> rows = lc.collectAsList();
        assertEquals(sector.stars().size(), rows.size());
        // the arrays as two-level lists (the values straight in the LIST group: the cheaper layout to write), set for
        // the write alone: the session's own setting is as it was
        Path part;
        try (var files = Files.list(out.resolve("lightcurves"))) {
            part = files.filter(f -> f.getFileName().toString().endsWith(".parquet")).findFirst().orElseThrow();
        }
        try (var footer = org.apache.parquet.hadoop.ParquetFileReader.open(org.apache.parquet.hadoop.util
                .HadoopInputFile.fromPath(new org.apache.hadoop.fs.Path(part.toUri()), new org.apache.hadoop.conf
                .Configuration()))) {
            var schema = footer.getFooter().getFileMetaData().getSchema();
            for (String array : List.of("time", "flux", "quality")) {
                var list = schema.getType(array).asGroupType();
                assertTrue(list.getType(0).isPrimitive() && list.getType(0).isRepetition(
                        org.apache.parquet.schema.Type.Repetition.REPEATED), array + ": " + list);
            }
        }
        assertEquals("false", SPARK.conf().get("spark.sql.parquet.writeLegacyFormat"));
        Map<String, Row> byTruth = new HashMap<>();
        for (SectorGenerator.Truth t : sector.stars()) {
            Row best = null;
            double d = Double.MAX_VALUE;
            for (Row r : rows) {
                double dist = Math.hypot(r.getDouble(r.fieldIndex("x")) - t.x(),
                        r.getDouble(r.fieldIndex("y")) - t.y());
                if (dist < d) {
                    d = dist;
                    best = r;
                }
            }
            assertTrue(d < 0.3, t.id() + " found within 0.3 px: " + d);
            byTruth.put(t.id(), best);
        }
        // every light curve complete, sorted, with its flags
        List<Double> ratios = new ArrayList<>();
        StringBuilder table = new StringBuilder();
        for (SectorGenerator.Truth t : sector.stars()) {
            Row r = byTruth.get(t.id());
            List<Double> time = r.getList(r.fieldIndex("time"));
            List<Float> flux = r.getList(r.fieldIndex("flux"));
            List<Integer> quality = r.getList(r.fieldIndex("quality"));
            // the share of the aperture's light that is the star's own: stars 6 px apart or more here
            int crowding = r.fieldIndex("crowding");
            assertTrue(r.isNullAt(crowding) || r.getDouble(crowding) > 0.9 && r.getDouble(crowding) <= 1,
                    t + ": crowding " + r.get(crowding));
            assertEquals(sector.frames(), time.size());
            for (int i = 1; i < time.size(); i++) {
                assertTrue(time.get(i) > time.get(i - 1));
            }
            assertTrue(quality.stream().anyMatch(q -> (q & SectorGenerator.DESATURATION) != 0));
            assertTrue(quality.stream().anyMatch(q -> (q & SectorGenerator.STRAY_LIGHT) != 0));
            if (!"constant".equals(t.kind())) {
                continue;
            }
            List<Double> good = new ArrayList<>();
            for (int i = 0; i < flux.size(); i++) {
                if (quality.get(i) == 0 && Float.isFinite(flux.get(i))) {
                    good.add((double) flux.get(i));
                }
            }
            double mean = good.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
            double[] diff = new double[good.size() - 1];
            for (int i = 1; i < good.size(); i++) {
                diff[i - 1] = (good.get(i) - good.get(i - 1)) / mean;
            }
            double scatter = 1.4826 * RobustStats.mad(diff) / Math.sqrt(2);
            double aperture = r.getDouble(r.fieldIndex("aperture_px"));
            double limit = SectorGenerator.photonLimit(mean, (int) Math.round(Math.PI * aperture * aperture));
            ratios.add(scatter / limit);
            table.append(String.format(Locale.ROOT, "Tmag %.1f: %.0f ppm, limit %.0f, ratio %.2f%n", t.tmag(),
                    scatter * 1e6, limit * 1e6, scatter / limit));
        }
        double[] rr = ratios.stream().mapToDouble(Double::doubleValue).toArray();
        System.out.print(table);
        // the pointing correction brings every constant star within 1.25x of its photon limit (1.3-1.4x without it)
        assertTrue(RobustStats.median(rr, rr.length) < 1.1, "constant stars against the photon limit:\n" + table);
        assertTrue(java.util.Arrays.stream(rr).max().orElse(9) < 1.25, "every constant star:\n" + table);
        assertTrue(Files.readAllLines(out.resolve("stars.csv")).size() == sector.stars().size() + 1);
        // the reference with its apertures: full resolution here (96 pixels a side), a circle on every star
        java.awt.image.BufferedImage fig = javax.imageio.ImageIO.read(out.resolve("figures/reference-s0001-1-1.png")
                .toFile());
        assertEquals(96, fig.getWidth());
        int circled = 0;
        for (SectorGenerator.Truth t : sector.stars()) {
            int x = (int) Math.round(t.x() + 0.5);
            int y = 96 - (int) Math.round(t.y() + 0.5);
            boolean red = false;
            for (int dy = -5; dy <= 5 && !red; dy++) {
                for (int dx = -5; dx <= 5 && !red; dx++) {
                    int px = Math.max(0, Math.min(95, x + dx));
                    int py = Math.max(0, Math.min(95, y + dy));
                    int rgb = fig.getRGB(px, py);
                    red = ((rgb >> 16) & 255) > 200 && ((rgb >> 8) & 255) < 120;
                }
            }
            circled += red ? 1 : 0;
        }
        assertEquals(sector.stars().size(), circled, "a circle drawn around every star");

        // search reads the light curves as written, star by star
        Path found = tmp.resolve("search");
        assertEquals(0, TessJob.run(new String[] {"search", "--input", out.resolve("lightcurves").toString(),
                "--output", found.toString(), "search.figures=0"}));
        Dataset<Row> c = SPARK.read().parquet(found.resolve("candidates/parquet").toString());
        List<Row> cands = c.collectAsList();
        for (SectorGenerator.Truth t : sector.stars()) {
            String id = byTruth.get(t.id()).getString(0);
            if ("binary".equals(t.kind())) {
                // the shipped vetter scores every signal: an eclipsing binary is no planet candidate
                assertTrue(cands.stream().filter(x -> id.equals(x.getString(x.fieldIndex("target"))))
                        .noneMatch(x -> "planet candidate".equals(x.getString(x.fieldIndex("disposition")))),
                        "binary " + t + " called a planet");
            }
            if (!"planet".equals(t.kind())) {
                continue;
            }
            Row hit = cands.stream().filter(x -> id.equals(x.getString(x.fieldIndex("target")))
                    && Math.abs(x.getDouble(x.fieldIndex("period_days")) - t.period()) < 0.005 * t.period())
                    .findFirst().orElse(null);
            assertNotNull(hit, "the planet of " + t + " (" + id + ") found at its period; candidates of the star: "
                    + cands.stream().filter(x -> id.equals(x.getString(x.fieldIndex("target"))))
                    .map(x -> x.getDouble(x.fieldIndex("period_days"))).toList());
        }
    }

    @Test
    void targetsGiveTheCatalogNamesAndMagnitudes() throws Exception {
        Path out = tmp.resolve("targets");
        assertEquals(0, TessJob.run(new String[] {"photometry", "--input", sector.ffiDir().toString(), "--output",
                out.toString(), "--targets", sector.targets().toString()}));
        Dataset<Row> lc = SPARK.read().parquet(out.resolve("lightcurves").toString());
        assertEquals(sector.stars().size(), lc.count());
        for (SectorGenerator.Truth t : sector.stars()) {
            Row r = lc.where(lc.col("id").equalTo(t.id())).first();
            assertEquals(t.tmag(), r.getDouble(r.fieldIndex("tmag")), 1e-3);
            assertEquals(t.x(), r.getDouble(r.fieldIndex("x")), 1e-3, "placed through the WCS");
            assertEquals(t.ra(), r.getDouble(r.fieldIndex("ra")), 1e-6);
        }
        // a table that lists every other star: the others are found on the reference and lend their light to the
        // crowding model, but only the listed stars are measured
        List<String> lines = Files.readAllLines(sector.targets());
        List<String> half = new ArrayList<>(List.of(lines.get(0)));
        for (int i = 1; i < lines.size(); i += 2) {
            half.add(lines.get(i));
        }
        Path halfTable = tmp.resolve("half.csv");
        Files.write(halfTable, half);
        Path halfOut = tmp.resolve("targets-half");
        assertEquals(0, TessJob.run(new String[] {"photometry", "--input", sector.ffiDir().toString(), "--output",
                halfOut.toString(), "--targets", halfTable.toString()}));
        Dataset<Row> halfLc = SPARK.read().parquet(halfOut.resolve("lightcurves").toString());
        assertEquals(half.stream().skip(1).map(l -> l.split(",")[0]).sorted().toList(),
                halfLc.select("id").collectAsList().stream().map(r -> r.getString(0)).sorted().toList());
        for (Row r : halfLc.select("crowding").collectAsList()) {
            assertTrue(r.isNullAt(0) || r.getDouble(0) > 0.9 && r.getDouble(0) <= 1, "crowding " + r);
        }
        // a table without positions is the user's mistake, said before any frame is read
        Path bad = tmp.resolve("bad.csv");
        Files.writeString(bad, "name,ra\nX,10\n");
        assertEquals(2, TessJob.run(new String[] {"photometry", "--input", sector.ffiDir().toString(), "--output",
                tmp.resolve("bad").toString(), "--targets", bad.toString()}));
    }

    /**
     * Local frames are mapped and only their stars' pixels read (photometry.map-local-files, the default); streamed
     * and decoded whole they give the same light curves, to the bit. Three stars of the table: the sparse path.
     */
    @Test
    void mappedFramesGiveTheLightCurvesOfStreamedOnes() throws Exception {
        List<String> lines = Files.readAllLines(sector.targets());
        Path few = tmp.resolve("few.csv");
        Files.write(few, lines.subList(0, 4));
        Dataset<Row> mapped = null;
        for (boolean map : new boolean[] {true, false}) {
            Path out = tmp.resolve("map-" + map);
            assertEquals(0, TessJob.run(new String[] {"photometry", "--input", sector.ffiDir().toString(), "--output",
                    out.toString(), "--targets", few.toString(), "tess.photometry.map-local-files=" + map}));
            Dataset<Row> lc = SPARK.read().parquet(out.resolve("lightcurves").toString());
            assertEquals(3, lc.count());
            if (map) {
                mapped = lc;
            } else {
                assertEquals(0, mapped.except(lc).count(), "rows of the mapped run that the streamed one lacks");
                assertEquals(0, lc.except(mapped).count());
            }
        }
    }

    /** detect: frames in, vetted candidates out, each with its star's position; the planets found, no binary. */
    @Test
    void detectGoesFromFramesToCandidatesWithTheirStars() throws Exception {
        Path out = tmp.resolve("detect");
        assertEquals(0, TessJob.run(new String[] {"detect", "--input", sector.ffiDir().toString(), "--output",
                out.toString(), "search.figures=2"}));
        JsonNode report = new ObjectMapper().readTree(out.resolve("run-report.json").toFile());
        assertEquals("ok", report.get("status").asText());
        assertEquals(sector.stars().size(), report.get("photometry").get("stars").asInt());
        assertTrue(report.get("search").get("candidates").asInt() >= 4, report.get("search").toString());
        assertTrue(Files.exists(out.resolve("search/report.html")));
        assertTrue(Files.exists(out.resolve("search/run-report.json")));
        Dataset<Row> c = SPARK.read().option("header", "true").option("inferSchema", "true")
                .csv(out.resolve("candidates.csv").toString());
        List<Row> rows = c.collectAsList();
        for (SectorGenerator.Truth t : sector.stars()) {
            List<Row> mine = rows.stream().filter(r -> Math.hypot(r.getDouble(r.fieldIndex("x")) - t.x(),
                    r.getDouble(r.fieldIndex("y")) - t.y()) < 0.3).toList();
            if ("planet".equals(t.kind())) {
                assertTrue(mine.stream().anyMatch(r -> "planet candidate".equals(r.getString(r.fieldIndex(
                        "disposition"))) && Math.abs(r.getDouble(r.fieldIndex("period_days")) - t.period())
                        < 0.005 * t.period() && Math.abs(r.getDouble(r.fieldIndex("ra")) - t.ra()) < 1e-4),
                        t + ": " + mine);
            }
            if ("binary".equals(t.kind())) {
                assertTrue(mine.stream().noneMatch(r -> "planet candidate".equals(r.getString(r.fieldIndex(
                        "disposition")))), t + ": " + mine);
            }
        }
        // ranked: the best planet score first
        assertEquals("planet candidate", rows.get(0).getString(rows.get(0).fieldIndex("disposition")));
    }

    /** TGLC's 5 x 5 FFI cubes of TOI-519 (sectors 7, 8) measured as frames are; search finds TOI-519 b in each. */
    @Test
    void pixelCubesAreMeasuredAndToi519bIsFound() throws Exception {
        Path tglc = org.tessexo.common.testing.FitsFixtures.realPhotometry().resolve("tglc");
        Path out = tmp.resolve("tglc");
        assertEquals(0, TessJob.run(new String[] {"photometry", "--input", tglc.toString(), "--output",
                out.toString(), "photometry.fits-stars=[\"TIC 218795833\"]"}));
        // the chosen star's light curves also as FITS in SPOC's layout, which our own reader opens as SPOC's
        for (String sector : new String[] {"s0007", "s0008"}) {
            Path fits = out.resolve("lightcurves-fits/TIC_218795833-" + sector + "_lc.fits");
            org.tessexo.common.lightcurve.LightCurveReader.Result r = new org.tessexo.common.lightcurve
                    .LightCurveReader("PDCSAP_FLUX").read(Files.readAllBytes(fits), fits.getFileName().toString());
            assertTrue(r.ok(), r.reason() + ": " + r.detail());
            assertEquals("TIC 218795833", r.lightCurve().target().name());
            assertEquals(Integer.parseInt(sector.substring(1)), r.lightCurve().target().sector());
            assertEquals("PDCSAP_FLUX", r.lightCurve().target().fluxColumn());
        }
        JsonNode report = new ObjectMapper().readTree(out.resolve("run-report.json").toFile());
        assertEquals(2, report.get("photometry").get("pixel_cubes").asInt(), report.toString());
        assertEquals(1, report.get("counts").get("skipped").asInt(), "the TGLC v1 light curve has no cube");
        Dataset<Row> lc = SPARK.read().parquet(out.resolve("lightcurves").toString());
        assertEquals(2, lc.count());
        // stars.csv lists each cube's star, in its sector, camera and CCD
        List<String> starLines = Files.readAllLines(out.resolve("stars.csv"));
        assertEquals(3, starLines.size(), "the header and a star per cube: " + starLines);
        for (String group : new String[] {"s0007-2-3", "s0008-2-4"}) {
            assertTrue(starLines.stream().anyMatch(l -> l.startsWith("TIC 218795833," + group + ",")),
                    group + ": " + starLines);
        }
        Path found = tmp.resolve("tglc-search");
        assertEquals(0, TessJob.run(new String[] {"search", "--input", out.resolve("lightcurves").toString(),
                "--output", found.toString(), "search.figures=0"}));
        List<Row> cands = SPARK.read().parquet(found.resolve("candidates/parquet").toString()).collectAsList();
        for (int sector : new int[] {7, 8}) {
            double p = 1.2652338;
            assertTrue(cands.stream().anyMatch(c -> c.getInt(c.fieldIndex("sector")) == sector
                    && "TIC 218795833".equals(c.getString(c.fieldIndex("target")))
                    && c.getBoolean(c.fieldIndex("passed_min_sde"))
                    && Math.abs(c.getDouble(c.fieldIndex("period_days")) - p) < 0.001 * p),
                    "TOI-519 b in sector " + sector + ": " + cands);
        }
    }
}
