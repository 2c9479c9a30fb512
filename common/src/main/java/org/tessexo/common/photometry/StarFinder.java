package org.tessexo.common.photometry;

import org.tessexo.common.fits.ScienceRegion;
import org.tessexo.common.stats.RobustStats;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Stars found on a reference image: pixels that are the maximum of their 3 x 3 neighbourhood and stand
 * {@code sigma} single-frame noises above the sky (the image's median), centroided by the first moment of their
 * 5 x 5 neighbourhood, the fainter of two peaks closer than {@code minSeparation} pixels dropped (a star's own
 * noise, or a blend photometry cannot split), the brightest {@code maxStars} kept. Peaks closer than {@code edge}
 * pixels to the science region's border are not used (their apertures and annuli would leave it).
 */
public final class StarFinder {
    /** Half the side of the box the centroid is taken in: 5 x 5 holds a TESS PSF's core without its bias. */
    static final int CENTROID_BOX = 2;

    private StarFinder() {
    }

    /** A peak: zero-based centroid and its 5 x 5 flux above the sky. */
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
        double sky = sky(ref, region);
        double noise = Double.isFinite(ref.frameNoise()) && ref.frameNoise() > 0 ? ref.frameNoise()
                : 1.4826 * RobustStats.mad(sample(ref, region));
        double threshold = sky + sigma * noise;
        List<Peak> peaks = new ArrayList<>();
        for (int y = Math.max(1, y0); y <= Math.min(ref.height() - 2, y1); y++) {
            for (int x = Math.max(1, x0); x <= Math.min(w - 2, x1); x++) {
                float v = img[y * w + x];
                if (!(v > threshold) || !isMax(img, w, x, y, v)) {
                    continue;
                }
                double sum = 0;
                double sx = 0;
                double sy = 0;
                for (int dy = -CENTROID_BOX; dy <= CENTROID_BOX; dy++) {
                    for (int dx = -CENTROID_BOX; dx <= CENTROID_BOX; dx++) {
                        int yy = y + dy;
                        int xx = x + dx;
                        if (yy < 0 || xx < 0 || yy >= ref.height() || xx >= w) {
                            continue;
                        }
                        float p = img[yy * w + xx];
                        double f = Float.isFinite(p) ? Math.max(0, p - sky) : 0;
                        sum += f;
                        sx += f * dx;
                        sy += f * dy;
                    }
                }
                peaks.add(new Peak(x + sx / sum, y + sy / sum, sum));
            }
        }
        peaks.sort(Comparator.comparingDouble(Peak::flux).reversed());
        List<Peak> kept = new ArrayList<>();
        for (Peak p : peaks) {
            if (kept.size() >= maxStars) {
                break;
            }
            boolean near = false;
            for (Peak k : kept) {
                if (Math.hypot(k.x() - p.x(), k.y() - p.y()) < minSeparation) {
                    near = true;
                    break;
                }
            }
            if (!near) {
                kept.add(p);
            }
        }
        return kept;
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

    /** The median of the science region's finite pixels (sampled on a grid of at most ~200,000). */
    static double sky(MedianStack.Result ref, ScienceRegion region) {
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
