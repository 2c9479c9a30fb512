package org.tessexo.common.testing;

import java.lang.management.ManagementFactory;

/** Bytes allocated on the heap by the current thread (HotSpot's per-thread counter), to prove "no large allocation". */
public final class Allocation {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private Allocation() {
    }

    public static long allocatedByThisThread() {
        return THREADS.getThreadAllocatedBytes(Thread.currentThread().getId());
    }
}
