package org.tessexo.common.photometry;

import org.tessexo.common.fits.ScienceRegion;
import org.tessexo.common.stats.BinnedMedian;
import org.tessexo.common.stats.RobustStats;

import java.util.ArrayList;
import java.util.List;

/**
 * Aperture photometry of a list of stars on frames of one CCD.
 * <ul>
 *   <li>Aperture: a circle of the star's radius about its reference position, pixels weighted by the fraction of
 *   them inside it (5 x 5 sub-samples), fixed for the sector (pointing jitter moves the star, not the aperture).
 *   {@link #sizeApertures} picks each radius to maximize the CCD equation's signal-to-noise on the reference
 *   image: bright stars get wide apertures, faint ones narrow.</li>
 *   <li>Background: the median of an annulus from {@code gap} to {@code gap + width} pixels beyond the aperture,
 *   per frame (robust to the stars in it), its scatter from the annulus' MAD. Where the frame's sky has a gradient
 *   ({@link SkyGradient}: scattered light), the gradient is taken out of the annulus' pixels first: a plain median
 *   is pulled by it as soon as another star covers part of the annulus (its clean pixels are then mostly on one
 *   side). On an independent sector with 1.7 e-/s per pixel of gradient at the orbits' starts, a neighbour in an
 *   annulus biased a background by 8 e-/s, a 1.4% dip of a 13th-magnitude star each time.</li>
 *   <li>Error: the CCD equation, F / t for the star's shot noise plus the aperture's pixels times the background's
 *   variance, that of the background's estimate included.</li>
 *   <li>Centroid: the first moment of the background-subtracted aperture pixels.</li>
 *   <li>NaN pixels: a frame with a NaN pixel in a star's aperture gives NaN for that star (a missing cadence):
 *   leaving the pixel out, or filling it with the background, would take a piece of the star with it (13% when it is
 *   the core's pixel).</li>
 * </ul>
 */
public final class FramePhotometry {
    static final int SUBSAMPLES = 5;

    private final List<Star> stars;
    private final int[][] pixels;
    /** The aperture pixels' columns and rows (the centroid's weights), kept to spare two divisions a pixel. */
    private final short[][] pixelColumns;
    private final short[][] pixelRows;
    private final float[][] weights;
    private final int[][] annulus;
    /**
     * Per star, each annulus pixel's offset from the pixel nearest the star's centre, (dx, dy) pairs (for the
     * gradient): two bytes a pixel, a CCD of 100,000 stars' annuli in 34 MB.
     */
    private final byte[][] annulusOffsets;
    /** How far an annulus reaches beyond its star's aperture (pixels): gap plus width. */
    private final double annulusReach;
    private final ScienceRegion region;
    private final int width;
    /**
     * The pixels {@link #measure} reads (apertures, annuli, the sky mesh' samples), as sorted, disjoint spans of
     * row-major indices: {@code spans[2k] .. spans[2k+1] - 1}. One span of the whole frame when they cover most of it.
     */
    private final int[] spans;
    /** The read noise and other sky-independent variance of a pixel, e^2 over an exposure; NaN when not known. */
    private double readVariance = Double.NaN;

    /**
     * What one frame gives, per star in the order of the list (NaN where not measured), and the frame's pointing
     * offset: the median shift of its bright stars' centroids from their reference positions (NaN when no star is
     * bright enough), what {@link PointingDecorrelation} corrects the light curves against.
     */
    public record Measures(float[] flux, float[] error, float[] background, float[] centroidX, float[] centroidY,
                           double offsetX, double offsetY) {
    }

    /** Stars measured at this signal-to-noise or better set the frame's pointing offset; at most this many. */
    static final double OFFSET_MIN_SNR = 100;
    static final int OFFSET_STARS = 100;

    public FramePhotometry(List<Star> stars, int height, int width, ScienceRegion region, double gap,
                           double annulusWidth) {
        this.stars = List.copyOf(stars);
        this.width = width;
        int n = stars.size();
        pixels = new int[n][];
        weights = new float[n][];
        annulus = new int[n][];
        annulusOffsets = new byte[n][];
        pixelColumns = new short[n][];
        pixelRows = new short[n][];
        annulusReach = gap + annulusWidth;
        this.region = region;
        if (width > Short.MAX_VALUE || height > Short.MAX_VALUE) {
            throw new IllegalArgumentException("a frame of " + height + " x " + width + ": at most " + Short.MAX_VALUE
                    + " pixels a side");
        }
        for (int i = 0; i < n; i++) {
            Star s = stars.get(i);
            apertureOf(s.x(), s.y(), s.radius(), region, width, pixels, weights, i);
            pixelColumns[i] = new short[pixels[i].length];
            pixelRows[i] = new short[pixels[i].length];
            for (int k = 0; k < pixels[i].length; k++) {
                pixelColumns[i][k] = (short) (pixels[i][k] % width);
                pixelRows[i][k] = (short) (pixels[i][k] / width);
            }
            annulus[i] = ring(s.x(), s.y(), s.radius() + gap, s.radius() + gap + annulusWidth, region, width);
            double outer = s.radius() + annulusReach;
            if (outer > Byte.MAX_VALUE - 1) {
                throw new IllegalArgumentException("an annulus reaching " + outer + " pixels from its star: at"
                        + " most " + (Byte.MAX_VALUE - 1) + " (aperture radius + annulus gap-px + width-px)");
            }
            byte[] off = new byte[2 * annulus[i].length];
            long x0 = Math.round(s.x());
            long y0 = Math.round(s.y());
            for (int k = 0; k < annulus[i].length; k++) {
                off[2 * k] = (byte) (annulus[i][k] % width - x0);
                off[2 * k + 1] = (byte) (annulus[i][k] / width - y0);
            }
            annulusOffsets[i] = off;
        }
        spans = coverage(height, width, region, pixels, annulus);
    }

    /** Spans closer than this many pixels are read as one: a few pixels more cost less than another call. */
    static final int SPAN_GAP = 64;
    /** Beyond this share of the frame, the whole frame is read in one span. */
    static final double WHOLE_FRAME = 0.5;

    private static int[] coverage(int height, int width, ScienceRegion region, int[][] pixels, int[][] annulus) {
        List<int[]> sky = new ArrayList<>();
        SkyGradient.sampleSpans(width, region, sky);
        // each span as (start << 32 | end): sorted as numbers, sorted by start
        long[] parts = new long[sky.size() + 32];
        int count = 0;
        for (int[] p : sky) {
            parts[count++] = (long) p[0] << 32 | p[1];
        }
        for (int[][] lists : new int[][][] {pixels, annulus}) {
            for (int[] list : lists) {
                // a star's pixels, row by row: each row's first to last
                int k = 0;
                while (k < list.length) {
                    int row = list[k] / width;
                    int lo = list[k];
                    int hi = list[k];
                    while (k < list.length && list[k] / width == row) {
                        lo = Math.min(lo, list[k]);
                        hi = Math.max(hi, list[k]);
                        k++;
                    }
                    if (count == parts.length) {
                        parts = java.util.Arrays.copyOf(parts, 2 * count);
                    }
                    parts[count++] = (long) lo << 32 | (hi + 1);
                }
            }
        }
        java.util.Arrays.sort(parts, 0, count);
        int[] out = new int[2 * count];
        int n = 0;
        for (int k = 0; k < count; k++) {
            int lo = (int) (parts[k] >>> 32);
            int hi = (int) parts[k];
            if (n > 0 && lo <= out[n - 1] + SPAN_GAP) {
                out[n - 1] = Math.max(out[n - 1], hi);
            } else {
                out[n++] = lo;
                out[n++] = hi;
            }
        }
        long covered = 0;
        for (int k = 0; k < n; k += 2) {
            covered += out[k + 1] - out[k];
        }
        if (covered > WHOLE_FRAME * height * width) {
            return new int[] {0, height * width};
        }
        return java.util.Arrays.copyOf(out, n);
    }

    /**
     * Copies into {@code into} the pixels {@link #measure} reads, from a frame's plane (row-major, as the FITS file
     * holds it: a big-endian view of the file mapped in memory reads as it converts): only the stars' apertures and
     * annuli and the sky mesh' samples when they are a small part of the frame, else the whole frame. The rest of
     * {@code into} is left as it was, and measure never reads it.
     *
     * @return the pixels copied
     */
    public long gather(java.nio.FloatBuffer plane, float[] into) {
        long copied = 0;
        for (int k = 0; k < spans.length; k += 2) {
            plane.get(spans[k], into, spans[k], spans[k + 1] - spans[k]);
            copied += spans[k + 1] - spans[k];
        }
        return copied;
    }

    public List<Star> stars() {
        return stars;
    }

    /**
     * The pixels' noise from the CCD equation instead of each annulus' scatter: a pixel's variance is (B t + R) /
     * t^2 for a background B (e-/s) over an exposure t, with R what the reference says is left when the sky's shot
     * noise is taken from its single-frame noise ({@link #readVariance(double, double, double)}). Half the work of a
     * frame (one median per star, not two) and no worse: the annulus' MAD is itself a noisy estimate.
     */
    public FramePhotometry withReadVariance(double electrons2) {
        this.readVariance = electrons2;
        return this;
    }

    /** R of {@link #withReadVariance}: single-frame noise (e-/s per pixel) and sky (e-/s) of a reference. */
    public static double readVariance(double frameNoise, double sky, double exposureSeconds) {
        double t = exposureSeconds;
        return Math.max(0, frameNoise * frameNoise * t * t - Math.max(0, sky) * t);
    }

    /** Star i's aperture: its pixels (row-major indices) and their weights, into pixels[i] and weights[i]. */
    static void apertureOf(double cx, double cy, double r, ScienceRegion region, int width, int[][] pixels,
                           float[][] weights, int i) {
        int xa = Math.max(region.colStart() - 1, (int) Math.floor(cx - r - 1));
        int xb = Math.min(region.colEnd() - 1, (int) Math.ceil(cx + r + 1));
        int ya = Math.max(region.rowStart() - 1, (int) Math.floor(cy - r - 1));
        int yb = Math.min(region.rowEnd() - 1, (int) Math.ceil(cy + r + 1));
        int box = Math.max(0, (xb - xa + 1) * (yb - ya + 1));
        int[] in = new int[box];
        float[] wt = new float[box];
        int n = 0;
        double r2 = r * r;
        for (int y = ya; y <= yb; y++) {
            for (int x = xa; x <= xb; x++) {
                // the pixel wholly outside or wholly inside the circle: no sub-samples needed (the same count)
                double nx = Math.max(0, Math.abs(x - cx) - 0.5);
                double ny = Math.max(0, Math.abs(y - cy) - 0.5);
                if (nx * nx + ny * ny > r2) {
                    continue;
                }
                double fx = Math.abs(x - cx) + 0.5;
                double fy = Math.abs(y - cy) + 0.5;
                boolean whole = fx * fx + fy * fy <= r2;
                int inside = whole ? SUBSAMPLES * SUBSAMPLES : 0;
                for (int sy = 0; sy < SUBSAMPLES && !whole; sy++) {
                    double py = y - 0.5 + (sy + 0.5) / SUBSAMPLES - cy;
                    for (int sx = 0; sx < SUBSAMPLES; sx++) {
                        double px = x - 0.5 + (sx + 0.5) / SUBSAMPLES - cx;
                        inside += px * px + py * py <= r2 ? 1 : 0;
                    }
                }
                if (inside > 0) {
                    in[n] = y * width + x;
                    wt[n] = (float) inside / (SUBSAMPLES * SUBSAMPLES);
                    n++;
                }
            }
        }
        pixels[i] = java.util.Arrays.copyOf(in, n);
        weights[i] = java.util.Arrays.copyOf(wt, n);
    }

    private static int[] ring(double cx, double cy, double r0, double r1, ScienceRegion region, int width) {
        int ya = Math.max(region.rowStart() - 1, (int) Math.floor(cy - r1));
        int yb = Math.min(region.rowEnd() - 1, (int) Math.ceil(cy + r1));
        int xa = Math.max(region.colStart() - 1, (int) Math.floor(cx - r1));
        int xb = Math.min(region.colEnd() - 1, (int) Math.ceil(cx + r1));
        int[] out = new int[Math.max(0, (yb - ya + 1) * (xb - xa + 1))];
        int n = 0;
        double lo = r0 * r0;
        double hi = r1 * r1;
        for (int y = ya; y <= yb; y++) {
            double dy = y - cy;
            for (int x = xa; x <= xb; x++) {
                double dx = x - cx;
                double d2 = dx * dx + dy * dy;
                if (d2 >= lo && d2 <= hi) {
                    out[n++] = y * width + x;
                }
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }

    /**
     * Measures every star on one frame.
     *
     * @param img             the frame, row-major, of the size given at construction
     * @param exposureSeconds the frame's exposure (shot noise of a flux in e-/s)
     */
    public Measures measure(float[] img, double exposureSeconds) {
        int n = stars.size();
        float[] flux = new float[n];
        float[] err = new float[n];
        float[] bkg = new float[n];
        float[] cxs = new float[n];
        float[] cys = new float[n];
        double[] ringValues = new double[maxLength(annulus)];
        BinnedMedian median = new BinnedMedian();
        SkyGradient sky = SkyGradient.of(img, width, region);
        double[] g = new double[3];
        for (int i = 0; i < n; i++) {
            int m = 0;
            int[] ring = annulus[i];
            if (sky != null) {
                sky.at(stars.get(i).x(), stars.get(i).y(), g);
            }
            if (sky == null || !tilted(g, stars.get(i).radius() + annulusReach, exposureSeconds)) {
                for (int p : ring) {
                    float v = img[p];
                    if (Float.isFinite(v)) {
                        ringValues[m++] = v;
                    }
                }
            } else {
                // the sky at the star's centre, from each pixel's value less the gradient's rise to it (from the
                // pixel nearest the centre, plus the rise from the centre to that pixel)
                byte[] off = annulusOffsets[i];
                Star st = stars.get(i);
                double toCentre = g[0] * (Math.round(st.x()) - st.x()) + g[1] * (Math.round(st.y()) - st.y());
                for (int k = 0; k < ring.length; k++) {
                    float v = img[ring[k]];
                    if (Float.isFinite(v)) {
                        ringValues[m++] = v - g[0] * off[2 * k] - g[1] * off[2 * k + 1] - toCentre;
                    }
                }
            }
            if (m < 5) {
                flux[i] = err[i] = bkg[i] = cxs[i] = cys[i] = Float.NaN;
                continue;
            }
            double b = median.of(ringValues, m);
            double sigma;
            if (Double.isNaN(readVariance)) {
                for (int k = 0; k < m; k++) {
                    ringValues[k] = Math.abs(ringValues[k] - b);
                }
                sigma = 1.4826 * median.of(ringValues, m);
            } else {
                sigma = Math.sqrt(Math.max(0, b) * exposureSeconds + readVariance) / exposureSeconds;
            }
            double sum = 0;
            double area = 0;
            boolean nan = false;
            double sx = 0;
            double sy = 0;
            double sw = 0;
            int[] pix = pixels[i];
            float[] wt = weights[i];
            short[] col = pixelColumns[i];
            short[] row = pixelRows[i];
            for (int k = 0; k < pix.length; k++) {
                float v = img[pix[k]];
                area += wt[k];
                if (!Float.isFinite(v)) {
                    nan = true;
                    break;
                }
                double f = wt[k] * (v - b);
                sum += f;
                sx += f * col[k];
                sy += f * row[k];
                sw += f;
            }
            if (nan) {
                flux[i] = err[i] = cxs[i] = cys[i] = Float.NaN;
                bkg[i] = (float) b;
                continue;
            }
            double var = Math.max(sum, 0) / exposureSeconds + area * sigma * sigma * (1 + area * Math.PI / (2 * m));
            flux[i] = (float) sum;
            err[i] = (float) Math.sqrt(var);
            bkg[i] = (float) b;
            cxs[i] = sw > 0 ? (float) (sx / sw) : Float.NaN;
            cys[i] = sw > 0 ? (float) (sy / sw) : Float.NaN;
        }
        double[] offset = offset(flux, err, cxs, cys);
        return new Measures(flux, err, bkg, cxs, cys, offset[0], offset[1]);
    }

    /** A gradient whose rise across the annulus is below this many of a pixel's sigmas is left in. */
    static final double TILT_SIGMAS = 0.1;

    /**
     * Whether the sky's gradient {@code g} (d/dx, d/dy, level) rises across an annulus of this outer radius by more
     * than {@link #TILT_SIGMAS} of a pixel's noise (the CCD equation at the sky's level); always, without the read
     * variance. Most frames' gradients are below it: their stars' annuli are taken as they are.
     */
    private boolean tilted(double[] g, double outerRadius, double exposureSeconds) {
        double rise = (Math.abs(g[0]) + Math.abs(g[1])) * outerRadius;
        if (rise == 0) {
            return false;
        }
        if (Double.isNaN(readVariance)) {
            return true;
        }
        double sigma = Math.sqrt(Math.max(0, g[2]) * exposureSeconds + readVariance) / exposureSeconds;
        return rise > TILT_SIGMAS * sigma;
    }

    /** The median centroid shift of the brightest stars that are measured well (the list is brightest first). */
    private double[] offset(float[] flux, float[] err, float[] cx, float[] cy) {
        double[] dx = new double[Math.min(OFFSET_STARS, flux.length)];
        double[] dy = new double[dx.length];
        int n = 0;
        for (int i = 0; i < flux.length && n < dx.length; i++) {
            if (flux[i] > OFFSET_MIN_SNR * err[i] && Float.isFinite(cx[i]) && Float.isFinite(cy[i])) {
                dx[n] = cx[i] - stars.get(i).x();
                dy[n] = cy[i] - stars.get(i).y();
                n++;
            }
        }
        if (n == 0) {
            return new double[] {Double.NaN, Double.NaN};
        }
        return new double[] {RobustStats.median(dx, n), RobustStats.median(dy, n)};
    }

    private static int maxLength(int[][] a) {
        int m = 1;
        for (int[] x : a) {
            m = Math.max(m, x.length);
        }
        return m;
    }

    /**
     * Other stars' light in an aperture counts as noise at this fraction of it (a single frame's): their jitter
     * across the aperture's edge and their own variability, which the light curve would carry.
     */
    static final double CONTAMINATION_NOISE = 0.01;

    /**
     * Each star's aperture radius among {@code radii}: the one of the highest signal-to-noise on the reference image
     * by the CCD equation, (F(r) - C(r)) / sqrt(F(r) / t + N(r) sigma^2 + (k C(r))^2), with F(r) measured there, C(r)
     * the light other stars put in it ({@link Crowding}: a fitted PSF model), k {@link #CONTAMINATION_NOISE} and
     * sigma the single-frame noise per pixel; each star returned with its flux in the chosen aperture and its share
     * of it (crowding). An isolated star's aperture is sized by its own signal-to-noise alone; a star beside a
     * brighter one keeps an aperture that leaves the neighbour out (a neighbour's light would otherwise count as
     * signal and draw the aperture over it).
     */
    public static Sized sizeApertures(List<Star> stars, MedianStack.Result ref, ScienceRegion region,
                                      double[] radii, double gap, double annulusWidth, double exposureSeconds) {
        return sizeApertures(stars, List.of(), ref, region, radii, gap, annulusWidth, exposureSeconds);
    }

    /**
     * The same, among {@code neighbours} that are not measured but whose light the model counts (a targets table's
     * stars among those the reference shows that the table leaves out, {@link Crowding#unlisted}); they also lend
     * the PSF fit their isolated bright stars. Only {@code stars} come back, in their order.
     */
    public static Sized sizeApertures(List<Star> stars, List<Star> neighbours, MedianStack.Result ref,
                                      ScienceRegion region, double[] radiiGiven, double gap, double annulusWidth,
                                      double exposureSeconds) {
        double[] radii = radiiGiven.clone();
        java.util.Arrays.sort(radii);
        List<Star> all = new ArrayList<>(stars.size() + neighbours.size());
        all.addAll(stars);
        all.addAll(neighbours);
        List<Measures> measured = new ArrayList<>();
        for (double r : radii) {
            List<Star> at = all.stream().map(s -> s.withAperture(s.flux(), r)).toList();
            // a flux needs the annulus' median only: any read variance spares the MAD it would otherwise take
            FramePhotometry p = new FramePhotometry(at, ref.height(), ref.width(), region, gap, annulusWidth)
                    .withReadVariance(0);
            measured.add(p.measure(ref.pixels(), exposureSeconds));
        }
        double noise2 = ref.frameNoise() * ref.frameNoise();
        float[][] flux = new float[radii.length][];
        for (int k = 0; k < radii.length; k++) {
            flux[k] = measured.get(k).flux();
        }
        Crowding.Result crowding = Crowding.of(all, radii, flux, measured.get(radii.length - 1).error(), region,
                ref.width());
        List<Star> out = new ArrayList<>();
        for (int i = 0; i < stars.size(); i++) {
            double best = Double.NEGATIVE_INFINITY;
            int pick = 0;
            for (int k = 0; k < radii.length; k++) {
                double f = flux[k][i];
                double c = crowding.contamination()[i][k];
                double area = Math.PI * radii[k] * radii[k];
                double sys = CONTAMINATION_NOISE * c;
                double snr = (f - c) / Math.sqrt(Math.max(f, 0) / exposureSeconds + area * noise2 + sys * sys);
                if (snr > best) {
                    best = snr;
                    pick = k;
                }
            }
            double f = flux[pick][i];
            double own = Double.isNaN(crowding.sigma()) || !(f > 0) ? Double.NaN
                    : Math.max(0, Math.min(1, (f - crowding.contamination()[i][pick]) / f));
            out.add(stars.get(i).withAperture(f, radii[pick]).withCrowding(own));
        }
        return new Sized(out, crowding.sigma());
    }

    /**
     * Stars with their apertures, and the width (pixels) of the Gaussian PSF fitted on the reference (NaN when no
     * star was bright and isolated enough to fit it on: the apertures are then sized without a crowding model).
     */
    public record Sized(List<Star> stars, double psfSigma) {
    }
}
