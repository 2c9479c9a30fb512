package org.tessexo.common.eval;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * Assigns each file to the training or the held-out set by a seeded hash of its name (the job passes the file
 * name, so a data set copied elsewhere splits the same way): the same file always lands
 * on the same side, whatever the partitioning, the number of workers or the order of listing.
 */
public final class HeldOutSplit {
    private HeldOutSplit() {
    }

    public static boolean isHeldOut(String path, long seed, double fraction) {
        return fraction > 0 && uniform(path, seed) < fraction;
    }

    /**
     * The fold, 0 to {@code folds - 1}, of a k-fold split by the same hash: fold 0 is the held-out side of
     * {@code isHeldOut(path, seed, 1.0 / folds)}.
     */
    public static int fold(String path, long seed, int folds) {
        return Math.min(folds - 1, (int) (uniform(path, seed) * folds));
    }

    private static double uniform(String path, long seed) {
        CRC32 crc = new CRC32();
        crc.update(Long.toString(seed).getBytes(StandardCharsets.UTF_8));
        crc.update(path.getBytes(StandardCharsets.UTF_8));
        // Mix the CRC so that near-identical names spread evenly (splitmix64 finalizer).
        long z = crc.getValue() + 0x9E3779B97F4A7C15L * (seed + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        return (z >>> 11) * 0x1.0p-53;
    }
}
