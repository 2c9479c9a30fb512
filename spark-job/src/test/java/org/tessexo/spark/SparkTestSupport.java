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

    /**
     * A command in its own JVM, as submit.sh starts it locally (local[2], 2 GB, the Java 17 flags), its output in
     * {@code log}: a job to interrupt or kill.
     */
    public static Process jobProcess(Path log, String... args) throws java.io.IOException {
        Path root = Path.of("").toAbsolutePath().getParent(); // the module's parent: the project
        List<String> cmd = new java.util.ArrayList<>();
        // Tests started from a background shell (an asynchronous list without job control: POSIX has it ignore
        // SIGINT) pass the ignored SIGINT on, and a JVM leaves an ignored SIGINT ignored: the job gets the default
        // back, as a terminal's Ctrl-C finds it (coreutils' env execs java in its own process: same pid)
        cmd.addAll(List.of("env", "--default-signal=INT"));
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(java.nio.file.Files.readAllLines(root.resolve("conf/java17-opens.txt")));
        cmd.addAll(List.of("-Xmx2g", "-Dlog4j2.configurationFile=file:" + root.resolve("conf/log4j2.properties"),
                "-Dspark.master=local[2]", "-Dspark.ui.enabled=false",
                "-cp", System.getProperty("java.class.path"), TessJob.class.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    public static Path realData() {
        return org.tessexo.common.testing.FitsFixtures.realData();
    }
}
