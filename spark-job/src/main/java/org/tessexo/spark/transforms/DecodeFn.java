package org.tessexo.spark.transforms;

import org.apache.hadoop.fs.FSDataInputStream;
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
import org.tessexo.spark.io.HadoopFiles;
import org.tessexo.spark.io.ListedFile;
import org.tessexo.spark.io.Prefetching;
import org.tessexo.spark.io.SerializableHadoopConf;

import java.io.IOException;
import java.util.Iterator;

/**
 * Executors: reads each listed file through the Hadoop FileSystem, decodes its image HDU and preprocesses it. Every
 * key gives exactly one {@link SampleRow}; nothing thrown by one file reaches Spark (a file that cannot be opened
 * or read is {@code failed} with the reason), so one bad file never fails the task.
 */
public final class DecodeFn implements FlatMapFunction<Iterator<ListedFile>, SampleRow> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(DecodeFn.class);

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
        // One decoder and preprocessor per thread, reusing their buffers: an image is preprocessed before the
        // thread reads the next. With files in flight (object stores), each pool thread has its own.
        ThreadLocal<FitsImageDecoder> decoders = new ThreadLocal<>();
        ThreadLocal<Preprocessor> preprocessors = ThreadLocal.withInitial(() -> new Preprocessor(preprocessSettings));
        java.util.function.Function<ListedFile, SampleRow> one = file -> {
            if (decoders.get() == null) {
                decoders.set(decoderFor(file));
            }
            return decodeOne(file, decoders.get(), preprocessors.get());
        };
        return Prefetching.map(keys, inFlight, "tess-decode", one);
    }

    /**
     * A streaming decoder for the partition's file system (a partition never mixes schemes: one listing). From
     * local disk or HDFS, rows are read a small chunk at a time and converted while still in the cache. From an
     * object store, the image is read in one call, which s3a turns into one ranged GET under the random read
     * policy; small chunks would each cost a request.
     */
    static FitsImageDecoder decoderFor(ListedFile file, DecoderSettings settings) {
        return FitsImageDecoder.streaming(settings, HadoopFiles.isObjectStore(file.path()) ? Integer.MAX_VALUE
                : FitsImageDecoder.LOCAL_CHUNK_BYTES);
    }

    private FitsImageDecoder decoderFor(ListedFile file) {
        return MemoryBudget.ofThisJvm(concurrentTasks, inFlight).apply(decoderFor(file, decoderSettings));
    }

    SampleRow decodeOne(ListedFile file, FitsImageDecoder decoder, Preprocessor preprocessor) {
        String key = file.path();
        if (file.problem() != null) {
            return failed(key, file.problem(), file.detail(), null);
        }
        DecodeResult d;
        Preprocessor.Result p = null;
        long bytes;
        CountingInputStream counted = null;
        try (FSDataInputStream raw = HadoopFiles.open(key, conf.value().get())) {
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
        } catch (IOException | RuntimeException e) {
            HadoopFiles.ReadFailure f = HadoopFiles.ReadFailure.of(e);
            return failed(key, f.reason(), f.detail(), counted);
        } catch (OutOfMemoryError e) {
            // A backstop only: the decoder bounds its allocations before making them (MemoryBudget). What one
            // file allocated is garbage now; the run goes on.
            return failed(key, HadoopFiles.OUT_OF_MEMORY, e.getMessage() + " (raise the executor memory, or lower"
                    + " listing.files-in-flight)", counted);
        }
        if (d.outcome() != Outcome.IMAGE) {
            return new SampleRow(key, d.outcome(), d.reason(), d.detail(), d.hdu(), d.height(), d.width(), bytes,
                    null, -1);
        }
        if (!p.ok()) {
            return new SampleRow(key, Outcome.SKIPPED, p.reason(), "HDU " + d.hdu(), d.hdu(), d.height(),
                    d.width(), bytes, null, -1);
        }
        return new SampleRow(key, Outcome.IMAGE, "", d.detail(), d.hdu(), d.height(), d.width(), bytes,
                p.values(), -1);
    }

    private static SampleRow failed(String key, String reason, String detail, CountingInputStream counted) {
        LOG.warn("{}: {}: {}", key, reason, detail);
        return new SampleRow(key, Outcome.FAILED, reason, detail, -1, 0, 0,
                counted == null ? 0 : counted.count(), null, -1);
    }
}
