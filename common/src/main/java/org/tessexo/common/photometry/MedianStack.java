package org.tessexo.common.photometry;

import org.tessexo.common.fits.DecodedImage;
import org.tessexo.common.stats.RobustStats;

import java.util.List;

/**
 * A reference image: the per-pixel median of a few frames of one CCD, read row by row in step (streamed images
 * give their rows in order once, so only one row of each frame is held), and the noise of one frame.
 */
public final class MedianStack {
    private MedianStack() {
    }

    /**
     * @param pixels     the median image, row-major; NaN where every frame is NaN
     * @param frameNoise the robust scatter (1.4826 MAD) of one frame about the median, per pixel, in the images'
     *                   units: the single-frame noise that aperture sizes and detection thresholds are set against
     */
    public record Result(float[] pixels, int height, int width, double frameNoise) {
    }

    /**
     * Which of a group's frames (in time order) make its reference: {@code n} spread evenly over those with no
     * quality flag (all frames when fewer than n are unflagged), so that the reference sees the whole sector's
     * pointing and no scattered light or momentum dump.
     */
    public static int[] spread(int[] quality, int n) {
        int[] good = java.util.stream.IntStream.range(0, quality.length).filter(i -> quality[i] == 0).toArray();
        int[] pool = good.length >= n ? good : java.util.stream.IntStream.range(0, quality.length).toArray();
        int k = Math.min(n, pool.length);
        int[] out = new int[k];
        for (int i = 0; i < k; i++) {
            out[i] = pool[(int) ((i + 0.5) * pool.length / k)];
        }
        return out;
    }

    public static Result of(List<DecodedImage> frames) {
        if (frames.isEmpty()) {
            throw new IllegalArgumentException("no frames to combine");
        }
        int h = frames.get(0).height();
        int w = frames.get(0).width();
        for (DecodedImage f : frames) {
            if (f.height() != h || f.width() != w) {
                throw new IllegalArgumentException("frames of " + h + " x " + w + " and " + f.height() + " x "
                        + f.width() + " cannot be combined");
            }
        }
        int n = frames.size();
        float[][] rows = new float[n][w];
        float[][] sorted = new float[n][w];
        boolean[] unfinished = new boolean[w];
        int[] network = network(n);
        float[] out = new float[h * w];
        double[] column = new double[n];
        // each frame's deviations from the median, sampled on a grid of at most ~50,000 pixels
        int step = Math.max(1, (int) Math.sqrt((double) h * w / 50_000));
        double[][] dev = new double[n][(h / step + 1) * (w / step + 1)];
        int[] nd = new int[n];
        for (int y = 0; y < h; y++) {
            java.util.Arrays.fill(unfinished, false);
            for (int k = 0; k < n; k++) {
                frames.get(k).readRow(y, 0, w, rows[k], 0);
                float[] r = rows[k];
                for (int x = 0; x < w; x++) {
                    unfinished[x] |= !Float.isFinite(r[x]);
                }
                System.arraycopy(r, 0, sorted[k], 0, w);
            }
            medianRow(sorted, network, out, y * w, w);
            for (int x = 0; x < w; x++) {
                if (!unfinished[x]) {
                    continue;
                }
                // a NaN or infinite value among the frames: the median of the finite ones
                int m = 0;
                for (int k = 0; k < n; k++) {
                    float v = rows[k][x];
                    if (Float.isFinite(v)) {
                        column[m++] = v;
                    }
                }
                out[y * w + x] = m == 0 ? Float.NaN : (float) RobustStats.median(column, m);
            }
            if (n > 1 && y % step == 0) {
                for (int x = 0; x < w; x += step) {
                    float med = out[y * w + x];
                    if (Float.isNaN(med)) {
                        continue;
                    }
                    for (int k = 0; k < n; k++) {
                        if (Float.isFinite(rows[k][x])) {
                            dev[k][nd[k]++] = rows[k][x] - med;
                        }
                    }
                }
            }
        }
        double noise = Double.NaN;
        if (n > 1) {
            // the median of the frames' own scatters: a frame with scattered light does not set it
            double[] perFrame = new double[n];
            for (int k = 0; k < n; k++) {
                perFrame[k] = 1.4826 * RobustStats.mad(java.util.Arrays.copyOf(dev[k], nd[k]));
            }
            // the median of n frames shares each frame's noise: deviations from it are short by sqrt((n-1)/n)
            noise = RobustStats.median(perFrame, n) * Math.sqrt((double) n / (n - 1));
        }
        return new Result(out, h, w, noise);
    }

    /**
     * Batcher's odd-even merge sort for n values as comparator pairs (i, j), i &lt; j: the network for the next power
     * of two with the comparators that reach past n left out (values there would be +infinity, which no comparator
     * moves). n = 10 takes 32 comparators (the best known network, 29).
     */
    static int[] network(int n) {
        java.util.stream.IntStream.Builder pairs = java.util.stream.IntStream.builder();
        for (int p = 1; p < n; p <<= 1) {
            for (int k = p; k >= 1; k >>= 1) {
                for (int j = k % p; j + k < n; j += 2 * k) {
                    for (int i = 0; i < Math.min(k, n - j - k); i++) {
                        if ((i + j) / (2 * p) == (i + j + k) / (2 * p)) {
                            pairs.add(i + j).add(i + j + k);
                        }
                    }
                }
            }
        }
        return pairs.build().toArray();
    }

    /**
     * The per-pixel medians of one row of every frame, into {@code out} from {@code at}: the sorting network run
     * across the row, comparator by comparator (a min and a max per pixel: the same work for every pixel, none of
     * a sort's data-dependent branches), so that row k holds every pixel's k-th smallest value. The rows are
     * reordered; a pixel with a value that is not finite comes out wrong and is for the caller to redo. The same
     * value as {@link RobustStats#median}.
     */
    static void medianRow(float[][] rows, int[] network, float[] out, int at, int w) {
        for (int c = 0; c < network.length; c += 2) {
            float[] lo = rows[network[c]];
            float[] hi = rows[network[c + 1]];
            for (int x = 0; x < w; x++) {
                float a = lo[x];
                float b = hi[x];
                lo[x] = Math.min(a, b);
                hi[x] = Math.max(a, b);
            }
        }
        int n = rows.length;
        float[] upper = rows[n / 2];
        if (n % 2 == 1) {
            System.arraycopy(upper, 0, out, at, w);
            return;
        }
        float[] lower = rows[n / 2 - 1];
        for (int x = 0; x < w; x++) {
            out[at + x] = (float) (0.5 * ((double) lower[x] + upper[x]));
        }
    }
}
