package org.tessexo.spark.transforms;

import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.spark.api.java.function.PairFlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tessexo.common.config.PipelineSettings;
import org.tessexo.common.fits.DecodeResult;
import org.tessexo.common.fits.DecodedImage;
import org.tessexo.common.fits.DecoderSettings;
import org.tessexo.common.fits.FitsImageDecoder;
import org.tessexo.common.fits.Outcome;
import org.tessexo.common.photometry.FrameInfo;
import org.tessexo.common.photometry.FramePhotometry;
import org.tessexo.spark.io.HadoopFiles;
import org.tessexo.spark.io.SerializableHadoopConf;
import scala.Tuple2;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Executors: every star of a frame's CCD measured on the frame, one frame at a time (its pixels streamed into one
 * buffer the task reuses), each measurement keyed by its star ({@link #key}) for the corner turn. A frame that
 * cannot be read now (it could when its headers were) gives one record under {@link #FAILED} with its time, and the
 * reason in the executor's log; it never fails the task.
 */
public final class PhotometryFn implements PairFlatMapFunction<Iterator<FrameRow>, Long, Cadence> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(PhotometryFn.class);
    /** The key of a frame that could not be measured. */
    public static final long FAILED = Long.MIN_VALUE;

    private final Broadcast<SerializableHadoopConf> conf;
    private final Broadcast<List<StarField>> fields;
    private final DecoderSettings decoder;
    private final PipelineSettings.Photometry settings;

    public PhotometryFn(Broadcast<SerializableHadoopConf> conf, Broadcast<List<StarField>> fields,
                        DecoderSettings decoder, PipelineSettings.Photometry settings) {
        this.conf = conf;
        this.fields = fields;
        this.decoder = decoder;
        this.settings = settings;
    }

    /** A light curve's key: its group's index, then its star's. */
    public static long key(int group, int star) {
        return ((long) group << 32) | (star & 0xffffffffL);
    }

    public static int group(long key) {
        return (int) (key >>> 32);
    }

    public static int star(long key) {
        return (int) key;
    }

    @Override
    public Iterator<Tuple2<Long, Cadence>> call(Iterator<FrameRow> frames) {
        Map<String, FramePhotometry> byGroup = new HashMap<>();
        float[][] buffer = {new float[0]};
        return new FlatIterator(frames, f -> measure(f, byGroup, buffer));
    }

    private List<Tuple2<Long, Cadence>> measure(FrameRow f, Map<String, FramePhotometry> byGroup, float[][] buffer) {
        FrameInfo info = f.info();
        StarField field = fields.value().stream().filter(g -> g.group().equals(info.group())).findFirst()
                .orElse(null);
        if (field == null || field.stars().isEmpty()) {
            return List.of();
        }
        FramePhotometry phot = byGroup.computeIfAbsent(info.group(), g -> new FramePhotometry(field.stars(),
                field.reference().height(), field.reference().width(), field.reference().region(),
                settings.annulusGap(), settings.annulusWidth()));
        if (info.height() != field.reference().height() || info.width() != field.reference().width()) {
            return failed(f, "frame of " + info.height() + " x " + info.width() + ", its CCD's reference is "
                    + field.reference().height() + " x " + field.reference().width());
        }
        int h = info.height();
        int w = info.width();
        try (FSDataInputStream in = HadoopFiles.open(f.path(), conf.value().get())) {
            FitsImageDecoder d = FitsImageDecoder.streaming(decoder, HadoopFiles.isObjectStore(f.path())
                    ? Integer.MAX_VALUE : FitsImageDecoder.LOCAL_CHUNK_BYTES);
            DecodeResult r = d.decode(in, f.length());
            if (r.outcome() != Outcome.IMAGE) {
                return failed(f, r.fullReason());
            }
            DecodedImage img = r.image();
            if (buffer[0].length != h * w) {
                buffer[0] = new float[h * w];
            }
            for (int y = 0; y < h; y++) {
                img.readRow(y, 0, w, buffer[0], y * w);
            }
        } catch (IOException | RuntimeException e) {
            HadoopFiles.ReadFailure rf = HadoopFiles.ReadFailure.of(e);
            return failed(f, rf.reason() + ": " + rf.detail());
        } catch (OutOfMemoryError e) {
            return failed(f, HadoopFiles.OUT_OF_MEMORY + ": " + e.getMessage());
        }
        FramePhotometry.Measures m = phot.measure(buffer[0], info.exposureSeconds());
        double t = info.midBtjd();
        List<Tuple2<Long, Cadence>> out = new ArrayList<>(m.flux().length);
        for (int s = 0; s < m.flux().length; s++) {
            out.add(new Tuple2<>(key(field.index(), s), new Cadence(t, m.flux()[s], m.error()[s],
                    m.background()[s], m.centroidX()[s], m.centroidY()[s], info.quality(), (float) m.offsetX(),
                    (float) m.offsetY())));
        }
        return out;
    }

    private static List<Tuple2<Long, Cadence>> failed(FrameRow f, String why) {
        LOG.warn("{}: not measured: {}", f.path(), why);
        return List.of(new Tuple2<>(FAILED, new Cadence(f.info().midBtjd(), Float.NaN, Float.NaN, Float.NaN,
                Float.NaN, Float.NaN, f.info().quality(), Float.NaN, Float.NaN)));
    }

    /** The frames' records one frame at a time: a partition's frames are never all held. */
    private static final class FlatIterator implements Iterator<Tuple2<Long, Cadence>> {
        private final Iterator<FrameRow> frames;
        private final java.util.function.Function<FrameRow, List<Tuple2<Long, Cadence>>> each;
        private Iterator<Tuple2<Long, Cadence>> current = java.util.Collections.emptyIterator();

        FlatIterator(Iterator<FrameRow> frames,
                     java.util.function.Function<FrameRow, List<Tuple2<Long, Cadence>>> each) {
            this.frames = frames;
            this.each = each;
        }

        @Override
        public boolean hasNext() {
            while (!current.hasNext() && frames.hasNext()) {
                current = each.apply(frames.next()).iterator();
            }
            return current.hasNext();
        }

        @Override
        public Tuple2<Long, Cadence> next() {
            if (!hasNext()) {
                throw new java.util.NoSuchElementException();
            }
            return current.next();
        }
    }
}
