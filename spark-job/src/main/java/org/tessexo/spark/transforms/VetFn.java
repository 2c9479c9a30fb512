package org.tessexo.spark.transforms;

import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.tessexo.common.vetting.SignalViews;
import org.tessexo.common.vetting.TrainingExamples;
import org.tessexo.common.vetting.Vetter;
import org.tessexo.common.vetting.VettingMetrics;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** Executors: training examples scored by a broadcast vetter, in batches of {@link #BATCH}. */
public final class VetFn implements FlatMapFunction<Iterator<TrainingExamples.Example>, VettingMetrics.Scored> {
    private static final long serialVersionUID = 1L;
    static final int BATCH = 64;

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
            if (batch.size() == BATCH || !examples.hasNext()) {
                List<SignalViews.Views> views = batch.stream().map(TrainingExamples.Example::views).toList();
                List<Vetter.Score> scores = v.score(views);
                for (int i = 0; i < batch.size(); i++) {
                    TrainingExamples.Example e = batch.get(i);
                    Vetter.Score s = scores.get(i);
                    out.add(new VettingMetrics.Scored(e.star(), e.source(), e.label(), s.planet(), s.disposition(),
                            e.signal().period(), e.signal().snr(), e.truthSnr(), e.detail()));
                }
                batch.clear();
            }
        }
        return out.iterator();
    }
}
