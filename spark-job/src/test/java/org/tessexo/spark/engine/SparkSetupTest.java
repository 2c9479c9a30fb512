package org.tessexo.spark.engine;

import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;
import org.tessexo.common.config.PipelineSettings;
import org.tessexo.common.config.SettingsLoader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    @Test
    void executorsCompileLikeTheDriverUnlessTheUserSaidOtherwise() throws IOException {
        SparkConf plain = SparkSetup.configure(new SparkConf(false).setMaster("yarn"), DEFAULTS);
        String opts = plain.get("spark.executor.extraJavaOptions");
        assertTrue(opts.contains(SparkSetup.JIT_OPTIONS), opts);
        assertTrue(opts.contains("-D" + SparkSetup.TIME_SOURCE_PROPERTY), opts);
        // submit.sh gives the driver (the executor too in local mode) conf/jvm-options.txt: the same flags
        Path root = Path.of("").toAbsolutePath();
        while (root != null && !Files.exists(root.resolve("conf/jvm-options.txt"))) {
            root = root.getParent();
        }
        assertTrue(root != null, "conf/jvm-options.txt not found above " + Path.of("").toAbsolutePath());
        assertEquals(Arrays.asList(SparkSetup.JIT_OPTIONS.split(" ")),
                Files.readAllLines(root.resolve("conf/jvm-options.txt")));
        // and the tests' JVMs (pom.xml's test.argLine)
        assertTrue(Files.readString(root.resolve("pom.xml")).contains("<jit.options>" + SparkSetup.JIT_OPTIONS
                + "</jit.options>"), "pom.xml's jit.options differ from SparkSetup.JIT_OPTIONS");
        SparkConf own = SparkSetup.configure(new SparkConf(false).setMaster("yarn")
                .set("spark.executor.extraJavaOptions", "-XX:Tier4InvocationThreshold=9000"), DEFAULTS);
        String kept = own.get("spark.executor.extraJavaOptions");
        assertTrue(kept.startsWith("-XX:Tier4InvocationThreshold=9000"), kept);
        assertFalse(kept.contains(SparkSetup.JIT_OPTIONS), kept);
    }
}
