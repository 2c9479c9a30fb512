package org.tessexo.common.lightcurve;

import java.util.Arrays;

/**
 * Box Least Squares (Kovacs, Zucker and Mazeh 2002) over a period and duration grid, with the binned "fast"
 * evaluation: for each trial period the light curve is folded into phase bins of {@code minDuration / oversample},
 * and every box of every trial duration is read off cumulative sums of the bins. The objective is the log likelihood
 * of a box model against a flat one, {@code 0.5 * ivar_in * depth^2} (astropy's {@code objective="likelihood"}), with
 * weights {@code 1 / fluxErr^2}.
 *
 * <p>Unlike astropy's fast method, the phase axis is padded by the longest duration (not by {@code oversample} bins),
 * so that boxes of every duration are tried at every phase, and the last, partial bin of each fold is kept (astropy
 * overwrites it with the first bin). {@link Binning#ASTROPY} reproduces astropy's binning exactly: on the real
 * WASP-126 light curve the two periodograms then agree to 5e-12 of the peak at every period (BlsAgainstAstropyTest).
 * With the default binning the peak is the same and most periods too; a box that straddles phase zero can only add
 * power.
 */
public final class BoxLeastSquares {
    private final double[] t;
    private final double[] yw;
    private final double[] w;
    private final double sumW;
    private final double minT;
    private final double weightedMean;

    /** One period's best box. */
    public record Periodogram(double[] periods, double[] power, double[] depth, double[] depthErr,
                              double[] duration, double[] epoch) {
        public int best() {
            int b = 0;
            for (int i = 1; i < power.length; i++) {
                if (power[i] > power[b]) {
                    b = i;
                }
            }
            return b;
        }

        /** Signal detection efficiency of period {@code i}: (power - mean power) / standard deviation of power. */
        public double sde(int i) {
            double mean = 0;
            int n = 0;
            for (double p : power) {
                if (Double.isFinite(p)) {
                    mean += p;
                    n++;
                }
            }
            mean /= Math.max(1, n);
            double var = 0;
            for (double p : power) {
                if (Double.isFinite(p)) {
                    var += (p - mean) * (p - mean);
                }
            }
            double sd = Math.sqrt(var / Math.max(1, n - 1));
            return sd > 0 ? (power[i] - mean) / sd : 0;
        }

        /**
         * This periodogram less its running median over {@code kernel} trial periods (Transit Least Squares' detrended
         * SDE spectrum, Hippke and Heller 2019): the slow rise of the power towards long periods, where fewer
         * transits let red noise fit a box, is taken out, and a peak stands against its neighbourhood.
         */
        public Periodogram detrended(int kernel) {
            double[] trend = org.tessexo.common.stats.RobustStats.runningMedian(power, kernel);
            double[] p = new double[power.length];
            for (int i = 0; i < p.length; i++) {
                p[i] = power[i] - trend[i];
            }
            return new Periodogram(periods, p, depth, depthErr, duration, epoch);
        }

        public double snr(int i) {
            return depth[i] / depthErr[i];
        }
    }

    /**
     * @param time    increasing, finite
     * @param flux    finite (normalized or not: the model is a box below a flat level)
     * @param fluxErr positive and finite; null or NaN entries mean equal weights
     */
    public BoxLeastSquares(double[] time, double[] flux, double[] fluxErr) {
        int n = time.length;
        if (flux.length != n || (fluxErr != null && fluxErr.length != n) || n < 3) {
            throw new IllegalArgumentException("need at least 3 cadences with time, flux and error each");
        }
        this.minT = time[0];
        this.t = new double[n];
        this.w = new double[n];
        this.yw = new double[n];
        double sw = 0;
        double swy = 0;
        for (int i = 0; i < n; i++) {
            t[i] = time[i] - minT;
            double e = fluxErr == null ? Double.NaN : fluxErr[i];
            w[i] = e > 0 && Double.isFinite(e) ? 1 / (e * e) : 1;
            sw += w[i];
            swy += w[i] * flux[i];
        }
        this.sumW = sw;
        this.weightedMean = swy / sw;
        // Subtracting the weighted mean makes the out-of-transit sum the negative of the in-transit sum.
        for (int i = 0; i < n; i++) {
            yw[i] = w[i] * (flux[i] - weightedMean);
        }
    }

    /** The transit model searched for. */
    public enum Shape {
        /** A box: BLS. */
        BOX,
        /**
         * A limb-darkened transit, as Transit Least Squares (Hippke and Heller 2019) searches for: a central
         * transit of a small planet across a star with quadratic limb darkening (u1 = 0.40, u2 = 0.25, about the
         * Sun in TESS's band) and ingress and egress a tenth of the duration each, approximated by three nested
         * boxes (the whole duration, its middle 80% and its middle 50%) at the profile's mean depth in each ring, so
         * that every trial still reads off cumulative sums: three box sums per trial instead of one.
         */
        LIMB_DARKENED
    }

    /** The nested boxes of {@link Shape#LIMB_DARKENED}: widths as fractions of the duration. */
    static final double[] RING_WIDTHS = {1.0, 0.8, 0.5};
    /** The template's depth in each ring (outermost first), normalized to a mean of 1 over the transit. */
    static final double[] RING_LEVELS = limbDarkenedLevels();

    /**
     * The depth of the limb-darkened transit at {@code x} half-durations from its centre, 1 at the centre:
     * {@code I(mu) = 1 - u1 (1 - mu) - u2 (1 - mu)^2} with u1 = 0.40, u2 = 0.25, times a linear ingress over the
     * outer tenth of the half-chord; 0 outside.
     */
    static double limbDarkenedProfile(double x) {
        if (x >= 1) {
            return 0;
        }
        double mu = Math.sqrt(1 - x * x);
        return (1 - 0.40 * (1 - mu) - 0.25 * (1 - mu) * (1 - mu)) * (x > 0.9 ? (1 - x) / 0.1 : 1);
    }

    /** The mean of {@link #limbDarkenedProfile} over each ring, normalized to a mean of 1 over the transit. */
    static double[] limbDarkenedLevels() {
        int n = RING_WIDTHS.length;
        double[] sum = new double[n];
        double[] count = new double[n];
        int steps = 100_000;
        double total = 0;
        for (int i = 0; i < steps; i++) {
            double x = (i + 0.5) / steps; // distance from the centre, in half-durations
            double p = limbDarkenedProfile(x);
            int ring = 0;
            while (ring + 1 < n && x < RING_WIDTHS[ring + 1]) {
                ring++;
            }
            sum[ring] += p;
            count[ring]++;
            total += p;
        }
        double mean = total / steps;
        double[] out = new double[n];
        for (int r = 0; r < n; r++) {
            out[r] = sum[r] / count[r] / mean;
        }
        return out;
    }

    /** How the phase axis is closed at the end of each fold. */
    public enum Binning {
        /** Padded by the longest duration: every box at every phase, the last partial bin kept (the default). */
        FULL,
        /**
         * astropy's fast method exactly: padded by {@code oversample} bins, which overwrite the last (partial)
         * bin, so boxes longer than {@code oversample} bins never straddle phase zero. For comparisons only.
         */
        ASTROPY
    }

    public Periodogram power(PeriodGrid grid, int oversample) {
        return power(grid, oversample, Binning.FULL, 1.0);
    }

    public Periodogram power(PeriodGrid grid, int oversample, Binning binning) {
        return power(grid, oversample, binning, 1.0);
    }

    /**
     * @param maxDutyCycle durations longer than this fraction of a trial period are not tried at that period (the
     *                     shortest duration always is): a 10-hour box at a 0.5-day period is no transit, and
     *                     without a limit such boxes fit leftover variability better than real transits fit
     *                     (1.0 = no limit, as astropy)
     */
    public Periodogram power(PeriodGrid grid, int oversample, Binning binning, double maxDutyCycle) {
        return power(grid, oversample, binning, maxDutyCycle, 0, false);
    }

    /**
     * As above, with two economies for {@link Binning#FULL} (ignored with {@link Binning#ASTROPY}):
     *
     * @param minBin         phase bins are at least this wide (days): sized to the data as well as to the shortest
     *                       duration (a 30-minute cadence resolves no 3-minute phase bin; half a cadence is fine)
     * @param relativeStarts each duration's boxes start every {@code oversample}-th of that duration (not
     *                       every bin), as the shortest one does, then the best box of the period is refined bin by
     *                       bin around its start: a 10-hour box needs no 3-minute steps
     */
    public Periodogram power(PeriodGrid grid, int oversample, Binning binning, double maxDutyCycle, double minBin,
                             boolean relativeStarts) {
        return power(grid, oversample, binning, maxDutyCycle, minBin, relativeStarts, Shape.BOX);
    }

    /**
     * As above, for a transit of {@code shape}. With {@link Shape#LIMB_DARKENED} the power is the same log
     * likelihood, {@code 0.5 x (sum w s y)^2 / (sum w s^2 - (sum w s)^2 / sum w)} for the template {@code s} with a
     * free level (the box's formula when {@code s} is a box), and the depth is the template's mean depth.
     */
    public Periodogram power(PeriodGrid grid, int oversample, Binning binning, double maxDutyCycle, double minBin,
                             boolean relativeStarts, Shape shape) {
        return power(grid, oversample, binning, maxDutyCycle, minBin, relativeStarts, shape, null);
    }

    /**
     * As above, each trial duration's power multiplied by its weight when the best box of a period is chosen and
     * reported: with {@code 1 / beta^2}, beta the red-noise factor measured on that duration's time scale
     * ({@link RedNoise#factors}), the power is the likelihood against the noise a box of that duration really meets,
     * so that a long box fitted to correlated noise no longer outbids a short transit on an active star (Kepler's
     * Transiting Planet Search whitens for the same reason). Depths and their errors are unchanged.
     *
     * @param durationWeight one per duration of the grid, positive; null: all 1
     */
    public Periodogram power(PeriodGrid grid, int oversample, Binning binning, double maxDutyCycle, double minBin,
                             boolean relativeStarts, Shape shape, double[] durationWeight) {
        double[] periods = grid.periods();
        double[] durations = grid.durations();
        double minDur = Arrays.stream(durations).min().orElseThrow();
        double maxDur = Arrays.stream(durations).max().orElseThrow();
        double minPeriod = Arrays.stream(periods).min().orElseThrow();
        double maxPeriod = Arrays.stream(periods).max().orElseThrow();
        if (durationWeight != null && durationWeight.length != durations.length) {
            throw new IllegalArgumentException(durationWeight.length + " duration weights for " + durations.length
                    + " durations");
        }
        double[] g = new double[durations.length];
        for (int k = 0; k < g.length; k++) {
            g[k] = durationWeight == null ? 1 : durationWeight[k];
        }
        if (maxDur >= minPeriod) {
            throw new IllegalArgumentException("the longest duration (" + maxDur + " d) must be shorter than the"
                    + " shortest period (" + minPeriod + " d)");
        }
        boolean astropy = binning == Binning.ASTROPY;
        double bin = astropy ? minDur / oversample : Math.max(minDur / oversample, minBin);
        double invBin = 1 / bin;
        int[] durBins = new int[durations.length];
        int[] startStep = new int[durations.length];
        int maxDurBins = 0;
        for (int k = 0; k < durations.length; k++) {
            durBins[k] = Math.max(1, (int) Math.round(durations[k] / bin));
            maxDurBins = Math.max(maxDurBins, durBins[k]);
            startStep[k] = relativeStarts && !astropy ? Math.max(1, durBins[k] / oversample) : 1;
        }
        int pad = astropy ? oversample : maxDurBins;
        int capacity = (int) Math.ceil(maxPeriod / bin) + Math.max(maxDurBins, oversample) + 2;
        double[] cy = new double[capacity];
        double[] cw = new double[capacity];
        int np = periods.length;
        double[] power = new double[np];
        double[] depth = new double[np];
        double[] depthErr = new double[np];
        double[] duration = new double[np];
        double[] epoch = new double[np];
        double eps = 1e-300;
        double sw = sumW;
        int n = t.length;
        for (int p = 0; p < np; p++) {
            double period = periods[p];
            int m = (int) Math.ceil(period * invBin); // phase bins 1..m hold data
            int top = m + pad;
            Arrays.fill(cy, 0, top + 1, 0);
            Arrays.fill(cw, 0, top + 1, 0);
            double invP = 1 / period;
            // Cadences in time order fall into the same bin for a while: add runs in registers, store once per run
            // (a store per cadence would wait on the previous store to the same bin).
            int run = -1;
            double ry = 0;
            double rw = 0;
            for (int i = 0; i < n; i++) {
                double x = t[i];
                int ind = astropy ? (int) ((x - period * Math.floor(x / period)) / bin) + 1
                        : (int) ((x - period * Math.floor(x * invP)) * invBin) + 1;
                if (ind != run) {
                    if (run >= 0) {
                        cy[run] += ry;
                        cw[run] += rw;
                    }
                    run = ind;
                    ry = 0;
                    rw = 0;
                }
                ry += yw[i];
                rw += w[i];
            }
            cy[run] += ry;
            cw[run] += rw;
            // Pad: the bins after the period are the first bins again, for the boxes that straddle phase zero.
            int shift = astropy ? m - 1 : m; // astropy copies bins 1..oversample onto m..m+oversample-1
            for (int j = 1; j <= pad; j++) {
                cy[shift + j] = cy[j];
                cw[shift + j] = cw[j];
            }
            if (astropy) {
                cy[top] = 0;
                cw[top] = 0;
            }
            for (int j = 1; j <= top; j++) {
                cy[j] += cy[j - 1];
                cw[j] += cw[j - 1];
            }
            if (shape == Shape.LIMB_DARKENED) {
                double[] t3 = templateBest(cy, cw, m, durBins, startStep, durations, maxDutyCycle * period, minDur,
                        g);
                int tn = (int) t3[1];
                int tk = (int) t3[2];
                if (tn < 0) {
                    none(p, power, depth, depthErr, duration, epoch, durations[0]);
                    continue;
                }
                double[] fit = templateFit(cy, cw, tn, durBins[tk]);
                power[p] = 0.5 * g[tk] * fit[0] * fit[0] / fit[1];
                depth[p] = -fit[0] / fit[1];
                depthErr[p] = 1 / Math.sqrt(fit[1]);
                duration[p] = durBins[tk] * bin;
                epoch[p] = epochOf(tn, durBins[tk], bin, period);
                continue;
            }
            // depth = y_out - y_in = -yin * sw / (win * wout); objective = 0.5 * win * depth^2
            //       = 0.5 * sw^2 * q with q = yin^2 / (win * wout^2), for dips (yin < 0) only.
            // q > best is tested as yin^2 > best * win * wout^2: no division and no unpredictable branch per box;
            // "dips only" as -yin |yin| (yin^2 for a dip, below zero for a bump), not min(yin, 0)^2: Math.min on
            // doubles checks for NaN and signed zeros and compares on yin's sign, a coin flip where it is not
            // compiled branch-free (the boxes 1.4x faster, the same outcome of every comparison).
            double best = 0;
            int bestN = -1;
            int bestK = -1;
            for (int k = 0; k < durBins.length; k++) {
                if (durations[k] > maxDutyCycle * period && durations[k] > minDur) {
                    continue;
                }
                int d = durBins[k];
                int starts = astropy ? top - d + 1 : m;
                int step = startStep[k];
                double gk = g[k];
                for (int s = 0; s < starts; s += step) {
                    double yin = cy[s + d] - cy[s];
                    double win = cw[s + d] - cw[s];
                    double wout = sw - win;
                    if (-gk * yin * Math.abs(yin) > best * win * wout * wout) {
                        if (win < eps || wout < eps) {
                            continue;
                        }
                        best = gk * yin * yin / (win * wout * wout);
                        bestN = s;
                        bestK = k;
                    }
                }
            }
            if (bestK >= 0 && startStep[bestK] > 1) { // the best box, its start refined bin by bin
                int d = durBins[bestK];
                int from = Math.max(0, bestN - startStep[bestK] + 1);
                int to = Math.min(m - 1, bestN + startStep[bestK] - 1);
                double gk = g[bestK];
                for (int s = from; s <= to; s++) {
                    double yin = cy[s + d] - cy[s];
                    double win = cw[s + d] - cw[s];
                    double wout = sw - win;
                    if (win >= eps && wout >= eps && -gk * yin * Math.abs(yin) > best * win * wout * wout) {
                        best = gk * yin * yin / (win * wout * wout);
                        bestN = s;
                    }
                }
            }
            if (bestN < 0) {
                none(p, power, depth, depthErr, duration, epoch, durations[0]);
                continue;
            }
            int d = durBins[bestK];
            double yin = cy[bestN + d] - cy[bestN];
            double win = cw[bestN + d] - cw[bestN];
            double wout = sw - win;
            power[p] = 0.5 * sw * sw * best;
            depth[p] = -yin * sw / (win * wout);
            depthErr[p] = Math.sqrt(1 / win + 1 / wout);
            duration[p] = d * bin;
            epoch[p] = epochOf(bestN, d, bin, period);
        }
        return new Periodogram(periods.clone(), power, depth, depthErr, duration, epoch);
    }

    /**
     * The box at one period, epoch and duration, as the periodogram measures it at its best box: {depth, its error}
     * from the cadences within half a duration of a transit's mid-time (none in transit: depth 0, error infinite).
     */
    public double[] boxAt(double period, double epoch, double duration) {
        double win = 0;
        double yin = 0;
        double e = epoch - minT;
        for (int i = 0; i < t.length; i++) {
            if (Math.abs(TransitSearch.phase(t[i], period, e)) < 0.5 * duration) {
                win += w[i];
                yin += yw[i];
            }
        }
        double wout = sumW - win;
        if (win <= 0 || wout <= 0) {
            return new double[] {0, Double.POSITIVE_INFINITY};
        }
        return new double[] {-yin * sumW / (win * wout), Math.sqrt(1 / win + 1 / wout)};
    }

    /** The mid-time of a model starting at bin {@code start}, {@code d} bins long, folded back into one period. */
    private double epochOf(int start, int d, double bin, double period) {
        double mid = start * bin + 0.5 * d * bin;
        return minT + (mid - period * Math.floor(mid / period));
    }

    /** Period {@code p} holds no dip. */
    private void none(int p, double[] power, double[] depth, double[] depthErr, double[] duration, double[] epoch,
                      double shortest) {
        power[p] = 0;
        depth[p] = 0;
        depthErr[p] = Double.POSITIVE_INFINITY;
        duration[p] = shortest;
        epoch[p] = minT;
    }

    /**
     * The limb-darkened template of {@code d} bins starting at bin {@code start}, against the cumulative sums:
     * {sum w s y, sum w s^2 - (sum w s)^2 / sum w} (y about its weighted mean), from the three nested boxes.
     */
    private double[] templateFit(double[] cy, double[] cw, int start, int d) {
        double ss = 0;
        double ssy = 0;
        double sss = 0;
        double prevLevel = 0;
        double prevW = 0;
        for (int r = 0; r < RING_WIDTHS.length; r++) {
            int dr = d - 2 * (int) Math.round((1 - RING_WIDTHS[r]) * d / 2);
            double y = 0;
            double wr = 0;
            if (dr > 0) {
                int a = start + (d - dr) / 2;
                y = cy[a + dr] - cy[a];
                wr = cw[a + dr] - cw[a];
            }
            double step = RING_LEVELS[r] - prevLevel; // nested boxes: each adds its level's step
            ss += step * wr;
            ssy += step * y;
            if (r > 0) {
                sss += RING_LEVELS[r - 1] * RING_LEVELS[r - 1] * (prevW - wr); // the ring outside this box
            }
            prevLevel = RING_LEVELS[r];
            prevW = wr;
        }
        sss += prevLevel * prevLevel * prevW;
        return new double[] {ssy, sss - ss * ss / sumW};
    }

    /** The best template of a fold: {value, start, duration index}; start -1 when none fits a dip. */
    private double[] templateBest(double[] cy, double[] cw, int m, int[] durBins, int[] startStep,
                                  double[] durations, double longest, double minDur, double[] g) {
        double best = 0;
        int bestN = -1;
        int bestK = -1;
        double l0 = RING_LEVELS[0];
        double l1 = RING_LEVELS[1];
        double l2 = RING_LEVELS[2];
        double sw = sumW;
        for (int k = 0; k < durBins.length; k++) {
            if (durations[k] > longest && durations[k] > minDur) {
                continue;
            }
            int d = durBins[k];
            // the nested boxes: [s, s + d), [s + o1, s + o1 + d1), [s + o2, s + o2 + d2); an empty one adds nothing
            int d1 = d - 2 * (int) Math.round((1 - RING_WIDTHS[1]) * d / 2);
            int d2 = d - 2 * (int) Math.round((1 - RING_WIDTHS[2]) * d / 2);
            int o1 = (d - d1) / 2;
            int o2 = (d - d2) / 2;
            double a1 = d1 > 0 ? 1 : 0;
            double a2 = d2 > 0 ? 1 : 0;
            d1 = Math.max(d1, 0);
            d2 = Math.max(d2, 0);
            for (int s = 0; s < m; s += startStep[k]) {
                double y0 = cy[s + d] - cy[s];
                double w0 = cw[s + d] - cw[s];
                double y1 = a1 * (cy[s + o1 + d1] - cy[s + o1]);
                double w1 = a1 * (cw[s + o1 + d1] - cw[s + o1]);
                double y2 = a2 * (cy[s + o2 + d2] - cy[s + o2]);
                double w2 = a2 * (cw[s + o2 + d2] - cw[s + o2]);
                double ssy = l0 * y0 + (l1 - l0) * y1 + (l2 - l1) * y2;
                double ss = l0 * w0 + (l1 - l0) * w1 + (l2 - l1) * w2;
                double v = l0 * l0 * (w0 - w1) + l1 * l1 * (w1 - w2) + l2 * l2 * w2 - ss * ss / sw;
                if (ssy < 0 && g[k] * ssy * ssy > best * v && v > 1e-300) {
                    best = g[k] * ssy * ssy / v;
                    bestN = s;
                    bestK = k;
                }
            }
        }
        if (bestK >= 0 && startStep[bestK] > 1) {
            int from = Math.max(0, bestN - startStep[bestK] + 1);
            int to = Math.min(m - 1, bestN + startStep[bestK] - 1);
            for (int s = from; s <= to; s++) {
                double[] fit = templateFit(cy, cw, s, durBins[bestK]);
                if (fit[0] < 0 && fit[1] > 1e-300 && g[bestK] * fit[0] * fit[0] > best * fit[1]) {
                    best = g[bestK] * fit[0] * fit[0] / fit[1];
                    bestN = s;
                }
            }
        }
        return new double[] {best, bestN, bestK};
    }
}
