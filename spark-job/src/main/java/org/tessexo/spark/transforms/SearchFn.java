package org.tessexo.spark.transforms;

import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tessexo.common.fits.MemoryBudget;
import org.tessexo.common.fits.Outcome;
import org.tessexo.common.lightcurve.LightCurve;
import org.tessexo.common.lightcurve.LightCurveReader;
import org.tessexo.common.lightcurve.TransitSearch;
import org.tessexo.common.vetting.SignalViews;
import org.tessexo.common.vetting.Verdict;
import org.tessexo.common.vetting.Vetter;
import org.tessexo.spark.io.HadoopFiles;
import org.tessexo.spark.io.ListedFile;
import org.tessexo.spark.io.Prefetching;
import org.tessexo.spark.io.SerializableHadoopConf;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Executors: reads each listed file (a light curve, a target pixel file or a cutout) and runs the transit search on
 * it. Every file gives exactly one {@link SearchRow}; nothing one file throws reaches Spark.
 */
public final class SearchFn implements FlatMapFunction<Iterator<ListedFile>, SearchRow> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(SearchFn.class);
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
        TransitSearch search = new TransitSearch(settings);
        MemoryBudget budget = MemoryBudget.ofThisJvm(concurrentTasks, 1);
        return Prefetching.map(LightCurveFiles.reads(files, conf.value().get(), reader, budget, maxBytes), 1,
                "tess-search", read -> searchOne(read, search));
    }

    SearchRow searchOne(LightCurveFiles.Read read, TransitSearch search) {
        String key = read.path();
        if (read.lightCurve() == null) {
            return row(key, read.outcome(), read.reason(), read.detail(), read.bytes());
        }
        LightCurve lc = read.lightCurve();
        try {
            TransitSearch.Result r = search.search(lc);
            // What was done to the data or the search (a time conversion, a sort, a capped grid), in the detail.
            String notes = join(read.notes(), r.notes());
            if (!r.ok()) {
                return new SearchRow(key, Outcome.SKIPPED, r.reason(), join(r.detrended().size()
                        + " cadences", notes), lc.target(), r.detrended().size(), read.bytes(),
                        List.of(), List.of(), List.of());
            }
            return new SearchRow(key, Outcome.SEARCHED, "", notes, lc.target(), r.detrended().size(), read.bytes(),
                    r.signals(), vet(r), r.events());
        } catch (RuntimeException e) {
            LOG.warn("{}: search failed", key, e);
            return row(key, Outcome.FAILED, "search error", e.getClass().getSimpleName() + ": " + e.getMessage(),
                    read.bytes());
        } catch (OutOfMemoryError e) {
            // A backstop: the file's size was checked before reading; its tables may still decode larger.
            return row(key, Outcome.FAILED, HadoopFiles.OUT_OF_MEMORY, e.getMessage() + " (raise the executor"
                    + " memory)", read.bytes());
        }
    }

    private static String join(String a, String b) {
        return a.isEmpty() ? b : b.isEmpty() ? a : a + "; " + b;
    }

    private static SearchRow row(String key, Outcome o, String reason, String detail, long bytes) {
        return new SearchRow(key, o, reason, detail, null, 0, bytes, List.of(), List.of(), List.of());
    }

    /** Each signal's views, scored by the vetter when there is one. */
    private List<Verdict> vet(TransitSearch.Result r) {
        List<SignalViews.Views> views = new ArrayList<>();
        for (TransitSearch.Signal g : r.signals()) {
            views.add(SignalViews.of(r.forViews(), g));
        }
        List<Verdict> out = new ArrayList<>();
        if (vetter == null) {
            views.forEach(v -> out.add(Verdict.unscored(v)));
            return out;
        }
        List<Vetter.Score> scores = VetterCache.get(vetter.value()).score(views);
        for (int i = 0; i < views.size(); i++) {
            out.add(Verdict.of(scores.get(i), views.get(i)));
        }
        return out;
    }
}
