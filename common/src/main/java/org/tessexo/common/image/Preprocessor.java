package org.tessexo.common.image;

import org.tessexo.common.fits.DecodedImage;
import org.tessexo.common.fits.ScienceRegion;

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
        float[] reduced = areaResize(image.pixels(), image.width(), region.colStart() - 1, region.rowStart() - 1,
                region.width(), region.height(), settings.width(), settings.height());
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
        Axis xs = Axis.of(inW, outW);
        Axis ys = Axis.of(inH, outH);
        // Pass 1: reduce each input row along x (sums and finite weights), pass 2: along y.
        double[] rowSum = new double[inH * outW];
        double[] rowWeight = new double[inH * outW];
        for (int y = 0; y < inH; y++) {
            int base = (y0 + y) * srcStride + x0;
            int outBase = y * outW;
            for (int ox = 0; ox < outW; ox++) {
                double s = 0;
                double wsum = 0;
                for (int k = xs.start[ox]; k < xs.start[ox + 1]; k++) {
                    float v = src[base + xs.index[k]];
                    if (Float.isFinite(v)) {
                        s += xs.weight[k] * v;
                        wsum += xs.weight[k];
                    }
                }
                rowSum[outBase + ox] = s;
                rowWeight[outBase + ox] = wsum;
            }
        }
        float[] out = new float[outW * outH];
        for (int oy = 0; oy < outH; oy++) {
            for (int ox = 0; ox < outW; ox++) {
                double s = 0;
                double wsum = 0;
                for (int k = ys.start[oy]; k < ys.start[oy + 1]; k++) {
                    int i = ys.index[k] * outW + ox;
                    s += ys.weight[k] * rowSum[i];
                    wsum += ys.weight[k] * rowWeight[i];
                }
                out[oy * outW + ox] = wsum > 0 ? (float) (s / wsum) : Float.NaN;
            }
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
        float[] sorted = new float[values.length];
        for (float v : values) {
            if (Float.isFinite(v)) {
                sorted[finite++] = v;
            }
        }
        if (finite == 0) {
            return new Result(null, ALL_NAN);
        }
        Arrays.sort(sorted, 0, finite);
        double median = median(sorted, finite);
        for (int i = 0; i < finite; i++) {
            sorted[i] = (float) Math.abs(sorted[i] - median);
        }
        Arrays.sort(sorted, 0, finite);
        double mad = median(sorted, finite);
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

    private static double median(float[] sorted, int n) {
        return (n % 2 == 1) ? sorted[n / 2] : 0.5 * ((double) sorted[n / 2 - 1] + sorted[n / 2]);
    }
}
