package org.tessexo.common.lightcurve;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.tessexo.common.stats.RobustStats;

import java.util.Arrays;

/**
 * The phase-folded views a transit classifier takes (Shallue and Vanderburg 2018, AstroNet): a global view of the
 * whole orbit in 2001 bins and a local view of the transit, 4 durations wide, in 201 bins. Each bin is the median of
 * the detrended flux folded into it; an empty bin takes the value of its neighbours (linear interpolation); then the
 * view is normalized so that its median is 0 and its minimum -1 (the transit's depth is the unit).
 */
public final class TransitViews {
    public static final int GLOBAL_BINS = 2001;
    public static final int LOCAL_BINS = 201;
    /** The local view spans this many durations, centred on the transit. */
    public static final double LOCAL_DURATIONS = 4;

    private TransitViews() {
    }

    public static double[] global(LightCurve detrended, TransitSearch.Signal s) {
        return view(detrended, s, s.period() / 2, GLOBAL_BINS);
    }

    public static double[] local(LightCurve detrended, TransitSearch.Signal s) {
        return view(detrended, s, Math.min(LOCAL_DURATIONS / 2 * s.duration(), s.period() / 2), LOCAL_BINS);
    }

    /** Both views as ND4J row vectors, shape [1, bins], ready for a network's two inputs. */
    public static INDArray[] arrays(LightCurve detrended, TransitSearch.Signal s) {
        return new INDArray[] {Nd4j.create(global(detrended, s), new long[] {1, GLOBAL_BINS}),
                Nd4j.create(local(detrended, s), new long[] {1, LOCAL_BINS})};
    }

    /** Median-binned fold of the phases within {@code half} days of mid-transit, normalized. */
    static double[] view(LightCurve lc, TransitSearch.Signal s, double half, int bins) {
        double[] v = medianFold(lc.time(), lc.flux(), s.period(), s.epoch(), half, bins, 0);
        double median = RobustStats.median(v.clone(), bins);
        double min = Arrays.stream(v).min().orElse(median);
        double scale = Math.abs(min - median);
        for (int b = 0; b < bins; b++) {
            v[b] = scale > 0 ? (v[b] - median) / scale : 0;
        }
        return v;
    }

    /**
     * The median of the flux folded into each of {@code bins} bins spanning {@code half} days either side of the
     * epoch's phase, empty bins interpolated ({@link #interpolateGaps}); all 1 when no cadence falls in any.
     *
     * @param parity 0 every transit; 1 the odd ones, 2 the even ones (counted from the epoch)
     */
    public static double[] medianFold(double[] t, double[] f, double period, double epoch, double half, int bins,
                                      int parity) {
        int[] count = new int[bins];
        int[] bin = new int[t.length];
        for (int i = 0; i < t.length; i++) {
            double ph = TransitSearch.phase(t[i], period, epoch);
            int b = (int) Math.floor((ph + half) / (2 * half) * bins);
            bin[i] = ph >= -half && ph < half && b >= 0 && b < bins && Double.isFinite(f[i])
                    && parityOk(t[i], period, epoch, parity) ? b : -1;
            if (bin[i] >= 0) {
                count[b]++;
            }
        }
        double[][] members = new double[bins][];
        for (int b = 0; b < bins; b++) {
            members[b] = new double[count[b]];
        }
        int[] fill = new int[bins];
        for (int i = 0; i < t.length; i++) {
            if (bin[i] >= 0) {
                members[bin[i]][fill[bin[i]]++] = f[i];
            }
        }
        double[] v = new double[bins];
        boolean any = false;
        for (int b = 0; b < bins; b++) {
            v[b] = count[b] == 0 ? Double.NaN : RobustStats.median(members[b], count[b]);
            any |= count[b] > 0;
        }
        if (!any) {
            Arrays.fill(v, 1.0); // nothing observed there (no odd transit, say): flat at the normalized level
            return v;
        }
        interpolateGaps(v);
        return v;
    }

    /** Whether the transit nearest {@code t} is of the given parity (0: any; 1: odd; 2: even). */
    public static boolean parityOk(double t, double period, double epoch, int parity) {
        if (parity == 0) {
            return true;
        }
        long n = Math.round((t - epoch) / period);
        return (Math.floorMod(n, 2) == 1) == (parity == 1);
    }

    /** NaN runs become the straight line between their finite neighbours (the nearest one at the ends). */
    public static void interpolateGaps(double[] v) {
        int n = v.length;
        int prev = -1;
        for (int i = 0; i <= n; i++) {
            if (i < n && Double.isNaN(v[i])) {
                continue;
            }
            if (i - prev > 1) {
                for (int j = prev + 1; j < i; j++) {
                    if (prev < 0 && i >= n) {
                        v[j] = 0;
                    } else if (prev < 0) {
                        v[j] = v[i];
                    } else if (i >= n) {
                        v[j] = v[prev];
                    } else {
                        v[j] = v[prev] + (v[i] - v[prev]) * (j - prev) / (i - prev);
                    }
                }
            }
            prev = i;
        }
    }
}
