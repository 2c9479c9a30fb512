package org.tessexo.common.lightcurve;

import org.tessexo.common.stats.RobustStats;

import java.util.Arrays;

/**
 * Removes the star's slow variability and the instrument's drifts while keeping transits: each cadence is divided
 * by a robust location of the flux in a time window centred on it (a sliding Tukey biweight, as wotan's default, or
 * a sliding median). A transit shorter than about a third of the window barely moves the biweight, so its depth
 * survives; the window should be about three times the longest transit sought (0.75 day by default).
 */
public final class Detrender {
    /** Tukey's biweight tuning constant, in MADs (wotan's default). */
    static final double BIWEIGHT_C = 5.0;
    static final int BIWEIGHT_ITERATIONS = 5;

    public enum Method { BIWEIGHT, MEDIAN }

    private Detrender() {
    }

    /**
     * The trend under {@code flux}: for each cadence, the location of the finite fluxes within
     * {@code window / 2} days of it. Cadences with fewer than 3 neighbours in their window get NaN.
     *
     * @param time increasing
     */
    public static double[] trend(double[] time, double[] flux, double window, Method method) {
        int n = time.length;
        double[] trend = new double[n];
        double[] buf = new double[Math.max(16, n)];
        double[] dev = new double[buf.length];
        double half = window / 2;
        int lo = 0;
        int hi = 0; // window = [lo, hi)
        for (int i = 0; i < n; i++) {
            while (time[lo] < time[i] - half) {
                lo++;
            }
            while (hi < n && time[hi] <= time[i] + half) {
                hi++;
            }
            int k = 0;
            for (int j = lo; j < hi; j++) {
                if (Double.isFinite(flux[j])) {
                    buf[k++] = flux[j];
                }
            }
            if (k < 3) {
                trend[i] = Double.NaN;
                continue;
            }
            trend[i] = method == Method.MEDIAN ? RobustStats.median(buf, k) : biweight(buf, dev, k);
        }
        return trend;
    }

    /** The flux divided by its trend (cadences without a trend become NaN). */
    public static double[] flatten(double[] time, double[] flux, double window, Method method) {
        double[] t = trend(time, flux, window, method);
        double[] out = new double[flux.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = flux[i] / t[i];
        }
        return out;
    }

    /**
     * Tukey's biweight location of {@code a[0..n)}: start at the median, then reweight each value by
     * {@code (1 - u^2)^2} with {@code u = (x - m) / (c * MAD)} (zero beyond), a few times. Reorders {@code a}.
     */
    static double biweight(double[] a, double[] dev, int n) {
        double m = RobustStats.median(a, n);
        for (int it = 0; it < BIWEIGHT_ITERATIONS; it++) {
            for (int j = 0; j < n; j++) {
                dev[j] = Math.abs(a[j] - m);
            }
            double mad = RobustStats.median(Arrays.copyOf(dev, n), n);
            if (!(mad > 0)) {
                return m;
            }
            double scale = 1 / (BIWEIGHT_C * mad);
            double num = 0;
            double den = 0;
            for (int j = 0; j < n; j++) {
                double u = (a[j] - m) * scale;
                if (u * u < 1) {
                    double w = (1 - u * u) * (1 - u * u);
                    num += w * (a[j] - m);
                    den += w;
                }
            }
            double step = den > 0 ? num / den : 0;
            m += step;
            if (Math.abs(step) < 1e-10 * Math.max(1, Math.abs(m))) {
                break;
            }
        }
        return m;
    }
}
