package org.tessexo.serve;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tessexo.common.detect.CandidateColumns;
import org.tessexo.common.detect.LightCurveSearch;
import org.tessexo.common.fits.Outcome;
import org.tessexo.common.lightcurve.LightCurve;
import org.tessexo.common.lightcurve.LightCurveReader;
import org.tessexo.common.lightcurve.SingleEvents;
import org.tessexo.common.model.ImageScorer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * The routes. Each request is answered exactly once, with JSON (or PNG, HTML, Prometheus text); nothing a request
 * carries can make it a 500: a file the batch jobs would skip or fail is a 422 with their reason, a body that is too
 * large, too slow, of the wrong type or empty a 4xx, a full server a 503. A 500 means a fault of ours, and its answer
 * names no internals (the log has the stack trace).
 */
final class ServeHandler extends Handler.Abstract {
    private static final Logger LOG = LoggerFactory.getLogger(ServeHandler.class);
    static final String IMAGES = "/v1/images:score";
    static final String LIGHT_CURVES = "/v1/lightcurves:search";
    static final String RELOAD = "/v1/models:reload";
    static final String MODELS = "/v1/models";
    /** The routes and their methods; the OpenAPI description lists exactly these (a test checks it). */
    static final Map<String, String> ROUTES = Map.of("/", "GET", "/healthz", "GET", "/readyz", "GET", "/metrics",
            "GET", "/openapi.json", "GET", MODELS, "GET", RELOAD, "POST", IMAGES, "POST", LIGHT_CURVES, "POST");
    private static final Set<String> FITS_TYPES = Set.of("application/fits", "image/fits", "application/x-fits",
            "application/octet-stream", "application/gzip", "application/x-gzip", "application/fits+gzip");
    private static final Set<String> TEXT_TYPES = Set.of("text/csv", "text/plain", "text/tab-separated-values");

    private final ServeSettings settings;
    private final Models models;
    private final Scoring scoring;
    private final Metrics metrics;
    private final BooleanSupplier stopping;
    private final byte[] page;
    private final byte[] openApi;

    ServeHandler(ServeSettings settings, Models models, Scoring scoring, Metrics metrics, BooleanSupplier stopping)
            throws IOException {
        this.settings = settings;
        this.models = models;
        this.scoring = scoring;
        this.metrics = metrics;
        this.stopping = stopping;
        this.page = resource("index.html");
        this.openApi = resource("openapi.json");
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = ServeHandler.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("resource " + name + " missing from the build");
            }
            return in.readAllBytes();
        }
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        long t0 = System.nanoTime();
        String path = request.getHttpURI().getPath();
        String endpoint = ROUTES.containsKey(path) ? path : "other";
        Answer a;
        try {
            a = route(request, path, t0);
        } catch (RuntimeException | Error e) {
            LOG.error("{} {}: internal error", request.getMethod(), path, e);
            a = Answer.error(500, "internal error", "the server failed on this request; its log has the details");
        }
        response.setStatus(a.status());
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, a.contentType());
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        a.headers().forEach((k, v) -> response.getHeaders().put(k, v));
        response.write(true, ByteBuffer.wrap(a.body()), callback);
        metrics.request(endpoint, a.status(), System.nanoTime() - t0);
        return true;
    }

    private Answer route(Request request, String path, long t0) {
        String method = request.getMethod();
        String allowed = ROUTES.get(path);
        long deadline = t0 + settings.requestTimeoutMs() * 1_000_000L;
        if (allowed == null) {
            return afterDraining(request, deadline, Answer.error(404, "no such endpoint", path
                    + ": see GET /openapi.json for the endpoints"));
        }
        if (!allowed.equals(method)) {
            return afterDraining(request, deadline, Answer.error(405, "method not allowed", path + " takes "
                    + allowed).withHeader("Allow", allowed));
        }
        return switch (path) {
            case "/" -> new Answer(200, "text/html; charset=utf-8", page, Map.of());
            case "/openapi.json" -> new Answer(200, Answer.JSON_TYPE, openApi, Map.of());
            case "/healthz" -> Answer.json(200, Map.of("status", "ok"));
            case "/readyz" -> ready();
            case "/metrics" -> Answer.text(200, "text/plain; version=0.0.4; charset=utf-8", metrics.text());
            case MODELS -> Answer.json(200, describe(models.current()));
            case RELOAD -> afterDraining(request, deadline, reload());
            default -> admitted(request, path, t0);
        };
    }

    private Answer ready() {
        Models.Generation g = models.current();
        if (g == null || stopping.getAsBoolean()) {
            return Answer.json(503, Map.of("status", g == null ? "models not loaded" : "shutting down"));
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", "ready");
        m.put("models", describe(g));
        return Answer.json(200, m);
    }

    static Map<String, Object> describe(Models.Generation g) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("generation", g.id());
        m.put("image_model", g.modelUri().isEmpty() ? null : g.modelUri());
        m.put("image_model_version", g.modelVersion());
        m.put("classes", g.metadata() == null ? List.of() : g.metadata().classes());
        m.put("trained_on", g.metadata() == null ? null : g.metadata().trainedOn());
        m.put("vetter", g.vetterDescription());
        m.put("vetter_version", g.vetterVersion());
        m.put("loaded_at", g.loadedAt().toString());
        return m;
    }

    private Answer reload() {
        Models.Reload r;
        try {
            r = models.reload(true);
        } catch (IOException e) { // only when nothing was ever loaded, which a started server never is
            metrics.reload("failed");
            return Answer.error(409, "reload failed", e.getMessage());
        }
        metrics.reload(r.failed() ? "failed" : r.changed() ? "loaded" : "unchanged");
        if (r.failed()) {
            return Answer.error(409, "reload failed", r.message() + "; generation " + r.generation().id()
                    + " is still served");
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("reloaded", r.changed());
        m.put("models", describe(r.generation()));
        return Answer.json(200, m);
    }

    /**
     * The scoring endpoints: admitted (or refused at once), the body read within limits, then scored. A request
     * refused before its body is read (busy, wrong type, no model) has its body read and dropped first, within the
     * limits: a client still sending would otherwise lose the answer to a closed connection.
     */
    private Answer admitted(Request request, String path, long t0) {
        long deadline = t0 + settings.requestTimeoutMs() * 1_000_000L;
        if (!scoring.tryAdmit()) {
            return afterDraining(request, deadline, Answer.error(503, "server busy", "all " + settings.maxConcurrent()
                    + " scoring slots and " + settings.queue() + " queue places are taken; retry shortly")
                    .withHeader("Retry-After", "1"));
        }
        try {
            boolean images = path.equals(IMAGES);
            Fields query = Request.extractQueryParameters(request);
            String type = mediaType(request.getHeaders().get(HttpHeader.CONTENT_TYPE));
            if (type != null && !FITS_TYPES.contains(type) && (images || !TEXT_TYPES.contains(type))) {
                return afterDraining(request, deadline, Answer.error(415, "unsupported content type", "got " + type
                        + "; send the file as the raw body with Content-Type application/fits (or"
                        + " application/octet-stream, application/gzip" + (images ? ""
                        : ", text/csv, text/plain for a text light curve") + "), e.g. curl"
                        + " -H 'Content-Type: application/fits' --data-binary @file.fits"));
            }
            if (images && models.current().modelZip() == null) {
                return afterDraining(request, deadline, Answer.error(503, "no image model", "this server was started"
                        + " without --model"));
            }
            Body body = readBody(request, deadline);
            if (body.problem() != null) {
                return body.problem();
            }
            String name = fileName(query, request, images, type);
            return images ? scoreImage(body.bytes(), name, deadline)
                    : searchLightCurve(body.bytes(), name, query.getValue("figure"), deadline);
        } finally {
            scoring.release();
        }
    }

    /** A body is read and dropped up to this multiple of the limit, so that its sender still gets the answer. */
    static final int DRAIN_FACTOR = 2;

    /**
     * {@code answer}, after the request's body (one not needed, or too large) has been read and dropped, no memory
     * kept; past {@link #DRAIN_FACTOR} x the limit or the deadline, with the connection to be closed instead (a
     * client still sending may then see no answer: the price of not reading a gigabyte).
     */
    private Answer afterDraining(Request request, long deadline, Answer answer) {
        if (request.getLength() > DRAIN_FACTOR * settings.maxBodyBytes()) {
            return closing(answer);
        }
        try (InputStream in = Content.Source.asInputStream(request)) {
            return drainRest(in, 0, deadline) ? answer : closing(answer);
        } catch (IOException | RuntimeException e) {
            return closing(answer);
        }
    }

    /** Reads and drops the rest of a body; false when it did not end within the drain limit or the deadline. */
    private boolean drainRest(InputStream in, long read, long deadline) throws IOException {
        byte[] buf = new byte[1 << 16];
        long total = read;
        for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
            total += n;
            if (total > DRAIN_FACTOR * settings.maxBodyBytes() || System.nanoTime() > deadline) {
                return false;
            }
        }
        return true;
    }

    private static Answer closing(Answer answer) {
        return answer.withHeader("Connection", "close");
    }

    private record Body(byte[] bytes, Answer problem) {
    }

    /** The body, whole, or the answer that refuses it: too large (413), too slow (408), empty or broken (400). */
    private Body readBody(Request request, long deadline) {
        long length = request.getLength();
        long max = settings.maxBodyBytes();
        if (length > max) {
            return new Body(null, afterDraining(request, deadline, tooLarge(length + " bytes announced")));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(Math.max(length, 8192), 1 << 20));
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Content.Source.asInputStream(request)) {
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                if (out.size() + (long) n > max) {
                    Answer a = tooLarge("more than " + max + " bytes sent");
                    return new Body(null, drainRest(in, out.size() + (long) n, deadline) ? a : closing(a));
                }
                out.write(buf, 0, n);
                if (System.nanoTime() > deadline) {
                    return new Body(null, closing(Answer.error(408, "body too slow", "the body did not arrive"
                            + " within tess.serve.request-timeout-s (" + out.size() + " bytes received)")));
                }
            }
        } catch (IOException | RuntimeException e) {
            boolean timeout = e instanceof TimeoutException || e.getCause() instanceof TimeoutException;
            return new Body(null, timeout ? Answer.error(408, "body too slow", "nothing arrived for"
                    + " tess.serve.idle-timeout-s") : Answer.error(400, "body not received", e.getMessage()));
        }
        if (out.size() == 0) {
            return new Body(null, Answer.error(400, "empty body", "send the file as the request body, e.g. curl"
                    + " -H 'Content-Type: application/fits' --data-binary @file.fits"));
        }
        return new Body(out.toByteArray(), null);
    }

    private Answer tooLarge(String what) {
        return Answer.error(413, "body too large", what + "; the limit is tess.serve.max-body-bytes = "
                + settings.maxBodyBytes());
    }

    private static String mediaType(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        int semi = header.indexOf(';');
        return (semi < 0 ? header : header.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    }

    /** The file's name: {@code ?name=}, else X-File-Name, else one the content type suggests. */
    private static String fileName(Fields query, Request request, boolean images, String type) {
        String name = query.getValue("name");
        if (name == null || name.isBlank()) {
            name = request.getHeaders().get("X-File-Name");
        }
        if (name == null || name.isBlank()) {
            name = type != null && TEXT_TYPES.contains(type) ? "upload" + (type.equals("text/csv") ? ".csv"
                    : type.equals("text/tab-separated-values") ? ".tsv" : ".txt") : "upload.fits";
        }
        String clean = name.replaceAll("[\\p{Cntrl}]", "");
        int slash = clean.lastIndexOf('/');
        return slash >= 0 ? clean.substring(slash + 1) : clean;
    }

    private Answer scoreImage(byte[] bytes, String name, long deadline) {
        Object result = onScoringThread(in -> {
            try {
                return new Scored(in.scorer().score(bytes), in.generation());
            } catch (OutOfMemoryError e) {
                return outOfMemory(e);
            }
        }, deadline);
        if (result instanceof Answer a) {
            return a;
        }
        ImageScorer.Score s = ((Scored) result).score();
        Models.Generation g = ((Scored) result).generation();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file", name);
        m.put("outcome", s.outcome().label());
        String reason = s.reason() == null ? "" : s.reason();
        int colon = reason.indexOf(": ");
        String category = colon < 0 ? reason : reason.substring(0, colon);
        m.put("reason", category);
        m.put("detail", colon < 0 ? "" : reason.substring(colon + 2));
        m.put("hdu", s.hdu());
        m.put("height", s.height());
        m.put("width", s.width());
        metrics.outcome(IMAGES, s.outcome().label(), category);
        if (s.probabilities() == null) {
            return Answer.json(422, m);
        }
        List<String> classes = g.metadata().classes();
        Map<String, Object> p = new LinkedHashMap<>();
        int best = 0;
        for (int i = 0; i < s.probabilities().length; i++) {
            p.put(i < classes.size() ? classes.get(i) : "class " + i, CandidateColumns.round(s.probabilities()[i], 5));
            best = s.probabilities()[i] > s.probabilities()[best] ? i : best;
        }
        m.put("probabilities", p);
        m.put("predicted", best < classes.size() ? classes.get(best) : "class " + best);
        m.put("model_generation", g.id());
        return Answer.json(200, m);
    }

    private Answer searchLightCurve(byte[] bytes, String name, String figure, long deadline) {
        Object result = onScoringThread(in -> {
            try {
                LightCurveReader.Result read = in.reader().read(bytes, name);
                if (!read.ok()) {
                    return read;
                }
                LightCurveSearch.Searched s = in.search().run(read.lightCurve(), read.detail(), name);
                byte[] png = figure != null && !s.signals().isEmpty()
                        ? LightCurveSearch.figure(s, 0, read.lightCurve().target(), name, 1200, 1100) : null;
                return new Searched(read.lightCurve().target(), s, png, in.generation());
            } catch (OutOfMemoryError e) {
                return outOfMemory(e);
            }
        }, deadline);
        if (result instanceof Answer a) {
            return a;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file", name);
        if (result instanceof LightCurveReader.Result read) {
            Outcome o = LightCurveReader.UNREADABLE.equals(read.reason()) ? Outcome.FAILED : Outcome.SKIPPED;
            m.put("outcome", o.label());
            m.put("reason", read.reason());
            m.put("detail", read.detail());
            metrics.outcome(LIGHT_CURVES, o.label(), read.reason());
            return Answer.json(422, m);
        }
        Searched r = (Searched) result;
        LightCurveSearch.Searched s = r.searched();
        metrics.outcome(LIGHT_CURVES, s.outcome().label(), s.reason());
        m.put("outcome", s.outcome().label());
        m.put("reason", s.reason());
        m.put("detail", s.detail());
        if (s.outcome() == Outcome.FAILED) {
            return Answer.error(500, s.reason(), "the search failed on this light curve; the server's log has the"
                    + " details");
        }
        if (s.outcome() != Outcome.SEARCHED) {
            return Answer.json(422, m);
        }
        if ("png".equalsIgnoreCase(figure)) {
            if (r.png() == null) {
                return Answer.error(422, "no signal", "the search found no signal to draw");
            }
            return new Answer(200, "image/png", r.png(), Map.of("X-Candidates", Integer.toString(
                    s.signals().size())));
        }
        LightCurve.Target t = r.target();
        Map<String, Object> target = new LinkedHashMap<>();
        target.put("name", t.name());
        target.put("tic", t.tic());
        target.put("sector", t.sector());
        target.put("flux", t.fluxColumn());
        target.put("time_system", t.timeSystem());
        m.put("target", target);
        m.put("cadences", s.cadences());
        List<Map<String, Object>> candidates = new ArrayList<>();
        for (int i = 0; i < s.signals().size(); i++) {
            candidates.add(CandidateColumns.asMap(name, t, s.signals().get(i),
                    i < s.verdicts().size() ? s.verdicts().get(i) : null));
        }
        m.put("candidates", candidates);
        List<Map<String, Object>> events = new ArrayList<>();
        for (SingleEvents.Event e : s.events()) {
            Map<String, Object> ev = new LinkedHashMap<>();
            ev.put("time_btjd", CandidateColumns.round(e.time(), 5));
            ev.put("duration_hours", CandidateColumns.round(e.duration() * 24, 3));
            ev.put("depth_ppm", CandidateColumns.round(e.depth() * 1e6, 0));
            ev.put("snr", CandidateColumns.round(e.snr(), 2));
            events.add(ev);
        }
        m.put("events", events);
        m.put("vetter", r.generation().vetterDescription());
        m.put("model_generation", r.generation().id());
        if (r.png() != null) {
            m.put("figure_png_base64", Base64.getEncoder().encodeToString(r.png()));
        }
        return Answer.json(200, m);
    }

    private record Scored(ImageScorer.Score score, Models.Generation generation) {
    }

    private record Searched(LightCurve.Target target, LightCurveSearch.Searched searched, byte[] png,
                            Models.Generation generation) {
    }

    private static Answer outOfMemory(OutOfMemoryError e) {
        return Answer.error(503, LightCurveSearch.OUT_OF_MEMORY, "the server ran short of memory on this file;"
                + " retry later, or raise the server's heap (TESS_SERVE_MEMORY)").withHeader("Retry-After", "5");
    }

    /** The work on a scoring thread within the deadline, or the 503 that says it did not finish in time. */
    private Object onScoringThread(java.util.function.Function<Scoring.Instance, Object> work, long deadline) {
        try {
            return scoring.run(work, deadline);
        } catch (TimeoutException e) {
            return Answer.error(503, "time limit", "not scored within tess.serve.request-timeout-s ("
                    + settings.requestTimeoutMs() / 1000.0 + " s): the server is busy or the file is large")
                    .withHeader("Retry-After", "5");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Answer.error(503, "shutting down", "the server is stopping");
        }
    }
}
