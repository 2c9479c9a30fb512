package org.tessexo.common.photometry;

import org.junit.jupiter.api.Test;
import org.tessexo.common.fits.ScienceRegion;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The mesh reads a sky's gradient and level where stars and noise are, and declines frames too small for it. */
class SkyGradientTest {

    @Test
    void aTiltedSkyUnderStarsAndNoiseIsReadBack() {
        int h = 300;
        int w = 260;
        float[] img = new float[h * w];
        Random rnd = new Random(8);
        for (int k = 0; k < img.length; k++) {
            img[k] = (float) (400 + 1.5 * (k % w) - 0.8 * (k / w) + 3 * rnd.nextGaussian());
        }
        for (int s = 0; s < 300; s++) { // stars: a few hot pixels each, which the box medians ignore
            int x = 2 + rnd.nextInt(w - 4);
            int y = 2 + rnd.nextInt(h - 4);
            for (int d = -1; d <= 1; d++) {
                img[(y + d) * w + x] += 5000;
                img[y * w + x + d] += 5000;
            }
        }
        img[77 * w + 91] = Float.NaN;
        SkyGradient sky = SkyGradient.of(img, w, new ScienceRegion(1, w, 1, h));
        assertNotNull(sky);
        double[] g = new double[3];
        for (double[] at : new double[][] {{130, 150}, {10, 10}, {250, 290}}) {
            sky.at(at[0], at[1], g);
            assertEquals(1.5, g[0], 0.05, "d/dx at " + at[0] + ", " + at[1]);
            assertEquals(-0.8, g[1], 0.05, "d/dy");
        }
        // the level, between box centres (beyond the outer ones it is held, not extrapolated): the box medians sample
        // every 4th pixel from the box's corner (2 pixels before its centre each way), and stars lift them a little
        sky.at(130, 150, g);
        assertEquals(400 + 1.5 * 130 - 0.8 * 150, g[2], 4, "level");
    }

    @Test
    void aFrameUnderTwoBoxesASideHasNoMesh() {
        int w = 100;
        float[] img = new float[w * w];
        assertNull(SkyGradient.of(img, w, new ScienceRegion(1, w, 1, w)));
        // a science region inside a larger frame counts, not the frame
        int big = 300;
        assertNull(SkyGradient.of(new float[big * big], big, new ScienceRegion(11, 110, 11, 300)));
    }
}
