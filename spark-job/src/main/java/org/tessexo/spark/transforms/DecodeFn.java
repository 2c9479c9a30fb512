package org.tessexo.spark.transforms;

import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.tessexo.common.fits.DecodeResult;
import org.tessexo.common.fits.DecoderSettings;
import org.tessexo.common.fits.FitsImageDecoder;
import org.tessexo.common.fits.Outcome;
import org.tessexo.common.image.PreprocessSettings;
import org.tessexo.common.image.Preprocessor;
import org.tessexo.spark.io.CountingInputStream;
import org.tessexo.spark.io.SerializableHadoopConf;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.util.Iterator;

/**
 * Executors: reads each listed file through the Hadoop FileSystem, decodes its image HDU and preprocesses it. Every
 * key gives exactly one {@link SampleRow}; nothing thrown by one file reaches Spark (a file that cannot be opened
 * or read is {@code failed} with the reason), so one bad file never fails the task.
 */
public final class DecodeFn implements FlatMapFunction<Iterator<String>, SampleRow> {
    private static final long serialVersionUID = 1L;
    public static final String READ_ERROR = "read error";

    private final Broadcast<SerializableHadoopConf> conf;
    private final DecoderSettings decoderSettings;
    private final PreprocessSettings preprocessSettings;

    public DecodeFn(Broadcast<SerializableHadoopConf> conf, DecoderSettings decoder, PreprocessSettings preprocess) {
        this.conf = conf;
        this.decoderSettings = decoder;
        this.preprocessSettings = preprocess;
    }

    @Override
    public Iterator<SampleRow> call(Iterator<String> keys) {
        FitsImageDecoder decoder = new FitsImageDecoder(decoderSettings);
        Preprocessor preprocessor = new Preprocessor(preprocessSettings);
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return keys.hasNext();
            }

            @Override
            public SampleRow next() {
                return decodeOne(keys.next(), decoder, preprocessor);
            }
        };
    }

    SampleRow decodeOne(String key, FitsImageDecoder decoder, Preprocessor preprocessor) {
        Path path = new Path(key);
        DecodeResult d;
        long bytes = 0;
        try {
            FileSystem fs = path.getFileSystem(conf.value().get());
            try (FSDataInputStream raw = fs.open(path);
                 CountingInputStream counted = new CountingInputStream(raw)) {
                d = decoder.decode(new BufferedInputStream(counted, 1 << 20));
                bytes = counted.count();
            }
        } catch (IOException | RuntimeException e) {
            return new SampleRow(key, Outcome.FAILED.label(), READ_ERROR,
                    e.getClass().getSimpleName() + ": " + e.getMessage(), -1, 0, 0, bytes, null, -1);
        }
        if (d.outcome() != Outcome.IMAGE) {
            return new SampleRow(key, d.outcome().label(), d.reason(), d.detail(), d.hdu(), d.height(), d.width(),
                    bytes, null, -1);
        }
        Preprocessor.Result p = preprocessor.apply(d.image());
        if (!p.ok()) {
            return new SampleRow(key, Outcome.SKIPPED.label(), p.reason(), "HDU " + d.hdu(), d.hdu(), d.height(),
                    d.width(), bytes, null, -1);
        }
        return new SampleRow(key, Outcome.IMAGE.label(), "", "", d.hdu(), d.height(), d.width(), bytes, p.values(), -1);
    }
}
