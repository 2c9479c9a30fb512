package org.tessexo.common.photometry;

import org.tessexo.common.fits.ScienceRegion;
import org.tessexo.common.stats.BinnedMedian;
import org.tessexo.common.stats.RobustStats;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Stars found on a reference image: pixels that are the maximum of their 3 x 3 neighbourhood and stand
 * {@code sigma} single-frame noises above the local sky ({@link #background}: scattered light makes FFIs' sky vary
 * by hundreds of e-/s across a CCD), centroided under a Gaussian window
 * ({@link #windowed}), the fainter of two peaks closer than {@code minSeparation} pixels dropped (a star's own
 * noise, or a blend photometry cannot split), the brightest {@code maxStars} kept. Peaks closer than {@code edge}
 * pixels to the science region's border are not used (their apertures and annuli would leave it).
 */
public final class StarFinder {
    /** Half the side of the box the centroid is taken in (7 x 7), its outer ring giving the local sky. */
    static final int CENTROID_BOX = 3;
    /** The Gaussian window of the centroid, pixels: about TESS's PSF. */
    static final double WINDOW_SIGMA = 1.0;

    private StarFinder() {
    }

    /** A peak: zero-based centroid and its 5 x 5 flux above the local sky. */
    public record Peak(double x, double y, double flux) {
    }

    public static List<Peak> find(MedianStack.Result ref, ScienceRegion region, double sigma, int maxStars,
                                  double minSeparation, int edge) {
        int w = ref.width();
        float[] img = ref.pixels();
        int x0 = region.colStart() - 1 + edge;
        int x1 = region.colEnd() - 1 - edge;
        int y0 = region.rowStart() - 1 + edge;
        int y1 = region.rowEnd() - 1 - edge;
        float[] sky = background(ref, region);
        double noise = Double.isFinite(ref.frameNoise()) && ref.frameNoise() > 0 ? ref.frameNoise()
                : 1.4826 * RobustStats.mad(sample(ref, region));
        List<Peak> peaks = new ArrayList<>();
        for (int y = Math.max(1, y0); y <= Math.min(ref.height() - 2, y1); y++) {
            for (int x = Math.max(1, x0); x <= Math.min(w - 2, x1); x++) {
                float v = img[y * w + x];
                if (!(v > sky[y * w + x] + sigma * noise) || !isMax(img, w, x, y, v)) {
                    continue;
                }
                double[] c = windowed(img, w, ref.height(), x, y);
                peaks.add(new Peak(c[0], c[1], c[2]));
            }
        }
        peaks.sort(Comparator.comparingDouble(Peak::flux).reversed());
        return separated(peaks, minSeparation, maxStars);
    }

    /**
     * The peaks (brightest first) less each one closer than {@code minSeparation} to a brighter one kept, at most
     * {@code maxStars}. The kept peaks are filed in cells of minSeparation a side, so that a peak is checked against
     * its own and the eight neighbouring cells' (10,000 x 10,000 pairs otherwise).
     */
    static List<Peak> separated(List<Peak> peaks, double minSeparation, int maxStars) {
        double cell = Math.max(minSeparation, 1);
        java.util.Map<Long, List<Peak>> cells = new java.util.HashMap<>();
        List<Peak> kept = new ArrayList<>();
        for (Peak p : peaks) {
            if (kept.size() >= maxStars) {
                break;
            }
            long cx = (long) Math.floor(p.x() / cell);
            long cy = (long) Math.floor(p.y() / cell);
            if (!nearAny(cells, p, cx, cy, minSeparation)) {
                kept.add(p);
                cells.computeIfAbsent(key(cx, cy), c -> new ArrayList<>(2)).add(p);
            }
        }
        return kept;
    }

    /** Whether a peak filed in cell (cx, cy) or its eight neighbours lies closer than {@code minSeparation} to p. */
    private static boolean nearAny(java.util.Map<Long, List<Peak>> cells, Peak p, long cx, long cy,
                                   double minSeparation) {
        for (long j = cy - 1; j <= cy + 1; j++) {
            for (long i = cx - 1; i <= cx + 1; i++) {
                for (Peak k : cells.getOrDefault(key(i, j), List.of())) {
                    double dx = k.x() - p.x();
                    double dy = k.y() - p.y();
                    if (dx * dx + dy * dy < minSeparation * minSeparation) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static long key(long i, long j) {
        return (j << 32) ^ (i & 0xffffffffL);
    }

    /**
     * A windowed centroid (SExtractor's XWIN): the first moment under a Gaussian window centred on the current
     * estimate, iterated from the peak pixel, above the local sky (the median of the box's outer ring). Unbiased
     * for a symmetric PSF, where a plain box moment is pulled to the pixel centre, and little moved by a neighbour's
     * wing. Returns x, y and the box's flux above the local sky.
     */
    public static double[] windowed(float[] img, int w, int h, int px, int py) {
        int b = CENTROID_BOX;
        double[] ring = new double[8 * b];
        int n = 0;
        for (int dy = -b; dy <= b; dy++) {
            for (int dx = -b; dx <= b; dx++) {
                if (Math.max(Math.abs(dx), Math.abs(dy)) == b) {
                    int yy = py + dy;
                    int xx = px + dx;
                    if (yy >= 0 && xx >= 0 && yy < h && xx < w && Float.isFinite(img[yy * w + xx])) {
                        ring[n++] = img[yy * w + xx];
                    }
                }
            }
        }
        double sky = n == 0 ? 0 : RobustStats.median(ring, n);
        double cx = px;
        double cy = py;
        double total = 0;
        for (int it = 0; it < 20; it++) {
            double sw = 0;
            double sx = 0;
            double sy = 0;
            total = 0;
            for (int dy = -b + 1; dy < b; dy++) {
                for (int dx = -b + 1; dx < b; dx++) {
                    int yy = py + dy;
                    int xx = px + dx;
                    if (yy < 0 || xx < 0 || yy >= h || xx >= w || !Float.isFinite(img[yy * w + xx])) {
                        continue;
                    }
                    double f = Math.max(0, img[yy * w + xx] - sky);
                    total += f;
                    double r2 = (xx - cx) * (xx - cx) + (yy - cy) * (yy - cy);
                    double wf = f * Math.exp(-r2 / (2 * WINDOW_SIGMA * WINDOW_SIGMA));
                    sw += wf;
                    sx += wf * (xx - cx);
                    sy += wf * (yy - cy);
                }
            }
            if (sw <= 0) {
                break;
            }
            double stepX = 2 * sx / sw;
            double stepY = 2 * sy / sw;
            // never further than a pixel from the peak: a runaway iteration keeps the peak
            cx = Math.max(px - 1, Math.min(px + 1, cx + stepX));
            cy = Math.max(py - 1, Math.min(py + 1, cy + stepY));
            if (Math.abs(stepX) < 1e-4 && Math.abs(stepY) < 1e-4) {
                break;
            }
        }
        return new double[] {cx, cy, total};
    }

    private static boolean isMax(float[] img, int w, int x, int y, float v) {
        for (int dy = -1; dy <= 1; dy++) {
            for (int dx = -1; dx <= 1; dx++) {
                if (dx == 0 && dy == 0) {
                    continue;
                }
                float n = img[(y + dy) * w + x + dx];
                // ties go to the first pixel in reading order, so a flat top gives one peak
                if (n > v || (n == v && (dy < 0 || (dy == 0 && dx < 0)))) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Side of the boxes of the background mesh, pixels (photutils' Background2D, SExtractor's BACK_SIZE). */
    static final int MESH = 32;

    /**
     * The sky under every pixel: the median of each {@link #MESH}-pixel box of the science region (stars are a
     * minority of its pixels), bilinearly interpolated between box centres.
     */
    static float[] background(MedianStack.Result ref, ScienceRegion region) {
        int w = ref.width();
        int h = ref.height();
        int x0 = region.colStart() - 1;
        int y0 = region.rowStart() - 1;
        int nx = Math.max(1, (region.width() + MESH / 2) / MESH);
        int ny = Math.max(1, (region.height() + MESH / 2) / MESH);
        double bw = (double) region.width() / nx;
        double bh = (double) region.height() / ny;
        double[][] mesh = new double[ny][nx];
        double[] buf = new double[(int) Math.ceil(bw + 1) * (int) Math.ceil(bh + 1)];
        BinnedMedian median = new BinnedMedian();
        for (int j = 0; j < ny; j++) {
            for (int i = 0; i < nx; i++) {
                int n = 0;
                for (int y = y0 + (int) (j * bh); y < y0 + (int) ((j + 1) * bh); y++) {
                    for (int x = x0 + (int) (i * bw); x < x0 + (int) ((i + 1) * bw); x++) {
                        float v = ref.pixels()[y * w + x];
                        if (Float.isFinite(v)) {
                            buf[n++] = v;
                        }
                    }
                }
                mesh[j][i] = n == 0 ? Double.NaN : median.of(buf, n);
            }
        }
        float[] out = new float[h * w];
        for (int y = 0; y < h; y++) {
            double fy = Math.max(0, Math.min(ny - 1, (y - y0) / bh - 0.5));
            int j0 = (int) Math.floor(fy);
            int j1 = Math.min(ny - 1, j0 + 1);
            double ty = fy - j0;
            for (int x = 0; x < w; x++) {
                double fx = Math.max(0, Math.min(nx - 1, (x - x0) / bw - 0.5));
                int i0 = (int) Math.floor(fx);
                int i1 = Math.min(nx - 1, i0 + 1);
                double tx = fx - i0;
                out[y * w + x] = (float) ((1 - ty) * ((1 - tx) * mesh[j0][i0] + tx * mesh[j0][i1])
                        + ty * ((1 - tx) * mesh[j1][i0] + tx * mesh[j1][i1]));
            }
        }
        return out;
    }

    /** The sky of a reference: the median of its science region's finite pixels (sampled). */
    public static double sky(MedianStack.Result ref, ScienceRegion region) {
        double[] s = sample(ref, region);
        return RobustStats.median(s, s.length);
    }

    private static double[] sample(MedianStack.Result ref, ScienceRegion region) {
        int step = Math.max(1, (int) Math.sqrt((double) region.width() * region.height() / 200_000));
        double[] s = new double[(region.width() / step + 1) * (region.height() / step + 1)];
        int n = 0;
        for (int y = region.rowStart() - 1; y < region.rowEnd(); y += step) {
            for (int x = region.colStart() - 1; x < region.colEnd(); x += step) {
                float v = ref.pixels()[y * ref.width() + x];
                if (Float.isFinite(v)) {
                    s[n++] = v;
                }
            }
        }
        return java.util.Arrays.copyOf(s, n);
    }
}
