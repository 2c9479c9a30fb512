package org.tessexo.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.hadoop.conf.Configuration;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.apache.spark.sql.SparkSession;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;
import org.jclouds.blobstore.domain.Blob;
import org.jclouds.blobstore.domain.PageSet;
import org.jclouds.blobstore.domain.StorageMetadata;
import org.jclouds.blobstore.options.GetOptions;
import org.jclouds.blobstore.options.ListContainerOptions;
import org.jclouds.blobstore.util.ForwardingBlobStore;
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
import org.tessexo.common.report.RunReport;
import org.tessexo.spark.io.OutputStore;
import org.tessexo.spark.io.HadoopFiles;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * S3 faults against a real S3 server on 127.0.0.1 (S3Proxy over an in-memory store, with a thin wrapper that
 * deletes an object right after it was listed, or stalls its reads): the run goes on and names the file; a server
 * that is down stops the run in seconds with exit 2; a failed upload publishes nothing; and fake credentials never
 * appear in the logs, the report, the outcomes or the model.
 */
class S3FaultsIT {
    static final String BUCKET = "faults";
    static S3Proxy proxy;
    static BlobStore memory;
    /** Keys deleted from the store as soon as a listing has returned them. */
    static final Set<String> DELETE_AFTER_LISTING = ConcurrentHashMap.newKeySet();
    /** Keys whose reads (GET) do not answer for this many milliseconds. */
    static final Map<String, Long> STALLS = new ConcurrentHashMap<>();
    /** Released when a test is done with a stall, so that no server thread waits on after it. */
    static volatile java.util.concurrent.CountDownLatch unstall = new java.util.concurrent.CountDownLatch(1);
    static Path tmp;
    static List<String> files = new ArrayList<>();

    /** The fault injector: a jclouds blob store that forwards everything except the faults asked for. */
    static final class FaultyBlobStore extends ForwardingBlobStore {
        FaultyBlobStore(BlobStore delegate) {
            super(delegate);
        }

        @Override
        public PageSet<? extends StorageMetadata> list(String container, ListContainerOptions options) {
            PageSet<? extends StorageMetadata> page = super.list(container, options);
            for (StorageMetadata m : page) {
                if (m.getName() != null && DELETE_AFTER_LISTING.remove(m.getName())) {
                    delegate().removeBlob(container, m.getName());
                }
            }
            return page;
        }

        @Override
        public Blob getBlob(String container, String name, GetOptions options) {
            Long ms = STALLS.get(name);
            if (ms != null) {
                try {
                    unstall.await(ms, java.util.concurrent.TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return super.getBlob(container, name, options);
        }
    }

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        tmp = dir;
        BlobStoreContext ctx = ContextBuilder.newBuilder("transient").credentials("identity", "credential")
                .build(BlobStoreContext.class);
        memory = ctx.getBlobStore();
        memory.createContainerInLocation(null, BUCKET);
        proxy = S3Proxy.builder().blobStore(new FaultyBlobStore(memory)).endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.NONE, "", "").build();
        proxy.start();
        for (int i = 0; i < 200 && !"STARTED".equals(proxy.getState()); i++) {
            Thread.sleep(10);
        }
        DemoDataGenerator.Summary demo = DemoDataGenerator.generate(dir.resolve("demo"), 24, 80, 90, 3);
        try (Stream<Path> ffis = Files.list(demo.ffiDir())) {
            for (Path p : ffis.sorted().toList()) {
                files.add(p.getFileName().toString());
            }
        }
        for (String run : new String[] {"deleted", "stalled", "secrets"}) {
            for (String f : files) {
                put(run + "/" + f, Files.readAllBytes(demo.ffiDir().resolve(f)));
            }
        }
        StringBuilder labels = new StringBuilder("file,label\n");
        for (String row : Files.readAllLines(demo.labels()).subList(1, files.size() + 1)) {
            labels.append(row).append('\n');
        }
        put("labels.csv", labels.toString().getBytes(StandardCharsets.UTF_8));
    }

    static void put(String key, byte[] bytes) {
        memory.putBlob(BUCKET, memory.blobBuilder(key).payload(bytes).contentLength(bytes.length).build());
    }

    @AfterAll
    static void stop() throws Exception {
        STALLS.clear();
        if (proxy != null) {
            proxy.stop();
        }
    }

    /** s3a on the loopback server with the project's own retry defaults, unless a test narrows them. */
    static SparkSession spark(int port) {
        SparkSession spark = SparkTestSupport.spark();
        Configuration h = spark.sparkContext().hadoopConfiguration();
        PipelineSettings.S3a d = SettingsLoader.load(null, null, List.of()).s3a();
        h.set("fs.s3a.endpoint", "http://127.0.0.1:" + port);
        h.set("fs.s3a.path.style.access", "true");
        h.set("fs.s3a.connection.ssl.enabled", "false");
        h.set("fs.s3a.aws.credentials.provider", d.credentialsProvider());
        h.set("fs.s3a.impl.disable.cache", "true");
        h.set("fs.s3a.attempts.maximum", Integer.toString(d.attemptsMaximum()));
        h.set("fs.s3a.retry.limit", Integer.toString(d.retryLimit()));
        h.set("fs.s3a.retry.interval", d.retryInterval().toMillis() + "ms");
        h.set("fs.s3a.connection.timeout", Long.toString(d.connectionTimeout().toMillis()));
        h.set("fs.s3a.connection.establish.timeout", Long.toString(d.connectionTimeout().toMillis()));
        for (String k : new String[] {"fs.s3a.access.key", "fs.s3a.secret.key", "fs.s3a.session.token"}) {
            h.unset(k);
        }
        return spark;
    }

    static PipelineSettings settings(String run, String output, String... overrides) {
        return SettingsLoader.load(null, null, List.of(overrides))
                .withInput("s3a://" + BUCKET + "/" + run + "/")
                .withOutput(output);
    }

    @Test
    void anObjectDeletedAfterListingFailsThatFileAndTheRunGoesOn() {
        SparkSession spark = spark(proxy.getPort());
        String victim = "deleted/" + files.get(5);
        DELETE_AFTER_LISTING.add(victim);
        RunReport r = JobRunner.run(Command.INSPECT, settings("deleted", tmp.resolve("del").toString()), spark);
        assertEquals("ok", r.status);
        assertEquals(files.size(), r.listed, "it was listed");
        assertEquals(files.size() - 1, r.images);
        assertEquals(1, r.failed);
        assertEquals(1L, r.reasons.get(HadoopFiles.NOT_FOUND));
        assertTrue(r.problems.get(0).path.endsWith(victim), r.problems.get(0).path);
        assertTrue(r.problems.get(0).reason.contains("since it was listed"), r.problems.get(0).reason);
    }

    @Test
    void aStalledServerTimesOutAndTheFileIsNamed() {
        SparkSession spark = spark(proxy.getPort());
        Configuration h = spark.sparkContext().hadoopConfiguration();
        h.set("fs.s3a.connection.timeout", "1500");
        h.set("fs.s3a.attempts.maximum", "2");
        h.set("fs.s3a.retry.limit", "1");
        h.set("fs.s3a.retry.interval", "100ms");
        String slow = "stalled/" + files.get(2);
        STALLS.put(slow, 600_000L); // a server that never answers, as far as the run can tell
        long t0 = System.nanoTime();
        RunReport r;
        try {
            r = JobRunner.run(Command.INSPECT, settings("stalled", tmp.resolve("stall").toString()), spark);
        } finally {
            STALLS.clear();
            unstall.countDown();
            unstall = new java.util.concurrent.CountDownLatch(1);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("Stalled object: run finished in %.1f s; %s%n", seconds, r.reasonsLine());
        assertEquals("ok", r.status);
        assertEquals(files.size() - 1, r.images);
        assertEquals(1, r.failed);
        assertTrue(r.problems.get(0).path.endsWith(slow));
        assertEquals(HadoopFiles.TIMEOUT, r.problems.get(0).reason.split(":")[0], r.problems.get(0).reason);
        // The mechanism is the timeout reason above; the time is only a backstop: the STALLS is ten minutes.
        assertTrue(seconds < 300, "the STALLS was cut short by the timeout, not waited out: " + seconds);
    }

    @Test
    void aServerThatIsDownStopsTheRunInSecondsWithExit2() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // free now, and nothing listens on it
        }
        SparkSession spark = spark(port);
        long t0 = System.nanoTime();
        UserException e = assertThrows(UserException.class, () -> JobRunner.run(Command.INSPECT,
                settings("deleted", tmp.resolve("down").toString()), spark));
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("Server down: exit-2 error after %.1f s: %s%n", seconds, e.getMessage());
        assertTrue(e.getMessage().contains("s3a://" + BUCKET), e.getMessage());
        assertTrue(e.getMessage().toLowerCase().contains("endpoint"), e.getMessage());
        assertTrue(seconds < 300, "bounded retries (s3a's own defaults take about 12 minutes): " + seconds);
    }

    @Test
    void aFailedUploadPublishesNothing() throws IOException {
        SparkSession spark = spark(proxy.getPort());
        OutputStore store = new OutputStore("s3a://" + BUCKET + "/uploads", spark.sparkContext().hadoopConfiguration());
        assertThrows(IOException.class, () -> store.write("model.zip", out -> {
            out.write(new byte[200_000]);
            throw new IOException("crash while uploading (simulated)");
        }));
        assertNull(memory.blobMetadata(BUCKET, "uploads/model.zip"), "an aborted upload leaves no object");
        store.writeText("run-report.json", "{}");
        assertEquals("{}", new String(store.read("run-report.json"), StandardCharsets.UTF_8));
    }

    @Test
    void fakeCredentialsAppearInNoLogReportOutcomeOrModel() throws Exception {
        String accessKey = "AKIAFAKEACCESSKEY7777";
        String secretKey = "fAkEsEcReT/K3y+ForTheTessPipeline0000000";
        String token = "FakeSessionTokenForTessPipelineTests9999";
        // A second server on the same store that checks AWS signatures: the keys are really used.
        S3Proxy signed = S3Proxy.builder().blobStore(memory).endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey).build();
        signed.start();
        for (int i = 0; i < 200 && !"STARTED".equals(signed.getState()); i++) {
            Thread.sleep(10);
        }
        SparkSession spark = spark(signed.getPort());
        Configuration h = spark.sparkContext().hadoopConfiguration();
        h.set("fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
        h.set("fs.s3a.access.key", accessKey);
        h.set("fs.s3a.secret.key", secretKey);
        h.set("fs.s3a.session.token", token); // not used by this provider, but in the configuration all along

        StringWriter logs = new StringWriter();
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        WriterAppender appender = WriterAppender.newBuilder().setName("secrets-capture").setTarget(logs)
                .setLayout(PatternLayout.newBuilder().withPattern("%p %c: %m%n%ex").build()).build();
        appender.start();
        ctx.getConfiguration().addAppender(appender);
        ctx.getConfiguration().getRootLogger().addAppender(appender, Level.INFO, null);
        ctx.updateLoggers();
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        PrintStream capture = new PrintStream(console, true, StandardCharsets.UTF_8);
        System.setOut(capture);
        System.setErr(capture);
        Path localOut = tmp.resolve("secrets-out");
        int ok;
        int bad;
        try {
            ok = TessJob.run(new String[] {"train", "--input", "s3a://" + BUCKET + "/secrets/", "--labels",
                "s3a://" + BUCKET + "/labels.csv", "--output", localOut.toString(), "training.epochs=1",
                "preprocess.height=16", "preprocess.width=16"});
            // A failing run prints and logs its error too: a missing bucket.
            bad = TessJob.run(new String[] {"inspect", "--input", "s3a://no-such-bucket-here/x/", "--output",
                "s3a://" + BUCKET + "/secrets-failed"});
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
            ctx.getConfiguration().getRootLogger().removeAppender("secrets-capture");
            ctx.updateLoggers();
            appender.stop();
            for (String k : new String[] {"fs.s3a.access.key", "fs.s3a.secret.key", "fs.s3a.session.token"}) {
                h.unset(k);
            }
            signed.stop();
        }
        assertEquals(0, ok, console.toString(StandardCharsets.UTF_8));
        assertEquals(2, bad);
        List<String> texts = new ArrayList<>();
        texts.add(logs.toString());
        texts.add(console.toString(StandardCharsets.UTF_8));
        assertTrue(texts.get(0).contains("Listed " + files.size() + " files"), "the capture sees the job's logs");
        try (Stream<Path> all = Files.walk(localOut)) {
            for (Path p : all.filter(Files::isRegularFile).toList()) {
                texts.add(p.getFileName().toString().endsWith(".zip") ? unzipText(p) : Files.readString(p,
                        StandardCharsets.ISO_8859_1));
            }
        }
        Blob failedReport = memory.getBlob(BUCKET, "secrets-failed/run-report.json");
        assertTrue(failedReport != null, "the failed run's report is on S3");
        try (InputStream in = failedReport.getPayload().openStream()) {
            String json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(json.contains("\"status\" : \"failed\""), json);
            texts.add(json);
        }
        assertTrue(texts.size() >= 6, "logs, console, report, outcomes and model were searched: " + texts.size());
        for (String t : texts) {
            for (String secret : new String[] {accessKey, secretKey, token}) {
                assertFalse(t.contains(secret), "a credential leaked into: " + t.substring(0, Math.min(200,
                        t.length())));
            }
        }
        JsonNode report = new ObjectMapper().readTree(localOut.resolve("run-report.json").toFile());
        assertEquals("ok", report.get("status").asText());
    }

    private static String unzipText(Path zip) throws IOException {
        StringBuilder sb = new StringBuilder();
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            ZipEntry e;
            while ((e = in.getNextEntry()) != null) {
                sb.append(e.getName()).append('\n').append(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1));
            }
        }
        return sb.toString();
    }
}
