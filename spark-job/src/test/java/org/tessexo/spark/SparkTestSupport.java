package org.tessexo.spark;

import org.apache.spark.SparkConf;
import org.tessexo.spark.engine.SparkSetup;
import org.apache.spark.sql.SparkSession;
import org.tessexo.common.config.PipelineSettings;
import org.tessexo.common.config.SettingsLoader;

import java.nio.file.Path;
import java.util.List;

/** One local[2] SparkSession per test JVM (two workers for parameter averaging), UI and progress bars off. */
public final class SparkTestSupport {
    private static SparkSession session;

    private SparkTestSupport() {
    }

    public static synchronized SparkSession spark() {
        if (session == null || session.sparkContext().isStopped()) {
            PipelineSettings defaults = SettingsLoader.load(null, null, List.of());
            SparkConf conf = SparkSetup.configure(new SparkConf(), defaults)
                    .setMaster("local[2]")
                    .setAppName("tess-exo-it")
                    .set("spark.ui.enabled", "false")
                    .set("spark.ui.showConsoleProgress", "false")
                    .set("spark.sql.shuffle.partitions", "4")
                    .set("spark.default.parallelism", "2");
            session = SparkSession.builder().config(conf).getOrCreate();
        }
        return session;
    }

    public static Path realData() {
        return org.tessexo.common.testing.FitsFixtures.realData();
    }
}
