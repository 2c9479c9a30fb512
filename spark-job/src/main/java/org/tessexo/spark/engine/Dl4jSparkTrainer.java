package org.tessexo.spark.engine;

import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.tessexo.common.config.PipelineSettings;
import org.tessexo.common.errors.UserException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Locale;

/**
 * The one class that touches DL4J's Spark module (frozen upstream since 1.0.0-M2): parameter-averaging training
 * over an RDD of one-example DataSets, and batched inference keyed by path.
 */
public final class Dl4jSparkTrainer {
    private static final Logger LOG = LoggerFactory.getLogger(Dl4jSparkTrainer.class);

    private final JavaSparkContext sc;
    private final ParameterAveragingTrainingMaster master;
    private final SparkDl4jMultiLayer sparkNet;
    private final RDDTrainingApproach approach;
    private final int workers;
    private final StorageLevel storageLevel;

    public Dl4jSparkTrainer(JavaSparkContext sc, MultiLayerNetwork net, PipelineSettings.Training t) {
        this.approach = approach(sc, t.approach());
        this.workers = Math.max(1, sc.defaultParallelism());
        this.storageLevel = storageLevel(t.storageLevel());
        this.sc = sc;
        this.master = new ParameterAveragingTrainingMaster.Builder(workers, 1)
                .batchSizePerWorker(t.batchSizePerWorker())
                .averagingFrequency(t.averagingFrequency())
                .workerPrefetchNumBatches(t.prefetchBatches())
                .rddTrainingApproach(approach)
                .storageLevel(storageLevel)
                .collectTrainingStats(false)
                // The data is spread over one partition per worker once, in fit(); DL4J's default would shuffle
                // it again before every averaging round (measured: 0.70 efficiency on local[2] with oneDNN).
                .repartionData(Repartition.NumPartitionsWorkersDiffers)
                .build();
        this.sparkNet = new SparkDl4jMultiLayer(sc, net, master);
    }

    /** Export needs a file system every executor sees; on file:// with a non-local master only Direct works. */
    static RDDTrainingApproach approach(JavaSparkContext sc, String setting) {
        return switch (setting.toLowerCase(Locale.ROOT)) {
            case "export" -> RDDTrainingApproach.Export;
            case "direct" -> RDDTrainingApproach.Direct;
            default -> {
                String defaultFs = sc.hadoopConfiguration().get("fs.defaultFS", "file:///");
                yield defaultFs.startsWith("file:") ? RDDTrainingApproach.Direct : RDDTrainingApproach.Export;
            }
        };
    }

    public static StorageLevel storageLevel(String name) {
        try {
            return StorageLevel.fromString(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new UserException("Bad configuration: tess.training.storage-level '" + name
                    + "' is not a Spark storage level (for example MEMORY_AND_DISK_SER)");
        }
    }

    /** Called on the driver after each epoch with the averaged network (to checkpoint it). */
    public interface EpochListener {
        void epochDone(int epoch, double score, MultiLayerNetwork network);
    }

    /**
     * Trains epochs {@code firstEpoch..lastEpoch} (1-based), one pass over {@code data} each; the listener gets the
     * score (loss) after each.
     */
    public void fit(JavaRDD<DataSet> data, int firstEpoch, int lastEpoch, EpochListener listener) {
        // One shuffle: later rounds and epochs read its output again (Spark keeps shuffle files), so the data is
        // not cached twice.
        epochs(data.getNumPartitions() == workers ? data : data.repartition(workers), firstEpoch, lastEpoch,
                listener);
    }

    private void epochs(JavaRDD<DataSet> data, int firstEpoch, int lastEpoch, EpochListener listener) {
        for (int e = firstEpoch; e <= lastEpoch; e++) {
            long t0 = System.nanoTime();
            CancelInterrupts.run(sc, () -> sparkNet.fit(data));
            double score = sparkNet.getScore();
            LOG.info("Epoch {}/{}: score {} ({} s)", e, lastEpoch, String.format(Locale.ROOT, "%.4f", score),
                    String.format(Locale.ROOT, "%.1f", (System.nanoTime() - t0) / 1e9));
            listener.epochDone(e, score, sparkNet.getNetwork());
        }
    }

    /**
     * The network's outputs for {@code features}, keyed as they are. DL4J broadcasts the network's own parameter array
     * for this, and Spark closes a block's value that is {@link AutoCloseable} (an INDArray is) when it drops the
     * block: once the broadcast is cleaned (its RDD unreachable, at a GC of the driver's choosing) the network's
     * parameters would be released under it, and the next use of the network fails ("You can't use DataBuffer once
     * it was released"). A copy of the network is broadcast instead; only the copy's parameters are ever released.
     */
    public <K> JavaPairRDD<K, INDArray> predict(JavaPairRDD<K, INDArray> features, int batchSize) {
        return new SparkDl4jMultiLayer(sc, sparkNet.getNetwork().clone(), master)
                .feedForwardWithKey(features, batchSize);
    }

    public MultiLayerNetwork network() {
        return sparkNet.getNetwork();
    }

    public String approachName() {
        return approach.name();
    }

    public int workers() {
        return workers;
    }
}
