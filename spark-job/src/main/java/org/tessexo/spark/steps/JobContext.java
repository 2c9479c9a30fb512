package org.tessexo.spark.steps;

import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.tessexo.common.config.CommandLineArgs.Command;
import org.tessexo.common.config.PipelineSettings;
import org.tessexo.spark.io.OutputStore;

/**
 * What every step of a command's run needs: the command, its settings (paths already qualified), the Spark session
 * the caller owns, and the claimed output folder.
 */
public record JobContext(Command command, PipelineSettings settings, SparkSession spark, OutputStore out) {
    /** Progress lines at most this often. */
    public static final double PROGRESS_SECONDS = 15;

    public JavaSparkContext sc() {
        return JavaSparkContext.fromSparkContext(spark.sparkContext());
    }

    public Configuration hadoop() {
        return spark.sparkContext().hadoopConfiguration();
    }
}
