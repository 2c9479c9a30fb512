package org.tessexo.spark.engine;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProgressTest {
    @Test
    void partitionsSpreadSlowFilesAndStayBounded() {
        assertEquals(81, Progress.partitions(322, 0, 2, 4), "322 light curves on 2 cores: 4 per task");
        assertEquals(8, Progress.partitions(20, 0, 2, 1000), "at least 4 per core");
        assertEquals(3, Progress.partitions(3, 0, 2, 1000), "never more than the files");
        assertEquals(100, Progress.partitions(100_000, 0, 2, 1000), "decoding: up to 1000 files a task");
        assertEquals(10_000, Progress.partitions(1_000_000, 0, 2, 4));
        assertEquals(5, Progress.partitions(322, 5, 2, 4), "the configured count wins");
    }

    @Test
    void theFilesOfEachPartitionAddUpAsParallelizeSlicesThem() {
        long total = 0;
        for (int i = 0; i < 7; i++) {
            total += Progress.filesIn(100, 7, i);
        }
        assertEquals(100, total);
        assertEquals(14, Progress.filesIn(100, 7, 0));
    }

    @Test
    void durationsReadAsPeopleWriteThem() {
        assertEquals("45 s", Progress.duration(45));
        assertEquals("1 min 45 s", Progress.duration(105));
        assertTrue(Progress.duration(7300).startsWith("2 h 01 min"));
    }
}
