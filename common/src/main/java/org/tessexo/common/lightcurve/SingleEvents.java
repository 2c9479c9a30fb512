package org.tessexo.common.lightcurve;

import org.tessexo.common.stats.RobustStats;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Individual transit-like dips, whatever their period: a box slid along the detrended light curve at each trial
 * duration, scored by its signal-to-noise {@code depth / (sigma / sqrt(n_in))} with the robust scatter
 * {@code sigma}; the strongest non-overlapping boxes above a threshold. It keeps in view what a periodic search
 * can miss or merge: a single transit (a long-period planet), or transits whose times wander (timing variations).
 */
public final class SingleEvents {

    /** A dip: mid-time (BTJD), duration (days), depth (fraction) and signal-to-noise. */
    public record Event(double time, double duration, double depth, double snr) implements java.io.Serializable {
        private static final long serialVersionUID = 1L;
    }

    private SingleEvents() {
    }

    /**
     * @param lc        detrended, normalized to 1, time-ordered
     * @param durations trial durations (days)
     * @param minSnr    weakest event reported
     * @param max       most events reported
     */
    public static List<Event> find(LightCurve lc, double[] durations, double minSnr, int max) {
        double[] t = lc.time();
        double[] f = lc.flux();
        int n = t.length;
        double sigma = 1.4826 * RobustStats.mad(f);
        if (n < 10 || !(sigma > 0)) {
            return List.of();
        }
        double[] c = new double[n + 1];
        for (int i = 0; i < n; i++) {
            c[i + 1] = c[i] + (1 - f[i]);
        }
        // Median cadence spacing: a box must hold at least half the cadences its duration would.
        double[] dt = new double[n - 1];
        for (int i = 1; i < n; i++) {
            dt[i - 1] = t[i] - t[i - 1];
        }
        double cadence = RobustStats.median(dt, dt.length);
        List<Event> candidates = new ArrayList<>();
        for (double d : durations) {
            int minPoints = Math.max(3, (int) (0.5 * d / cadence));
            int hi = 0;
            for (int lo = 0; lo < n; lo++) {
                while (hi < n && t[hi] < t[lo] + d) {
                    hi++;
                }
                int k = hi - lo;
                if (k < minPoints) {
                    continue;
                }
                double depth = (c[hi] - c[lo]) / k;
                double snr = depth / (sigma / Math.sqrt(k));
                if (snr >= minSnr) {
                    candidates.add(new Event(0.5 * (t[lo] + t[hi - 1]), d, depth, snr));
                }
            }
        }
        candidates.sort(Comparator.comparingDouble(Event::snr).reversed());
        List<Event> chosen = new ArrayList<>();
        for (Event e : candidates) {
            boolean overlaps = false;
            for (Event o : chosen) {
                overlaps |= Math.abs(e.time() - o.time()) < 0.5 * (e.duration() + o.duration());
            }
            if (!overlaps) {
                chosen.add(e);
                if (chosen.size() == max) {
                    break;
                }
            }
        }
        chosen.sort(Comparator.comparingDouble(Event::time));
        return chosen;
    }
}
