package org.tessexo.spark.steps;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.types.DataTypes;
import org.tessexo.common.config.PipelineSettings;
import org.tessexo.spark.engine.Dl4jSparkTrainer;
import org.tessexo.spark.engine.SparkSetup;
import org.tessexo.spark.io.HadoopFiles;
import org.tessexo.spark.transforms.DecodeFn;
import org.tessexo.spark.transforms.SampleRow;

import java.util.function.UnaryOperator;

/** The ingest step of the image commands (inspect, train, single, demo): each file's image HDU decoded. */
public final class Decode {
    /** A decode takes milliseconds: partitions of up to 1000 files keep task overhead small and progress moving. */
    static final int FILES_PER_TASK = 1000;

    private Decode() {
    }

    /**
     * @param shape what is done to the decoded rows before they are kept (the labels join; dropping features)
     */
    public static Ingest.Spec<SampleRow> spec(JobContext ctx, UnaryOperator<JavaRDD<SampleRow>> shape) {
        PipelineSettings s = ctx.settings();
        int inFlight = filesInFlight(s);
        int tasks = SparkSetup.concurrentTasks(ctx.sc().getConf());
        OutcomeTable<SampleRow> outcomes = new OutcomeTable<>(
                OutcomeTable.leading().add("label", DataTypes.IntegerType),
                r -> OutcomeTable.row(r, r.hdu() < 0 ? null : r.hdu(), r.height() == 0 ? null : r.height(),
                        r.width() == 0 ? null : r.width(), r.label() < 0 ? null : r.label()));
        return new Ingest.Spec<>("decode", FILES_PER_TASK,
                conf -> new DecodeFn(conf, s.fits(), s.preprocess(), inFlight, tasks), shape,
                Dl4jSparkTrainer.storageLevel(s.training().storageLevel()), outcomes);
    }

    /** listing.files-in-flight, where 0 means: several for object stores (latency to hide), one for disks. */
    public static int filesInFlight(PipelineSettings s) {
        int n = s.listing().filesInFlight();
        if (n > 0) {
            return n;
        }
        return HadoopFiles.isObjectStore(s.input()) ? 4 : 1;
    }
}
