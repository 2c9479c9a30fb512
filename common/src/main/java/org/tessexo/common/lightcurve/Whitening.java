package org.tessexo.common.lightcurve;

import org.tessexo.common.stats.RobustStats;

/**
 * The light curve a box search reads so that its power is the likelihood against the correlated noise it holds, not
 * against white noise: the whitened matched filter of Kepler's Transiting Planet Search (Jenkins 2002), in the time
 * domain.
 *
 * <p>The noise of the detrended flux is modelled as autoregressive, {@code y_i = sum_j phi_j y_(i-j) + e_i} with
 * white {@code e} (Yule-Walker, by Levinson-Durbin, on the autocovariance at lags up to {@code order} cadences,
 * measured on a regular cadence grid without the outliers; the order by Akaike's criterion). Its whitening filter
 * {@code A} (the prediction error, {@code a = (1, -phi_1, ..., -phi_p) / sigma_e}) turns the noise white; for a
 * box {@code b} the whitened matched filter's statistic is {@code b' A' A y}, a plain sum over the box of
 * {@code u = A' A y} (the inverse of the noise covariance applied to the flux). A box search over {@code u}
 * therefore is the whitened search: over a transit's cadences, {@code u} has the same cumulative sums, folds and
 * boxes as the flux.
 *
 * <p>The statistic's variance for a box of {@code L} cadences is {@code L (sum a)^2} inside the box plus a constant
 * at each of its edges ({@link #varianceOfBox}); {@link #flux()} and {@link #err()} put the first into the search's
 * weights ({@code u / (sum a)^2} at weight {@code (sum a)^2}: a box's depth comes out as the transit's depth) and
 * {@link #durationWeights} the second, one factor per trial duration. On white noise {@code a = (1) / sigma}: the
 * flux is returned as it was, at equal weights.
 *
 * <p>After a gap (the data's, or a masked transit) the innovations are taken with the predictor of as many
 * cadences as the stretch holds so far (the lower orders of the same recursion), so that they are white from the
 * first cadence on: the exact whitening of each stretch (its covariance's Cholesky factor), not zeros standing in
 * for the missing cadences, which would make the cadences after every gap stand out (and a train of masked
 * transits a periodic signal). The autocovariance is measured without the cadences beyond {@code CLIP_SIGMA}
 * robust sigmas (a deep transit's or an eclipse's, which the filter then passes as they are).
 */
public final class Whitening {
    /** Cadences more than this many robust sigmas from the median are left out of the autocovariance. */
    static final double CLIP_SIGMA = 4;

    /** Lags at most (10 hours of 2-minute cadences are 300; 20-second ones are held to 2.8 hours). */
    static final int MAX_ORDER = 512;
    /** A cadence grid at most this many times the cadences (plus a constant): gaps, not a sparse sampling. */
    static final int MAX_GRID_PER_CADENCE = 20;

    private final double[] flux;
    private final double[] err;
    private final double[] filter;
    private final double cadence;

    private Whitening(double[] flux, double[] err, double[] filter, double cadence) {
        this.flux = flux;
        this.err = err;
        this.filter = filter;
        this.cadence = cadence;
    }

    /** The searched flux, {@code 1 + u / (sum a)^2}, one per cadence given. */
    public double[] flux() {
        return flux;
    }

    /** Its errors: {@code 1 / |sum a|} for every cadence. */
    public double[] err() {
        return err;
    }

    /** The whitening filter {@code a}, in units of 1 / flux. */
    public double[] filter() {
        return filter.clone();
    }

    /**
     * The whitening of a detrended light curve (flux near 1).
     *
     * @param time    increasing
     * @param flux    finite
     * @param cadence the time between cadences (days)
     * @param order   the autoregressive model's highest order, in cadences (the longest lag of correlated noise it
     *                may follow; Akaike's criterion chooses up to it, and {@link #MAX_ORDER} bounds it)
     */
    public static Whitening of(double[] time, double[] flux, double cadence, int order) {
        if (!applicable(time, cadence)) {
            throw new IllegalArgumentException("cadences too sparse for a grid of " + cadence + "-day cadences: "
                    + time.length + " over " + (time[time.length - 1] - time[0]) + " days");
        }
        int n = time.length;
        int[] slot = new int[n];
        for (int i = 0; i < n; i++) {
            slot[i] = (int) Math.round((time[i] - time[0]) / cadence);
        }
        int slots = slot[n - 1] + 1;
        double median = RobustStats.median(flux.clone(), n);
        double sigma = 1.4826 * RobustStats.mad(flux);
        double[] y = new double[slots];
        boolean[] has = new boolean[slots];
        boolean[] typical = new boolean[slots]; // the autocovariance is measured without outliers (deep dips)
        for (int i = 0; i < n; i++) {
            double v = flux[i] - median;
            y[slot[i]] = v;
            has[slot[i]] = true;
            typical[slot[i]] = Math.abs(v) <= CLIP_SIGMA * sigma;
        }
        int p = Math.max(0, Math.min(Math.min(order, MAX_ORDER), n / 10));
        double[] acov = new double[p + 1];
        for (int k = 0; k <= p; k++) {
            double sum = 0;
            int pairs = 0;
            for (int i = 0; i + k < slots; i++) {
                if (typical[i] && typical[i + k]) {
                    sum += y[i] * y[i + k];
                    pairs++;
                }
            }
            acov[k] = pairs > 0 ? sum / pairs : 0;
        }
        double[][] filters = filters(acov, n);
        double[] a = filters[filters.length - 1];
        int fitted = a.length - 1;
        // e = A y, the innovations: after a gap the predictor of as many cadences as the stretch has so far (each
        // order's own filter, from the same recursion), so that e is white from a stretch's first cadence on
        int[] run = new int[slots]; // cadences present just before each slot, up to the order
        double[] e = new double[slots];
        for (int i = 0; i < slots; i++) {
            run[i] = i == 0 || !has[i - 1] ? 0 : Math.min(fitted, run[i - 1] + 1);
            if (!has[i]) {
                continue;
            }
            double[] f = filters[run[i]];
            double v = 0;
            for (int j = 0; j < f.length; j++) {
                v += f[j] * y[i - j];
            }
            e[i] = v;
        }
        // u = A' e: each cadence's share of the innovations that used it
        double sumA = 0;
        for (double v : a) {
            sumA += v;
        }
        double s2 = sumA * sumA;
        double[] out = new double[n];
        double[] outErr = new double[n];
        for (int i = 0; i < n; i++) {
            int at = slot[i];
            double u = 0;
            for (int j = 0; j <= fitted && at + j < slots && has[at + j]; j++) {
                u += filters[run[at + j]][j] * e[at + j];
            }
            out[i] = 1 + u / s2;
            outErr[i] = 1 / Math.abs(sumA);
        }
        return new Whitening(out, outErr, a, cadence);
    }

    /**
     * Whether the cadences sit on a grid of {@code cadence} with gaps, as a light curve's do (not a sparse sampling of
     * a long baseline, whose grid would be mostly empty): what {@link #of} needs.
     */
    public static boolean applicable(double[] time, double cadence) {
        int n = time.length;
        return n >= 2 && cadence > 0 && Double.isFinite(cadence)
                && (time[n - 1] - time[0]) / cadence + 1 <= (double) MAX_GRID_PER_CADENCE * n + 1000;
    }

    /**
     * The prediction error filter of the autocovariance {@code acov} (lags 0..p) measured on {@code n} cadences,
     * scaled to unit innovation ({@link #filters}' last).
     */
    static double[] predictionError(double[] acov, int n) {
        double[][] f = filters(acov, n);
        return f[f.length - 1];
    }

    /**
     * The prediction error filters of orders 0 to P, each scaled to unit innovation: Levinson-Durbin, to the order P
     * that minimizes Akaike's criterion {@code n ln(v_m) + 2 m} ({@code v_m} the innovation variance at order m), so
     * that white noise keeps a filter of (nearly) one coefficient rather than p coefficients fitted to the
     * autocovariance's sampling noise (each of which would weigh on a short box's edges); stopped early where the
     * covariance is singular. The lower orders whiten the first cadences after a gap.
     */
    static double[][] filters(double[] acov, int n) {
        int p = acov.length - 1;
        if (!(acov[0] > 0)) {
            return new double[][] {{1}};
        }
        java.util.List<double[]> out = new java.util.ArrayList<>();
        double[] phi = new double[p + 1];
        double v = acov[0];
        out.add(scaled(phi, 0, v));
        int bestOrder = 0;
        double bestAic = n * Math.log(v);
        for (int m = 1; m <= p; m++) {
            double num = acov[m];
            for (int j = 1; j < m; j++) {
                num -= phi[j] * acov[m - j];
            }
            double k = num / v;
            if (!(Math.abs(k) < 1)) {
                break;
            }
            double[] next = phi.clone();
            next[m] = k;
            for (int j = 1; j < m; j++) {
                next[j] = phi[j] - k * phi[m - j];
            }
            phi = next;
            v *= 1 - k * k;
            out.add(scaled(phi, m, v));
            double aic = n * Math.log(v) + 2 * m;
            if (aic < bestAic) {
                bestAic = aic;
                bestOrder = m;
            }
        }
        return out.subList(0, bestOrder + 1).toArray(new double[0][]);
    }

    /** {@code (1, -phi_1, ..., -phi_m) / sqrt(v)}. */
    private static double[] scaled(double[] phi, int m, double v) {
        double scale = 1 / Math.sqrt(v);
        double[] a = new double[m + 1];
        a[0] = scale;
        for (int j = 1; j <= m; j++) {
            a[j] = -phi[j] * scale;
        }
        return a;
    }

    /** {@code ||A b||^2} for a box of {@code cadences} cadences: the whitened statistic's variance for one transit. */
    static double varianceOfBox(double[] a, int cadences) {
        double var = 0;
        for (int i = 0; i < cadences + a.length - 1; i++) {
            double v = 0;
            for (int j = 0; j < a.length; j++) {
                int at = i - j;
                if (at >= 0 && at < cadences) {
                    v += a[j];
                }
            }
            var += v * v;
        }
        return var;
    }

    /**
     * One weight per trial duration for {@link BoxLeastSquares#power}: the box's variance inside
     * ({@code L (sum a)^2}) over its whole variance, edges included, so that the power is the squared whitened SNR.
     */
    public double[] durationWeights(double[] durations) {
        double sumA = 0;
        for (double v : filter) {
            sumA += v;
        }
        double[] g = new double[durations.length];
        for (int k = 0; k < g.length; k++) {
            int cadences = Math.max(1, (int) Math.round(durations[k] / cadence));
            g[k] = cadences * sumA * sumA / varianceOfBox(filter, cadences);
        }
        return g;
    }
}
