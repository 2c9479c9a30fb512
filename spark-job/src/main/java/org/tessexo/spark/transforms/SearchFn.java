package org.tessexo.spark.transforms;

import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.tessexo.common.detect.LightCurveSearch;
import org.tessexo.common.fits.MemoryBudget;
import org.tessexo.common.fits.Outcome;
import org.tessexo.common.lightcurve.LightCurve;
import org.tessexo.common.lightcurve.LightCurveReader;
import org.tessexo.common.lightcurve.TransitSearch;
import org.tessexo.spark.io.ListedFile;
import org.tessexo.spark.io.Prefetching;
import org.tessexo.spark.io.SerializableHadoopConf;

import java.util.Iterator;
import java.util.List;

/**
 * Executors: reads each listed file (a light curve, a target pixel file or a cutout) and runs the transit search on
 * it. Every file gives exactly one {@link SearchRow}; nothing one file throws reaches Spark.
 */
public final class SearchFn implements FlatMapFunction<Iterator<ListedFile>, SearchRow> {
    private static final long serialVersionUID = 1L;
    public static final String TOO_LARGE = LightCurveFiles.TOO_LARGE;

    private final Broadcast<SerializableHadoopConf> conf;
    private final String fluxColumn;
    private final TransitSearch.Settings settings;
    private final long maxBytes;
    private final int concurrentTasks;
    private final Broadcast<byte[]> vetter;

    /**
     * @param maxBytes        a file larger than this is skipped unread (fits.max-image-bytes)
     * @param concurrentTasks tasks at once in one executor JVM, for the memory budget ({@link MemoryBudget}); 0 or
     *                        less: the executor's processor count
     */
    public SearchFn(Broadcast<SerializableHadoopConf> conf, String fluxColumn, TransitSearch.Settings settings,
                    long maxBytes, int concurrentTasks) {
        this(conf, fluxColumn, settings, maxBytes, concurrentTasks, null);
    }

    /** @param vetter the vetter.zip's bytes, broadcast; null: signals are not vetted (their features still are) */
    public SearchFn(Broadcast<SerializableHadoopConf> conf, String fluxColumn, TransitSearch.Settings settings,
                    long maxBytes, int concurrentTasks, Broadcast<byte[]> vetter) {
        this.vetter = vetter;
        this.conf = conf;
        this.fluxColumn = fluxColumn;
        this.settings = settings;
        this.maxBytes = maxBytes;
        this.concurrentTasks = concurrentTasks;
    }

    @Override
    public Iterator<SearchRow> call(Iterator<ListedFile> files) {
        LightCurveReader reader = new LightCurveReader(fluxColumn);
        LightCurveSearch search = new LightCurveSearch(settings,
                vetter == null ? null : () -> VetterCache.get(vetter.value()));
        MemoryBudget budget = MemoryBudget.ofThisJvm(concurrentTasks, 1);
        return Prefetching.map(LightCurveFiles.reads(files, conf.value().get(), reader, budget, maxBytes), 1,
                "tess-search", read -> searchOne(read, search));
    }

    static SearchRow searchOne(LightCurveFiles.Read read, LightCurveSearch search) {
        String key = read.path();
        if (read.lightCurve() == null) {
            return new SearchRow(key, read.outcome(), read.reason(), read.detail(), null, 0, read.bytes(), List.of(),
                    List.of(), List.of());
        }
        LightCurve lc = read.lightCurve();
        LightCurveSearch.Searched s = search.run(lc, read.notes(), key);
        return new SearchRow(key, s.outcome(), s.reason(), s.detail(),
                s.outcome() == Outcome.FAILED ? null : lc.target(), s.cadences(), read.bytes(), s.signals(),
                s.verdicts(), s.events());
    }
}
