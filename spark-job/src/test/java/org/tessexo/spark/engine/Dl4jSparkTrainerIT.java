package org.tessexo.spark.engine;

import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskStart;
import org.apache.spark.storage.BlockId;
import org.apache.spark.storage.BroadcastBlockId;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.tessexo.common.config.PipelineSettings;
import org.tessexo.common.config.SettingsLoader;
import org.tessexo.common.model.CnnFactory;
import org.tessexo.spark.SparkTestSupport;
import scala.Tuple2;
import scala.collection.JavaConverters;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Batched inference over Spark leaves the network it scored with intact, whatever Spark later does with its blocks;
 * a cancelled training leaves no task holding an executor core.
 */
class Dl4jSparkTrainerIT {
    private static Set<Long> broadcasts() {
        Set<Long> ids = new HashSet<>();
        for (BlockId b : JavaConverters.seqAsJavaListConverter(SparkEnv.get().blockManager()
                .getMatchingBlockIds(id -> id instanceof BroadcastBlockId)).asJava()) {
            ids.add(((BroadcastBlockId) b).broadcastId());
        }
        return ids;
    }

    @Test
    void aPredictionsBroadcastCleanedAwayLeavesTheNetworkUsable() {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(SparkTestSupport.spark().sparkContext());
        PipelineSettings s = SettingsLoader.load(null, null, List.of());
        MultiLayerNetwork net = CnnFactory.build(s.model(), 16, 16);
        Dl4jSparkTrainer trainer = new Dl4jSparkTrainer(sc, net, s.training());
        List<Tuple2<Integer, INDArray>> rows = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            rows.add(new Tuple2<>(i, Nd4j.rand(new long[] {1, 1, 16, 16})));
        }
        Set<Long> before = broadcasts();
        Map<Integer, INDArray> predicted = trainer.predict(sc.parallelizePairs(rows, 2), 4).collectAsMap();
        for (Tuple2<Integer, INDArray> r : rows) {
            assertArrayEquals(net.output(r._2()).toFloatVector(), predicted.get(r._1()).toFloatVector(), 1e-5f);
        }

        // What Spark's ContextCleaner does once the prediction's RDD is unreachable and the driver collects it:
        // the broadcast's blocks are removed, and a block's AutoCloseable value (an INDArray) is closed with them.
        Set<Long> made = broadcasts();
        made.removeAll(before);
        assertFalse(made.isEmpty(), "the prediction broadcast the network's parameters");
        for (long id : made) {
            SparkEnv.get().blockManager().removeBroadcast(id, false);
        }
        assertEquals(Set.of(), made.stream().filter(broadcasts()::contains).collect(Collectors.toSet()));

        // The network is still whole: it scores and its parameters read as before (this failed with "You can't use
        // DataBuffer once it was released" when DL4J was handed the network itself).
        for (Tuple2<Integer, INDArray> r : rows) {
            assertArrayEquals(predicted.get(r._1()).toFloatVector(), net.output(r._2()).toFloatVector(), 1e-5f);
        }
        assertEquals(net.numParams(), trainer.network().params().length());
    }

    /**
     * FailuresAndOutputIT's "crash" (every job cancelled mid-training) once left both of local[2]'s training tasks
     * waiting for ever on DL4J's prefetch queue, whose thread the cancellation had stopped; the resumed run's first
     * job then waited for a core that never came. A round of many batches per worker, so that the prefetch thread is
     * mid-partition when the job is cancelled; then a job of one task per core must run.
     */
    @Test
    void aCancelledTrainingLeavesNoTaskHoldingACore() throws Exception {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(SparkTestSupport.spark().sparkContext());
        PipelineSettings s = SettingsLoader.load(null, null, List.of("training.batch-size-per-worker=4",
                "training.averaging-frequency=100000"));
        MultiLayerNetwork net = CnnFactory.build(s.model(), 16, 16);
        Dl4jSparkTrainer trainer = new Dl4jSparkTrainer(sc, net, s.training());
        int classes = s.model().numClasses();
        List<DataSet> examples = new ArrayList<>();
        for (int i = 0; i < 4000 * trainer.workers(); i++) {
            INDArray label = Nd4j.zeros(1, classes).putScalar(i % classes, 1);
            examples.add(new DataSet(Nd4j.rand(new long[] {1, 1, 16, 16}), label));
        }
        JavaRDD<DataSet> data = sc.parallelize(examples, trainer.workers());
        AtomicInteger trainingTasks = new AtomicInteger();
        CountDownLatch training = new CountDownLatch(trainer.workers());
        SparkListener watch = new SparkListener() {
            @Override
            public void onTaskStart(SparkListenerTaskStart start) {
                trainingTasks.incrementAndGet();
                training.countDown();
            }
        };
        sc.sc().addSparkListener(watch);
        ExecutorService driver = Executors.newFixedThreadPool(2);
        try {
            Future<?> fit = driver.submit(() -> trainer.fit(data, 1, 1, (e, score, n) -> { }));
            assertTrue(training.await(120, TimeUnit.SECONDS), "the training tasks started");
            Thread.sleep(2000); // batches are being fitted, and prefetched
            sc.cancelAllJobs();
            ExecutionException cancelled = assertThrows(ExecutionException.class, () -> fit.get(120,
                    TimeUnit.SECONDS));
            assertTrue(String.valueOf(cancelled.getCause()).contains("cancel"), String.valueOf(cancelled.getCause()));
            Future<Long> next = driver.submit(() -> sc.parallelize(List.of(1, 2, 3, 4), 2 * trainer.workers())
                    .count());
            assertEquals(4L, next.get(120, TimeUnit.SECONDS), "a job after the cancelled training gets the cores");
        } finally {
            sc.sc().removeSparkListener(watch);
            driver.shutdownNow();
        }
        assertTrue(trainingTasks.get() >= trainer.workers());
    }
}
