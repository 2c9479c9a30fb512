package org.tessexo.common.photometry;

import org.tessexo.common.fits.ScienceRegion;
import org.tessexo.common.stats.BinnedMedian;

/**
 * A frame's large-scale sky as a mesh of box medians (every {@link #STEP}-th pixel of each {@link #BOX}-pixel box,
 * both ways: 256 values), read as its local level and gradient: what scattered light lays across a CCD. A star's
 * annulus median is only as good as its sky is flat: with a gradient and another star covering one side of the
 * annulus, the median picks the clean side's sky ({@link FramePhotometry} takes the gradient out of the annulus
 * first). Boxes hold stars too; that biases a box's median by the same amount on every frame, a constant the light
 * curves do not see.
 */
public final class SkyGradient {
    /** Box side (pixels): large against a star and its annulus, small against scattered light's scale. */
    static final int BOX = 64;
    /** Every STEP-th pixel of a box, in both directions, enters its median. */
    static final int STEP = 4;

    private final double[] medians;
    private final int nx;
    private final int ny;
    private final int x0;
    private final int y0;

    private SkyGradient(double[] medians, int nx, int ny, int x0, int y0) {
        this.medians = medians;
        this.nx = nx;
        this.ny = ny;
        this.x0 = x0;
        this.y0 = y0;
    }

    /** The frame's mesh; null when the science region holds fewer than two boxes in either direction. */
    public static SkyGradient of(float[] img, int width, ScienceRegion region) {
        int xa = region.colStart() - 1;
        int ya = region.rowStart() - 1;
        int nx = (region.colEnd() - xa) / BOX;
        int ny = (region.rowEnd() - ya) / BOX;
        if (nx < 2 || ny < 2) {
            return null;
        }
        double[] m = new double[nx * ny];
        double[] values = new double[(BOX / STEP) * (BOX / STEP)];
        BinnedMedian median = new BinnedMedian();
        for (int j = 0; j < ny; j++) {
            for (int i = 0; i < nx; i++) {
                int n = 0;
                for (int y = ya + j * BOX; y < ya + (j + 1) * BOX; y += STEP) {
                    int row = y * width;
                    for (int x = xa + i * BOX; x < xa + (i + 1) * BOX; x += STEP) {
                        float v = img[row + x];
                        if (Float.isFinite(v)) {
                            values[n++] = v;
                        }
                    }
                }
                m[j * nx + i] = n < values.length / 4 ? Double.NaN : median.of(values, n);
            }
        }
        return new SkyGradient(m, nx, ny, xa, ya);
    }

    /**
     * The pixels {@link #of} reads, as spans of row-major pixel indices {start, end} (end exclusive) into
     * {@code out}: on each sampled row, the columns from the first box's first to the last box's last (the samples
     * between are every {@link #STEP}-th of them). None when the region holds no mesh.
     */
    static void sampleSpans(int width, ScienceRegion region, java.util.List<int[]> out) {
        int xa = region.colStart() - 1;
        int ya = region.rowStart() - 1;
        int nx = (region.colEnd() - xa) / BOX;
        int ny = (region.rowEnd() - ya) / BOX;
        if (nx < 2 || ny < 2) {
            return;
        }
        for (int y = ya; y < ya + ny * BOX; y += STEP) {
            out.add(new int[] {y * width + xa, y * width + xa + (nx - 1) * BOX + BOX - STEP + 1});
        }
    }

    /**
     * The sky at zero-based (x, y), into {@code out}: {d/dx, d/dy (e-/s per pixel), level (e-/s)}, those of the
     * bilinear surface through the four box centres around it (the nearest four at the edges); all zero where one of
     * those boxes has no median.
     */
    public void at(double x, double y, double[] out) {
        double fx = (x - x0) / BOX - 0.5;
        double fy = (y - y0) / BOX - 0.5;
        int i = Math.max(0, Math.min(nx - 2, (int) Math.floor(fx)));
        int j = Math.max(0, Math.min(ny - 2, (int) Math.floor(fy)));
        double tx = Math.max(0, Math.min(1, fx - i));
        double ty = Math.max(0, Math.min(1, fy - j));
        double a = medians[j * nx + i];
        double b = medians[j * nx + i + 1];
        double c = medians[(j + 1) * nx + i];
        double d = medians[(j + 1) * nx + i + 1];
        if (!(Double.isFinite(a) && Double.isFinite(b) && Double.isFinite(c) && Double.isFinite(d))) {
            out[0] = out[1] = out[2] = 0;
            return;
        }
        out[0] = ((1 - ty) * (b - a) + ty * (d - c)) / BOX;
        out[1] = ((1 - tx) * (c - a) + tx * (d - b)) / BOX;
        out[2] = (1 - ty) * ((1 - tx) * a + tx * b) + ty * ((1 - tx) * c + tx * d);
    }
}
