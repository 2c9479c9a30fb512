package org.tessexo.common.photometry;

import org.tessexo.common.stats.RobustStats;

/**
 * Removes what the pointing does to a star's aperture flux. A fixed aperture catches a slightly different share of
 * the star as the spacecraft's pointing jitters and jumps (momentum dumps): for a bright star that is more than
 * its photon noise (1.3-1.4x at 0.02 pixel of jitter on the generated sector).
 *
 * <p>The flux's fast part (the flux over its own slow trend) is fitted by least squares with a quadratic in the
 * frame's pointing offset (dx, dy, dx^2, dy^2, dx dy), and the fitted term divided out of the flux. The trend is
 * first a running median over {@link #WINDOW_DAYS} (robust to eclipses, which the first clip takes out: outliers
 * beyond 4 robust sigma where the pointing is as usual), then a local quadratic of the flux with the last fit's
 * pointing term divided out (a median filter bends a star's curved wave, which would then leak into the fit); the
 * trend and the pointing terms are fitted in turn, each fit's outliers left out of the next. A transit is not
 * correlated with the pointing: five coefficients over a sector's cadences leave its depth as it was.
 */
public final class PointingDecorrelation {
    static final double WINDOW_DAYS = 0.5;
    static final int TERMS = 5;
    static final int PASSES = 6;

    private PointingDecorrelation() {
    }

    /**
     * @param use the cadences the fit may use (unflagged, finite); the correction applies to every cadence
     * @return the corrected flux (a copy); the flux itself when there are too few cadences to fit
     */
    public static double[] correct(double[] time, double[] flux, double[] dx, double[] dy, boolean[] use) {
        int n = flux.length;
        boolean[] fit = new boolean[n];
        int count = 0;
        for (int i = 0; i < n; i++) {
            fit[i] = use[i] && Double.isFinite(flux[i]) && Double.isFinite(dx[i]) && Double.isFinite(dy[i]);
            count += fit[i] ? 1 : 0;
        }
        if (count < 10 * TERMS) {
            return flux.clone();
        }
        // the fast part: first against a running median (robust to eclipses, which the first clip then takes
        // out), then against a local quadratic of what is left (a median filter bends a star's curved wave)
        double[] fast = new double[n];
        relative(flux, runningMedian(time, flux, fit), fit, fast);
        clip(fast, fit, null, dx, dy);
        double[] coef = null;
        // the trend and the pointing terms fitted in turn: each pass's trend is of the flux with the last pass's
        // pointing term divided out, and outliers of each fit are left out of the next
        for (int pass = 0; pass < PASSES; pass++) {
            relative(flux, localQuadratic(time, flux, fit, coef, dx, dy), fit, fast);
            coef = leastSquares(fast, dx, dy, fit);
            if (coef == null) {
                return flux.clone();
            }
            if (pass < 2) {
                clip(fast, fit, coef, dx, dy);
            }
        }
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            double m = Double.isFinite(dx[i]) && Double.isFinite(dy[i]) ? model(coef, dx[i], dy[i]) : 0;
            out[i] = flux[i] / (1 + m);
        }
        return out;
    }

    /**
     * Leaves out of the fit the cadences more than 4 robust sigma from the model; without a model (the first pass),
     * only those whose pointing is within 3 robust sigma of its median (the deviation cannot be the pointing's).
     */
    private static void clip(double[] fast, boolean[] fit, double[] coef, double[] dx, double[] dy) {
        int n = fast.length;
        double[] res = new double[n]; // each fitted cadence's residual, computed once for the scale and the test
        int m = 0;
        for (int i = 0; i < n; i++) {
            if (fit[i]) {
                res[i] = fast[i] - (coef == null ? 0 : model(coef, dx[i], dy[i]));
                m++;
            }
        }
        double sigma = 1.4826 * RobustStats.mad(fittedValues(res, fit, m));
        // the pointing's usual range: read by the first clip only (no model yet), so computed there only
        double mx = 0;
        double my = 0;
        double sx = 0;
        double sy = 0;
        if (coef == null) {
            double[] px = fittedValues(dx, fit, m);
            double[] py = fittedValues(dy, fit, m);
            sx = 1.4826 * RobustStats.mad(px); // mad leaves its values as they are; median then reorders them
            sy = 1.4826 * RobustStats.mad(py);
            mx = RobustStats.median(px, m);
            my = RobustStats.median(py, m);
        }
        for (int i = 0; i < n; i++) {
            boolean usual = coef != null || Math.abs(dx[i] - mx) <= 3 * sx && Math.abs(dy[i] - my) <= 3 * sy;
            if (fit[i] && usual && Math.abs(res[i]) > 4 * sigma) {
                fit[i] = false;
            }
        }
    }

    /** The values of the m fitted cadences, in order. */
    private static double[] fittedValues(double[] v, boolean[] fit, int m) {
        double[] out = new double[m];
        int k = 0;
        for (int i = 0; i < v.length; i++) {
            if (fit[i]) {
                out[k++] = v[i];
            }
        }
        return out;
    }

    private static double model(double[] c, double x, double y) {
        return c[0] * x + c[1] * y + c[2] * x * x + c[3] * y * y + c[4] * x * y;
    }

    /** Least squares of fast ~ the pointing terms (no constant: the fast part has median zero); null if singular. */
    private static double[] leastSquares(double[] fast, double[] dx, double[] dy, boolean[] fit) {
        double[][] a = new double[TERMS][TERMS + 1];
        double[] row = new double[TERMS];
        for (int i = 0; i < fast.length; i++) {
            if (!fit[i]) {
                continue;
            }
            double x = dx[i];
            double y = dy[i];
            row[0] = x;
            row[1] = y;
            row[2] = x * x;
            row[3] = y * y;
            row[4] = x * y;
            for (int j = 0; j < TERMS; j++) {
                for (int k = j; k < TERMS; k++) { // the upper triangle: the products are the same either way
                    a[j][k] += row[j] * row[k];
                }
                a[j][TERMS] += row[j] * fast[i];
            }
        }
        for (int j = 1; j < TERMS; j++) {
            for (int k = 0; k < j; k++) {
                a[j][k] = a[k][j];
            }
        }
        return solve(a);
    }

    /** The flux relative to its trend where both are known; a cadence without a trend leaves the fit. */
    private static void relative(double[] flux, double[] trend, boolean[] fit, double[] fast) {
        for (int i = 0; i < flux.length; i++) {
            fast[i] = fit[i] && trend[i] > 0 ? flux[i] / trend[i] - 1 : Double.NaN;
            fit[i] &= Double.isFinite(fast[i]);
        }
    }

    /**
     * The star's own slow change: a quadratic in time fitted, at each cadence, to the fitted cadences within half a
     * window (their flux with the pointing term of {@code coef} divided out, when there is one).
     */
    private static double[] localQuadratic(double[] time, double[] flux, boolean[] use, double[] coef, double[] dx,
                                           double[] dy) {
        int n = flux.length;
        // each used cadence's flux with the pointing term divided out, once (a cadence enters and leaves the window)
        double[] v = new double[n];
        for (int k = 0; k < n; k++) {
            v[k] = !use[k] ? 0 : coef == null ? flux[k] : flux[k] / (1 + model(coef, dx[k], dy[k]));
        }
        // sliding sums of u^p (p = 0..4) and f u^p (p = 0..2), u = time from the first cadence (small powers keep
        // their precision): O(n) whatever the window holds
        double origin = n == 0 ? 0 : time[0];
        double[] s = new double[5];
        double[] f = new double[3];
        double[] out = new double[n];
        double[][] a = new double[3][4];
        double[] sol = new double[3];
        int lo = 0;
        int hi = 0;
        int m = 0;
        for (int i = 0; i < n; i++) {
            while (hi < n && time[hi] <= time[i] + WINDOW_DAYS / 2) {
                m += add(hi, 1, time, v, use, origin, s, f);
                hi++;
            }
            while (lo < n && time[lo] < time[i] - WINDOW_DAYS / 2) {
                m -= add(lo, -1, time, v, use, origin, s, f);
                lo++;
            }
            if (m < 6) {
                out[i] = Double.NaN;
                continue;
            }
            // the normal equations, refilled in place (the solve swaps their rows): no garbage per cadence
            for (int r = 0; r < 3; r++) {
                a[r][0] = s[r];
                a[r][1] = s[r + 1];
                a[r][2] = s[r + 2];
                a[r][3] = f[r];
            }
            double u = time[i] - origin;
            out[i] = solve3(a, sol) ? sol[0] + sol[1] * u + sol[2] * u * u : Double.NaN;
        }
        return out;
    }

    /** Adds (sign 1) or removes (-1) cadence k from the sliding sums; 1 when it counts, else 0. */
    private static int add(int k, int sign, double[] time, double[] value, boolean[] use, double origin, double[] s,
                           double[] f) {
        if (!use[k]) {
            return 0;
        }
        double v = value[k];
        double u = time[k] - origin;
        double up = sign;
        for (int p = 0; p < 5; p++) {
            s[p] += up;
            if (p < 3) {
                f[p] += up * v;
            }
            up *= u;
        }
        return 1;
    }

    /** Gauss-Jordan with partial pivoting on an augmented matrix; null when singular. */
    static double[] solve(double[][] a) {
        double[] x = new double[a.length];
        return solve(a, x) ? x : null;
    }

    /**
     * {@link #solve(double[][], double[])} of a 3 x 4 system written out: the same operations in the same order (the
     * same solution bit for bit), without the loops' bookkeeping; it runs for every cadence of every pass. The
     * eliminated column itself is not updated, as nothing reads it again.
     */
    static boolean solve3(double[][] a, double[] x) {
        double[] r0 = a[0];
        double[] r1 = a[1];
        double[] r2 = a[2];
        double[] t;
        // column 0: pivot, then rows 1 and 2
        if (Math.abs(r1[0]) > Math.abs(r0[0])) {
            if (Math.abs(r2[0]) > Math.abs(r1[0])) {
                t = r0;
                r0 = r2;
                r2 = t;
            } else {
                t = r0;
                r0 = r1;
                r1 = t;
            }
        } else if (Math.abs(r2[0]) > Math.abs(r0[0])) {
            t = r0;
            r0 = r2;
            r2 = t;
        }
        if (Math.abs(r0[0]) < 1e-300) {
            return false;
        }
        double g = r1[0] / r0[0];
        r1[1] -= g * r0[1];
        r1[2] -= g * r0[2];
        r1[3] -= g * r0[3];
        g = r2[0] / r0[0];
        r2[1] -= g * r0[1];
        r2[2] -= g * r0[2];
        r2[3] -= g * r0[3];
        // column 1: pivot between rows 1 and 2, then rows 0 and 2
        if (Math.abs(r2[1]) > Math.abs(r1[1])) {
            t = r1;
            r1 = r2;
            r2 = t;
        }
        if (Math.abs(r1[1]) < 1e-300) {
            return false;
        }
        g = r0[1] / r1[1];
        r0[2] -= g * r1[2];
        r0[3] -= g * r1[3];
        g = r2[1] / r1[1];
        r2[2] -= g * r1[2];
        r2[3] -= g * r1[3];
        // column 2: rows 0 and 1
        if (Math.abs(r2[2]) < 1e-300) {
            return false;
        }
        g = r0[2] / r2[2];
        r0[3] -= g * r2[3];
        g = r1[2] / r2[2];
        r1[3] -= g * r2[3];
        a[0] = r0;
        a[1] = r1;
        a[2] = r2;
        x[0] = r0[3] / r0[0];
        x[1] = r1[3] / r1[1];
        x[2] = r2[3] / r2[2];
        return true;
    }

    /** {@link #solve(double[][])} into {@code x}; false when singular. */
    private static boolean solve(double[][] a, double[] x) {
        int k = a.length;
        for (int c = 0; c < k; c++) {
            int p = c;
            for (int r = c + 1; r < k; r++) {
                if (Math.abs(a[r][c]) > Math.abs(a[p][c])) {
                    p = r;
                }
            }
            double[] t = a[c];
            a[c] = a[p];
            a[p] = t;
            if (Math.abs(a[c][c]) < 1e-300) {
                return false;
            }
            for (int r = 0; r < k; r++) {
                if (r != c) {
                    double f = a[r][c] / a[c][c];
                    for (int j = c; j <= k; j++) {
                        a[r][j] -= f * a[c][j];
                    }
                }
            }
        }
        for (int j = 0; j < k; j++) {
            x[j] = a[j][k] / a[j][j];
        }
        return true;
    }

    /**
     * The running median of the used cadences within half a window of each cadence (time-sorted input): the
     * window's values kept sorted as it slides (a binary search and a shift per cadence in and out), not selected
     * anew at every cadence; the same medians.
     */
    private static double[] runningMedian(double[] time, double[] flux, boolean[] use) {
        int n = flux.length;
        double[] out = new double[n];
        double[] sorted = new double[n];
        int m = 0;
        int lo = 0;
        int hi = 0;
        for (int i = 0; i < n; i++) {
            while (hi < n && time[hi] <= time[i] + WINDOW_DAYS / 2) {
                if (use[hi]) {
                    int at = insertionPoint(sorted, m, flux[hi]);
                    System.arraycopy(sorted, at, sorted, at + 1, m - at);
                    sorted[at] = flux[hi];
                    m++;
                }
                hi++;
            }
            while (lo < n && time[lo] < time[i] - WINDOW_DAYS / 2) {
                if (use[lo]) {
                    int at = insertionPoint(sorted, m, flux[lo]) - 1; // the last value equal to it
                    System.arraycopy(sorted, at + 1, sorted, at, m - at - 1);
                    m--;
                }
                lo++;
            }
            out[i] = m == 0 ? Double.NaN : m % 2 == 1 ? sorted[m / 2] : 0.5 * (sorted[m / 2 - 1] + sorted[m / 2]);
        }
        return out;
    }

    /** The index after the last of {@code sorted[0..m)} that is at most v. */
    private static int insertionPoint(double[] sorted, int m, double v) {
        int lo = 0;
        int hi = m;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] <= v) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
