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
 * buffer the task reuses). A task gathers its frames' measurements in blocks of up to {@link #blockFrames} frames
 * per CCD and then hands each star its block ({@link CadenceBlock}) keyed by its star ({@link #key}) for the corner
 * turn; a block's memory is bounded ({@link #BLOCK_BYTES}). A frame that cannot be read now (it could when its
 * headers were) is left out of its stars' light curves, with the reason in the executor's log; it never fails
 * the task.
 */
public final class PhotometryFn implements PairFlatMapFunction<Iterator<FrameRow>, Long, CadenceBlock> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(PhotometryFn.class);
    /** The most a task's block of one CCD's measurements holds: about 36 bytes per star and frame. */
    static final long BLOCK_BYTES = 64L << 20;
    static final int MAX_BLOCK_FRAMES = 256;

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

    /** Frames per block for a CCD of this many stars. */
    static int blockFrames(int stars) {
        return (int) Math.max(1, Math.min(MAX_BLOCK_FRAMES, BLOCK_BYTES / (36L * Math.max(1, stars))));
    }

    /**
     * The local file of a frame whose plane may be mapped ({@code photometry.map-local-files}: a {@code file:} path,
     * an unscaled float32 plane, no checksum to verify), else null.
     */
    private java.nio.file.Path mappable(String path, DecodedImage img) {
        if (!settings.mapLocalFiles() || decoder.verifies() || img.float32PlaneOffset() < 0) {
            return null;
        }
        return HadoopFiles.localFile(path);
    }

    /**
     * The pixels the frame's stars and sky need, read from its plane mapped from the file as big-endian floats
     * (FITS' order): only the pages read are brought in, from the page cache, without copying the frame. The mapping
     * is released as soon as the pixels are copied (as Spark releases its own mapped blocks), not at a later
     * garbage collection: a task holds one frame's mapping at a time, and the executor's resident memory does not
     * grow with the frames mapped since the last collection.
     */
    static void gatherMapped(java.nio.file.Path file, long offset, int h, int w, FramePhotometry phot, float[] into)
            throws IOException {
        java.nio.MappedByteBuffer plane;
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file,
                java.nio.file.StandardOpenOption.READ)) {
            plane = ch.map(java.nio.channels.FileChannel.MapMode.READ_ONLY, offset, 4L * h * w);
        }
        try {
            phot.gather(plane.order(java.nio.ByteOrder.BIG_ENDIAN).asFloatBuffer(), into);
        } finally {
            org.apache.spark.storage.StorageUtils.dispose(plane); // nothing reads the plane after this
        }
    }

    @Override
    public Iterator<Tuple2<Long, CadenceBlock>> call(Iterator<FrameRow> frames) {
        return new Blocks(frames);
    }

    /** One CCD's measurements of this task, not yet handed out. */
    private final class Block {
        final StarField field;
        final FramePhotometry phot;
        final int capacity;
        final List<FrameInfo> frames = new ArrayList<>();
        final List<FramePhotometry.Measures> measures = new ArrayList<>();

        Block(StarField field) {
            this.field = field;
            this.phot = PhotometryPlans.get(fields.id(), field.group(), () -> new FramePhotometry(field.stars(),
                    field.reference().height(), field.reference().width(), field.reference().region(),
                    settings.annulusGap(), settings.annulusWidth()).withReadVariance(field.readVariance()));
            this.capacity = blockFrames(field.stars().size());
        }

        /** The block's records, one per star, and the block emptied. */
        List<Tuple2<Long, CadenceBlock>> drain() {
            int n = frames.size();
            List<Tuple2<Long, CadenceBlock>> out = new ArrayList<>(field.stars().size());
            for (int s = 0; s < field.stars().size(); s++) {
                CadenceBlock b = new CadenceBlock(n);
                for (int i = 0; i < n; i++) {
                    FrameInfo f = frames.get(i);
                    FramePhotometry.Measures m = measures.get(i);
                    b.time[i] = f.midBtjd();
                    b.quality[i] = f.quality();
                    b.flux[i] = m.flux()[s];
                    b.error[i] = m.error()[s];
                    b.background[i] = m.background()[s];
                    b.centroidX[i] = m.centroidX()[s];
                    b.centroidY[i] = m.centroidY()[s];
                    b.pointingX[i] = (float) m.offsetX();
                    b.pointingY[i] = (float) m.offsetY();
                }
                out.add(new Tuple2<>(key(field.index(), s), b));
            }
            frames.clear();
            measures.clear();
            return out;
        }
    }

    /** The partition's frames measured one by one, each CCD's block handed out when full and at the end. */
    private final class Blocks implements Iterator<Tuple2<Long, CadenceBlock>> {
        private final Iterator<FrameRow> frames;
        private final Map<String, Block> open = new HashMap<>();
        private Iterator<Tuple2<Long, CadenceBlock>> ready = java.util.Collections.emptyIterator();
        private float[] buffer = new float[0];
        private boolean drained;

        /** This task's CCDs by group, from the broadcast list once per partition. */
        private final Map<String, StarField> byGroup = new HashMap<>();

        Blocks(Iterator<FrameRow> frames) {
            this.frames = frames;
            for (StarField g : fields.value()) {
                byGroup.put(g.group(), g);
            }
        }

        @Override
        public boolean hasNext() {
            while (!ready.hasNext()) {
                if (frames.hasNext()) {
                    Block full = measure(frames.next());
                    if (full != null) {
                        ready = full.drain().iterator();
                    }
                } else if (!drained) {
                    drained = true;
                    List<Tuple2<Long, CadenceBlock>> rest = new ArrayList<>();
                    for (Block b : open.values()) {
                        if (!b.frames.isEmpty()) {
                            rest.addAll(b.drain());
                        }
                    }
                    ready = rest.iterator();
                } else {
                    return false;
                }
            }
            return true;
        }

        @Override
        public Tuple2<Long, CadenceBlock> next() {
            if (!hasNext()) {
                throw new java.util.NoSuchElementException();
            }
            return ready.next();
        }

        /** Measures one frame into its CCD's block; the block when it is full, else null. */
        private Block measure(FrameRow f) {
            FrameInfo info = f.info();
            StarField field = byGroup.get(info.group());
            if (field == null || field.stars().isEmpty()) {
                return null;
            }
            if (info.height() != field.reference().height() || info.width() != field.reference().width()) {
                LOG.warn("{}: not measured: a frame of {} x {}, its CCD's reference is {} x {}", f.path(),
                        info.height(), info.width(), field.reference().height(), field.reference().width());
                return null;
            }
            Block block = open.computeIfAbsent(info.group(), g -> new Block(field));
            int h = info.height();
            int w = info.width();
            try (FSDataInputStream in = HadoopFiles.open(f.path(), conf.value().get())) {
                FitsImageDecoder d = FitsImageDecoder.streaming(decoder, HadoopFiles.isObjectStore(f.path())
                        ? Integer.MAX_VALUE : FitsImageDecoder.LOCAL_CHUNK_BYTES);
                DecodeResult r = d.decode(in, f.length());
                if (r.outcome() != Outcome.IMAGE) {
                    LOG.warn("{}: not measured: {}", f.path(), r.fullReason());
                    return null;
                }
                DecodedImage img = r.image();
                if (buffer.length != h * w) {
                    buffer = new float[h * w];
                }
                java.nio.file.Path local = mappable(f.path(), img);
                if (local != null) {
                    gatherMapped(local, img.float32PlaneOffset(), h, w, block.phot, buffer);
                } else {
                    for (int y = 0; y < h; y++) {
                        img.readRow(y, 0, w, buffer, y * w);
                    }
                }
            } catch (IOException | RuntimeException e) {
                HadoopFiles.ReadFailure rf = HadoopFiles.ReadFailure.of(e);
                LOG.warn("{}: not measured: {}: {}", f.path(), rf.reason(), rf.detail());
                return null;
            } catch (OutOfMemoryError e) {
                LOG.warn("{}: not measured: {}: {}", f.path(), HadoopFiles.OUT_OF_MEMORY, e.getMessage());
                return null;
            } catch (InternalError e) { // a mapped file cut short while it is read (the JVM's SIGBUS)
                LOG.warn("{}: not measured: {}: {}", f.path(), HadoopFiles.TRUNCATED, e.getMessage());
                return null;
            }
            block.frames.add(info);
            block.measures.add(block.phot.measure(buffer, info.exposureSeconds()));
            return block.frames.size() >= block.capacity ? block : null;
        }
    }
}
