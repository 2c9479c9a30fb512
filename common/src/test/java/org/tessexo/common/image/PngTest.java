package org.tessexo.common.image;

import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PngTest {

    /** The JDK's own PNG reader (ImageIO) is the reference: every pixel comes back as written. */
    @Test
    void theJdksReaderGetsEveryPixelBack() throws Exception {
        Random rnd = new Random(15);
        for (int[] size : new int[][] {{1, 1}, {3, 2}, {97, 41}, {712, 692}}) {
            int w = size[0];
            int h = size[1];
            int[] rgb = new int[w * h];
            for (int i = 0; i < rgb.length; i++) {
                // sky-like grey with noise, and some saturated colours
                int g = Math.max(0, Math.min(255, 30 + (int) (10 * rnd.nextGaussian())));
                rgb[i] = rnd.nextInt(50) == 0 ? rnd.nextInt(1 << 24) : (g << 16) | (g << 8) | g;
            }
            byte[] png = Png.rgb(rgb, w, h);
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
            assertEquals(w, img.getWidth());
            assertEquals(h, img.getHeight());
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    assertEquals(rgb[y * w + x], img.getRGB(x, y) & 0xffffff, "pixel " + x + ", " + y);
                }
            }
            if (w * h > 100_000) {
                // the "up" filter and deflate: a grey sky compresses below its 3 bytes a pixel
                assertTrue(png.length < 2 * w * h, png.length + " bytes");
            }
        }
    }

    @Test
    void aPictureOfTheWrongSizeIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Png.rgb(new int[5], 2, 3));
        assertThrows(IllegalArgumentException.class, () -> Png.rgb(new int[0], 0, 0));
    }
}
