package org.tessexo.common.lightcurve;

import org.tessexo.common.stats.RobustStats;

/**
 * Signal-to-noise against the noise a transit actually meets (Pont, Zucker and Queloz 2006): the scatter of the light
 * curve averaged over the transit's own duration, measured, not extrapolated from the cadence-to-cadence scatter or
 * the pipeline's flux errors. White noise averages down as {@code 1 / sqrt(n)} over a transit's cadences; a rotator's
 * or a pulsator's residual wave, granulation and systematics ("red" noise) do not, and on an active star they set how
 * deep a dip noise alone makes. {@code SNR = depth x sqrt(transits) / sigma_D}, with {@code sigma_D} the scatter
 * (clipped at 4 robust sigmas) of the means of consecutive duration-long windows of the out-of-transit light curve
 * (each window's deviation scaled to the expected number of cadences). On white noise it equals the box SNR {@code
 * depth / sigma x sqrt(cadences in transit)}; on red noise it is smaller, by as much as the noise is correlated.
 * Kepler's pipeline used the same idea (a noise estimate on the transit's time scale) for its 7.1 sigma threshold.
 */
public final class RedNoise {
    /**
     * Below this a signal is flagged ({@code low-red-snr}), not dropped: Kepler's 7.1 sigma. Measured on real hosts
     * (bench ActiveStarRecovery) a gate here costs more injected transits than false alarms, because injections at
     * "SNR 9" by the cadence-to-cadence scatter are often below 7 against the real noise.
     */
    public static final double MIN_SNR = 7.1;
    /** Fewest duration-long windows for a scatter (fewer: NaN). */
    static final int MIN_WINDOWS = 8;
    /** Times the windows are laid, each shifted by this fraction of a duration. */
    static final int OFFSETS = 4;

    private RedNoise() {
    }

    /**
     * The scatter of the mean flux over windows of {@code duration} days, in flux units, for a window holding the
     * typical number of cadences; NaN when fewer than {@link #MIN_WINDOWS} windows hold half that number.
     *
     * @param time increasing
     * @param keep cadences that count (not in any transit); null: all
     */
    public static double sigmaOver(double[] time, double[] flux, boolean[] keep, double duration) {
        int n = time.length;
        if (n < 2 || !(duration > 0)) {
            return Double.NaN;
        }
        double cadence = TransitSearch.cadence(time);
        double expected = Math.max(1, duration / cadence);
        // windows laid OFFSETS times, each shifted by a fraction of a duration: more windows, a steadier scatter
        int windows = (int) ((time[n - 1] - time[0]) / duration) + 2;
        double[] mean = new double[OFFSETS * windows];
        double[] scale = new double[OFFSETS * windows];
        int m = 0;
        double[] sum = new double[windows];
        int[] count = new int[windows];
        for (int o = 0; o < OFFSETS; o++) {
            double t0 = time[0] - duration * o / OFFSETS;
            java.util.Arrays.fill(sum, 0);
            java.util.Arrays.fill(count, 0);
            for (int i = 0; i < n; i++) {
                if ((keep == null || keep[i]) && Double.isFinite(flux[i])) {
                    int k = (int) ((time[i] - t0) / duration);
                    sum[k] += flux[i];
                    count[k]++;
                }
            }
            for (int k = 0; k < windows; k++) {
                if (count[k] >= 0.5 * expected) {
                    // each window's mean, scaled as if it held the expected number of cadences (white noise)
                    mean[m] = sum[k] / count[k];
                    scale[m++] = Math.sqrt(count[k] / expected);
                }
            }
        }
        if (m < MIN_WINDOWS * OFFSETS) {
            return Double.NaN;
        }
        double centre = RobustStats.median(java.util.Arrays.copyOf(mean, m), m);
        double[] dev = new double[m];
        for (int k = 0; k < m; k++) {
            dev[k] = (mean[k] - centre) * scale[k];
        }
        // a standard deviation clipped at 4 robust sigmas: as steady as a standard deviation, blind to a stray dip
        double robust = 1.4826 * RobustStats.mad(dev);
        double ss = 0;
        int kept = 0;
        for (double d : dev) {
            if (Math.abs(d) <= 4 * robust) {
                ss += d * d;
                kept++;
            }
        }
        return kept > 1 ? Math.sqrt(ss / (kept - 1)) : Double.NaN;
    }

    /**
     * The red-noise factor of each duration: the measured scatter over windows of that duration ({@link #sigmaOver})
     * over what white noise of the point-to-point scatter would leave, {@code sigma_1 / sqrt(cadences in the
     * window)} (Pont et al. 2006's beta). At least 1 (white noise, or a measurement that fell below it), and 1 where
     * it cannot be measured.
     *
     * @param time      increasing
     * @param durations days
     */
    public static double[] factors(double[] time, double[] flux, double[] durations) {
        double[] beta = new double[durations.length];
        java.util.Arrays.fill(beta, 1);
        double cadence = TransitSearch.cadence(time);
        double white = RobustStats.pointToPointScatter(flux);
        if (!(cadence > 0) || !(white > 0)) {
            return beta;
        }
        for (int k = 0; k < durations.length; k++) {
            double measured = sigmaOver(time, flux, null, durations[k]);
            double expected = white / Math.sqrt(Math.max(1, durations[k] / cadence));
            if (Double.isFinite(measured)) {
                beta[k] = Math.max(1, measured / expected);
            }
        }
        return beta;
    }

    /** A dip of {@code depth} repeated {@code transits} times against {@code sigmaD} ({@link #sigmaOver}). */
    public static double snr(double depth, double sigmaD, int transits) {
        return sigmaD > 0 ? depth * Math.sqrt(Math.max(1, transits)) / sigmaD : Double.NaN;
    }
}
