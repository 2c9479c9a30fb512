package org.tessexo.serve;

import org.tessexo.common.detect.LightCurveSearch;
import org.tessexo.common.lightcurve.LightCurveReader;
import org.tessexo.common.lightcurve.TransitSearch;
import org.tessexo.common.model.ImageScorer;
import org.tessexo.common.model.ModelPackage;
import org.tessexo.common.vetting.Vetter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Where requests are scored: {@code max-concurrent} threads, each with its own copy of the models (DL4J's networks
 * are not safe to share between threads), made from the current {@link Models.Generation} when a thread first
 * works for it. Admission is bounded: at most {@code max-concurrent + queue} requests are admitted at once (from
 * before their body is read to their answer), so memory is bounded too; one more is refused at once.
 */
final class Scoring implements AutoCloseable {
    private final Models models;
    private final TransitSearch.Settings search;
    private final String fluxColumn;
    private final ThreadPoolExecutor pool;
    private final Semaphore admission;
    private final AtomicInteger admitted = new AtomicInteger();
    private final ThreadLocal<Instance> instances = new ThreadLocal<>();

    /** One thread's models, for one generation. {@code scorer} null: no image model. */
    record Instance(Models.Generation generation, ImageScorer scorer, LightCurveSearch search,
                    LightCurveReader reader) {
    }

    Scoring(Models models, TransitSearch.Settings search, String fluxColumn, int concurrent, int queue) {
        this.models = models;
        this.search = search;
        this.fluxColumn = fluxColumn;
        AtomicInteger n = new AtomicInteger();
        // The queue holds at most the admitted requests beyond the threads: admission keeps it from overflowing.
        this.pool = new ThreadPoolExecutor(concurrent, concurrent, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(queue + concurrent), r -> {
                    Thread t = new Thread(r, "tess-score-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.AbortPolicy());
        this.admission = new Semaphore(concurrent + queue);
    }

    /** Admits a request if there is room; every admitted request is {@link #release}d once answered. */
    boolean tryAdmit() {
        if (admission.tryAcquire()) {
            admitted.incrementAndGet();
            return true;
        }
        return false;
    }

    void release() {
        admitted.decrementAndGet();
        admission.release();
    }

    /** Requests admitted now: reading their body, waiting or being scored. */
    int admitted() {
        return admitted.get();
    }

    /** Requests being scored now. */
    int active() {
        return pool.getActiveCount();
    }

    /**
     * Runs {@code work} on a scoring thread with that thread's models, waiting until {@code deadlineNanos} (of
     * {@link System#nanoTime()}); past it the work is abandoned (if not yet started, it never runs).
     */
    <T> T run(Function<Instance, T> work, long deadlineNanos) throws TimeoutException, InterruptedException {
        Future<T> f;
        try {
            f = pool.submit(() -> work.apply(instance()));
        } catch (RejectedExecutionException e) {
            throw new TimeoutException("the scoring queue is full");
        }
        try {
            return f.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            f.cancel(false);
            throw e;
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException r) {
                throw r;
            }
            if (c instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(c);
        }
    }

    /** This thread's models for the current generation, made on first use. */
    private Instance instance() {
        Models.Generation g = models.current();
        Instance i = instances.get();
        if (i != null && i.generation() == g) {
            return i;
        }
        try {
            ImageScorer scorer = g.modelZip() == null ? null : new ImageScorer(ModelPackage.load(g.modelZip()));
            Vetter vetter = g.vetterZip() == null ? null : Vetter.load(g.vetterZip(), false);
            i = new Instance(g, scorer, new LightCurveSearch(search, () -> vetter), new LightCurveReader(fluxColumn));
        } catch (IOException e) {
            throw new UncheckedIOException("models of generation " + g.id() + " did not load: " + e.getMessage(), e);
        }
        instances.set(i);
        return i;
    }

    @Override
    public void close() {
        pool.shutdown();
    }
}
