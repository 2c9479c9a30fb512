package org.tessexo.spark.engine;

import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;
import org.tessexo.common.config.PipelineSettings;
import org.tessexo.common.config.SettingsLoader;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class SparkSetupTest {
    private static final PipelineSettings DEFAULTS = SettingsLoader.load("", "", List.of());

    @Test
    void executorsOfAClusterGetOneNativeThreadPerTaskCore() {
        SparkConf standalone = SparkSetup.configure(new SparkConf(false).setMaster("spark://127.0.0.1:7077"), DEFAULTS);
        assertEquals("1", standalone.get("spark.executorEnv.OMP_NUM_THREADS"));
        SparkConf twoCpus = SparkSetup.configure(new SparkConf(false).setMaster("yarn").set("spark.task.cpus", "2"),
                DEFAULTS);
        assertEquals("2", twoCpus.get("spark.executorEnv.OMP_NUM_THREADS"));
    }

    @Test
    void theUsersOwnSettingAndLocalModeAreLeftAlone() {
        SparkConf own = SparkSetup.configure(new SparkConf(false).setMaster("yarn")
                .set("spark.executorEnv.OMP_NUM_THREADS", "3"), DEFAULTS);
        assertEquals("3", own.get("spark.executorEnv.OMP_NUM_THREADS"));
        SparkConf local = SparkSetup.configure(new SparkConf(false).setMaster("local[2]"), DEFAULTS);
        assertFalse(local.contains("spark.executorEnv.OMP_NUM_THREADS"));
    }
}
