package org.tessexo.common.photometry;

import org.tessexo.common.fits.ScienceRegion;
import org.tessexo.common.stats.RobustStats;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Other stars' light in a star's aperture, from a model of the CCD's point-spread function: a circular Gaussian whose
 * width is fitted to the curves of growth of the bright, isolated stars of the reference image, integrated over each
 * pixel at each star's own sub-pixel position (so that a narrow aperture's share of a star does not depend on where
 * in its pixel the star sits, as a curve of growth read off other stars does).
 *
 * <p>What it is for: an aperture sized for signal-to-noise alone counts a bright neighbour's light as signal and
 * grows over it; the light curve then carries the neighbour's jitter and variability. SPOC calls the share of a
 * star's own light in its aperture the crowding metric (CROWDSAP). Here each star's total flux is estimated from its
 * widest aperture less its neighbours' modelled light (two rounds), and each aperture's contamination is the sum of
 * its neighbours' total fluxes times their modelled share of it.</p>
 */
public final class Crowding {
    /** A star farther than this many PSF widths beyond an aperture's edge puts nothing in it that counts. */
    static final double REACH_SIGMAS = 5;
    /** The PSF is fitted on at most this many stars, the brightest isolated ones. */
    static final int FIT_STARS = 200;
    /** ... measured at this signal-to-noise or better in the widest aperture. */
    static final double FIT_MIN_SNR = 50;

    private Crowding() {
    }

    /**
     * For star i and radius k, the flux (e-/s) other stars put in star i's aperture of radius {@code radii[k]}
     * ({@code [stars][radii]}), and the PSF width they were modelled with.
     */
    public record Result(double sigma, double[][] contamination) {
        static Result none(int stars, int radii) {
            return new Result(Double.NaN, new double[stars][radii]);
        }
    }

    /**
     * @param flux  flux[k][i]: star i measured on the reference in the aperture of radius {@code radii[k]}
     *              (background subtracted, e-/s); {@code radii} ascending
     * @param noise the flux's noise per star in the widest aperture (e-/s), for choosing the stars to fit on
     */
    public static Result of(List<Star> stars, double[] radii, float[][] flux, float[] noise, ScienceRegion region,
                            int width) {
        int n = stars.size();
        int widest = radii.length - 1;
        double sigma = fitSigma(stars, radii, flux, noise, region, width);
        if (!(sigma > 0) || n < 2) {
            return Result.none(n, radii.length);
        }
        double reach = radii[widest] + REACH_SIGMAS * sigma;
        List<int[]> near = neighbours(stars, reach);
        // each star's share of its own light in each aperture, and each neighbour's share of it
        double[][] self = new double[n][radii.length];
        double[][][] other = new double[n][][];
        for (int i = 0; i < n; i++) {
            Star s = stars.get(i);
            int[] nb = near.get(i);
            other[i] = new double[nb.length][radii.length];
            for (int k = 0; k < radii.length; k++) {
                Aperture ap = Aperture.of(s.x(), s.y(), radii[k], region, width);
                self[i][k] = ap.share(s.x(), s.y(), sigma, width);
                for (int m = 0; m < nb.length; m++) {
                    Star o = stars.get(nb[m]);
                    other[i][m][k] = ap.share(o.x(), o.y(), sigma, width);
                }
            }
        }
        // total fluxes: the widest aperture's flux over the star's share of it, less the neighbours' light (twice)
        double[] total = new double[n];
        for (int i = 0; i < n; i++) {
            total[i] = ownTotal(flux[widest][i], 0, self[i][widest]);
        }
        for (int round = 0; round < 2; round++) {
            double[] next = new double[n];
            for (int i = 0; i < n; i++) {
                double c = 0;
                int[] nb = near.get(i);
                for (int m = 0; m < nb.length; m++) {
                    c += total[nb[m]] * other[i][m][widest];
                }
                next[i] = ownTotal(flux[widest][i], c, self[i][widest]);
            }
            total = next;
        }
        double[][] contamination = new double[n][radii.length];
        for (int i = 0; i < n; i++) {
            int[] nb = near.get(i);
            for (int k = 0; k < radii.length; k++) {
                double c = 0;
                for (int m = 0; m < nb.length; m++) {
                    c += total[nb[m]] * other[i][m][k];
                }
                contamination[i][k] = c;
            }
        }
        return new Result(sigma, contamination);
    }

    /**
     * A star's total flux from its widest aperture's flux less the others' light in it, over its own share of that
     * aperture; 0 where it cannot be told (a flux not measured, a star off the science region): it then puts no
     * light in its neighbours' apertures rather than a NaN.
     */
    private static double ownTotal(float measured, double others, double share) {
        double t = (measured - others) / share;
        return share > 0 && Double.isFinite(t) ? Math.max(0, t) : 0;
    }

    /**
     * The Gaussian width that best matches the bright isolated stars' curves of growth (each radius' flux over the
     * widest's), the median over those stars; NaN when there is none.
     */
    static double fitSigma(List<Star> stars, double[] radii, float[][] flux, float[] noise, ScienceRegion region,
                           int width) {
        int widest = radii.length - 1;
        // isolated: no other star within the widest aperture plus a generous PSF (3 px) beyond it, twice over
        double clear = 2 * (radii[widest] + 3);
        List<int[]> near = neighbours(stars, clear);
        Integer[] order = new Integer[stars.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Float.compare(flux[widest][b], flux[widest][a]));
        List<Double> fitted = new ArrayList<>();
        for (int i : order) {
            if (fitted.size() >= FIT_STARS) {
                break;
            }
            float f = flux[widest][i];
            if (!(f > FIT_MIN_SNR * noise[i]) || near.get(i).length > 0) {
                continue;
            }
            Star s = stars.get(i);
            Aperture[] ap = new Aperture[radii.length];
            double[] growth = new double[radii.length];
            boolean ok = true;
            for (int k = 0; k < radii.length; k++) {
                ap[k] = Aperture.of(s.x(), s.y(), radii[k], region, width);
                growth[k] = flux[k][i] / f;
                ok &= Double.isFinite(growth[k]) && ap[k].weights.length > 0;
            }
            if (ok) {
                fitted.add(bestSigma(ap, growth, s.x(), s.y(), width));
            }
        }
        if (fitted.isEmpty()) {
            return Double.NaN;
        }
        double[] v = fitted.stream().mapToDouble(Double::doubleValue).toArray();
        return RobustStats.median(v, v.length);
    }

    /** Golden-section search of the width (0.3-5 px) whose model curve of growth is nearest the measured one. */
    private static double bestSigma(Aperture[] ap, double[] growth, double x, double y, int width) {
        double lo = 0.3;
        double hi = 5;
        double g = (Math.sqrt(5) - 1) / 2;
        double a = hi - g * (hi - lo);
        double b = lo + g * (hi - lo);
        double fa = misfit(ap, growth, x, y, a, width);
        double fb = misfit(ap, growth, x, y, b, width);
        for (int it = 0; it < 40; it++) {
            if (fa < fb) {
                hi = b;
                b = a;
                fb = fa;
                a = hi - g * (hi - lo);
                fa = misfit(ap, growth, x, y, a, width);
            } else {
                lo = a;
                a = b;
                fa = fb;
                b = lo + g * (hi - lo);
                fb = misfit(ap, growth, x, y, b, width);
            }
        }
        return 0.5 * (lo + hi);
    }

    private static double misfit(Aperture[] ap, double[] growth, double x, double y, double sigma, int width) {
        int widest = ap.length - 1;
        double w = ap[widest].share(x, y, sigma, width);
        double sum = 0;
        for (int k = 0; k < widest; k++) {
            double d = ap[k].share(x, y, sigma, width) / w - growth[k];
            sum += d * d;
        }
        return sum;
    }

    /** For each star, the indices of the other stars within {@code reach} pixels (a grid of reach-sized cells). */
    static List<int[]> neighbours(List<Star> stars, double reach) {
        Map<Long, List<Integer>> cells = new HashMap<>();
        for (int i = 0; i < stars.size(); i++) {
            cells.computeIfAbsent(cell(stars.get(i), reach, 0, 0), c -> new ArrayList<>()).add(i);
        }
        double r2 = reach * reach;
        List<int[]> out = new ArrayList<>(stars.size());
        for (int i = 0; i < stars.size(); i++) {
            Star s = stars.get(i);
            List<Integer> found = new ArrayList<>();
            for (int dy = -1; dy <= 1; dy++) {
                for (int dx = -1; dx <= 1; dx++) {
                    for (int j : cells.getOrDefault(cell(s, reach, dx, dy), List.of())) {
                        Star o = stars.get(j);
                        double ex = o.x() - s.x();
                        double ey = o.y() - s.y();
                        if (j != i && ex * ex + ey * ey <= r2) {
                            found.add(j);
                        }
                    }
                }
            }
            out.add(found.stream().mapToInt(Integer::intValue).toArray());
        }
        return out;
    }

    /**
     * The stars of {@code found} that are none of {@code listed}: farther than {@code within} pixels from every listed
     * star (a star found where a listed one was placed is that star). With a targets table, the stars the reference
     * shows that the table leaves out: their light is in the targets' apertures all the same.
     */
    public static List<Star> unlisted(List<Star> listed, List<Star> found, double within) {
        List<Star> all = new ArrayList<>(listed.size() + found.size());
        all.addAll(listed);
        all.addAll(found);
        List<int[]> near = neighbours(all, within);
        List<Star> out = new ArrayList<>();
        for (int j = 0; j < found.size(); j++) {
            if (Arrays.stream(near.get(listed.size() + j)).allMatch(k -> k >= listed.size())) {
                out.add(found.get(j));
            }
        }
        return out;
    }

    private static long cell(Star s, double size, int dx, int dy) {
        long cx = (long) Math.floor(s.x() / size) + dx;
        long cy = (long) Math.floor(s.y() / size) + dy;
        return (cx << 32) ^ (cy & 0xffffffffL);
    }

    /** An aperture's pixels (row-major indices) and their weights, as {@link FramePhotometry} measures it. */
    record Aperture(int[] pixels, float[] weights) {
        static Aperture of(double cx, double cy, double r, ScienceRegion region, int width) {
            int[][] p = new int[1][];
            float[][] w = new float[1][];
            FramePhotometry.apertureOf(cx, cy, r, region, width, p, w, 0);
            return new Aperture(p[0], w[0]);
        }

        /** The share of a unit Gaussian of width {@code sigma} at (sx, sy) that falls in the aperture. */
        double share(double sx, double sy, double sigma, int width) {
            double s = 0;
            double k = 1 / (Math.sqrt(2) * sigma);
            for (int m = 0; m < pixels.length; m++) {
                int x = pixels[m] % width;
                int y = pixels[m] / width;
                double px = 0.5 * (erf((x + 0.5 - sx) * k) - erf((x - 0.5 - sx) * k));
                double py = 0.5 * (erf((y + 0.5 - sy) * k) - erf((y - 0.5 - sy) * k));
                s += weights[m] * px * py;
            }
            return s;
        }
    }

    /** Below this share of its own light a star's light curve is left as measured (see {@link #decontaminate}). */
    public static final double MIN_CORRECTED = 0.25;

    /**
     * A light curve with other stars' light taken out, as SPOC's PDC does with CROWDSAP: the flux less {@code 1 -
     * crowding} times its median (over the cadences of {@code use}), so that a transit's relative depth is the
     * star's own, not diluted by its neighbours'. Left as it is where the crowding is not known or under
     * {@link #MIN_CORRECTED} (a model that takes most of the light for neighbours would leave a light curve of
     * noise; the crowding column says so instead).
     */
    public static double[] decontaminate(double[] flux, boolean[] use, double crowding) {
        if (!(crowding >= MIN_CORRECTED) || crowding >= 1) {
            return flux;
        }
        double[] v = new double[flux.length];
        int n = 0;
        for (int i = 0; i < flux.length; i++) {
            if (use[i] && Double.isFinite(flux[i])) {
                v[n++] = flux[i];
            }
        }
        if (n == 0) {
            return flux;
        }
        double other = (1 - crowding) * RobustStats.median(v, n);
        double[] out = new double[flux.length];
        for (int i = 0; i < flux.length; i++) {
            out[i] = flux[i] - other;
        }
        return out;
    }

    /** The error function (Abramowitz and Stegun 7.1.26: absolute error under 1.5e-7). */
    static double erf(double x) {
        double t = 1 / (1 + 0.3275911 * Math.abs(x));
        double y = 1 - t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027
                + t * 1.061405429)))) * Math.exp(-x * x);
        return x >= 0 ? y : -y;
    }
}
