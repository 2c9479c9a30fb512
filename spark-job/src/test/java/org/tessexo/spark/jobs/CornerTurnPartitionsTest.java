package org.tessexo.spark.jobs;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The corner turn's partitions: at most stars-per-file stars each, in whole waves of the cluster's cores. */
class CornerTurnPartitionsTest {
    @Test
    void aLastWaveOfFewTasksIsFilledOut() {
        assertEquals(6, PhotometryJob.cornerTurnPartitions(10_000, 2_000, 2), "5 files of 2,000 on 2 cores");
        assertEquals(2, PhotometryJob.cornerTurnPartitions(400, 2_000, 2), "one file's stars on 2 cores");
        assertEquals(100, PhotometryJob.cornerTurnPartitions(160_000, 2_000, 100), "80 files, 100 cores");
        assertEquals(200, PhotometryJob.cornerTurnPartitions(320_000, 2_000, 100), "a whole number of waves");
    }

    @Test
    void noFileHoldsMoreThanItsStarsPerFileNorIsEmptyByDesign() {
        for (long stars : new long[] {1, 7, 1_999, 2_000, 2_001, 45_000, 1_000_000}) {
            for (int cores : new int[] {1, 2, 7, 64}) {
                int p = PhotometryJob.cornerTurnPartitions(stars, 2_000, cores);
                assertTrue((stars + p - 1) / p <= 2_000, stars + " stars in " + p);
                assertTrue(p <= stars, stars + " stars in " + p + " partitions");
                assertTrue(p % cores == 0 || p == stars || p == 100_000, stars + " stars, " + cores
                        + " cores: " + p);
            }
        }
        assertEquals(1, PhotometryJob.cornerTurnPartitions(0, 2_000, 8), "no star: one partition");
    }
}
