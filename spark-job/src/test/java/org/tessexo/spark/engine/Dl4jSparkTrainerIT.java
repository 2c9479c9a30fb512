package org.tessexo.spark.engine;

import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.BlockId;
import org.apache.spark.storage.BroadcastBlockId;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
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
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Batched inference over Spark leaves the network it scored with intact, whatever Spark later does with its blocks. */
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
}
