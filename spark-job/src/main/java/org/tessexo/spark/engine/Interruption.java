package org.tessexo.spark.engine;

import java.util.concurrent.atomic.AtomicBoolean;

/** Whether the JVM is shutting down under a running job (Ctrl-C, SIGTERM): then the job's errors are the stop's. */
public final class Interruption {
    private static final AtomicBoolean INTERRUPTED = new AtomicBoolean();

    private Interruption() {
    }

    /** @return true the first time: the caller says what happened, once */
    public static boolean mark() {
        return INTERRUPTED.compareAndSet(false, true);
    }

    public static boolean interrupted() {
        return INTERRUPTED.get();
    }
}
