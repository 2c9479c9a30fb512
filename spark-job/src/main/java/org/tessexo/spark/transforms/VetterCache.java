package org.tessexo.spark.transforms;

import org.tessexo.common.vetting.Vetter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Executors: one {@link Vetter} per task thread and vetter file, loaded once from the broadcast bytes (a network is
 * not thread-safe; loading one for every partition would cost a tenth of a second each).
 */
final class VetterCache {
    private static final Map<Integer, ThreadLocal<Vetter>> BY_FILE = new ConcurrentHashMap<>();

    private VetterCache() {
    }

    static Vetter get(byte[] zip) {
        ThreadLocal<Vetter> local = BY_FILE.computeIfAbsent(Arrays.hashCode(zip), k -> ThreadLocal.withInitial(() -> {
            try {
                return Vetter.load(zip, false);
            } catch (IOException e) {
                throw new UncheckedIOException("the vetter cannot be read: " + e.getMessage(), e);
            }
        }));
        return local.get();
    }
}
