package org.tessexo.common.stats;

/** Robust statistics on double arrays: medians by selection (expected linear time), not by sorting. */
public final class RobustStats {
    private RobustStats() {
    }

    /** Up to this many values are sorted by insertion: fewer moves than a selection's coin-flip comparisons. */
    static final int INSERTION_SORT_MAX = 24;

    /** The median of {@code a[0..n)}; reorders {@code a}. */
    public static double median(double[] a, int n) {
        if (n == 0) {
            return Double.NaN;
        }
        if (n <= INSERTION_SORT_MAX) {
            // a reference image's per-pixel median of ~10 frames (4.4 million of them a CCD): 1.5x a selection's speed
            for (int i = 1; i < n; i++) {
                double v = a[i];
                int j = i - 1;
                while (j >= 0 && a[j] > v) {
                    a[j + 1] = a[j];
                    j--;
                }
                a[j + 1] = v;
            }
            return n % 2 == 1 ? a[n / 2] : 0.5 * (a[n / 2 - 1] + a[n / 2]);
        }
        double upper = select(a, n, n / 2);
        if (n % 2 == 1) {
            return upper;
        }
        double lower = a[0];
        for (int i = 1; i < n / 2; i++) {
            lower = Math.max(lower, a[i]);
        }
        return 0.5 * (lower + upper);
    }

    /**
     * The white noise per value: the robust standard deviation of the differences between finite neighbours, over
     * sqrt(2) (1.4826 x their MAD / sqrt(2)), blind to anything slower than a step; NaN with fewer than two.
     */
    public static double pointToPointScatter(double[] a) {
        double[] diff = new double[Math.max(0, a.length - 1)];
        int m = 0;
        for (int i = 1; i < a.length; i++) {
            if (Double.isFinite(a[i]) && Double.isFinite(a[i - 1])) {
                diff[m++] = a[i] - a[i - 1];
            }
        }
        return m < 1 ? Double.NaN : 1.4826 * mad(java.util.Arrays.copyOf(diff, m)) / Math.sqrt(2);
    }

    /** The median absolute deviation from the median of the finite values of {@code a} (a is not changed). */
    public static double mad(double[] a) {
        double[] c = finite(a);
        int n = c.length;
        if (n == 0) {
            return Double.NaN;
        }
        double m = median(c, n);
        for (int i = 0; i < n; i++) {
            c[i] = Math.abs(c[i] - m);
        }
        return median(c, n);
    }

    /**
     * The running median of {@code a}: each value's median over the values within {@code kernel / 2} of it (fewer at
     * the ends, where the window is cut); non-finite values are left out of the windows, and their own entries are
     * NaN. A sorted window updated by one insertion and one removal per step: {@code O(n x kernel)} moves at most.
     */
    public static double[] runningMedian(double[] a, int kernel) {
        if (kernel < 1) {
            throw new IllegalArgumentException("kernel must be at least 1, not " + kernel);
        }
        int n = a.length;
        int half = kernel / 2;
        double[] out = new double[n];
        double[] window = new double[Math.min(n, 2 * half + 1)];
        int size = 0;
        int added = 0;
        int removed = 0;
        for (int i = 0; i < n; i++) {
            for (; removed < i - half; removed++) {
                if (Double.isFinite(a[removed])) {
                    int at = java.util.Arrays.binarySearch(window, 0, size, a[removed]);
                    System.arraycopy(window, at + 1, window, at, size - at - 1);
                    size--;
                }
            }
            for (; added < n && added <= i + half; added++) {
                if (Double.isFinite(a[added])) {
                    int at = java.util.Arrays.binarySearch(window, 0, size, a[added]);
                    at = at < 0 ? -at - 1 : at;
                    System.arraycopy(window, at, window, at + 1, size - at);
                    window[at] = a[added];
                    size++;
                }
            }
            if (!Double.isFinite(a[i]) || size == 0) {
                out[i] = Double.NaN;
            } else {
                out[i] = size % 2 == 1 ? window[size / 2] : 0.5 * (window[size / 2 - 1] + window[size / 2]);
            }
        }
        return out;
    }

    public static double[] finite(double[] a) {
        int n = 0;
        for (double v : a) {
            n += Double.isFinite(v) ? 1 : 0;
        }
        double[] c = new double[n];
        int k = 0;
        for (double v : a) {
            if (Double.isFinite(v)) {
                c[k++] = v;
            }
        }
        return c;
    }

    private static double select(double[] a, int n, int k) {
        int lo = 0;
        int hi = n - 1;
        while (lo < hi) {
            double pivot = a[(lo + hi) >>> 1];
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (a[i] < pivot) {
                    i++;
                }
                while (a[j] > pivot) {
                    j--;
                }
                if (i <= j) {
                    double t = a[i];
                    a[i] = a[j];
                    a[j] = t;
                    i++;
                    j--;
                }
            }
            if (k <= j) {
                hi = j;
            } else if (k >= i) {
                lo = i;
            } else {
                return a[k];
            }
        }
        return a[k];
    }
}
