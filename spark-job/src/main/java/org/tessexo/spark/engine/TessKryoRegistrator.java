package org.tessexo.spark.engine;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import org.apache.spark.serializer.KryoRegistrator;
import org.tessexo.common.lightcurve.LightCurve;
import org.tessexo.common.lightcurve.SingleEvents;
import org.tessexo.common.lightcurve.TransitSearch;
import org.tessexo.common.vetting.SignalViews;
import org.tessexo.common.vetting.TrainingExamples;
import org.tessexo.common.vetting.Verdict;
import org.tessexo.common.vetting.VettingMetrics;
import org.tessexo.common.photometry.FrameInfo;
import org.tessexo.common.photometry.Star;
import org.tessexo.spark.transforms.CadenceBlock;
import org.tessexo.spark.transforms.ExampleRow;
import org.tessexo.spark.transforms.FrameRow;
import org.tessexo.spark.transforms.ReferenceFn;
import org.tessexo.spark.transforms.StarField;
import org.tessexo.spark.transforms.SearchRow;

/**
 * Spark's Kryo cannot build its field serializer for Java records ("can't get field offset on a record class"):
 * the records that travel between executors and the driver go through Java serialization instead.
 */
public final class TessKryoRegistrator implements KryoRegistrator {
    @Override
    public void registerClasses(Kryo kryo) {
        for (Class<?> c : new Class<?>[] {SearchRow.class, LightCurve.Target.class, TransitSearch.Signal.class,
                SingleEvents.Event.class, Verdict.class, ExampleRow.class, TrainingExamples.Example.class,
                TrainingExamples.Known.class, SignalViews.Views.class, VettingMetrics.Scored.class,
                FrameRow.class, FrameInfo.class, StarField.class, Star.class, ReferenceFn.Group.class}) {
            kryo.register(c, new JavaSerializer());
        }
        // the corner turn's record: a plain class of primitive arrays, written field by field
        kryo.register(CadenceBlock.class);
    }
}
