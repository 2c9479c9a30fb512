package org.tessexo.spark.transforms;

import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.tessexo.common.vetting.TrainingExamples;
import org.tessexo.common.vetting.Vetter;
import org.tessexo.common.vetting.VettingMetrics;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** Executors: training examples scored by a broadcast vetter, in batches of {@link VettingMetrics#BATCH}. */
public final class VetFn implements FlatMapFunction<Iterator<TrainingExamples.Example>, VettingMetrics.Scored> {
    private static final long serialVersionUID = 1L;

    private final Broadcast<byte[]> vetter;

    public VetFn(Broadcast<byte[]> vetter) {
        this.vetter = vetter;
    }

    @Override
    public Iterator<VettingMetrics.Scored> call(Iterator<TrainingExamples.Example> examples) {
        Vetter v = VetterCache.get(vetter.value());
        List<VettingMetrics.Scored> out = new ArrayList<>();
        List<TrainingExamples.Example> batch = new ArrayList<>();
        while (examples.hasNext()) {
            batch.add(examples.next());
            if (batch.size() == VettingMetrics.BATCH || !examples.hasNext()) {
                out.addAll(VettingMetrics.scored(v, batch));
                batch.clear();
            }
        }
        return out.iterator();
    }
}
