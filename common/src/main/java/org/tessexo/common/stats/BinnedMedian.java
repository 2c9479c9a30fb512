package org.tessexo.common.stats;

import java.util.Arrays;

/**
 * The exact median of many short arrays (a star's background annulus, once per star and frame), by binning
 * (Tibshirani 2008, "binmedian"): the median lies within one standard deviation of the mean, so the values are
 * counted into bins over [mean - sd, mean + sd], the bin that holds the middle rank is found from the counts, and
 * only that bin's few values are ordered. Three simple passes that the CPU predicts well, where a quickselect's
 * comparisons on noise are coin flips; the result is the same value as {@link RobustStats#median(double[], int)}.
 * Not thread-safe (it keeps its counts): one per thread.
 */
public final class BinnedMedian {
    /** Bins per value: about one value per bin where the values are densest. */
    static final int BINS_PER_VALUE = 2;
    /** Below this many values {@link RobustStats#median(double[], int)} (an insertion sort there) is as fast. */
    static final int MIN_VALUES = 16;
    /** The middle bins are ordered when they hold at most this many values, else binned again. */
    static final int FEW = 12;
    static final int MAX_ROUNDS = 4;

    private int[] counts = new int[0];
    private int[] bins = new int[0];
    private double[] inBin = new double[0];

    /** The median of the finite values {@code a[0..n)}; may reorder {@code a} (when there are few or all equal). */
    public double of(double[] a, int n) {
        if (n < MIN_VALUES) {
            return RobustStats.median(a, n);
        }
        // mean and sd in one pass, about the first value (no cancellation however far the values are from zero),
        // in two interleaved sums each (the adds of one chain wait on each other, two chains overlap)
        double shift = a[0];
        double s0 = 0;
        double s1 = 0;
        double q0 = 0;
        double q1 = 0;
        int i = 0;
        for (; i + 1 < n; i += 2) {
            double d0 = a[i] - shift;
            double d1 = a[i + 1] - shift;
            s0 += d0;
            s1 += d1;
            q0 += d0 * d0;
            q1 += d1 * d1;
        }
        if (i < n) {
            double d = a[i] - shift;
            s0 += d;
            q0 += d * d;
        }
        double meanShifted = (s0 + s1) / n;
        double sd = Math.sqrt(Math.max(0, (q0 + q1) / n - meanShifted * meanShifted));
        double mean = shift + meanShifted;
        if (!(sd > 0) || !Double.isFinite(mean + sd)) {
            return RobustStats.median(a, n);
        }
        int nBins = BINS_PER_VALUE * n;
        if (counts.length < nBins + 2) {
            counts = new int[nBins + 2];
        }
        if (inBin.length < n) {
            inBin = new double[n];
            bins = new int[n];
        }
        int k2 = n / 2;
        int k1 = n % 2 == 1 ? k2 : k2 - 1;
        double lo = mean - sd;
        double width = 2 * sd;
        for (int round = 0; round < MAX_ROUNDS; round++) {
            // bin 0 counts the values below lo, bins + 1 those above lo + width; no branch in the loop to
            // mispredict (a value is as likely above the median as below it); each value's bin kept for the
            // gathering below
            double scale = nBins / width;
            Arrays.fill(counts, 0, nBins + 2, 0);
            for (int j = 0; j < n; j++) {
                int b = bin(a[j], lo, scale, nBins);
                bins[j] = b;
                counts[b]++;
            }
            // the bins of the two middle ranks (the same rank when n is odd), and the count below the first
            int b1 = -1;
            int b2 = -1;
            int before1 = 0;
            int c = 0;
            for (int b = 0; b < nBins + 2; b++) {
                if (b1 < 0 && c + counts[b] > k1) {
                    b1 = b;
                    before1 = c;
                }
                if (c + counts[b] > k2) {
                    b2 = b;
                    break;
                }
                c += counts[b];
            }
            if (b1 == 0 || b2 == nBins + 1) {
                break; // rounding at the interval's edges (the median lies within it): exact by selection below
            }
            int inside = c + counts[b2] - before1;
            if (inside <= FEW || round == MAX_ROUNDS - 1) {
                int m = 0;
                int span = b2 - b1;
                for (int j = 0; j < n; j++) {
                    int d = bins[j] - b1;
                    inBin[m] = a[j];
                    m += ((d | (span - d)) >>> 31) ^ 1; // 0 <= d <= span, without a branch
                }
                if (m <= FEW) {
                    Arrays.sort(inBin, 0, m);
                    return 0.5 * (inBin[k1 - before1] + inBin[k2 - before1]);
                }
                break;
            }
            // many values in the middle bins (a bright star in the annulus widens sd): bin them again, finer
            lo += (b1 - 1) / scale;
            width = (b2 - b1 + 1) / scale;
        }
        return RobustStats.median(a, n);
    }

    /** A value's bin: 1 + its bin in [lo, lo + bins / scale), 0 below, bins + 1 above. */
    private static int bin(double v, double lo, double scale, int bins) {
        // (int) truncates towards zero and saturates: shifted by one bin, everything below lo lands at or under 0
        return Math.max(0, Math.min(bins + 1, (int) ((v - lo) * scale + 1)));
    }
}
