package org.tessexo.spark.transforms;

import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tessexo.common.fits.MemoryBudget;
import org.tessexo.common.fits.Outcome;
import org.tessexo.common.lightcurve.LightCurveReader;
import org.tessexo.common.lightcurve.TransitSearch;
import org.tessexo.spark.io.HadoopFiles;
import org.tessexo.spark.io.ListedFile;
import org.tessexo.spark.io.Prefetching;
import org.tessexo.spark.io.SerializableHadoopConf;

import java.io.IOException;
import java.util.Iterator;
import java.util.List;

/**
 * Executors: reads each listed file (a light curve, a target pixel file or a cutout) and runs the transit search on
 * it. Every file gives exactly one {@link SearchRow}; nothing one file throws reaches Spark.
 */
public final class SearchFn implements FlatMapFunction<Iterator<ListedFile>, SearchRow> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(SearchFn.class);
    public static final String TOO_LARGE = "file larger than fits.max-image-bytes";

    private final Broadcast<SerializableHadoopConf> conf;
    private final String fluxColumn;
    private final TransitSearch.Settings settings;
    private final long maxBytes;
    private final int concurrentTasks;
    /**
     * Memory a light curve takes while it is read, as a multiple of the file's size: its bytes, nom-tam-fits'
     * column arrays, and the doubles the search works on (a target pixel file's cube is summed per cadence).
     */
    static final int MEMORY_PER_FILE_BYTE = 4;

    /**
     * @param maxBytes        a file larger than this is skipped unread (fits.max-image-bytes)
     * @param concurrentTasks tasks at once in one executor JVM, for the memory budget ({@link MemoryBudget}); 0 or
     *                        less: the executor's processor count
     */
    public SearchFn(Broadcast<SerializableHadoopConf> conf, String fluxColumn, TransitSearch.Settings settings,
                    long maxBytes, int concurrentTasks) {
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
        return Prefetching.map(files, 1, "tess-search", file -> searchOne(file, reader, search, budget));
    }

    SearchRow searchOne(ListedFile file, LightCurveReader reader, TransitSearch search, MemoryBudget budget) {
        String key = file.path();
        if (file.problem() != null) {
            return row(key, Outcome.FAILED, file.problem(), file.detail(), 0);
        }
        if (file.length() > maxBytes) {
            return row(key, Outcome.SKIPPED, TOO_LARGE, file.length() + " bytes", 0);
        }
        if (file.length() * MEMORY_PER_FILE_BYTE > budget.perFile()) { // bounded before reading a byte
            return row(key, Outcome.SKIPPED, TOO_LARGE, file.length() + " bytes need about "
                    + file.length() * MEMORY_PER_FILE_BYTE + " bytes of memory to search, more than the "
                    + budget.perFile() + " one file may take here (" + budget.note() + ")", 0);
        }
        byte[] bytes;
        try {
            bytes = HadoopFiles.readAll(key, conf.value().get());
        } catch (OutOfMemoryError e) {
            return row(key, Outcome.FAILED, HadoopFiles.OUT_OF_MEMORY, e.getMessage(), 0);
        } catch (IOException | RuntimeException e) {
            HadoopFiles.ReadFailure f = HadoopFiles.ReadFailure.of(e);
            LOG.warn("{}: {}: {}", key, f.reason(), f.detail());
            return row(key, Outcome.FAILED, f.reason(), f.detail(), 0);
        }
        try {
            LightCurveReader.Result lc = reader.read(bytes, key);
            if (!lc.ok()) {
                Outcome o = LightCurveReader.UNREADABLE.equals(lc.reason()) ? Outcome.FAILED : Outcome.SKIPPED;
                return row(key, o, lc.reason(), lc.detail(), bytes.length);
            }
            TransitSearch.Result r = search.search(lc.lightCurve());
            // What was done to the data or the search (a time conversion, a sort, a capped grid), in the detail.
            String notes = join(lc.detail(), r.notes());
            if (!r.ok()) {
                return new SearchRow(key, Outcome.SKIPPED, r.reason(), join(r.detrended().size()
                        + " cadences", notes), lc.lightCurve().target(), r.detrended().size(), bytes.length,
                        List.of(), List.of());
            }
            return new SearchRow(key, Outcome.SEARCHED, "", notes, lc.lightCurve().target(),
                    r.detrended().size(), bytes.length, r.signals(), r.events());
        } catch (RuntimeException e) {
            LOG.warn("{}: search failed", key, e);
            return row(key, Outcome.FAILED, "search error", e.getClass().getSimpleName() + ": " + e.getMessage(),
                    bytes.length);
        } catch (OutOfMemoryError e) {
            // A backstop: the file's size was checked before reading; its tables may still decode larger.
            return row(key, Outcome.FAILED, HadoopFiles.OUT_OF_MEMORY, e.getMessage() + " (raise the executor"
                    + " memory)", bytes.length);
        }
    }

    private static String join(String a, String b) {
        return a.isEmpty() ? b : b.isEmpty() ? a : a + "; " + b;
    }

    private static SearchRow row(String key, Outcome o, String reason, String detail, long bytes) {
        return new SearchRow(key, o, reason, detail, null, 0, bytes, List.of(), List.of());
    }
}
