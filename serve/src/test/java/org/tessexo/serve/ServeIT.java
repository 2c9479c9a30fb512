package org.tessexo.serve;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tessexo.common.detect.CandidateColumns;
import org.tessexo.common.demo.LightCurveGenerator;
import org.tessexo.common.fits.DecoderSettings;
import org.tessexo.common.fits.FitsImageDecoder;
import org.tessexo.common.lightcurve.LightCurveReader;
import org.tessexo.common.testing.FitsFixtures;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tessexo.serve.ServeFixtures.Reply;
import static org.tessexo.serve.ServeFixtures.get;
import static org.tessexo.serve.ServeFixtures.post;

/**
 * The server on 127.0.0.1 with real models and real files: every endpoint, and every bad input answered with a
 * 4xx and the batch jobs' reason, never a 500 or a stack trace.
 */
class ServeIT {
    private static final String FITS = "application/fits";
    @TempDir
    static Path dir;
    static TessServer server;
    static int port;

    @BeforeAll
    static void start() throws Exception {
        Path model = dir.resolve("model.zip");
        ServeFixtures.model(model, 1);
        server = new TessServer(ServeFixtures.settings(model, "serve.max-body-bytes=5000000"),
                ServeFixtures.pipeline());
        port = server.port();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    static void noInternals(Reply r) {
        String t = r.text();
        assertFalse(t.contains("Exception") || t.contains("\tat ") || t.contains("at org."), t);
        assertTrue(r.status() < 500 || r.status() == 503, "status " + r.status() + ": " + t);
    }

    @Test
    void healthReadinessMetricsAndTheDescription() throws Exception {
        assertEquals("ok", get(port, "/healthz").json().get("status").asText());
        Reply ready = get(port, "/readyz");
        assertEquals(200, ready.status());
        assertEquals(List.of("clean", "scattered-light"), ServeFixtures.JSON.convertValue(
                ready.json().at("/models/classes"), List.class));
        assertTrue(ready.json().at("/models/vetter").asText().startsWith("shipped vetter"), ready.text());

        // The OpenAPI description lists exactly the routes the server has.
        JsonNode api = get(port, "/openapi.json").json();
        Set<String> described = new HashSet<>();
        api.get("paths").fieldNames().forEachRemaining(described::add);
        assertEquals(ServeHandler.ROUTES.keySet(), described);
        for (var e : ServeHandler.ROUTES.entrySet()) {
            assertTrue(api.get("paths").get(e.getKey()).has(e.getValue().toLowerCase(java.util.Locale.ROOT)),
                    e.getKey() + " " + e.getValue());
        }
        Reply page = get(port, "/");
        assertTrue(page.contentType().startsWith("text/html"));
        assertTrue(page.text().contains("v1/images:score") && page.text().contains("v1/lightcurves:search"));

        assertEquals(404, get(port, "/v2/nothing").status());
        Reply wrongMethod = get(port, ServeHandler.IMAGES);
        assertEquals(405, wrongMethod.status());

        post(port, ServeHandler.IMAGES, FITS, ServeFixtures.image());
        String metrics = get(port, "/metrics").text();
        assertTrue(metrics.contains("tess_serve_requests_total{endpoint=\"/v1/images:score\",status=\"200\"}"),
                metrics);
        assertTrue(metrics.contains("tess_serve_request_duration_seconds_bucket{endpoint=\"/v1/images:score\","
                + "le=\"+Inf\"}"), metrics);
        assertTrue(metrics.contains("tess_serve_outcomes_total{endpoint=\"/v1/images:score\",outcome=\"image\""),
                metrics);
        assertTrue(metrics.contains("tess_serve_model_generation 1"), metrics);
    }

    @Test
    void scoresAnImagePlainAndGzipped() throws Exception {
        Reply r = post(port, ServeHandler.IMAGES + "?name=frame.fits", FITS, ServeFixtures.image());
        assertEquals(200, r.status(), r.text());
        JsonNode j = r.json();
        assertEquals("image", j.get("outcome").asText());
        assertEquals("frame.fits", j.get("file").asText());
        assertEquals(1, j.get("hdu").asInt(), "the CAL HDU");
        assertEquals(60, j.get("height").asInt());
        double sum = j.get("probabilities").get("clean").asDouble() + j.get("probabilities").get("scattered-light")
                .asDouble();
        assertEquals(1.0, sum, 1e-4);
        Reply z = post(port, ServeHandler.IMAGES, "application/gzip", ServeFixtures.gzip(ServeFixtures.image()));
        assertEquals(200, z.status(), z.text());
        assertEquals(j.get("probabilities"), z.json().get("probabilities"), "gzip decodes to the same image");

        // Tile-compressed (RICE, lossless on integers): the same probabilities as the plain integer image.
        int[][] counts = new int[64][64];
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                counts[y][x] = 1000 + 37 * y + (x * x) % 101;
            }
        }
        byte[] plain = FitsFixtures.bytes(FitsFixtures.emptyPrimary(), FitsFixtures.image(counts, "CAL", null));
        nom.tam.image.compression.hdu.CompressedImageHDU c = nom.tam.image.compression.hdu.CompressedImageHDU
                .fromImageHDU(FitsFixtures.image(counts, "CAL", null), 64, 16);
        c.setCompressAlgorithm("RICE_1");
        c.compress();
        byte[] packed = FitsFixtures.bytes(FitsFixtures.emptyPrimary(), c);
        Reply a = post(port, ServeHandler.IMAGES, FITS, plain);
        Reply b = post(port, ServeHandler.IMAGES, FITS, packed);
        assertEquals(200, a.status(), a.text());
        assertEquals(200, b.status(), b.text());
        assertEquals(a.json().get("probabilities"), b.json().get("probabilities"), b.text());
        assertEquals(64, b.json().get("width").asInt());
    }

    @Test
    void badFilesAreAnsweredWithTheBatchReasons() throws Exception {
        FitsImageDecoder batch = new FitsImageDecoder(new DecoderSettings("CAL", 32, 1L << 30, 0));
        byte[] tableOnly = FitsFixtures.bytes(FitsFixtures.emptyPrimary(), FitsFixtures.table("LIGHTCURVE"));
        byte[] good = ServeFixtures.image();
        byte[] truncated = Arrays.copyOf(good, good.length - 3000);
        byte[] notFits = "SIMPLE? no, a text file\n".repeat(200).getBytes(StandardCharsets.US_ASCII);
        // A decode bomb: a 20000 x 20000 float image (1.6 GB) claimed by a 1 MB gzip body.
        StringBuilder header = new StringBuilder();
        for (String card : List.of("SIMPLE  =                    T", "BITPIX  =                  -32",
                "NAXIS   =                    2", "NAXIS1  =                20000", "NAXIS2  =                20000",
                "EXTNAME = 'CAL     '", "END")) {
            header.append(String.format(java.util.Locale.ROOT, "%-80s", card));
        }
        while (header.length() % 2880 != 0) {
            header.append(' ');
        }
        byte[] claim = java.util.Arrays.copyOf(header.toString().getBytes(StandardCharsets.US_ASCII),
                header.length() + (1 << 20));
        byte[] bomb = ServeFixtures.gzip(claim);
        for (byte[] bad : List.of(tableOnly, truncated, notFits, bomb)) {
            Reply r = post(port, ServeHandler.IMAGES, FITS, bad);
            assertEquals(422, r.status(), r.text());
            noInternals(r);
            assertEquals(batch.decode(bad).reason(), r.json().get("reason").asText(), r.text());
        }
        assertEquals(FitsImageDecoder.TOO_LARGE, post(port, ServeHandler.IMAGES, "application/gzip", bomb).json()
                .get("reason").asText(), "refused before a byte of the claimed image is allocated");
        Reply empty = post(port, ServeHandler.IMAGES, FITS, new byte[0]);
        assertEquals(400, empty.status());
        assertEquals("empty body", empty.json().at("/error/reason").asText());
        Reply json = post(port, ServeHandler.IMAGES, "application/json", good);
        assertEquals(415, json.status());
        noInternals(json);
        Reply form = post(port, ServeHandler.IMAGES, "multipart/form-data; boundary=x", good);
        assertEquals(415, form.status());
        // Refused before its body is needed, a large body still gets its answer: the server reads and drops it
        // rather than closing on a client that is still sending (which then saw no answer at all).
        byte[] large = new byte[4_000_000];
        for (int i = 0; i < 8; i++) {
            assertEquals(415, post(port, ServeHandler.IMAGES, "application/json", large).status());
            assertEquals(404, post(port, "/v1/nothing", FITS, large).status());
        }
        // A light curve is not an image: skipped, as inspect skips it.
        byte[] lc = Files.readAllBytes(FitsFixtures.realData().resolve(
                "hlsp_tess-data-alerts_tess_phot_00025155310-s01_tess_v1_lc.fits"));
        Reply notImage = post(port, ServeHandler.IMAGES, FITS, lc);
        assertEquals(422, notImage.status());
        assertEquals("skipped", notImage.json().get("outcome").asText());
        // And an image is no light curve.
        Reply noTable = post(port, ServeHandler.LIGHT_CURVES, FITS, good);
        assertEquals(422, noTable.status());
        assertEquals(new LightCurveReader("PDCSAP_FLUX").read(good, "x.fits").reason(),
                noTable.json().get("reason").asText());
    }

    @Test
    void searchesARealLightCurveAsTheBatchSearchDoes() throws Exception {
        // WASP-126 b: P = 3.28878 d (Maxted et al. 2016), in the TESS alert light curve of sector 1.
        byte[] lc = Files.readAllBytes(FitsFixtures.realData().resolve(
                "hlsp_tess-data-alerts_tess_phot_00025155310-s01_tess_v1_lc.fits"));
        Reply r = post(port, ServeHandler.LIGHT_CURVES + "?name=wasp126.fits", FITS, lc);
        assertEquals(200, r.status(), r.text());
        JsonNode j = r.json();
        assertEquals("searched", j.get("outcome").asText());
        JsonNode first = j.get("candidates").get(0);
        List<String> names = new ArrayList<>();
        first.fieldNames().forEachRemaining(names::add);
        assertEquals(CandidateColumns.COLUMNS.stream().map(CandidateColumns.Column::name).toList(), names,
                "the batch search's columns, in its order");
        assertEquals(3.28878, first.get("period_days").asDouble(), 3.28878 * 0.005, first.toString());
        assertEquals(25155310L, first.get("tic").asLong());
        assertTrue(first.get("planet_score").asDouble() > 0.5, first.toString());

        Reply png = post(port, ServeHandler.LIGHT_CURVES + "?figure=png", FITS, lc);
        assertEquals(200, png.status());
        assertEquals("image/png", png.contentType());
        assertEquals((byte) 0x89, png.body()[0]);
        assertEquals('P', png.body()[1]);

        // A text light curve (the generator's CSV) by its content type.
        Path csv = LightCurveGenerator.write(dir.resolve("text"), 1, 3).get(0);
        Reply text = post(port, ServeHandler.LIGHT_CURVES, "text/csv", Files.readAllBytes(csv));
        assertEquals(200, text.status(), text.text());
        assertNotNull(text.json().get("candidates"));
    }

    /** A raw request on a socket: what a browser or curl never sends, but a hostile or broken client does. */
    static String raw(int to, String head, byte[] body, int trickleMs) throws Exception {
        try (Socket s = new Socket("127.0.0.1", to)) {
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            try {
                for (int i = 0; body != null && i < body.length; i++) {
                    out.write(body[i]);
                    out.flush();
                    Thread.sleep(trickleMs);
                }
            } catch (java.io.IOException closed) {
                // the server answered and closed while we were still sending: read what it said
            }
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void hugeSlowAndSilentBodiesAreRefusedWithoutReadingThem() throws Exception {
        long t0 = System.nanoTime();
        String huge = raw(port, "POST " + ServeHandler.IMAGES + " HTTP/1.1\r\nHost: x\r\n"
                + "Content-Type: application/fits\r\nContent-Length: 1073741824\r\nConnection: close\r\n\r\n",
                null, 0);
        assertTrue(huge.startsWith("HTTP/1.1 413"), huge);
        assertTrue(huge.contains("body too large"), huge);
        assertTrue((System.nanoTime() - t0) / 1e9 < 20, "answered without waiting for a gigabyte");

        // A little over the limit (5 MB): refused, and answered every time (read and dropped, not cut off).
        for (int i = 0; i < 5; i++) {
            Reply big = post(port, ServeHandler.IMAGES, FITS, new byte[6_000_000]);
            assertEquals(413, big.status());
        }

        // Clients too slow for a server with short limits (a second server: 2 s idle, 4 s per request).
        try (TessServer strict = new TessServer(ServeFixtures.settings(dir.resolve("model.zip"),
                "serve.idle-timeout-s=2", "serve.request-timeout-s=4"), ServeFixtures.pipeline("vetter.model=none"))) {
            // Announces 100 bytes, sends 10 and goes quiet: the idle timeout answers 408 (or closes).
            String silent = raw(strict.port(), "POST " + ServeHandler.IMAGES + " HTTP/1.1\r\nHost: x\r\n"
                    + "Content-Type: application/fits\r\nContent-Length: 100\r\nConnection: close\r\n\r\n",
                    new byte[10], 0);
            assertTrue(silent.startsWith("HTTP/1.1 408") || silent.isEmpty(), silent);
            // A byte every 50 ms, never idle for 2 s, past the request's 4 s: 408 too.
            String slow = raw(strict.port(), "POST " + ServeHandler.IMAGES + " HTTP/1.1\r\nHost: x\r\n"
                    + "Content-Type: application/fits\r\nContent-Length: 200\r\nConnection: close\r\n\r\n",
                    new byte[200], 50);
            assertTrue(slow.startsWith("HTTP/1.1 408"), slow);
            assertTrue(slow.contains("body too slow"), slow);
            assertFalse(slow.contains("Exception"), slow);
        }
        // The server still answers.
        assertEquals(200, post(port, ServeHandler.IMAGES, FITS, ServeFixtures.image()).status());
    }

    @Test
    void reloadUnderLoadLosesNoRequest() throws Exception {
        Path model = dir.resolve("reload/model.zip");
        Files.createDirectories(model.getParent());
        ServeFixtures.model(model, 1);
        try (TessServer s = new TessServer(ServeFixtures.settings(model, "serve.max-concurrent=2",
                "serve.queue=8"), ServeFixtures.pipeline("vetter.model=none"))) {
            int p = s.port();
            byte[] img = ServeFixtures.image();
            List<Integer> statuses = java.util.Collections.synchronizedList(new ArrayList<>());
            Set<Long> generations = java.util.Collections.synchronizedSet(new HashSet<>());
            java.util.concurrent.atomic.AtomicBoolean run = new java.util.concurrent.atomic.AtomicBoolean(true);
            List<Thread> clients = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
                Thread t = new Thread(() -> {
                    while (run.get()) {
                        try {
                            Reply r = post(p, ServeHandler.IMAGES, FITS, img);
                            statuses.add(r.status());
                            if (r.status() == 200) {
                                generations.add(r.json().get("model_generation").asLong());
                            }
                        } catch (Exception e) {
                            statuses.add(-1);
                        }
                    }
                });
                t.start();
                clients.add(t);
            }
            Thread.sleep(500);
            for (int i = 0; i < 3; i++) {
                ServeFixtures.model(model, 10 + i); // a new model in place
                Reply r = post(p, ServeHandler.RELOAD, null, new byte[0]);
                assertEquals(200, r.status(), r.text());
                Thread.sleep(400);
            }
            // A broken model file: refused, the last good generation stays.
            Files.write(model, "not a zip".getBytes(StandardCharsets.US_ASCII));
            Reply broken = post(p, ServeHandler.RELOAD, null, new byte[0]);
            assertEquals(409, broken.status(), broken.text());
            Thread.sleep(400);
            run.set(false);
            for (Thread t : clients) {
                t.join(60_000);
            }
            assertTrue(statuses.size() > 20, statuses.size() + " requests");
            Iterator<Integer> it = statuses.iterator();
            while (it.hasNext()) {
                int st = it.next();
                assertEquals(200, st, "every request during reloads answered: " + statuses);
            }
            assertTrue(generations.size() >= 3, "requests were scored by several generations: " + generations);
            assertEquals(4, get(p, "/readyz").json().at("/models/generation").asLong());
        }
    }

    @Test
    void followsARegistrysCurrentVersion() throws Exception {
        // The layout retrain writes (common's Registry): versions, and a pointer to the one served.
        Path registry = dir.resolve("registry");
        for (String v : List.of("v0001", "v0002")) {
            Files.createDirectories(registry.resolve(v));
            ServeFixtures.model(registry.resolve(v + "/model.zip"), v.hashCode());
            Files.writeString(registry.resolve(v + "/" + org.tessexo.common.model.Registry.VERSION_INFO), "{}");
        }
        Files.writeString(registry.resolve(org.tessexo.common.model.Registry.CURRENT), "v0001\n");
        try (TessServer s = new TessServer(ServeFixtures.settings(registry, "serve.reload-check-s=0.2"),
                ServeFixtures.pipeline("vetter.model=none"))) {
            int p = s.port();
            assertEquals("v0001", get(p, "/v1/models").json().get("image_model_version").asText());
            assertEquals(200, post(p, ServeHandler.IMAGES, FITS, ServeFixtures.image()).status());
            // A promotion: the pointer moves, the watch reloads, no request is refused.
            Files.writeString(registry.resolve(org.tessexo.common.model.Registry.CURRENT), "v0002\n");
            long deadline = System.nanoTime() + 30_000_000_000L;
            String served = "";
            while (!served.equals("v0002") && System.nanoTime() < deadline) {
                assertEquals(200, post(p, ServeHandler.IMAGES, FITS, ServeFixtures.image()).status());
                served = get(p, "/v1/models").json().get("image_model_version").asText();
            }
            assertEquals("v0002", served, "the file watch followed current");
            assertTrue(get(p, "/v1/models").json().get("image_model").asText().endsWith("v0002/model.zip"));
            assertTrue(get(p, "/metrics").text().contains("tess_serve_model_reloads_total{result=\"loaded\"} 1"));
            // A pointer to a version that is not there: the watch keeps serving v0002.
            Files.writeString(registry.resolve(org.tessexo.common.model.Registry.CURRENT), "v0009\n");
            Reply r = post(p, ServeHandler.RELOAD, null, new byte[0]);
            assertEquals(409, r.status(), r.text());
            assertEquals("v0002", get(p, "/v1/models").json().get("image_model_version").asText());
        }
    }
}
