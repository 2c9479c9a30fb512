package org.tessexo.common.lightcurve;

import org.tessexo.common.stats.RobustStats;

import java.util.HashMap;
import java.util.Map;

/**
 * How a periodic signal's depth is shared among its transits: whether it is a train of dips or one dip and a period
 * that passes through it. A transit search's periodogram peaks wherever a single deep event (a systematic, a ramp at
 * the data's edge, a stray dip) lines up with a few windows of noise; at a long period such a peak outranks a real
 * train of shallow transits, and it raises the whole periodogram's scatter so that every other peak's SDE falls. Seen
 * on a real 2-minute host (TOI-216 with its own dips cut out): an 11.1-day "period" whose three windows held 4,700,
 * 1,200 and 1,100 ppm (the first a ramp in the sector's first hour) came first below the threshold and ended the
 * search; an injected train of eight transits (500-1,100 ppm each) came second, at SDE 7.5, and was never listed.
 *
 * <p>The test is Kepler's (a signal must be made of more than one event), in its simplest form: the transits other
 * than the deepest hold less than {@link #MIN_REST_SHARE} of the signal's mean depth (0.43 in the example above, 0.92
 * for the injected train), and they are no dip of their own either (their mean depth under {@link #MIN_REST_SNR}
 * times its white-noise error: two real dips of unequal depth, as TOI-216's planets' in its first sector, are two
 * events, not one). On a train of equal transits the rest holds the whole depth whatever their number; with one dip
 * among noise windows it holds about none. It does not judge strong signals: the search asks it only of signals below
 * its threshold. It says nothing of signals with fewer than two transits with data (those are lone dips).
 */
public final class EventShares {
    /**
     * The transits other than the deepest must hold at least this fraction of the signal's mean depth. Measured
     * (bench ActiveStarRecovery, the search's use): 0.6 finds two more of 55 SNR-9 injections into 2-minute hosts, 0.5
     * one, and neither loses one or adds a false alarm there.
     */
    public static final double MIN_REST_SHARE = 0.6;
    /** ... or be a dip of their own, at least this many white-noise sigmas deep (Kepler's 7.1). */
    public static final double MIN_REST_SNR = RedNoise.MIN_SNR;

    /**
     * {@code share}: the mean depth of the transits other than the deepest over the signal's mean depth (1 on a train
     * of equal transits, near 0 when one dip carries the signal); {@code restSnr}: that mean depth over its error from
     * the flux's robust scatter as white noise. NaN with fewer than two transits with data, or no dip.
     */
    public record Shares(double share, double restSnr) {
        /** Whether one transit carries the signal: see the class. */
        public boolean carriedByOne() {
            return share < MIN_REST_SHARE && restSnr < MIN_REST_SNR;
        }
    }

    private EventShares() {
    }

    /**
     * The signal's {@link Shares}. Depths are measured from the mean flux of the usable cadences out of transit (at
     * least a duration from a transit's centre); the deepest transit is the one with the largest summed depth (depth
     * times cadences, so that a transit cut by a gap weighs as much as it holds).
     *
     * @param time   increasing (days)
     * @param flux   normalized near 1
     * @param usable the cadences that count (those an earlier signal did not mask); null: all
     */
    public static Shares of(double[] time, double[] flux, boolean[] usable, double period, double epoch,
                            double duration) {
        Shares none = new Shares(Double.NaN, Double.NaN);
        // one pass: the flux out of transit, and each transit's summed flux and cadences (transit number -> {sum, n})
        double[] out = new double[time.length];
        int outCount = 0;
        Map<Long, double[]> events = new HashMap<>();
        for (int i = 0; i < time.length; i++) {
            if ((usable != null && !usable[i]) || !Double.isFinite(flux[i])) {
                continue;
            }
            double x = Math.abs(TransitSearch.phase(time[i], period, epoch));
            if (x >= duration) {
                out[outCount++] = flux[i];
            } else if (x < duration / 2) {
                double[] e = events.computeIfAbsent(Math.round((time[i] - epoch) / period), k -> new double[2]);
                e[0] += flux[i];
                e[1]++;
            }
        }
        if (outCount < 2 || events.size() < 2) {
            return none;
        }
        double level = 0;
        for (int i = 0; i < outCount; i++) {
            level += out[i];
        }
        level /= outCount;
        double sigma = 1.4826 * RobustStats.mad(java.util.Arrays.copyOf(out, outCount));
        double sum = 0; // summed depth below the level
        double cadences = 0;
        double deepestDepth = Double.NEGATIVE_INFINITY;
        double deepestCadences = 0;
        for (double[] e : events.values()) {
            double depth = e[1] * level - e[0];
            sum += depth;
            cadences += e[1];
            if (depth > deepestDepth) {
                deepestDepth = depth;
                deepestCadences = e[1];
            }
        }
        if (!(sum > 0)) {
            return none;
        }
        double restCadences = cadences - deepestCadences;
        double rest = (sum - deepestDepth) / restCadences;
        double restSnr = sigma > 0 ? rest * Math.sqrt(restCadences) / sigma : Double.NaN;
        return new Shares(rest / (sum / cadences), restSnr);
    }

    /** Whether one transit carries the signal ({@link Shares#carriedByOne}). */
    public static boolean carriedByOne(double[] time, double[] flux, boolean[] usable, double period, double epoch,
                                       double duration) {
        return of(time, flux, usable, period, epoch, duration).carriedByOne();
    }
}
