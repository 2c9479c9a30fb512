package org.tessexo.serve;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * The server's metrics in Prometheus' text format (version 0.0.4): requests by endpoint and status, a latency
 * histogram by endpoint, outcomes by endpoint, outcome and reason (the batch jobs' reasons), model reloads, and
 * gauges (requests in flight, the model generation, the JVM's heap). Lock-free counters; the label sets are bounded
 * (endpoints and statuses are the server's own, reasons the decoders' fixed categories).
 */
final class Metrics {
    /** Latency buckets in seconds: a light curve's search takes 0.1-5 s, an image's scoring 10-500 ms. */
    static final double[] BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};

    private final ConcurrentMap<String, LongAdder> requests = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, LongAdder> outcomes = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, LongAdder> reloads = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Histogram> latency = new ConcurrentHashMap<>();
    private final Map<String, LongSupplier> gauges = new TreeMap<>();

    private static final class Histogram {
        final LongAdder[] counts = new LongAdder[BUCKETS.length + 1];
        final DoubleAdder sum = new DoubleAdder();

        Histogram() {
            for (int i = 0; i < counts.length; i++) {
                counts[i] = new LongAdder();
            }
        }

        void observe(double seconds) {
            int i = 0;
            while (i < BUCKETS.length && seconds > BUCKETS[i]) {
                i++;
            }
            counts[i].increment();
            sum.add(seconds);
        }
    }

    /** A gauge read when the metrics are written; registered once, at start. */
    synchronized void gauge(String name, LongSupplier value) {
        gauges.put(name, value);
    }

    void request(String endpoint, int status, long nanos) {
        requests.computeIfAbsent(label("endpoint", endpoint) + "," + label("status", Integer.toString(status)),
                k -> new LongAdder()).increment();
        latency.computeIfAbsent(endpoint, k -> new Histogram()).observe(nanos / 1e9);
    }

    void outcome(String endpoint, String outcome, String reason) {
        outcomes.computeIfAbsent(label("endpoint", endpoint) + "," + label("outcome", outcome) + ","
                + label("reason", reason), k -> new LongAdder()).increment();
    }

    void reload(String result) {
        reloads.computeIfAbsent(label("result", result), k -> new LongAdder()).increment();
    }

    String text() {
        StringBuilder sb = new StringBuilder(4096);
        counter(sb, "tess_serve_requests_total", "Requests answered, by endpoint and HTTP status.", requests);
        sb.append("# HELP tess_serve_request_duration_seconds Time from a request's arrival to its answer.\n")
                .append("# TYPE tess_serve_request_duration_seconds histogram\n");
        for (Map.Entry<String, Histogram> e : new TreeMap<>(latency).entrySet()) {
            String ep = label("endpoint", e.getKey());
            long cumulative = 0;
            for (int i = 0; i <= BUCKETS.length; i++) {
                cumulative += e.getValue().counts[i].sum();
                String le = i < BUCKETS.length ? format(BUCKETS[i]) : "+Inf";
                sb.append("tess_serve_request_duration_seconds_bucket{").append(ep).append(",le=\"").append(le)
                        .append("\"} ").append(cumulative).append('\n');
            }
            sb.append("tess_serve_request_duration_seconds_sum{").append(ep).append("} ")
                    .append(format(e.getValue().sum.sum())).append('\n');
            sb.append("tess_serve_request_duration_seconds_count{").append(ep).append("} ").append(cumulative)
                    .append('\n');
        }
        counter(sb, "tess_serve_outcomes_total", "Files scored or searched, by outcome and reason (the batch jobs'"
                + " categories).", outcomes);
        counter(sb, "tess_serve_model_reloads_total", "Model reloads: loaded, unchanged or failed.", reloads);
        Map<String, LongSupplier> g;
        synchronized (this) {
            g = new TreeMap<>(gauges);
        }
        for (Map.Entry<String, LongSupplier> e : g.entrySet()) {
            sb.append("# TYPE ").append(e.getKey()).append(" gauge\n").append(e.getKey()).append(' ')
                    .append(e.getValue().getAsLong()).append('\n');
        }
        return sb.toString();
    }

    private static void counter(StringBuilder sb, String name, String help, Map<String, LongAdder> values) {
        sb.append("# HELP ").append(name).append(' ').append(help).append('\n')
                .append("# TYPE ").append(name).append(" counter\n");
        for (Map.Entry<String, LongAdder> e : new TreeMap<>(values).entrySet()) {
            sb.append(name).append('{').append(e.getKey()).append("} ").append(e.getValue().sum()).append('\n');
        }
    }

    /** {@code name="value"}, the value escaped as the format asks (backslash, quote, newline). */
    static String label(String name, String value) {
        String v = value == null ? "" : value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
        return name + "=\"" + v + "\"";
    }

    private static String format(double x) {
        return String.format(Locale.ROOT, "%s", x);
    }
}
