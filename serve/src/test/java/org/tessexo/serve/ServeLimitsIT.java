package org.tessexo.serve;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tessexo.common.testing.FitsFixtures;

import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.tessexo.serve.ServeFixtures.Reply;
import static org.tessexo.serve.ServeFixtures.post;

/**
 * The server's bounds on 127.0.0.1: a full server refuses at once (503, Retry-After) instead of queueing without
 * end, a shutdown lets the requests in flight finish, and the upload page runs in a real headless browser.
 */
class ServeLimitsIT {
    private static final String FITS = "application/fits";

    static byte[] lightCurve() throws java.io.IOException {
        // TOI-216's alert light curve: 18,000 cadences, a few seconds of search on one core.
        return Files.readAllBytes(FitsFixtures.realData().resolve(
                "hlsp_tess-data-alerts_tess_phot_00055652896-s01_tess_v1_lc.fits"));
    }

    @Test
    void aFullServerRefusesAtOnceAndRecovers(@TempDir Path dir) throws Exception {
        byte[] lc = lightCurve();
        try (TessServer s = new TessServer(ServeFixtures.settings(null, "serve.max-concurrent=1", "serve.queue=1"),
                ServeFixtures.pipeline("vetter.model=none"))) {
            int p = s.port();
            ExecutorService clients = Executors.newFixedThreadPool(6);
            List<Future<Reply>> replies = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                replies.add(clients.submit(() -> post(p, ServeHandler.LIGHT_CURVES, FITS, lc)));
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Reply> f : replies) {
                Reply r = f.get(300, TimeUnit.SECONDS);
                statuses.add(r.status());
                if (r.status() == 503) {
                    assertEquals("server busy", r.json().at("/error/reason").asText(), r.text());
                }
            }
            clients.shutdown();
            Collections.sort(statuses);
            assertTrue(statuses.stream().allMatch(x -> x == 200 || x == 503), statuses.toString());
            long ok = statuses.stream().filter(x -> x == 200).count();
            assertTrue(ok >= 1 && ok <= 5, "one slot and one queue place: some served, the rest refused: "
                    + statuses);
            assertTrue(statuses.contains(503), "six at once cannot all be admitted: " + statuses);
            // Once the load has passed, the server takes requests again and holds none.
            assertEquals(200, post(p, ServeHandler.LIGHT_CURVES, FITS, lc).status());
            String metrics = ServeFixtures.get(p, "/metrics").text();
            assertTrue(metrics.contains("tess_serve_requests_admitted 0"), metrics);
            assertTrue(metrics.contains("status=\"503\""), metrics);
            // Without --model, images are refused, light curves served.
            assertEquals(503, post(p, ServeHandler.IMAGES, FITS, ServeFixtures.image()).status());
        }
    }

    @Test
    void shutdownFinishesTheRequestsInFlight() throws Exception {
        byte[] lc = lightCurve();
        TessServer s = new TessServer(ServeFixtures.settings(null, "serve.shutdown-grace-s=60"),
                ServeFixtures.pipeline("vetter.model=none"));
        int p = s.port();
        ExecutorService client = Executors.newSingleThreadExecutor();
        Future<Reply> inFlight = client.submit(() -> post(p, ServeHandler.LIGHT_CURVES, FITS, lc));
        // the search under way: its body read and its scoring begun (a fixed sleep was not enough under load: the
        // request was still on its way in when the connector closed, and a request not yet admitted is not waited for)
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!ServeFixtures.get(p, "/metrics").text().contains("tess_serve_requests_scoring 1")) {
            assertTrue(System.nanoTime() < deadline, "the search never began");
            Thread.sleep(20);
        }
        long t0 = System.nanoTime();
        s.close();
        Reply r = inFlight.get(120, TimeUnit.SECONDS);
        assertEquals(200, r.status(), r.text());
        assertEquals("searched", r.json().get("outcome").asText());
        assertTrue((System.nanoTime() - t0) / 1e9 < 60, "stopped within the grace period");
        client.shutdown();
        Exception refused = assertThrows(Exception.class, () -> ServeFixtures.get(p, "/healthz"));
        assertTrue(refused instanceof ConnectException || refused.getCause() instanceof ConnectException
                || refused instanceof java.io.IOException, refused.toString());
    }

    @Test
    void theUploadPageRunsInAHeadlessBrowser(@TempDir Path dir) throws Exception {
        String browser = null;
        for (String b : new String[] {"/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"}) {
            if (Files.isExecutable(Path.of(b))) {
                browser = b;
            }
        }
        assumeTrue(browser != null, "no headless browser (apt-get install chromium)");
        Path model = dir.resolve("model.zip");
        ServeFixtures.model(model, 2);
        try (TessServer s = new TessServer(ServeFixtures.settings(model), ServeFixtures.pipeline())) {
            List<String> cmd = List.of(browser, "--headless", "--no-sandbox", "--disable-gpu",
                    "--disable-dev-shm-usage", "--no-first-run", "--virtual-time-budget=10000",
                    "--user-data-dir=" + Files.createTempDirectory("chromium-"), "--dump-dom",
                    "http://127.0.0.1:" + s.port() + "/");
            Process proc = new ProcessBuilder(cmd).start();
            String dom = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(proc.waitFor(120, TimeUnit.SECONDS));
            // The page's script asked the server for its models and wrote them in.
            assertTrue(dom.contains("image model " + model.toUri().toString().replace("file:///", "file:/"))
                    || dom.contains("(generation 1)"), dom);
            assertTrue(dom.contains("vetter: shipped vetter"), dom);
            assertTrue(dom.contains("id=\"file\""), dom);
        }
    }
}
