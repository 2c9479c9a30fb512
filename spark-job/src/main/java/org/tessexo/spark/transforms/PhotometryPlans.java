package org.tessexo.spark.transforms;

import org.tessexo.common.photometry.FramePhotometry;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Executors: each CCD's {@link FramePhotometry} (every star's aperture pixels, weights and annulus) built once per
 * JVM and broadcast of the star fields, not once per task: at 10,000 stars it takes about as long as measuring a
 * few frames, and a sector's frames are spread over many tasks. A plan is immutable once built and measures frames
 * from any thread. Plans of an earlier broadcast (an earlier job in this JVM) are dropped when a new one is seen.
 */
final class PhotometryPlans {
    private static final Map<Key, FramePhotometry> PLANS = new ConcurrentHashMap<>();
    private static long broadcast = -1;

    private record Key(long broadcast, String group) {
    }

    private PhotometryPlans() {
    }

    static FramePhotometry get(long broadcastId, String group, Supplier<FramePhotometry> build) {
        synchronized (PLANS) {
            if (broadcastId != broadcast) {
                PLANS.keySet().removeIf(k -> k.broadcast() != broadcastId);
                broadcast = broadcastId;
            }
        }
        return PLANS.computeIfAbsent(new Key(broadcastId, group), k -> build.get());
    }

    /** Plans held now. */
    static int size() {
        return PLANS.size();
    }
}
