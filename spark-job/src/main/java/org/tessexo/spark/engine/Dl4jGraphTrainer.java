package org.tessexo.spark.engine;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tessexo.common.config.PipelineSettings;

import java.util.Locale;

/**
 * Parameter-averaging training of a multi-input {@link ComputationGraph} (the vetter) over an RDD of one-example
 * MultiDataSets: DL4J's {@link SparkComputationGraph} with the same master settings as {@link Dl4jSparkTrainer}
 * (one partition per worker, made once).
 */
public final class Dl4jGraphTrainer {
    private static final Logger LOG = LoggerFactory.getLogger(Dl4jGraphTrainer.class);

    private final JavaSparkContext sc;
    private final SparkComputationGraph sparkNet;
    private final int workers;
    private final String approach;

    public Dl4jGraphTrainer(JavaSparkContext sc, ComputationGraph net, PipelineSettings.Training t, int batchSize) {
        this.sc = sc;
        this.workers = Math.max(1, sc.defaultParallelism());
        org.deeplearning4j.spark.api.RDDTrainingApproach a = Dl4jSparkTrainer.approach(sc, t.approach());
        this.approach = a.name();
        ParameterAveragingTrainingMaster master = new ParameterAveragingTrainingMaster.Builder(workers, 1)
                .batchSizePerWorker(batchSize)
                .averagingFrequency(t.averagingFrequency())
                .workerPrefetchNumBatches(t.prefetchBatches())
                .rddTrainingApproach(a)
                .storageLevel(Dl4jSparkTrainer.storageLevel(t.storageLevel()))
                .collectTrainingStats(false)
                .repartionData(Repartition.NumPartitionsWorkersDiffers)
                .build();
        this.sparkNet = new SparkComputationGraph(sc, net, master);
    }

    /** Called on the driver after each epoch with the averaged network. */
    public interface EpochListener {
        void epochDone(int epoch, double score, ComputationGraph network);
    }

    /** {@code epochs} passes over {@code data} (spread over one partition per worker once). */
    public void fit(JavaRDD<MultiDataSet> data, int epochs, EpochListener listener) {
        JavaRDD<MultiDataSet> spread = data.getNumPartitions() == workers ? data : data.repartition(workers);
        for (int e = 1; e <= epochs; e++) {
            long t0 = System.nanoTime();
            CancelInterrupts.run(sc, () -> sparkNet.fitMultiDataSet(spread));
            double score = sparkNet.getScore();
            LOG.info("Vetter epoch {}/{}: score {} ({} s)", e, epochs, String.format(Locale.ROOT, "%.4f", score),
                    String.format(Locale.ROOT, "%.1f", (System.nanoTime() - t0) / 1e9));
            listener.epochDone(e, score, sparkNet.getNetwork());
        }
    }

    public ComputationGraph network() {
        return sparkNet.getNetwork();
    }

    public int workers() {
        return workers;
    }

    public String approachName() {
        return approach;
    }
}
