package org.tessexo.spark.io;

import org.apache.spark.TaskContext;
import org.apache.spark.util.TaskCompletionListener;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Several files of a partition in flight at once, in a small pool of the task's own, so that an object store's
 * latency (a HEAD and the first byte of a GET per file) hides behind other files' transfers and decoding, as the
 * proof of concept's thread pool did. Results come back in the input's order. Memory stays bounded: at most
 * {@code inFlight} results wait, and whatever a pool thread keeps (a decoder's buffer) is one per thread. The pool
 * ends with the task, also when the task is killed.
 *
 * <p>{@code work} must not throw for one file (it returns the file's failed row instead): an exception that still
 * gets here is an Error, and ends the task.
 */
public final class Prefetching<I, O> implements Iterator<O> {
    private final Iterator<I> in;
    private final Function<I, O> work;
    private final int inFlight;
    private final ArrayDeque<Future<O>> window = new ArrayDeque<>();
    private final ExecutorService pool;

    /**
     * {@code work} applied to each item of {@code in}, in order: with {@code inFlight} above 1 in a pool of that many
     * threads of this task's own, otherwise lazily in the caller's thread.
     */
    public static <I, O> Iterator<O> map(Iterator<I> in, int inFlight, String threadName, Function<I, O> work) {
        if (inFlight > 1) {
            return new Prefetching<>(in, inFlight, threadName, work);
        }
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return in.hasNext();
            }

            @Override
            public O next() {
                return work.apply(in.next());
            }
        };
    }

    private Prefetching(Iterator<I> in, int inFlight, String threadName, Function<I, O> work) {
        this.in = in;
        this.work = work;
        this.inFlight = Math.max(1, inFlight);
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(this.inFlight, r -> {
            Thread t = new Thread(r, threadName + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        TaskContext task = TaskContext.get();
        if (task != null) {
            task.addTaskCompletionListener((TaskCompletionListener) ctx -> pool.shutdownNow());
        }
    }

    private void fill() {
        while (window.size() < inFlight && in.hasNext()) {
            I item = in.next();
            window.add(pool.submit(() -> work.apply(item)));
        }
        if (window.isEmpty()) {
            pool.shutdown();
        }
    }

    @Override
    public boolean hasNext() {
        fill();
        return !window.isEmpty();
    }

    @Override
    public O next() {
        fill();
        Future<O> head = window.poll();
        if (head == null) {
            throw new NoSuchElementException();
        }
        try {
            return head.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pool.shutdownNow();
            throw new IllegalStateException("interrupted while reading", e);
        } catch (ExecutionException e) {
            pool.shutdownNow();
            throw new IllegalStateException("reading failed: " + e.getCause(), e.getCause());
        }
    }
}
