package org.tessexo.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;
import org.jclouds.blobstore.domain.Blob;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tessexo.spark.jobs.JobRunner;
import org.tessexo.common.config.CommandLineArgs.Command;
import org.tessexo.common.config.PipelineSettings;
import org.tessexo.common.config.SettingsLoader;
import org.tessexo.common.errors.UserException;
import org.tessexo.common.demo.DemoDataGenerator;
import org.tessexo.common.model.ImageScorer;
import org.tessexo.common.model.ModelPackage;
import org.tessexo.common.report.RunReport;

import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * End to end against a real S3-compatible server on 127.0.0.1 (S3Proxy, in-memory store): TESS-like FFIs under the
 * real sector-1 key names, read anonymously through s3a, decoded, joined with a labels table that is itself on S3,
 * trained, saved to an s3a output, reloaded and used to score a file.
 */
class S3PipelineIT {
    static final String BUCKET = "stpubdata";
    static final String PREFIX = "tess/public/ffi/s0001/2018/206/1-1/";
    static S3Proxy proxy;
    static BlobStore store;
    static List<String> keys = new ArrayList<>();
    static Path demoDir;

    @BeforeAll
    static void startS3(@TempDir Path tmp) throws Exception {
        BlobStoreContext ctx = ContextBuilder.newBuilder("transient").credentials("identity", "credential")
                .build(BlobStoreContext.class);
        store = ctx.getBlobStore();
        store.createContainerInLocation(null, BUCKET);
        store.createContainerInLocation(null, "results");
        proxy = S3Proxy.builder().blobStore(store).endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.NONE, "", "").build();
        proxy.start();
        for (int i = 0; i < 200 && !"STARTED".equals(proxy.getState()); i++) {
            Thread.sleep(10);
        }
        // The real key names of the prefix, from the sector-1 listing.
        for (String line : Files.readAllLines(SparkTestSupport.realData().resolve("tess-s0001-ffi-listing.csv"))) {
            String key = line.split(",")[0];
            if (key.startsWith(PREFIX)) {
                keys.add(key);
            }
        }
        assertEquals(10, keys.size());
        demoDir = tmp;
        DemoDataGenerator.Summary demo = DemoDataGenerator.generate(tmp, 10, 96, 100, 11);
        List<String> demoRows = Files.readAllLines(demo.labels()).subList(1, 11);
        StringBuilder labels = new StringBuilder("key,label\n");
        for (int i = 0; i < 10; i++) {
            String[] row = demoRows.get(i).split(",");
            put(BUCKET, keys.get(i), Files.readAllBytes(demo.ffiDir().resolve(row[0])));
            labels.append(keys.get(i)).append(',').append(row[1]).append('\n');
        }
        // A light curve among the images (a table: skipped with its reason) and a file that is not FITS at all.
        put(BUCKET, PREFIX + "extra/hlsp_tess-data-alerts_tess_phot_00025155310-s01_tess_v1_lc.fits",
                Files.readAllBytes(SparkTestSupport.realData()
                        .resolve("hlsp_tess-data-alerts_tess_phot_00025155310-s01_tess_v1_lc.fits")));
        put(BUCKET, PREFIX + "README.txt", "not FITS".getBytes(StandardCharsets.UTF_8));
        put("results", "labels/labels.csv", labels.toString().getBytes(StandardCharsets.UTF_8));
    }

    static void put(String bucket, String key, byte[] bytes) {
        Blob blob = store.blobBuilder(key).payload(bytes).contentLength(bytes.length).build();
        store.putBlob(bucket, blob);
    }

    @AfterAll
    static void stopS3() throws Exception {
        if (proxy != null) {
            proxy.stop();
        }
    }

    static SparkSession s3Spark() {
        SparkSession spark = SparkTestSupport.spark();
        Configuration h = spark.sparkContext().hadoopConfiguration();
        h.set("fs.s3a.endpoint", "http://127.0.0.1:" + proxy.getPort());
        h.set("fs.s3a.path.style.access", "true");
        h.set("fs.s3a.connection.ssl.enabled", "false");
        h.set("fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.AnonymousAWSCredentialsProvider");
        h.set("fs.s3a.impl.disable.cache", "true");
        h.set("fs.s3a.attempts.maximum", "2");
        h.set("fs.s3a.retry.limit", "2");
        return spark;
    }

    @Test
    void listDecodeTrainSaveReloadScoreOverS3() throws Exception {
        SparkSession spark = s3Spark();
        PipelineSettings s = SettingsLoader.load(null, null, List.of("training.epochs=2", "preprocess.height=32",
                        "preprocess.width=32", "training.test-fraction=0.3", "training.batch-size-per-worker=4"))
                .withInput("s3a://" + BUCKET + "/" + PREFIX)
                .withLabels("s3a://results/labels/labels.csv")
                .withOutput("s3a://results/runs/r1");
        RunReport r = JobRunner.run(Command.TRAIN, s, spark);

        assertEquals("ok", r.status);
        assertEquals(11, r.listed, "README.txt is not listed");
        assertEquals(10, r.images);
        assertEquals(1, r.skipped);
        assertEquals(0, r.failed);
        assertEquals(1L, r.reasons.get("table HDUs only"));
        assertTrue(r.problems.get(0).path.endsWith("_lc.fits"));
        assertTrue(r.bytesRead > 10 * 96 * 100 * 4, "bytes read: " + r.bytesRead);
        assertEquals("table", r.labels);
        assertEquals(10, r.labelled);
        assertEquals(0, r.unlabelled);
        assertEquals(10, r.trainSamples + r.evaluation.samples());
        assertTrue(r.evaluation.samples() > 0, "a held-out split was evaluated");
        assertEquals(2, r.scores.size());
        assertEquals("s3a://results/runs/r1/model.zip", r.model);

        // The outputs are on S3: report, outcomes (one row per listed file), model.
        Blob reportBlob = store.getBlob("results", "runs/r1/run-report.json");
        assertNotNull(reportBlob);
        JsonNode json;
        try (InputStream in = reportBlob.getPayload().openStream()) {
            json = new ObjectMapper().readTree(in);
        }
        assertEquals("ok", json.get("status").asText());
        assertEquals(11, json.get("counts").get("listed").asInt());
        int outcomeRows = 0;
        for (var meta : store.list("results", org.jclouds.blobstore.options.ListContainerOptions.Builder
                .prefix("runs/r1/outcomes/").recursive())) {
            if (meta.getName().endsWith(".csv")) {
                try (InputStream in = store.getBlob("results", meta.getName()).getPayload().openStream()) {
                    outcomeRows += new String(in.readAllBytes(), StandardCharsets.UTF_8).strip().split("\n").length - 1;
                }
            }
        }
        assertEquals(11, outcomeRows);

        Path local = demoDir.resolve("model-from-s3.zip");
        try (InputStream in = store.getBlob("results", "runs/r1/model.zip").getPayload().openStream()) {
            Files.write(local, in.readAllBytes());
        }
        ModelPackage.Loaded model = ModelPackage.load(local);
        assertEquals(32, model.metadata().preprocess().height());
        assertEquals("table", model.metadata().labels());
        byte[] fits;
        try (InputStream in = store.getBlob(BUCKET, keys.get(0)).getPayload().openStream()) {
            fits = in.readAllBytes();
        }
        ImageScorer.Score score = new ImageScorer(model).score(fits);
        assertNull(score.reason());
        assertEquals(1.0, score.probabilities()[0] + score.probabilities()[1], 1e-5);
    }

    @Test
    void searchReadsALightCurveFromS3AndWritesItsCandidatesToS3() throws Exception {
        SparkSession spark = s3Spark();
        PipelineSettings s = SettingsLoader.load(null, null, List.of("search.figures=3"))
                .withInput("s3a://" + BUCKET + "/" + PREFIX + "extra/")
                .withOutput("s3a://results/search/s1");
        RunReport r = JobRunner.run(Command.SEARCH, s, spark);
        assertEquals("ok", r.status);
        assertEquals(1, r.listed);
        assertEquals(1, r.images);
        // the candidates come best planet score first: WASP-126 b is one of them
        assertTrue(r.candidates.stream().anyMatch(c -> ((Number) c.get("tic")).longValue() == 25155310L
                && Math.abs((Double) c.get("period_days") - 3.28879) < 0.0033), r.candidates.toString());
        assertNotNull(store.getBlob("results", "search/s1/candidates.csv"));
        assertNotNull(store.getBlob("results", "search/s1/report.html"));
        assertNotNull(store.getBlob("results", "search/s1/run-report.json"));
        assertNotNull(store.getBlob("results",
                "search/s1/figures/hlsp_tess-data-alerts_tess_phot_00025155310-s01_tess_v1_lc-1.png"));
        int parquetParts = 0;
        for (var meta : store.list("results", org.jclouds.blobstore.options.ListContainerOptions.Builder
                .prefix("search/s1/candidates/parquet/").recursive())) {
            parquetParts += meta.getName().endsWith(".parquet") ? 1 : 0;
        }
        assertTrue(parquetParts >= 1, "candidates written as Parquet on S3");
    }

    /** Frames in on S3, light curves out to S3, then searched from S3: the corner turn over s3a end to end. */
    @Test
    void photometryTurnsFramesOnS3IntoLightCurvesThatSearchReads() throws Exception {
        SparkSession spark = s3Spark();
        org.tessexo.common.demo.SectorGenerator.Summary sector = org.tessexo.common.demo.SectorGenerator.generate(
                demoDir.resolve("sector"), new org.tessexo.common.demo.SectorGenerator.Spec(64, 64, 240, 30, 10, 1, 1,
                        1, 1, 2, 3, 5));
        try (var frames = Files.list(sector.ffiDir())) {
            for (Path f : frames.toList()) {
                put(BUCKET, "generated/s0001/2-3/" + f.getFileName(), Files.readAllBytes(f));
            }
        }
        RunReport r = JobRunner.run(Command.PHOTOMETRY, SettingsLoader.load(null, null, List.of())
                .withInput("s3a://" + BUCKET + "/generated/").withOutput("s3a://results/phot"), spark);
        assertEquals("ok", r.status);
        assertEquals(sector.frames(), r.images);
        assertEquals((long) sector.stars().size(), ((Number) r.photometry.get("stars")).longValue(),
                r.photometry.toString());
        assertNotNull(store.getBlob("results", "phot/stars.csv"));
        RunReport found = JobRunner.run(Command.SEARCH, SettingsLoader.load(null, null, List.of("search.figures=0"))
                .withInput("s3a://results/phot/lightcurves").withOutput("s3a://results/phot-search"), spark);
        assertEquals(sector.stars().size(), found.images);
        org.tessexo.common.demo.SectorGenerator.Truth planet = sector.stars().stream()
                .filter(t -> "planet".equals(t.kind())).findFirst().orElseThrow();
        assertTrue(found.candidates.stream().anyMatch(c -> Math.abs((Double) c.get("period_days") - planet.period())
                < 0.005 * planet.period()), planet + " in " + found.candidates);
    }

    /**
     * Listing and grouping at the scale of a real sector: the 20,512 keys of sector 1 (../shared/data/tess's
     * listing), each a small frame (16 x 16 pixels, one star) whose headers carry the listing's camera, CCD, times
     * and quality flags; the 16 CCDs come out as 16 groups of 1,282 frames, one light curve each, in time order.
     */
    @Test
    void aWholeSectorsKeysAreListedAndGroupedByCcd() throws Exception {
        store.createContainerInLocation(null, "sector1");
        List<String> lines = Files.readAllLines(SparkTestSupport.realData().resolve("tess-s0001-ffi-listing.csv"));
        java.util.Map<String, Integer> perCcd = new java.util.TreeMap<>();
        java.util.Map<String, Integer> flagged = new java.util.TreeMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            int camera = Integer.parseInt(f[2]);
            int ccd = Integer.parseInt(f[3]);
            String group = String.format(java.util.Locale.ROOT, "s0001-%d-%d", camera, ccd);
            perCcd.merge(group, 1, Integer::sum);
            flagged.merge(group, Integer.parseInt(f[6]) != 0 ? 1 : 0, Integer::sum);
            put("sector1", f[0], tinyFrame(camera, ccd, btjd(f[4]), btjd(f[5]), Integer.parseInt(f[6])));
        }
        assertEquals(20_512, perCcd.values().stream().mapToInt(Integer::intValue).sum());
        SparkSession spark = s3Spark();
        // 41,000 reads: the file system cache on (the class turns it off so that each test's settings apply; the
        // bucket is this test's own, so no other test's instance can answer), else each read makes an S3A client
        Configuration h = spark.sparkContext().hadoopConfiguration();
        h.set("fs.s3a.impl.disable.cache", "false");
        RunReport r;
        try {
            r = JobRunner.run(Command.PHOTOMETRY, SettingsLoader.load(null, null, List.of("fits.min-image-size=8",
                    "photometry.aperture-radii-px=[1.0, 1.5]", "listing.files-in-flight=8"))
                    .withInput("s3a://sector1/tess/public/ffi/s0001/").withOutput("s3a://results/sector1"), spark);
        } finally {
            h.set("fs.s3a.impl.disable.cache", "true");
        }
        assertEquals("ok", r.status, r.error);
        assertEquals(20_512, r.listed);
        assertEquals(20_512, r.images);
        assertEquals(16, ((Number) r.photometry.get("ccds")).intValue(), r.photometry.toString());
        assertEquals(20_512L, ((Number) r.photometry.get("frames_measured")).longValue());
        var lc = spark.read().parquet("s3a://results/sector1/lightcurves");
        List<org.apache.spark.sql.Row> rows = lc.collectAsList();
        assertEquals(16, rows.size());
        for (org.apache.spark.sql.Row row : rows) {
            String group = String.format(java.util.Locale.ROOT, "s%04d-%d-%d", row.getInt(row.fieldIndex("sector")),
                    row.getInt(row.fieldIndex("camera")), row.getInt(row.fieldIndex("ccd")));
            List<Double> time = row.getList(row.fieldIndex("time"));
            List<Integer> quality = row.getList(row.fieldIndex("quality"));
            assertEquals(perCcd.get(group).intValue(), time.size(), group);
            assertEquals(flagged.get(group).longValue(), quality.stream().filter(q -> q != 0).count(), group);
            for (int i = 1; i < time.size(); i++) {
                assertTrue(time.get(i) > time.get(i - 1), group + " in time order");
            }
        }
    }

    /** The listing's UTC start or stop as BTJD (without the barycentric correction: enough to order frames). */
    static double btjd(String utc) {
        java.time.Instant t = java.time.LocalDateTime.parse(utc).toInstant(java.time.ZoneOffset.UTC);
        return t.getEpochSecond() / 86400.0 + 2440587.5 - 2457000;
    }

    /** A frame of 16 x 16 pixels, one star in the middle, with an FFI's cards. */
    static byte[] tinyFrame(int camera, int ccd, double tstart, double tstop, int quality) throws Exception {
        float[][] img = new float[16][16];
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 16; x++) {
                double r2 = (x - 7.6) * (x - 7.6) + (y - 8.3) * (y - 8.3);
                img[y][x] = (float) (150 + 5000 * Math.exp(-r2 / 1.62) + ((x * 7 + y * 13) % 5) * 0.1);
            }
        }
        nom.tam.fits.NullDataHDU primary = new nom.tam.fits.NullDataHDU();
        primary.getHeader().addValue("SECTOR", 1, "");
        primary.getHeader().addValue("CAMERA", camera, "");
        primary.getHeader().addValue("CCD", ccd, "");
        nom.tam.fits.ImageHDU cal = nom.tam.fits.ImageData.from(img).toHDU();
        nom.tam.fits.Header h = cal.getHeader();
        h.addValue("TSTART", tstart, "");
        h.addValue("TSTOP", tstop, "");
        h.addValue("DQUALITY", quality, "");
        org.tessexo.common.photometry.Wcs.tan(8.5, 8.5, 300 + 20 * camera, -30 + 5 * ccd,
                new double[] {-0.0058, 0, 0, 0.0058}).writeTo(h);
        return org.tessexo.common.testing.FitsFixtures.bytes(primary, cal);
    }

    @Test
    void missingBucketAndPrefixAreUserErrors() {
        SparkSession spark = s3Spark();
        PipelineSettings base = SettingsLoader.load(null, null, List.of());
        UserException noBucket = assertThrows(UserException.class, () -> JobRunner.run(Command.INSPECT,
                base.withInput("s3a://no-such-bucket/x/").withOutput(demoDir.resolve("o1").toString()), spark));
        assertTrue(noBucket.getMessage().contains("no-such-bucket"), noBucket.getMessage());
        UserException noPrefix = assertThrows(UserException.class, () -> JobRunner.run(Command.INSPECT,
                base.withInput("s3a://" + BUCKET + "/tess/public/ffi/s0099/")
                        .withOutput(demoDir.resolve("o2").toString()),
                spark));
        assertTrue(noPrefix.getMessage().contains("does not exist") || noPrefix.getMessage().contains("No FITS"),
                noPrefix.getMessage());
    }
}
