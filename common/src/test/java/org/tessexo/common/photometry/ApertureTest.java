package org.tessexo.common.photometry;

import org.junit.jupiter.api.Test;
import org.tessexo.common.fits.ScienceRegion;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * An aperture's pixel weights are the fraction of 5 x 5 sub-samples of each pixel inside the circle; the pixels
 * wholly inside or outside it are decided without sub-sampling, which must give the same weights as sub-sampling
 * every pixel. Measured on frames that are 1 within reach of the aperture and 0 from the annulus on, so that the
 * flux is the sum of the weights and the background 0.
 */
class ApertureTest {
    @Test
    void weightsEqualEveryPixelSubSampled() {
        Random rnd = new Random(5);
        int h = 40;
        int w = 40;
        ScienceRegion region = new ScienceRegion(1, w, 1, h);
        for (int trial = 0; trial < 200; trial++) {
            double cx = 15 + 10 * rnd.nextDouble();
            double cy = 15 + 10 * rnd.nextDouble();
            double r = 0.6 + 3.4 * rnd.nextDouble();
            float[] img = new float[h * w];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    img[y * w + x] = Math.hypot(x - cx, y - cy) < r + 1.5 ? 1 : 0;
                }
            }
            Star star = new Star("s", 0, 0, 0, cx, cy, 10, 1, r);
            FramePhotometry.Measures m = new FramePhotometry(List.of(star), h, w, region, 2, 4).measure(img, 1);
            assertEquals(0, m.background()[0], "background of the annulus, " + trial);
            assertEquals(subSampled(cx, cy, r), m.flux()[0], 1e-4, "area of r = " + r + " at " + cx + ", " + cy);
            assertEquals(Math.PI * r * r, m.flux()[0], 0.08 * Math.PI * r * r, "close to pi r^2 at r = " + r);
        }
    }

    /** Every pixel of the neighbourhood sub-sampled 5 x 5: the definition. */
    private static double subSampled(double cx, double cy, double r) {
        int n = FramePhotometry.SUBSAMPLES;
        double sum = 0;
        for (int y = (int) Math.floor(cy - r - 1); y <= Math.ceil(cy + r + 1); y++) {
            for (int x = (int) Math.floor(cx - r - 1); x <= Math.ceil(cx + r + 1); x++) {
                int inside = 0;
                for (int sy = 0; sy < n; sy++) {
                    for (int sx = 0; sx < n; sx++) {
                        double px = x - 0.5 + (sx + 0.5) / n - cx;
                        double py = y - 0.5 + (sy + 0.5) / n - cy;
                        inside += px * px + py * py <= r * r ? 1 : 0;
                    }
                }
                sum += (double) inside / (n * n);
            }
        }
        return sum;
    }
}
