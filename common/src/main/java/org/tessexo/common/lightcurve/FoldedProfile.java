package org.tessexo.common.lightcurve;

import org.tessexo.common.stats.RobustStats;

/**
 * A found signal's whole phase curve, removed so that the search can go on past it: the light curve folded at the
 * signal's period, the median of each phase bin, and wherever that median departs significantly from the level
 * the flux is divided by it (linearly between bin centres). For a planet that is its transit; for an eclipsing
 * binary it is both eclipses, eccentric or not, and its ellipsoidal and reflection variation, which masking the
 * found box leaves behind to be found again (the secondary, the box's wings, the out-of-eclipse wave) and which
 * hides a third body's transits. A transit at another period falls into many bins at once, a few cadences in each:
 * the median passes over it, and bins within noise are not touched at all. This is the classic way to look for
 * circumbinary and companion transits (subtracting the binary's folded light curve); pure, no I/O.
 */
public final class FoldedProfile {
    /** Fewest cadences a phase bin holds on average: fewer and the bins are made wider. */
    static final int MIN_POINTS = 15;
    /** Bins per duration of the signal, at most. */
    static final int BINS_PER_DURATION = 8;
    /** A bin's median departs from the level by more than this many of its standard errors to be removed. */
    static final double SIGNIFICANCE = 3;

    private FoldedProfile() {
    }

    /**
     * The model to divide by: 1 where the fold holds nothing significant.
     *
     * @param keep cadences that count (those of earlier signals' transits do not); null: all
     */
    public static double[] model(double[] time, double[] flux, boolean[] keep, double period, double epoch,
                                 double duration) {
        boolean[] use = new boolean[time.length];
        int n = 0;
        for (int i = 0; i < time.length; i++) {
            use[i] = (keep == null || keep[i]) && Double.isFinite(flux[i]);
            n += use[i] ? 1 : 0;
        }
        double[] ones = new double[time.length];
        java.util.Arrays.fill(ones, 1);
        if (n < 2 * MIN_POINTS) {
            return ones;
        }
        int bins = Math.max(2, (int) Math.min(Math.ceil(period / duration * BINS_PER_DURATION), n / MIN_POINTS));
        // each cadence's phase in bins, from half a bin before the epoch (the transit centre is a bin's centre)
        double[] pos = new double[time.length];
        int[] count = new int[bins];
        int[] bin = new int[time.length];
        for (int i = 0; i < time.length; i++) {
            double x = (time[i] - epoch) / period + 0.5 / bins;
            pos[i] = (x - Math.floor(x)) * bins;
            bin[i] = Math.min(bins - 1, (int) pos[i]);
            count[bin[i]] += use[i] ? 1 : 0;
        }
        double[][] members = new double[bins][];
        for (int b = 0; b < bins; b++) {
            members[b] = new double[count[b]];
        }
        int[] fill = new int[bins];
        for (int i = 0; i < time.length; i++) {
            if (use[i]) {
                members[bin[i]][fill[bin[i]]++] = flux[i];
            }
        }
        double[] median = new double[bins];
        for (int b = 0; b < bins; b++) {
            median[b] = count[b] >= 3 ? RobustStats.median(members[b].clone(), count[b]) : Double.NaN;
        }
        // the level: the median of the bins (an eclipse is a few of them); the noise: the scatter about the bins
        double level = RobustStats.median(RobustStats.finite(median), RobustStats.finite(median).length);
        double[] resid = new double[n];
        for (int i = 0, k = 0; i < time.length; i++) {
            if (use[i]) {
                resid[k++] = Double.isFinite(median[bin[i]]) ? flux[i] - median[bin[i]] : Double.NaN;
            }
        }
        double sigma = 1.4826 * RobustStats.mad(resid);
        double[] profile = new double[bins];
        boolean any = false;
        for (int b = 0; b < bins; b++) {
            profile[b] = 1;
            // the standard error of a median is about 1.25 sigma / sqrt(n)
            if (Double.isFinite(median[b])
                    && Math.abs(median[b] - level) > SIGNIFICANCE * 1.25 * sigma / Math.sqrt(count[b])) {
                profile[b] = median[b] / level;
                any = true;
            }
        }
        if (!any) {
            return ones;
        }
        double[] out = new double[time.length];
        for (int i = 0; i < time.length; i++) {
            double fromCentre = pos[i] - 0.5; // in bins, from the first bin's centre
            int lo = (int) Math.floor(fromCentre);
            double f = fromCentre - lo;
            double a = profile[Math.floorMod(lo, bins)];
            double c = profile[Math.floorMod(lo + 1, bins)];
            out[i] = (a == 1 && c == 1) ? 1 : a + f * (c - a);
        }
        return out;
    }
}
