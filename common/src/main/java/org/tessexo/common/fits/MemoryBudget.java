package org.tessexo.common.fits;

import java.util.Locale;

/**
 * How much memory one file's decode may take on an executor: a share of the JVM's heap divided among everything
 * that decodes at once in it, {@code heap x HEAP_SHARE / (concurrent tasks x files in flight per task)}. The rest of
 * the heap is Spark's (cached rows, shuffle, the training batches). A decode whose allocations, computed from the
 * header before any is made, exceed it is skipped with both numbers instead of throwing {@link OutOfMemoryError}.
 *
 * <p>Example: a 1 GiB heap, {@code local[2]}, one file in flight: 1024 x 0.5 / 2 = 256 MiB per file, enough for a
 * TESS FFI (17.75 MB as float32, read in 256 KB chunks) many times over, not for a 16384 x 16384 image (1 GiB as
 * float32). An 8 GiB executor of 4 cores with 4 files in flight from S3: 8192 x 0.5 / 16 = 256 MiB.
 */
public final class MemoryBudget {
    /** The share of the heap that decoding may take in all. */
    public static final double HEAP_SHARE = 0.5;

    private final long perFile;
    private final String note;

    private MemoryBudget(long perFile, String note) {
        this.perFile = perFile;
        this.note = note;
    }

    /**
     * @param heapBytes       the JVM's maximum heap ({@code Runtime.maxMemory()})
     * @param concurrentTasks tasks running at once in this JVM (the executor's cores / spark.task.cpus)
     * @param filesInFlight   files each task decodes at once
     */
    public static MemoryBudget of(long heapBytes, int concurrentTasks, int filesInFlight) {
        int tasks = Math.max(1, concurrentTasks);
        int files = Math.max(1, filesInFlight);
        long per = (long) (heapBytes * HEAP_SHARE / ((long) tasks * files));
        String note = String.format(Locale.ROOT, "heap %d MiB x %.1f / (%d tasks x %d files in flight)",
                heapBytes >> 20, HEAP_SHARE, tasks, files);
        return new MemoryBudget(Math.max(1, per), note);
    }

    /**
     * The budget of a file in this JVM (an executor's): its maximum heap, shared by {@code concurrentTasks} tasks
     * (0 or less: as many as it has processors), each with {@code filesInFlight} files.
     */
    public static MemoryBudget ofThisJvm(int concurrentTasks, int filesInFlight) {
        int tasks = concurrentTasks > 0 ? concurrentTasks : Runtime.getRuntime().availableProcessors();
        return of(Runtime.getRuntime().maxMemory(), tasks, filesInFlight);
    }

    public long perFile() {
        return perFile;
    }

    /** How the number was derived, for reasons and logs. */
    public String note() {
        return note;
    }

    /** The decoder bounded by this budget. */
    public FitsImageDecoder apply(FitsImageDecoder decoder) {
        return decoder.withMemoryBudget(perFile, note);
    }
}
