package org.tessexo.spark.transforms;

import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tessexo.common.detect.LightCurveSearch;
import org.tessexo.common.fits.MemoryBudget;
import org.tessexo.common.fits.Outcome;
import org.tessexo.common.lightcurve.LightCurveReader;
import org.tessexo.common.lightcurve.TransitSearch;
import org.tessexo.common.vetting.TrainingExamples;
import org.tessexo.spark.io.HadoopFiles;
import org.tessexo.spark.io.ListedFile;
import org.tessexo.spark.io.Prefetching;
import org.tessexo.spark.io.SerializableHadoopConf;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Executors: each listed light curve into training examples ({@link TrainingExamples}: itself when labelled, inverted,
 * with injected planets and binaries; each searched, its signal's views made). The expensive part of
 * {@code train-vetter}, in parallel. Every file gives one {@link ExampleRow}; nothing one file throws reaches Spark.
 */
public final class ExamplesFn implements FlatMapFunction<Iterator<ListedFile>, ExampleRow> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ExamplesFn.class);

    private final Broadcast<SerializableHadoopConf> conf;
    private final String fluxColumn;
    private final TransitSearch.Settings search;
    private final long maxBytes;
    private final int concurrentTasks;
    private final Broadcast<Map<String, TrainingExamples.Known>> known;
    private final TrainingExamples.Plan plan;
    private final long seed;

    public ExamplesFn(Broadcast<SerializableHadoopConf> conf, String fluxColumn, TransitSearch.Settings search,
                      long maxBytes, int concurrentTasks, Broadcast<Map<String, TrainingExamples.Known>> known,
                      TrainingExamples.Plan plan, long seed) {
        this.conf = conf;
        this.fluxColumn = fluxColumn;
        this.search = search;
        this.maxBytes = maxBytes;
        this.concurrentTasks = concurrentTasks;
        this.known = known;
        this.plan = plan;
        this.seed = seed;
    }

    @Override
    public Iterator<ExampleRow> call(Iterator<ListedFile> files) {
        LightCurveReader reader = new LightCurveReader(fluxColumn);
        TransitSearch s = new TransitSearch(search);
        MemoryBudget budget = MemoryBudget.ofThisJvm(concurrentTasks, 1);
        return Prefetching.map(LightCurveFiles.reads(files, conf.value().get(), reader, budget, maxBytes), 1,
                "tess-examples", read -> one(read, s));
    }

    ExampleRow one(LightCurveFiles.Read read, TransitSearch s) {
        String key = read.path();
        if (read.lightCurve() == null) {
            return new ExampleRow(key, read.outcome(), read.reason(), read.detail(), read.bytes(), List.of());
        }
        String name = key.substring(key.lastIndexOf('/') + 1);
        TrainingExamples.Known k = known.value().get(name);
        try {
            // Seeded by the file's name: the same examples wherever and whenever the file is read.
            List<TrainingExamples.Example> examples = TrainingExamples.of(read.lightCurve(), k, plan, s,
                    seed * 31 + name.hashCode());
            if (examples.isEmpty()) {
                return new ExampleRow(key, Outcome.SKIPPED, "no signal found", read.notes(), read.bytes(),
                        List.of());
            }
            return new ExampleRow(key, Outcome.SEARCHED, "", read.notes(), read.bytes(), examples);
        } catch (RuntimeException e) {
            LOG.warn("{}: examples failed", key, e);
            return new ExampleRow(key, Outcome.FAILED, LightCurveSearch.SEARCH_ERROR, e.getClass().getSimpleName()
                    + ": " + e.getMessage(), read.bytes(), List.of());
        } catch (OutOfMemoryError e) {
            return new ExampleRow(key, Outcome.FAILED, HadoopFiles.OUT_OF_MEMORY, e.getMessage()
                    + " (raise the executor memory)", read.bytes(), List.of());
        }
    }
}
