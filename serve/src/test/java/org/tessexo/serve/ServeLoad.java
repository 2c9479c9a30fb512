package org.tessexo.serve;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The load benchmark (bench/run.sh --only serve): a running server on 127.0.0.1 is sent images and light curves by
 * 1, 4 and 16 concurrent clients, each level bounded in count and time; then 10,000 image requests while the
 * server's heap after collection and resident memory are sampled. Prints markdown tables. Not a test: it measures.
 *
 * <pre>ServeLoad PORT SERVER_PID IMAGE_FILE LIGHT_CURVE_FILE [MEMORY_REQUESTS]</pre>
 */
public final class ServeLoad {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private ServeLoad() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        long pid = Long.parseLong(args[1]);
        byte[] image = Files.readAllBytes(Path.of(args[2]));
        byte[] lc = Files.readAllBytes(Path.of(args[3]));
        int memoryRequests = args.length > 4 ? Integer.parseInt(args[4]) : 10_000;
        String images = "http://127.0.0.1:" + port + ServeHandler.IMAGES;
        String curves = "http://127.0.0.1:" + port + ServeHandler.LIGHT_CURVES;
        // Warm both paths (each scoring thread loads its models once).
        for (int i = 0; i < 4; i++) {
            send(images, image);
            send(curves, lc);
        }
        System.out.println("| endpoint | clients | requests | errors | throughput (req/s) | p50 (ms) | p99 (ms) |");
        System.out.println("|---|---|---|---|---|---|---|");
        for (int clients : new int[] {1, 4, 16}) {
            level("images:score (" + image.length / 1024 + " KB FFI)", images, image, clients, 2000, 30);
        }
        for (int clients : new int[] {1, 4, 16}) {
            level("lightcurves:search (" + lc.length / 1024 + " KB)", curves, lc, clients, 200, 60);
        }
        System.out.println();
        System.out.println("| image requests so far | heap after GC (MB) | resident (MB) |");
        System.out.println("|---|---|---|");
        System.out.printf(Locale.ROOT, "| 0 | %.0f | %.0f |%n", heapAfterGc(port) / 1e6, rss(pid) / 1e6);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        AtomicInteger done = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        int step = memoryRequests / 10;
        for (int chunk = 1; chunk <= 10; chunk++) {
            List<Future<?>> fs = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
                fs.add(pool.submit(() -> {
                    while (done.getAndIncrement() < memoryRequests) {
                        if (send(images, image) < 0) {
                            errors.incrementAndGet();
                        }
                        if (done.get() % step == 0) {
                            break;
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
            System.out.printf(Locale.ROOT, "| %d | %.0f | %.0f |%n", Math.min(done.get(), memoryRequests),
                    heapAfterGc(port) / 1e6, rss(pid) / 1e6);
            if (done.get() >= memoryRequests) {
                break;
            }
        }
        pool.shutdown();
        System.out.println("errors during the memory run: " + errors.get());
    }

    private static void level(String name, String url, byte[] body, int clients, int maxRequests, int maxSeconds)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long end = System.nanoTime() + maxSeconds * 1_000_000_000L;
        AtomicInteger sent = new AtomicInteger();
        List<Future<List<Long>>> fs = new ArrayList<>();
        long t0 = System.nanoTime();
        int[] errors = new int[1];
        for (int c = 0; c < clients; c++) {
            fs.add(pool.submit(() -> {
                List<Long> lat = new ArrayList<>();
                while (sent.getAndIncrement() < maxRequests && System.nanoTime() < end) {
                    long s = System.nanoTime();
                    int status = send(url, body);
                    if (status != 200) {
                        synchronized (errors) {
                            errors[0]++;
                        }
                    } else {
                        lat.add(System.nanoTime() - s);
                    }
                }
                return lat;
            }));
        }
        List<Long> all = new ArrayList<>();
        for (Future<List<Long>> f : fs) {
            all.addAll(f.get());
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        pool.shutdown();
        long[] l = all.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.printf(Locale.ROOT, "| %s | %d | %d | %d | %.1f | %.0f | %.0f |%n", name, clients, l.length,
                errors[0], l.length / seconds, pct(l, 0.5) / 1e6, pct(l, 0.99) / 1e6);
    }

    private static double pct(long[] sorted, double q) {
        return sorted.length == 0 ? Double.NaN : sorted[Math.min(sorted.length - 1, (int) Math.floor(q
                * sorted.length))];
    }

    private static int send(String url, byte[] body) {
        try {
            HttpResponse<byte[]> r = CLIENT.send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(300)).header("Content-Type", "application/fits")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            return r.statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    private static double heapAfterGc(int port) throws Exception {
        String m = CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher x = Pattern.compile("tess_serve_jvm_heap_after_gc_bytes (\\d+)").matcher(m);
        return x.find() ? Double.parseDouble(x.group(1)) : Double.NaN;
    }

    private static double rss(long pid) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"), StandardCharsets.US_ASCII)) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) * 1024.0;
            }
        }
        return Double.NaN;
    }
}
