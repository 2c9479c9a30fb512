package org.tessexo.spark.steps;

import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.tessexo.common.eval.BinaryMetrics;
import org.tessexo.spark.engine.Dl4jSparkTrainer;
import org.tessexo.spark.transforms.SampleRow;
import scala.Tuple2;

import java.util.List;

/** The trained model scored on the held-out split: only (label, score) pairs reach the driver. */
public final class Evaluation {
    private Evaluation() {
    }

    public static BinaryMetrics heldOut(Dl4jSparkTrainer trainer, JavaRDD<SampleRow> test, int h, int w) {
        JavaPairRDD<Integer, INDArray> features = test.mapToPair(r ->
                new Tuple2<>(r.label(), Nd4j.create(r.features(), new long[] {1, 1, h, w}, 'c')));
        List<Tuple2<Integer, Double>> scored = trainer.predict(features, 32)
                .mapToPair(p -> new Tuple2<>(p._1(), p._2().getDouble(0, 1)))
                .collect();
        double[] scores = new double[scored.size()];
        int[] labels = new int[scored.size()];
        for (int i = 0; i < scored.size(); i++) {
            labels[i] = scored.get(i)._1();
            scores[i] = scored.get(i)._2();
        }
        return BinaryMetrics.compute(scores, labels, 0.5);
    }
}
