package org.tessexo.common.vetting;

import org.tessexo.common.lightcurve.LightCurve;
import org.tessexo.common.lightcurve.TransitSearch;
import org.tessexo.common.lightcurve.TransitViews;
import org.tessexo.common.stats.RobustStats;

import java.io.Serializable;
import java.util.Arrays;

/**
 * What a vetter sees of one signal (period, epoch, duration) in a detrended light curve: AstroNet's global view
 * (the whole orbit, {@link #GLOBAL_BINS} bins) and local view (4 durations around the transit, {@link #LOCAL_BINS}
 * bins), and what tells a binary from a planet: the local view at phase 0.5 (a secondary eclipse), the local views
 * of the odd and of the even transits (a binary found at half its period has unequal ones), and scalar features.
 *
 * <p>Each bin is the median of the flux folded into it, empty bins interpolated. The global view is normalized as
 * AstroNet's (median 0, minimum -1). The local, secondary, odd and even views share one scale, the local view's
 * (zero at the global view's median level, the transit's depth = -1), so that a secondary eclipse or an odd-even
 * difference keeps its size relative to the transit. Views are clipped to [-{@link #CLIP}, {@link #CLIP}].
 */
public final class SignalViews {
    public static final int GLOBAL_BINS = 201;
    public static final int LOCAL_BINS = 61;
    static final double CLIP = 5;
    /** At most this many phase bins when looking for a secondary at any phase (long periods, short transits). */
    static final int MAX_SECONDARY_BINS = 4000;
    /** The scalar features, in {@link Views#scalars()} order. */
    public static final String[] SCALARS = {"log_depth", "log_duty_cycle", "log_snr", "sde", "log_transits",
        "odd_even", "secondary_ratio", "secondary_sigma", "log_period", "edge_fraction", "any_secondary_ratio",
        "any_secondary_sigma", "any_secondary_offset"};
    /** The primary's neighbourhood where {@link #anySecondary} looks for no secondary, in durations either side. */
    static final double PRIMARY_EXCLUSION = 1.5;

    private SignalViews() {
    }

    /**
     * The views and features of one signal. The plain-number features are for the candidates table:
     * {@code depthPpm} (measured on the central half of the transit), {@code oddEvenSigma} (the difference of the
     * odd and even transits' depths over its error), {@code secondaryPpm} and {@code secondarySigma} (the dip at
     * phase 0.5 and its significance), and {@code anySecondary}: the most significant dip of the transit's width
     * at any other phase (an eccentric binary's secondary eclipse is not at phase 0.5).
     */
    public record Views(double[] global, double[] local, double[] secondary, double[] odd, double[] even,
                        double[] scalars, double depthPpm, double oddEvenSigma, double secondaryPpm,
                        double secondarySigma, Dip anySecondary) implements Serializable {
        private static final long serialVersionUID = 1L;

        /**
         * The views with time running backwards (AstroNet's augmentation, Shallue and Vanderburg 2018): a transit or
         * an eclipse is the same dip reflected, so a mirrored example is another valid one of the same class. The
         * scalars do not change.
         */
        public Views mirrored() {
            return new Views(reversed(global), reversed(local), reversed(secondary), reversed(odd), reversed(even),
                    scalars, depthPpm, oddEvenSigma, secondaryPpm, secondarySigma, anySecondary);
        }

        private static double[] reversed(double[] a) {
            double[] r = new double[a.length];
            for (int i = 0; i < a.length; i++) {
                r[i] = a[a.length - 1 - i];
            }
            return r;
        }
    }

    public static Views of(LightCurve detrended, TransitSearch.Signal s) {
        double[] t = detrended.time();
        double[] f = detrended.flux();
        double period = s.period();
        double duration = Math.max(s.duration(), 1e-3);
        double half = Math.min(TransitViews.LOCAL_DURATIONS / 2 * duration, period / 2);
        double[] globalRaw = fold(t, f, period, s.epoch(), period / 2, GLOBAL_BINS, 0);
        double level = RobustStats.median(globalRaw.clone(), globalRaw.length);
        double[] local = fold(t, f, period, s.epoch(), half, LOCAL_BINS, 0);
        double[] secondary = fold(t, f, period, s.epoch() + period / 2, half, LOCAL_BINS, 0);
        double[] odd = fold(t, f, period, s.epoch(), half, LOCAL_BINS, 1);
        double[] even = fold(t, f, period, s.epoch(), half, LOCAL_BINS, 2);
        double globalScale = Math.abs(Arrays.stream(globalRaw).min().orElse(level) - level);
        double localScale = Math.abs(Arrays.stream(local).min().orElse(level) - level);
        double[] global = scaled(globalRaw, level, globalScale);

        Depth primary = depth(t, f, period, s.epoch(), duration, 0);
        Depth oddDepth = depth(t, f, period, s.epoch(), duration, 1);
        Depth evenDepth = depth(t, f, period, s.epoch(), duration, 2);
        Depth sec = depth(t, f, period, s.epoch() + period / 2, duration, 0);
        double oddEven = Double.isFinite(oddDepth.sigma()) && Double.isFinite(evenDepth.sigma())
                ? Math.abs(oddDepth.depth() - evenDepth.depth())
                / Math.hypot(oddDepth.sigma(), evenDepth.sigma()) : 0;
        double secSigma = sec.sigma() > 0 ? sec.depth() / sec.sigma() : 0;
        double primaryDepth = primary.depth() > 0 ? primary.depth() : Math.max(s.depth(), 1e-6);
        double depthPpm = primary.depth() * 1e6;
        Dip any = anySecondary(t, f, period, s.epoch(), duration);
        double[] scalars = {
            Math.log10(Math.max(Math.abs(depthPpm), 1)) / 4,
            Math.log10(duration / period) / 2 + 1,
            Math.log10(Math.max(s.snr(), 1)) / 2,
            Math.min(s.sde(), 50) / 20,
            Math.log10(Math.max(s.transitsObserved(), 1)),
            Math.min(finite(oddEven), 20) / 10,
            clip(finite(sec.depth() / primaryDepth), -1, 2),
            clip(finite(secSigma), -20, 20) / 10,
            Math.log10(period) / 1.5,
            s.transitsObserved() > 0 ? (double) s.edgeTransits() / s.transitsObserved() : 0,
            clip(finite(any.depth() / primaryDepth), -1, 2),
            clip(finite(any.sigma()), 0, 20) / 10,
            Double.isFinite(any.phase()) ? Math.abs(any.phase() - 0.5) * 2 : 1};
        return new Views(global, scaled(local, level, localScale), scaled(secondary, level, localScale),
                scaled(odd, level, localScale), scaled(even, level, localScale), scalars, depthPpm, finite(oddEven),
                finite(sec.depth() * 1e6), finite(secSigma), any);
    }

    /**
     * A dip found at a free phase: its depth below the out-of-transit median (relative flux), its significance
     * (depth over its error) and its phase (0 at the transit, 0 to 1); NaNs when there is none.
     */
    public record Dip(double depth, double sigma, double phase) implements Serializable {
        private static final long serialVersionUID = 1L;
        static final Dip NONE = new Dip(Double.NaN, Double.NaN, Double.NaN);
    }

    /**
     * The most significant dip as wide as the transit's central half (as {@link #depth} measures the primary) at
     * any phase beyond {@link #PRIMARY_EXCLUSION} durations of the transit: the phase is cut into quarter-duration
     * bins and every pair of neighbours is a trial, so a dip is caught wherever it falls. Its error is the
     * out-of-transit scatter over the root of its cadences. Searching many phases makes the best of pure noise
     * about 2 to 3 sigma; a secondary eclipse stands far above that.
     */
    static Dip anySecondary(double[] t, double[] f, double period, double epoch, double duration) {
        int bins = (int) Math.min(MAX_SECONDARY_BINS, Math.max(8, Math.round(4 * period / duration)));
        double width = period / bins;
        double[] sum = new double[bins];
        int[] count = new int[bins];
        double[] out = new double[t.length];
        int nOut = 0;
        for (int i = 0; i < t.length; i++) {
            if (!Double.isFinite(f[i]) || !Double.isFinite(t[i])) {
                continue;
            }
            double ph = TransitSearch.phase(t[i], period, epoch);
            if (Math.abs(ph) > duration) {
                out[nOut++] = f[i];
            }
            double fromTransit = ph < 0 ? ph + period : ph;
            int b = Math.min(bins - 1, (int) (fromTransit / width));
            sum[b] += f[i];
            count[b]++;
        }
        if (nOut < 3) {
            return Dip.NONE;
        }
        double median = RobustStats.median(out, nOut);
        double sigma = 1.4826 * RobustStats.mad(Arrays.copyOf(out, nOut));
        Dip best = Dip.NONE;
        for (int b = 0; b < bins; b++) {
            int c = (b + 1) % bins;
            double centre = (b + 1) * width;
            double fromTransit = Math.min(centre, period - centre);
            int n = count[b] + count[c];
            if (fromTransit < PRIMARY_EXCLUSION * duration || n < 3 || !(sigma > 0)) {
                continue;
            }
            double depth = median - (sum[b] + sum[c]) / n;
            double significance = depth / (sigma / Math.sqrt(n));
            if (Double.isNaN(best.sigma()) || significance > best.sigma()) {
                best = new Dip(depth, significance, centre / period);
            }
        }
        return best;
    }

    private static double finite(double x) {
        return Double.isFinite(x) ? x : 0;
    }

    private static double clip(double x, double lo, double hi) {
        return Math.max(lo, Math.min(hi, x));
    }

    private static double[] scaled(double[] v, double level, double scale) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = scale > 0 ? clip((v[i] - level) / scale, -CLIP, CLIP) : 0;
        }
        return out;
    }

    /** A dip's depth below the out-of-transit median and its error; NaN sigma when no cadence is in it. */
    record Depth(double depth, double sigma) {
    }

    /**
     * Depth on the central half of the transit (|phase| below a quarter duration) against the median beyond one
     * duration; {@code parity} 0 every transit, 1 the odd ones, 2 the even ones.
     */
    static Depth depth(double[] t, double[] f, double period, double epoch, double duration, int parity) {
        int nIn = 0;
        double sumIn = 0;
        double[] out = new double[t.length];
        int nOut = 0;
        for (int i = 0; i < t.length; i++) {
            if (!Double.isFinite(f[i])) {
                continue;
            }
            double ph = TransitSearch.phase(t[i], period, epoch);
            if (Math.abs(ph) < duration / 4 && parityOk(t[i], period, epoch, parity)) {
                nIn++;
                sumIn += f[i];
            } else if (Math.abs(ph) > duration) {
                out[nOut++] = f[i];
            }
        }
        if (nIn == 0 || nOut < 3) {
            return new Depth(0, Double.NaN);
        }
        double median = RobustStats.median(out, nOut);
        double sigma = 1.4826 * RobustStats.mad(Arrays.copyOf(out, nOut));
        return new Depth(median - sumIn / nIn, sigma / Math.sqrt(nIn));
    }

    private static boolean parityOk(double t, double period, double epoch, int parity) {
        return TransitViews.parityOk(t, period, epoch, parity);
    }

    static double[] fold(double[] t, double[] f, double period, double epoch, double half, int bins, int parity) {
        return TransitViews.medianFold(t, f, period, epoch, half, bins, parity);
    }
}
