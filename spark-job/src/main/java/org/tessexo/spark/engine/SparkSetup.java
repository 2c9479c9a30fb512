package org.tessexo.spark.engine;

import org.apache.spark.SparkConf;
import org.tessexo.common.config.PipelineSettings;
import org.tessexo.common.model.OneDnn;

/**
 * Spark properties in three tiers: what the job needs to run at all (Kryo with ND4J's registrator), the project's
 * defaults (s3a from {@code tess.s3a.*}, set only where the user left a property unset), then whatever the user
 * gave to spark-submit, which always wins. The master is never set here: spark-submit's {@code --master} decides.
 */
public final class SparkSetup {
    static final String TIME_SOURCE_PROPERTY = "org.deeplearning4j.spark.time.TimeSource";
    static final String SYSTEM_CLOCK = "org.deeplearning4j.spark.time.SystemClockTimeSource";
    static final String ND4J_REGISTRATOR = "org.nd4j.kryo.Nd4jRegistrator";
    /**
     * HotSpot's thresholds for its optimizing compiler (C2) at 10x their defaults; {@code conf/jvm-options.txt} gives
     * the same to the driver ({@code submit.sh}). A job's JVM compiles thousands of lukewarm methods (Spark's
     * scheduling, Parquet, Hadoop, the generated code of a query) with C2 by default: 16 s of compiler threads in a
     * 15 s photometry run on 2 cores (-XX:+CITime), taking the cores from the tasks. With these, only the truly hot
     * methods (the photometry, the search's loops) reach C2, and they reach the same code: a frame's photometry and
     * a search ran as fast once warm, and the demo took 14 s instead of 17 (bench/run.sh, README).
     */
    static final String JIT_OPTIONS = "-XX:Tier4InvocationThreshold=50000 -XX:Tier4MinInvocationThreshold=6000"
            + " -XX:Tier4CompileThreshold=150000 -XX:Tier4BackEdgeThreshold=400000";

    private SparkSetup() {
    }

    public static SparkConf configure(SparkConf conf, PipelineSettings s) {
        return configure(conf, s, true);
    }

    /**
     * @param nd4j whether INDArrays will travel (training, evaluation): then ND4J's Kryo registrator is mandatory.
     *             {@code inspect} leaves it out, which saves loading ND4J's native libraries (about a second).
     */
    public static SparkConf configure(SparkConf conf, PipelineSettings s, boolean nd4j) {
        conf.set("spark.serializer", "org.apache.spark.serializer.KryoSerializer");
        String registrators = conf.get("spark.kryo.registrator", "");
        if (nd4j && !registrators.contains(ND4J_REGISTRATOR)) {
            registrators = registrators.isEmpty() ? ND4J_REGISTRATOR : registrators + "," + ND4J_REGISTRATOR;
        }
        String ours = TessKryoRegistrator.class.getName();
        if (!registrators.contains(ours)) {
            registrators = registrators.isEmpty() ? ours : registrators + "," + ours;
        }
        conf.set("spark.kryo.registrator", registrators);
        conf.setIfMissing("spark.kryoserializer.buffer.max", "512m");
        conf.setIfMissing("spark.ui.showConsoleProgress", "false");
        conf.setIfMissing("spark.app.name", "tess-exo");
        // DL4J's default NTP time source calls pool.ntp.org: offline clusters fail with it.
        System.setProperty(TIME_SOURCE_PROPERTY, SYSTEM_CLOCK);
        String execOpts = conf.get("spark.executor.extraJavaOptions", "");
        if (!execOpts.contains(TIME_SOURCE_PROPERTY)) {
            execOpts = (execOpts + " -D" + TIME_SOURCE_PROPERTY + "=" + SYSTEM_CLOCK).trim();
        }
        if (!execOpts.contains("-XX:Tier4")) { // the user's own thresholds stay as they are
            execOpts = execOpts + " " + JIT_OPTIONS;
        }
        if (nd4j) {
            // DL4J's oneDNN layer helpers, chosen when a layer is built: in this JVM now, in executors at launch.
            // An explicit -D...helpers.disable in the user's options stays as it is.
            OneDnn.enable();
            if (!execOpts.contains(OneDnn.HELPERS_DISABLE)) {
                execOpts = execOpts + " " + OneDnn.JVM_OPTION;
            }
        }
        conf.set("spark.executor.extraJavaOptions", execOpts);
        applyS3a(conf, s.s3a());
        applyNativeThreads(conf);
        return conf;
    }

    /**
     * ND4J's native ops use OpenMP threads, by default as many as the host has cores, in every task at once: eight
     * 1-core tasks on an 8-core host would run 64 threads. Executors started as their own processes (standalone,
     * YARN, Kubernetes) get {@code OMP_NUM_THREADS} = the cores each task owns ({@code spark.task.cpus}), unless
     * the user set it. In local mode the executors are this JVM and its environment is already fixed; there the
     * default measured best (bench/run.sh: 0.98 parameter-averaging efficiency with local[2], 0.91 with 1 thread).
     */
    static void applyNativeThreads(SparkConf conf) {
        String master = conf.get("spark.master", "local[*]");
        if (!master.startsWith("local")) {
            conf.setIfMissing("spark.executorEnv.OMP_NUM_THREADS", conf.get("spark.task.cpus", "1"));
        }
    }

    /**
     * Tasks that run at once in one executor JVM: N for {@code local[N]} (the cores for {@code local[*]}), else
     * {@code spark.executor.cores / spark.task.cpus} where set; 0 when only the executor knows (its cores).
     */
    public static int concurrentTasks(SparkConf conf) {
        String master = conf.get("spark.master", "local[*]");
        int taskCpus = Math.max(1, conf.getInt("spark.task.cpus", 1));
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("local(?:-cluster)?\\[([^,\\]]+).*").matcher(master);
        if (master.equals("local")) {
            return 1;
        }
        if (m.matches() && master.startsWith("local[")) {
            String n = m.group(1).trim();
            int cores = n.equals("*") ? Runtime.getRuntime().availableProcessors() : Integer.parseInt(n);
            return Math.max(1, cores / taskCpus);
        }
        if (conf.contains("spark.executor.cores")) {
            return Math.max(1, conf.getInt("spark.executor.cores", 1) / taskCpus);
        }
        return 0;
    }

    static void applyS3a(SparkConf conf, PipelineSettings.S3a s3a) {
        s3a.hadoopProperties().forEach((k, v) -> conf.setIfMissing("spark.hadoop." + k, v));
    }
}
