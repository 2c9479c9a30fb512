package org.tessexo.spark.engine;

import org.apache.spark.api.java.JavaSparkContext;

/**
 * Spark jobs whose tasks a cancellation interrupts. DL4J's training tasks read their batches through a prefetching
 * iterator: a cancelled job's task stops the prefetch thread (Spark's {@code TaskKilledException} is thrown there,
 * not in the task), and the task itself waits on the empty queue for ever unless its thread is interrupted, which
 * Spark does only for jobs that ask ({@code spark.job.interruptOnCancel}). Such a task holds its executor core
 * after the run gave up: a later job on the same context (a resumed run, a service's next retraining) never gets
 * the core and hangs.
 */
public final class CancelInterrupts {
    /** Spark's local property (SparkContext.SPARK_JOB_INTERRUPT_ON_CANCEL). */
    static final String PROPERTY = "spark.job.interruptOnCancel";

    private CancelInterrupts() {
    }

    /** Runs {@code action} with the jobs it starts on this thread interrupted when cancelled; restores the setting. */
    public static void run(JavaSparkContext sc, Runnable action) {
        String before = sc.getLocalProperty(PROPERTY);
        sc.setLocalProperty(PROPERTY, "true");
        try {
            action.run();
        } finally {
            sc.setLocalProperty(PROPERTY, before);
        }
    }
}
