package org.tessexo.common.photometry;

import org.tessexo.common.fits.DecodedImage;
import org.tessexo.common.fits.ScienceRegion;

import java.util.ArrayList;
import java.util.List;

/**
 * The same photometry as on full frames ({@link FramePhotometry}), on a stack of FFI pixels around one star (a
 * TESScut cutout, a target pixel file, a TGLC cube): the median of the unflagged planes is the reference, the star
 * is the peak within {@link #SEARCH_RADIUS} pixels of the cutout's centre (where cutouts put their target), centroided
 * as {@link StarFinder} does; its aperture is sized on the reference among the radii that leave a background ring
 * inside the cutout; every plane is measured, and the pointing correction applied.
 */
public final class CubePhotometry {
    static final double SEARCH_RADIUS = 1.5;
    static final double GAP = 0.5;
    static final double RING = 3;

    private CubePhotometry() {
    }

    /** The star's light curve (flux corrected for the pointing; raw as {@code sapFlux}), or why there is none. */
    public record Result(Star star, double[] flux, double[] sapFlux, double[] error, double[] background,
                         double[] centroidX, double[] centroidY, double[] pointingX, double[] pointingY,
                         String problem) {
    }

    public static Result measure(float[][][] planes, double[] time, int[] quality, double exposureSeconds,
                                 double[] radii) {
        int n = planes.length;
        int h = planes[0].length;
        int w = planes[0][0].length;
        if (h < 3 || w < 3) {
            return failed("a cutout of " + h + " x " + w + " pixels leaves no room for a background");
        }
        List<DecodedImage> good = new ArrayList<>();
        List<DecodedImage> all = new ArrayList<>();
        float[][] flat = new float[n][];
        for (int i = 0; i < n; i++) {
            if (planes[i].length != h || planes[i][0].length != w) {
                return failed("plane " + i + " is " + planes[i].length + " x " + planes[i][0].length);
            }
            flat[i] = new float[h * w];
            for (int y = 0; y < h; y++) {
                System.arraycopy(planes[i][y], 0, flat[i], y * w, w);
            }
            DecodedImage d = new DecodedImage(flat[i], h, w, 0, "", null, quality[i]);
            all.add(d);
            if (quality[i] == 0) {
                good.add(d);
            }
        }
        MedianStack.Result ref = MedianStack.of(good.size() >= 3 ? good : all);
        ScienceRegion region = new ScienceRegion(1, w, 1, h);
        double cx = (w - 1) / 2.0;
        double cy = (h - 1) / 2.0;
        int px = -1;
        int py = -1;
        double best = Double.NEGATIVE_INFINITY;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float v = ref.pixels()[y * w + x];
                if (Math.hypot(x - cx, y - cy) <= SEARCH_RADIUS && v > best) {
                    best = v;
                    px = x;
                    py = y;
                }
            }
        }
        if (px < 0) {
            return failed("no finite pixel near the cutout's centre");
        }
        double[] c = StarFinder.windowed(ref.pixels(), w, h, px, py);
        double room = Math.min(Math.min(c[0], w - 1 - c[0]), Math.min(c[1], h - 1 - c[1]));
        double[] fit = java.util.Arrays.stream(radii).filter(r -> r + GAP + 1 <= room + 1.5).toArray();
        if (fit.length == 0) {
            fit = new double[] {1.0};
        }
        Star star = new Star("", 0, Double.NaN, Double.NaN, c[0], c[1], Double.NaN, c[2], 0);
        star = FramePhotometry.sizeApertures(List.of(star), ref, region, fit, GAP, RING, exposureSeconds).stars()
                .get(0);
        FramePhotometry phot = new FramePhotometry(List.of(star), h, w, region, GAP, RING);
        double[] flux = new double[n];
        double[] err = new double[n];
        double[] bkg = new double[n];
        double[] cxs = new double[n];
        double[] cys = new double[n];
        double[] ox = new double[n];
        double[] oy = new double[n];
        boolean[] use = new boolean[n];
        for (int i = 0; i < n; i++) {
            FramePhotometry.Measures m = phot.measure(flat[i], exposureSeconds);
            flux[i] = m.flux()[0];
            err[i] = m.error()[0];
            bkg[i] = m.background()[0];
            cxs[i] = m.centroidX()[0];
            cys[i] = m.centroidY()[0];
            // one star: its own centroid's shift is the pointing
            ox[i] = cxs[i] - star.x();
            oy[i] = cys[i] - star.y();
            use[i] = quality[i] == 0 && Double.isFinite(flux[i]);
        }
        double[] corrected = PointingDecorrelation.correct(time, flux, ox, oy, use);
        return new Result(star, corrected, flux, err, bkg, cxs, cys, ox, oy, "");
    }

    private static Result failed(String why) {
        return new Result(null, null, null, null, null, null, null, null, null, why);
    }
}
