package org.tessexo.spark.transforms;

import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.broadcast.Broadcast;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tessexo.common.config.PipelineSettings;
import org.tessexo.common.fits.DecodeResult;
import org.tessexo.common.fits.DecodedImage;
import org.tessexo.common.fits.DecoderSettings;
import org.tessexo.common.fits.FitsImageDecoder;
import org.tessexo.common.fits.Outcome;
import org.tessexo.common.photometry.Crowding;
import org.tessexo.common.photometry.FramePhotometry;
import org.tessexo.common.photometry.FrameInfo;
import org.tessexo.common.photometry.MedianStack;
import org.tessexo.common.photometry.ReferenceFigure;
import org.tessexo.common.photometry.Star;
import org.tessexo.common.photometry.StarFinder;
import org.tessexo.common.photometry.Wcs;
import org.tessexo.spark.io.HadoopFiles;
import org.tessexo.spark.io.SerializableHadoopConf;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Executors: one CCD's reference image and its stars. The group's reference frames are opened together and read
 * row by row in step (one row of each held at a time from local files; object stores read each image in one
 * request), combined by median ({@link MedianStack}); stars are found on it ({@link StarFinder}) or, with a
 * targets table, placed through the WCS of the first reference frame (the stars found on it that the table leaves
 * out then count as neighbours: their light is in the targets' apertures); each star's aperture is sized on it.
 */
public final class ReferenceFn implements Function<ReferenceFn.Group, StarField> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ReferenceFn.class);

    /** The reference figure's longest side, pixels. */
    static final int FIGURE_SIDE = 1024;

    private final Broadcast<SerializableHadoopConf> conf;
    private final DecoderSettings decoder;
    private final PipelineSettings.Photometry settings;

    /**
     * A group to make a reference of.
     *
     * @param paths   its reference frames
     * @param lengths their sizes as listed (-1 when not known)
     * @param targets catalog stars (id, tic, ra, dec, mag; x, y unset) or null to find the stars
     */
    public record Group(int index, String group, List<String> paths, List<Long> lengths, List<Star> targets)
            implements java.io.Serializable {
    }

    public ReferenceFn(Broadcast<SerializableHadoopConf> conf, DecoderSettings decoder,
                       PipelineSettings.Photometry settings) {
        this.conf = conf;
        this.decoder = decoder;
        this.settings = settings;
    }

    @Override
    public StarField call(Group g) {
        List<FSDataInputStream> open = new ArrayList<>();
        try {
            List<DecodedImage> frames = new ArrayList<>();
            FrameInfo first = null;
            List<String> problems = new ArrayList<>();
            for (int k = 0; k < g.paths().size(); k++) {
                String path = g.paths().get(k);
                FSDataInputStream in = HadoopFiles.open(path, conf.value().get());
                open.add(in);
                FitsImageDecoder d = FitsImageDecoder.streaming(decoder, HadoopFiles.isObjectStore(path)
                        ? Integer.MAX_VALUE : FitsImageDecoder.LOCAL_CHUNK_BYTES);
                DecodeResult r = d.decode(in, g.lengths().get(k));
                if (r.outcome() != Outcome.IMAGE) {
                    problems.add(path + ": " + r.fullReason());
                    continue;
                }
                if (first == null) {
                    first = FrameInfo.of(r.image(), path).info();
                }
                frames.add(r.image());
            }
            if (frames.isEmpty() || first == null) {
                return StarField.failed(g.index(), g.group(), "no reference frame could be read: " + problems);
            }
            MedianStack.Result ref = MedianStack.of(frames);
            List<Star> stars = g.targets() == null ? found(ref, first) : placed(g.targets(), first);
            if (stars.isEmpty()) {
                return StarField.failed(g.index(), g.group(), g.targets() == null
                        ? "no star stands " + settings.detectSigma() + " noises above the sky on the reference"
                        : "none of the " + g.targets().size() + " targets falls on this CCD's science region");
            }
            // a targets table leaves stars out; their light is in the targets' apertures all the same
            List<Star> unlisted = g.targets() == null ? List.of()
                    : Crowding.unlisted(stars, found(ref, first), settings.minSeparation());
            FramePhotometry.Sized sized = FramePhotometry.sizeApertures(stars, unlisted, ref, first.region(),
                    settings.radii(), settings.annulusGap(), settings.annulusWidth(), first.exposureSeconds());
            stars = sized.stars();
            LOG.info("{}: reference of {} frames, single-frame noise {}, {} stars{}, PSF width {} px{}", g.group(),
                    frames.size(), String.format(Locale.ROOT, "%.3g", ref.frameNoise()), stars.size(),
                    g.targets() == null ? "" : " (and " + unlisted.size() + " found on the reference that the targets"
                            + " table leaves out, counted as neighbours)",
                    String.format(Locale.ROOT, "%.2f", sized.psfSigma()), Double.isNaN(sized.psfSigma())
                            ? " (no isolated bright star to fit it on: apertures sized without a crowding model)" : "");
            double readVariance = FramePhotometry.readVariance(ref.frameNoise(), StarFinder.sky(ref, first.region()),
                    first.exposureSeconds());
            return new StarField(g.index(), g.group(), first, stars, frames.size(), ref.frameNoise(), readVariance,
                    ReferenceFigure.png(ref, stars, FIGURE_SIDE), "");
        } catch (IOException | RuntimeException e) {
            HadoopFiles.ReadFailure f = HadoopFiles.ReadFailure.of(e);
            return StarField.failed(g.index(), g.group(), f.reason() + ": " + f.detail());
        } catch (OutOfMemoryError e) {
            return StarField.failed(g.index(), g.group(), HadoopFiles.OUT_OF_MEMORY + ": " + e.getMessage()
                    + " (lower tess.photometry.reference-frames or raise the executor memory)");
        } finally {
            for (FSDataInputStream in : open) {
                try {
                    in.close();
                } catch (IOException e) {
                    LOG.warn("closing a reference frame of {}: {}", g.group(), e.toString());
                }
            }
        }
    }

    private List<Star> found(MedianStack.Result ref, FrameInfo info) {
        List<StarFinder.Peak> peaks = StarFinder.find(ref, info.region(), settings.detectSigma(), settings.maxStars(),
                settings.minSeparation(), settings.edge());
        List<Star> stars = new ArrayList<>();
        Wcs wcs = info.wcs();
        for (int i = 0; i < peaks.size(); i++) {
            StarFinder.Peak p = peaks.get(i);
            double[] sky = wcs.pixelToSky(p.x(), p.y());
            // named by CCD and position, so that the same star keeps its name from run to run
            String id = String.format(Locale.ROOT, "%s_%07.3f%+08.3f", info.group(), sky[0], sky[1]);
            stars.add(new Star(id, 0, sky[0], sky[1], p.x(), p.y(), Double.NaN, p.flux(), 0));
        }
        return stars;
    }

    private List<Star> placed(List<Star> targets, FrameInfo info) {
        int edge = settings.edge();
        var r = info.region();
        List<Star> out = new ArrayList<>();
        for (Star t : targets) {
            double[] px = info.wcs().skyToPixel(t.ra(), t.dec());
            if (px[0] >= r.colStart() - 1 + edge && px[0] <= r.colEnd() - 1 - edge
                    && px[1] >= r.rowStart() - 1 + edge && px[1] <= r.rowEnd() - 1 - edge) {
                out.add(new Star(t.id(), t.tic(), t.ra(), t.dec(), px[0], px[1], t.mag(), Double.NaN, 0));
            }
        }
        // the brightest first when a magnitude is known, as the finder orders its stars
        out.sort(java.util.Comparator.comparingDouble(s -> Double.isNaN(s.mag()) ? 99 : s.mag()));
        return out.size() > settings.maxStars() ? out.subList(0, settings.maxStars()) : out;
    }
}
