package org.tessexo.common.image;

import org.tessexo.common.fits.DecodedImage;
import org.tessexo.common.fits.ScienceRegion;
import org.tessexo.common.stats.RobustStats;

import java.util.Arrays;

/**
 * Turns a decoded image into a model input: trim to the science region, reduce to the model's size by area
 * averaging, normalize robustly. The same code serves training, evaluation and scoring.
 *
 * <ul>
 *   <li><b>Trim</b>: the header's SCCSA/SCCED/SCIROWS/SCIROWE cards when they fit the image; otherwise, for a
 *       2136 x 2078 image, the TESS FFI layout (columns 45-2092, rows 1-2048); otherwise the whole image.</li>
 *   <li><b>Area averaging</b>: each output pixel is the mean of the input pixels it covers, weighted by their
 *       fractional overlap, so no input pixel is dropped (point sampling would alias stars). Non-finite pixels
 *       take no part in the means.</li>
 *   <li><b>Normalization</b>: {@code (x - median) / (1.4826 * MAD)} over the finite reduced pixels, clipped to
 *       {@code [-clip, clip]}; pixels with no finite input become 0 (the median).</li>
 * </ul>
 * The result never holds NaN or Inf. An image with no finite pixel, or a constant one, has nothing to learn from:
 * {@link #apply} reports it through {@link Result#reason()} instead.
 */
public final class Preprocessor {
    public static final String ALL_NAN = "all pixels NaN or Inf";
    public static final String CONSTANT = "constant image";

    private final PreprocessSettings settings;

    public Preprocessor(PreprocessSettings settings) {
        this.settings = settings;
    }

    /** A model input (height x width, row-major), or the reason there is none. */
    public record Result(float[] values, String reason) {
        public boolean ok() {
            return values != null;
        }
    }

    public PreprocessSettings settings() {
        return settings;
    }

    public Result apply(DecodedImage image) {
        ScienceRegion region = regionFor(image);
        float[] reduced = reduce(image, region.colStart() - 1, region.rowStart() - 1, region.width(),
                region.height(), settings.width(), settings.height());
        return normalize(reduced);
    }

    /** The region actually used for an image under these settings (1-based, inclusive). */
    public ScienceRegion regionFor(DecodedImage image) {
        ScienceRegion whole = new ScienceRegion(1, image.width(), 1, image.height());
        if (settings.trim() == PreprocessSettings.Trim.NONE) {
            return whole;
        }
        ScienceRegion fromHeader = image.scienceRegion();
        if (fromHeader != null && fromHeader.fits(image.height(), image.width())) {
            return fromHeader;
        }
        if (image.width() == ScienceRegion.TESS_FFI_WIDTH && image.height() == ScienceRegion.TESS_FFI_HEIGHT) {
            return ScienceRegion.TESS_FFI;
        }
        return whole;
    }

    /**
     * Area-averaging reduction (or enlargement) of a sub-rectangle of a row-major image. Non-finite pixels are left
     * out of each mean; an output pixel with no finite input is NaN.
     */
    static float[] areaResize(float[] src, int srcStride, int x0, int y0, int inW, int inH, int outW, int outH) {
        DecodedImage image = new DecodedImage(src, src.length / srcStride, srcStride, 0, "", null, null);
        return reduce(image, x0, y0, inW, inH, outW, outH);
    }

    /**
     * The same reduction in one pass over the image's rows: each row is converted (from the file's bytes, for an
     * uncompressed image) into one reused buffer, reduced along x, and added into the output rows it overlaps.
     * The common case of an integer factor along x (2048 -> 128 for an FFI) sums whole blocks without weights.
     */
    static float[] reduce(DecodedImage image, int x0, int y0, int inW, int inH, int outW, int outH) {
        Axis xs = Axis.of(inW, outW);
        Axis ys = Axis.of(inH, outH);
        // For each input row, the output rows it overlaps and by how much (the inverse of ys).
        int[] firstOut = new int[inH + 1];
        for (int k = 0; k < ys.start[outH]; k++) {
            firstOut[ys.index[k] + 1]++;
        }
        for (int y = 0; y < inH; y++) {
            firstOut[y + 1] += firstOut[y];
        }
        int[] outRow = new int[ys.start[outH]];
        double[] outWeight = new double[ys.start[outH]];
        int[] fill = firstOut.clone();
        for (int oy = 0; oy < outH; oy++) {
            for (int k = ys.start[oy]; k < ys.start[oy + 1]; k++) {
                int at = fill[ys.index[k]]++;
                outRow[at] = oy;
                outWeight[at] = ys.weight[k];
            }
        }
        int block = inW % outW == 0 ? inW / outW : 0;
        float[] row = new float[inW];
        double[] hs = new double[outW];
        double[] hw = new double[outW];
        double[] sum = new double[outH * outW];
        double[] weight = new double[outH * outW];
        for (int y = 0; y < inH; y++) {
            if (firstOut[y] == firstOut[y + 1]) {
                continue;
            }
            image.readRow(y0 + y, x0, inW, row, 0);
            if (block > 0) {
                for (int ox = 0, i = 0; ox < outW; ox++, i += block) {
                    // Most blocks are all finite: sum without a branch, and look closer only when the sum is not.
                    // Four independent sums: the additions overlap instead of waiting on each other.
                    float s0 = 0;
                    float s1 = 0;
                    float s2 = 0;
                    float s3 = 0;
                    int k = i;
                    for (int end4 = i + (block & ~3); k < end4; k += 4) {
                        s0 += row[k];
                        s1 += row[k + 1];
                        s2 += row[k + 2];
                        s3 += row[k + 3];
                    }
                    for (; k < i + block; k++) {
                        s0 += row[k];
                    }
                    float s = (s0 + s1) + (s2 + s3);
                    int n = block;
                    if (!(s - s == 0)) { // NaN or Inf somewhere in the block
                        s = 0;
                        n = 0;
                        for (k = i; k < i + block; k++) {
                            float v = row[k];
                            if (v - v == 0) {
                                s += v;
                                n++;
                            }
                        }
                    }
                    hs[ox] = s;
                    hw[ox] = n;
                }
            } else {
                for (int ox = 0; ox < outW; ox++) {
                    double s = 0;
                    double wsum = 0;
                    for (int k = xs.start[ox]; k < xs.start[ox + 1]; k++) {
                        float v = row[xs.index[k]];
                        if (Float.isFinite(v)) {
                            s += xs.weight[k] * v;
                            wsum += xs.weight[k];
                        }
                    }
                    hs[ox] = s;
                    hw[ox] = wsum;
                }
            }
            for (int j = firstOut[y]; j < firstOut[y + 1]; j++) {
                int base = outRow[j] * outW;
                double wy = outWeight[j];
                for (int ox = 0; ox < outW; ox++) {
                    sum[base + ox] += wy * hs[ox];
                    weight[base + ox] += wy * hw[ox];
                }
            }
        }
        float[] out = new float[outW * outH];
        for (int i = 0; i < out.length; i++) {
            out[i] = weight[i] > 0 ? (float) (sum[i] / weight[i]) : Float.NaN;
        }
        return out;
    }

    /** For each output cell, the input cells it overlaps and by how much (in input-pixel units). */
    private static final class Axis {
        final int[] start;
        final int[] index;
        final double[] weight;

        private Axis(int[] start, int[] index, double[] weight) {
            this.start = start;
            this.index = index;
            this.weight = weight;
        }

        static Axis of(int in, int out) {
            double step = (double) in / out;
            int[] start = new int[out + 1];
            int[] index = new int[in + 2 * out + 2];
            double[] weight = new double[index.length];
            int n = 0;
            for (int o = 0; o < out; o++) {
                start[o] = n;
                double lo = o * step;
                double hi = (o + 1) * step;
                int first = (int) Math.floor(lo);
                int last = Math.min(in - 1, (int) Math.ceil(hi) - 1);
                for (int i = first; i <= last; i++) {
                    double overlap = Math.min(hi, i + 1) - Math.max(lo, i);
                    if (overlap > 1e-12) {
                        if (n == index.length) {
                            index = Arrays.copyOf(index, n * 2);
                            weight = Arrays.copyOf(weight, n * 2);
                        }
                        index[n] = i;
                        weight[n] = overlap;
                        n++;
                    }
                }
            }
            start[out] = n;
            return new Axis(start, index, weight);
        }
    }

    Result normalize(float[] values) {
        int finite = 0;
        double[] sorted = new double[values.length];
        for (float v : values) {
            if (Float.isFinite(v)) {
                sorted[finite++] = v;
            }
        }
        if (finite == 0) {
            return new Result(null, ALL_NAN);
        }
        double median = RobustStats.median(sorted, finite);
        for (int i = 0; i < finite; i++) {
            sorted[i] = Math.abs(sorted[i] - median);
        }
        double mad = RobustStats.median(sorted, finite);
        double scale = 1.4826 * mad;
        if (!(scale > 0)) {
            // More than half the pixels equal: fall back to the mean absolute deviation.
            double sum = 0;
            for (int i = 0; i < finite; i++) {
                sum += sorted[i];
            }
            scale = 1.2533 * sum / finite;
        }
        if (!(scale > 0) || !Double.isFinite(scale)) {
            return new Result(null, CONSTANT);
        }
        float clip = (float) settings.clip();
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            float v = values[i];
            if (!Float.isFinite(v)) {
                out[i] = 0f;
            } else {
                float z = (float) ((v - median) / scale);
                out[i] = Math.max(-clip, Math.min(clip, z));
            }
        }
        return new Result(out, null);
    }
}
