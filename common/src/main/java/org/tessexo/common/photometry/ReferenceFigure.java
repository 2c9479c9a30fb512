package org.tessexo.common.photometry;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;

/**
 * A picture of a CCD's reference image with its stars: the image binned down to at most {@code maxSide} pixels a
 * side (the mean of each block), an asinh stretch between the sky and the brightest stars, each measured star's
 * aperture drawn as a circle (the brightest {@link #MAX_CIRCLES}). What a user checks first: are the stars where the
 * circles are, and are the circles on stars.
 */
public final class ReferenceFigure {
    static final int MAX_CIRCLES = 3000;

    private ReferenceFigure() {
    }

    public static byte[] png(MedianStack.Result ref, List<Star> stars, int maxSide) {
        int w = ref.width();
        int h = ref.height();
        int bin = Math.max(1, (int) Math.ceil((double) Math.max(w, h) / maxSide));
        int ow = Math.max(1, w / bin);
        int oh = Math.max(1, h / bin);
        double[] v = new double[ow * oh];
        for (int y = 0; y < oh; y++) {
            for (int x = 0; x < ow; x++) {
                double sum = 0;
                int n = 0;
                for (int dy = 0; dy < bin; dy++) {
                    for (int dx = 0; dx < bin; dx++) {
                        float p = ref.pixels()[(y * bin + dy) * w + x * bin + dx];
                        if (Float.isFinite(p)) {
                            sum += p;
                            n++;
                        }
                    }
                }
                v[y * ow + x] = n == 0 ? Double.NaN : sum / n;
            }
        }
        double[] sorted = Arrays.stream(v).filter(Double::isFinite).sorted().toArray();
        double sky = sorted.length == 0 ? 0 : sorted[sorted.length / 2];
        double top = sorted.length == 0 ? 1 : sorted[(int) (0.999 * (sorted.length - 1))];
        double noise = Math.max(1e-6, Double.isFinite(ref.frameNoise()) ? ref.frameNoise() : 1);
        double scale = asinh((top - sky) / noise);
        // FITS row 0 at the bottom, as astronomers show images
        BufferedImage img = new BufferedImage(ow, oh, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < oh; y++) {
            for (int x = 0; x < ow; x++) {
                double p = v[y * ow + x];
                int g = !Double.isFinite(p) ? 0 : (int) Math.round(255 * Math.max(0, Math.min(1,
                        asinh(Math.max(0, p - sky) / noise) / scale)));
                img.setRGB(x, oh - 1 - y, (g << 16) | (g << 8) | g);
            }
        }
        Graphics2D gfx = img.createGraphics();
        gfx.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        gfx.setColor(new Color(255, 80, 60));
        gfx.setStroke(new BasicStroke(1f));
        for (Star s : stars.subList(0, Math.min(MAX_CIRCLES, stars.size()))) {
            double r = Math.max(2, s.radius() / bin * 2);
            double cx = (s.x() + 0.5) / bin;
            double cy = oh - (s.y() + 0.5) / bin;
            gfx.drawOval((int) Math.round(cx - r), (int) Math.round(cy - r), (int) Math.round(2 * r),
                    (int) Math.round(2 * r));
        }
        gfx.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            javax.imageio.ImageIO.write(img, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static double asinh(double x) {
        return Math.log(x + Math.sqrt(x * x + 1));
    }
}
