package org.tessexo.common.photometry;

import org.tessexo.common.image.Png;

import java.util.Arrays;
import java.util.List;

/**
 * A picture of a CCD's reference image with its stars: the image binned down to at most {@code maxSide} pixels a
 * side (the mean of each block), an asinh stretch between the sky and the brightest stars, each measured star's
 * aperture drawn as a circle (the brightest {@link #MAX_CIRCLES}), written by {@link Png}. What a user checks
 * first: are the stars where the circles are, and are the circles on stars.
 */
public final class ReferenceFigure {
    static final int MAX_CIRCLES = 3000;
    static final int CIRCLE = 0xff503c;

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
        double[] sorted = new double[v.length];
        int finite = 0;
        for (double p : v) {
            if (Double.isFinite(p)) {
                sorted[finite++] = p;
            }
        }
        Arrays.sort(sorted, 0, finite);
        double sky = finite == 0 ? 0 : sorted[finite / 2];
        double top = finite == 0 ? 1 : sorted[(int) (0.999 * (finite - 1))];
        double noise = Math.max(1e-6, Double.isFinite(ref.frameNoise()) ? ref.frameNoise() : 1);
        double scale = asinh((top - sky) / noise);
        // FITS row 0 at the bottom, as astronomers show images
        int[] rgb = new int[ow * oh];
        for (int y = 0; y < oh; y++) {
            for (int x = 0; x < ow; x++) {
                double p = v[y * ow + x];
                int g = !Double.isFinite(p) ? 0 : (int) Math.round(255 * Math.max(0, Math.min(1,
                        asinh(Math.max(0, p - sky) / noise) / scale)));
                rgb[(oh - 1 - y) * ow + x] = (g << 16) | (g << 8) | g;
            }
        }
        for (Star s : stars.subList(0, Math.min(MAX_CIRCLES, stars.size()))) {
            circle(rgb, ow, oh, (s.x() + 0.5) / bin, oh - (s.y() + 0.5) / bin, Math.max(2, s.radius() / bin * 2));
        }
        return Png.rgb(rgb, ow, oh);
    }

    /**
     * A one-pixel circle: the pixels whose centres lie within half a pixel of radius {@code r} about (cx, cy), in the
     * picture's continuous coordinates (pixel (x, y) spans x..x+1, y..y+1, top row 0).
     */
    static void circle(int[] rgb, int w, int h, double cx, double cy, double r) {
        int xa = Math.max(0, (int) Math.floor(cx - r - 1));
        int xb = Math.min(w - 1, (int) Math.ceil(cx + r + 1));
        int ya = Math.max(0, (int) Math.floor(cy - r - 1));
        int yb = Math.min(h - 1, (int) Math.ceil(cy + r + 1));
        double lo = Math.max(0, r - 0.5) * Math.max(0, r - 0.5);
        double hi = (r + 0.5) * (r + 0.5);
        for (int y = ya; y <= yb; y++) {
            double dy = y + 0.5 - cy;
            for (int x = xa; x <= xb; x++) {
                double dx = x + 0.5 - cx;
                double d2 = dx * dx + dy * dy;
                if (d2 >= lo && d2 <= hi) {
                    rgb[y * w + x] = CIRCLE;
                }
            }
        }
    }

    private static double asinh(double x) {
        return Math.log(x + Math.sqrt(x * x + 1));
    }
}
