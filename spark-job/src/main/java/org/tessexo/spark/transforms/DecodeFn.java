package org.tessexo.spark.transforms;

import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tessexo.common.fits.DecodeResult;
import org.tessexo.common.fits.DecoderSettings;
import org.tessexo.common.fits.FitsImageDecoder;
import org.tessexo.common.fits.MemoryBudget;
import org.tessexo.common.fits.Outcome;
import org.tessexo.common.image.PreprocessSettings;
import org.tessexo.common.image.Preprocessor;
import org.tessexo.spark.io.CountingInputStream;
import org.tessexo.spark.io.ListedFile;
import org.tessexo.spark.io.SerializableHadoopConf;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.Iterator;

/**
 * Executors: reads each listed file through the Hadoop FileSystem, decodes its image HDU and preprocesses it. Every
 * key gives exactly one {@link SampleRow}; nothing thrown by one file reaches Spark (a file that cannot be opened
 * or read is {@code failed} with the reason), so one bad file never fails the task.
 */
public final class DecodeFn implements FlatMapFunction<Iterator<ListedFile>, SampleRow> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(DecodeFn.class);
    public static final String READ_ERROR = "read error";
    public static final String NOT_FOUND = org.tessexo.spark.io.FitsLister.NOT_FOUND;
    public static final String TIMEOUT = "read timed out";
    public static final String OUT_OF_MEMORY = "out of memory";

    private final Broadcast<SerializableHadoopConf> conf;
    private final DecoderSettings decoderSettings;
    private final PreprocessSettings preprocessSettings;
    private final int inFlight;
    private final int concurrentTasks;

    /**
     * @param inFlight        files read at once in each partition (1 = one after the other, in the task's thread)
     * @param concurrentTasks tasks that run at once in one executor JVM, for the memory budget of a decode
     *                        ({@link MemoryBudget}); 0 or less: the executor's processor count
     */
    public DecodeFn(Broadcast<SerializableHadoopConf> conf, DecoderSettings decoder, PreprocessSettings preprocess,
                    int inFlight, int concurrentTasks) {
        this.conf = conf;
        this.decoderSettings = decoder;
        this.preprocessSettings = preprocess;
        this.inFlight = Math.max(1, inFlight);
        this.concurrentTasks = concurrentTasks;
    }

    @Override
    public Iterator<SampleRow> call(Iterator<ListedFile> keys) {
        if (inFlight > 1) {
            return new InFlight(keys);
        }
        // One decoder per partition, reusing its buffer: each image is preprocessed before the next is read.
        Preprocessor preprocessor = new Preprocessor(preprocessSettings);
        return new Iterator<>() {
            private FitsImageDecoder decoder;

            @Override
            public boolean hasNext() {
                return keys.hasNext();
            }

            @Override
            public SampleRow next() {
                ListedFile file = keys.next();
                if (decoder == null) {
                    decoder = decoderFor(file);
                }
                return decodeOne(file, decoder, preprocessor);
            }
        };
    }

    /**
     * Several files of the partition in flight at once, in a small pool of this task's own, so that an object
     * store's latency (a HEAD and the first byte of a GET per file) is hidden behind other files' transfers and
     * decoding, as the proof of concept's thread pool did. Results come back in the listing's order. Memory stays
     * bounded: each pool thread holds one decoder buffer (for an FFI 256 KB from local disk, 17.75 MB from an
     * object store) and at most {@code inFlight} results
     * wait. The pool ends with the task, also when the task is killed.
     */
    private final class InFlight implements Iterator<SampleRow> {
        private final Iterator<ListedFile> keys;
        private final java.util.ArrayDeque<java.util.concurrent.Future<SampleRow>> window = new java.util.ArrayDeque<>();
        private final java.util.concurrent.ExecutorService pool;
        private final ThreadLocal<FitsImageDecoder> decoders = new ThreadLocal<>();
        private final ThreadLocal<Preprocessor> preprocessors =
                ThreadLocal.withInitial(() -> new Preprocessor(preprocessSettings));

        InFlight(Iterator<ListedFile> keys) {
            this.keys = keys;
            java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
            this.pool = java.util.concurrent.Executors.newFixedThreadPool(inFlight, r -> {
                Thread t = new Thread(r, "tess-decode-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            org.apache.spark.TaskContext task = org.apache.spark.TaskContext.get();
            if (task != null) {
                task.addTaskCompletionListener((org.apache.spark.util.TaskCompletionListener) ctx -> pool.shutdownNow());
            }
        }

        private void fill() {
            while (window.size() < inFlight && keys.hasNext()) {
                ListedFile f = keys.next();
                window.add(pool.submit(() -> {
                    if (decoders.get() == null) {
                        decoders.set(decoderFor(f));
                    }
                    return decodeOne(f, decoders.get(), preprocessors.get());
                }));
            }
            if (window.isEmpty()) {
                pool.shutdown();
            }
        }

        @Override
        public boolean hasNext() {
            fill();
            return !window.isEmpty();
        }

        @Override
        public SampleRow next() {
            fill();
            java.util.concurrent.Future<SampleRow> head = window.poll();
            if (head == null) {
                throw new java.util.NoSuchElementException();
            }
            try {
                return head.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                pool.shutdownNow();
                throw new IllegalStateException("interrupted while decoding", e);
            } catch (java.util.concurrent.ExecutionException e) {
                // decodeOne turns every exception into a failed row: only an Error gets here
                pool.shutdownNow();
                throw new IllegalStateException("decoding failed: " + e.getCause(), e.getCause());
            }
        }
    }

    /**
     * A streaming decoder for the partition's file system (a partition never mixes schemes: one listing). From
     * local disk or HDFS, rows are read a small chunk at a time and converted while still in the cache. From an
     * object store, the image is read in one call, which s3a turns into one ranged GET under the random read
     * policy; small chunks would each cost a request.
     */
    static FitsImageDecoder decoderFor(ListedFile file, DecoderSettings settings) {
        String scheme = new Path(file.path()).toUri().getScheme();
        boolean objectStore = scheme != null && OBJECT_STORES.contains(scheme.toLowerCase(java.util.Locale.ROOT));
        return FitsImageDecoder.streaming(settings,
                objectStore ? Integer.MAX_VALUE : FitsImageDecoder.LOCAL_CHUNK_BYTES);
    }

    private static final java.util.Set<String> OBJECT_STORES =
            java.util.Set.of("s3a", "s3", "s3n", "gs", "abfs", "abfss", "wasb", "wasbs", "oss", "cos", "obs");

    private FitsImageDecoder decoderFor(ListedFile file) {
        return MemoryBudget.ofThisJvm(concurrentTasks, inFlight).apply(decoderFor(file, decoderSettings));
    }

    SampleRow decodeOne(ListedFile file, FitsImageDecoder decoder, Preprocessor preprocessor) {
        String key = file.path();
        if (file.problem() != null) {
            return failed(key, file.problem(), file.detail(), null);
        }
        Path path = new Path(key);
        DecodeResult d;
        Preprocessor.Result p = null;
        long bytes;
        CountingInputStream counted = null;
        try {
            FileSystem fs = path.getFileSystem(conf.value().get());
            if (fs instanceof LocalFileSystem local) {
                fs = local.getRaw(); // no .crc files beside FITS files: skip the checksum layer's small reads
            }
            try (FSDataInputStream raw = fs.open(path)) {
                counted = new CountingInputStream(raw);
                d = decoder.decode(counted, file.length());
                if (d.outcome() == Outcome.IMAGE) {
                    // The decoder streams the image's rows: preprocess while the file is open.
                    p = preprocessor.apply(d.image());
                    d = decoder.verified(d); // fits.verify-checksum: the rest of the data summed, the mode applied
                    if (!d.detail().isEmpty() || d.outcome() != Outcome.IMAGE) {
                        LOG.warn("{}: {}", key, d.fullReason());
                    }
                }
                bytes = counted.count();
            }
        } catch (IOException | RuntimeException e) {
            ReadFailure f = ReadFailure.of(e);
            return failed(key, f.reason(), f.detail(), counted);
        } catch (OutOfMemoryError e) {
            // A backstop only: the decoder bounds its allocations before making them (MemoryBudget). What one
            // file allocated is garbage now; the run goes on.
            return failed(key, OUT_OF_MEMORY, e.getMessage() + " (raise the executor memory, or lower"
                    + " listing.files-in-flight)", counted);
        }
        if (d.outcome() != Outcome.IMAGE) {
            return new SampleRow(key, d.outcome().label(), d.reason(), d.detail(), d.hdu(), d.height(), d.width(),
                    bytes, null, -1);
        }
        if (!p.ok()) {
            return new SampleRow(key, Outcome.SKIPPED.label(), p.reason(), "HDU " + d.hdu(), d.hdu(), d.height(),
                    d.width(), bytes, null, -1);
        }
        return new SampleRow(key, Outcome.IMAGE.label(), "", d.detail(), d.hdu(), d.height(), d.width(), bytes,
                p.values(), -1);
    }

    private static SampleRow failed(String key, String reason, String detail, CountingInputStream counted) {
        LOG.warn("{}: {}: {}", key, reason, detail);
        return new SampleRow(key, Outcome.FAILED.label(), reason, detail, -1, 0, 0,
                counted == null ? 0 : counted.count(), null, -1);
    }

    /** Why reading a listed file failed, by what the stream threw (s3a and Spark wrap the real cause). */
    record ReadFailure(String reason, String detail) {
        static ReadFailure of(Exception e) {
            Throwable cause = e instanceof java.io.UncheckedIOException u ? u.getCause() : e;
            String detail = cause.getClass().getSimpleName() + ": " + cause.getMessage();
            if (hasCause(e, FileNotFoundException.class)) {
                return new ReadFailure(NOT_FOUND, "deleted or moved since it was listed: " + detail);
            }
            if (hasCause(e, InterruptedIOException.class)) {
                return new ReadFailure(TIMEOUT, detail);
            }
            if (hasCause(e, java.io.EOFException.class)) {
                return new ReadFailure(FitsImageDecoder.TRUNCATED, "shorter than when it was listed: " + detail);
            }
            return new ReadFailure(READ_ERROR, detail);
        }
    }

    private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }
}
