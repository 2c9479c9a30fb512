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
import org.tessexo.common.lightcurve.PixelCubes;
import org.tessexo.common.photometry.FrameInfo;
import org.tessexo.spark.io.CountingInputStream;
import org.tessexo.spark.io.HadoopFiles;
import org.tessexo.spark.io.ListedFile;
import org.tessexo.spark.io.Prefetching;
import org.tessexo.spark.io.SerializableHadoopConf;

import java.io.IOException;
import java.util.Iterator;

/**
 * Executors, the first pass of {@code photometry}: each file's headers up to its image HDU (the pixels are not
 * read), the frame's CCD, time, quality and WCS. A file that is no frame may be a pixel cube around one star
 * (TESScut, target pixel file, TGLC: {@link PixelCubes}); anything else is skipped with its reason, and a file that
 * cannot be read failed. One row per listed file.
 */
public final class FrameHeaderFn implements FlatMapFunction<Iterator<ListedFile>, FrameRow> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(FrameHeaderFn.class);

    private final Broadcast<SerializableHadoopConf> conf;
    private final DecoderSettings settings;
    private final int inFlight;

    public FrameHeaderFn(Broadcast<SerializableHadoopConf> conf, DecoderSettings settings, int inFlight) {
        this.conf = conf;
        this.settings = settings;
        this.inFlight = Math.max(1, inFlight);
    }

    @Override
    public Iterator<FrameRow> call(Iterator<ListedFile> files) {
        return Prefetching.map(files, inFlight, "tess-frame-headers", this::one);
    }

    /** Null when the file is a pixel cube (read whole, within the memory a file may take), else why not. */
    private String cube(ListedFile file) throws IOException {
        long budget = MemoryBudget.ofThisJvm(0, inFlight).perFile();
        if (file.length() < 0 || 2 * file.length() > budget) {
            return "not read as a pixel cube (" + file.length() + " bytes, " + budget + " a file may take)";
        }
        byte[] bytes = HadoopFiles.readAll(file.path(), conf.value().get());
        PixelCubes.Cube c = PixelCubes.read(bytes, file.path());
        return c.ok() ? null : "no pixel cube: " + c.reason() + (c.detail().isEmpty() ? "" : " (" + c.detail() + ")");
    }

    FrameRow one(ListedFile file) {
        String key = file.path();
        if (file.problem() != null) {
            return FrameRow.failed(key, file.length(), Outcome.FAILED, file.problem(), file.detail(), 0);
        }
        CountingInputStream counted = null;
        try (FSDataInputStream raw = HadoopFiles.open(key, conf.value().get())) {
            counted = new CountingInputStream(raw);
            // a streaming decoder reads the headers and stops before the pixels
            DecodeResult d = FitsImageDecoder.streaming(settings, FitsImageDecoder.LOCAL_CHUNK_BYTES)
                    .decode(counted, file.length());
            FrameInfo.Parsed f = d.outcome() == Outcome.IMAGE ? FrameInfo.of(d.image(), key) : null;
            if (f != null && f.info() != null) {
                return new FrameRow(key, file.length(), Outcome.IMAGE, "", "", counted.count(), d.hdu(), d.height(),
                        d.width(), f.info(), false);
            }
            // no frame: perhaps a stack of pixels around one star (a file that is no FITS at all is not tried)
            String notCube = d.outcome() == Outcome.FAILED ? "not FITS" : cube(file);
            if (notCube == null) {
                return new FrameRow(key, file.length(), Outcome.IMAGE, "", "pixel cube", counted.count(), d.hdu(),
                        d.height(), d.width(), null, true);
            }
            if (f == null) {
                return new FrameRow(key, file.length(), d.outcome(), d.reason(), d.detail(), counted.count(),
                        d.hdu(), d.height(), d.width(), null, false);
            }
            return new FrameRow(key, file.length(), Outcome.SKIPPED, f.reason(), f.detail() + "; " + notCube,
                    counted.count(), d.hdu(), d.height(), d.width(), null, false);
        } catch (IOException | RuntimeException e) {
            HadoopFiles.ReadFailure f = HadoopFiles.ReadFailure.of(e);
            LOG.warn("{}: {}: {}", key, f.reason(), f.detail());
            return FrameRow.failed(key, file.length(), Outcome.FAILED, f.reason(), f.detail(),
                    counted == null ? 0 : counted.count());
        }
    }
}
