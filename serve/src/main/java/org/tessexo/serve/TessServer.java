package org.tessexo.serve;

import org.apache.hadoop.conf.Configuration;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tessexo.common.config.PipelineSettings;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryType;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The server: Jetty with one connector, the routes ({@link ServeHandler}) behind a graceful-shutdown handler (on
 * stop, requests in flight finish within tess.serve.shutdown-grace-s and new ones get 503), the models loaded
 * before the first request, and a watch that reloads them when their files change.
 */
public final class TessServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TessServer.class);

    private final Server server;
    private final ServerConnector connector;
    private final Models models;
    private final Scoring scoring;
    private final Metrics metrics = new Metrics();
    private final ScheduledExecutorService watch;

    /**
     * Loads the models (an unreadable one stops here with the reason) and starts listening.
     *
     * @throws IOException the models could not be loaded
     */
    public TessServer(ServeSettings serve, PipelineSettings pipeline) throws Exception {
        Configuration hadoop = new Configuration();
        pipeline.s3a().hadoopProperties().forEach(hadoop::set);
        this.models = new Models(serve.model(), pipeline.vetting().model(), hadoop);
        models.reload(true);
        this.scoring = new Scoring(models, pipeline.search().transit(), pipeline.search().fluxColumn(),
                serve.maxConcurrent(), serve.queue());

        // Jetty's threads read bodies and wait for the scoring threads; admission bounds how many do so at once.
        QueuedThreadPool threads = new QueuedThreadPool(Math.max(16, serve.maxConcurrent() + serve.queue() + 8), 4);
        threads.setName("tess-http");
        this.server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        this.connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost(serve.host());
        connector.setPort(serve.port());
        connector.setIdleTimeout(serve.idleTimeoutMs());
        server.addConnector(connector);
        ErrorHandler errors = new ErrorHandler();
        errors.setShowStacks(false);
        errors.setShowMessageInTitle(false);
        server.setErrorHandler(errors);
        GracefulHandler graceful = new GracefulHandler();
        graceful.setHandler(new ServeHandler(serve, models, scoring, metrics, server::isStopping));
        server.setHandler(graceful);
        server.setStopTimeout(serve.shutdownGraceMs());
        metrics.gauge("tess_serve_requests_admitted", scoring::admitted);
        metrics.gauge("tess_serve_requests_scoring", scoring::active);
        metrics.gauge("tess_serve_model_generation", () -> models.current().id());
        metrics.gauge("tess_serve_jvm_heap_used_bytes",
                () -> Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory());
        metrics.gauge("tess_serve_jvm_heap_max_bytes", () -> Runtime.getRuntime().maxMemory());
        // The heap the last collection left: what is really held, the measure of a leak.
        metrics.gauge("tess_serve_jvm_heap_after_gc_bytes", () -> ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(m -> m.getType() == MemoryType.HEAP && m.getCollectionUsage() != null)
                .mapToLong(m -> m.getCollectionUsage().getUsed()).sum());
        server.start();
        this.watch = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tess-model-watch");
            t.setDaemon(true);
            return t;
        });
        if (serve.reloadCheckMs() > 0) {
            watch.scheduleWithFixedDelay(this::checkModels, serve.reloadCheckMs(), serve.reloadCheckMs(),
                    TimeUnit.MILLISECONDS);
        }
        LOG.info("Serving on http://{}:{}/ ({} scoring threads, queue {}, body limit {} bytes)",
                serve.host(), port(), serve.maxConcurrent(), serve.queue(), serve.maxBodyBytes());
    }

    private void checkModels() {
        try {
            Models.Reload r = models.reload(false);
            if (r.changed() || r.failed()) {
                metrics.reload(r.failed() ? "failed" : "loaded");
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("Model watch: {}", e.getMessage());
        }
    }

    /** The port listened on (the one chosen when tess.serve.port = 0). */
    public int port() {
        return connector.getLocalPort();
    }

    /** Blocks until the server stops. */
    public void join() throws InterruptedException {
        server.join();
    }

    /** Stops accepting, lets requests in flight finish (within the grace period), then stops. */
    @Override
    public void close() {
        watch.shutdownNow();
        try {
            server.stop();
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("the server did not stop cleanly: " + e.getMessage(), e);
        } finally {
            scoring.close();
        }
    }
}
