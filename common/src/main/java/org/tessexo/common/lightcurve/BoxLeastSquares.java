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
        double[] periods = grid.periods();
        double[] durations = grid.durations();
        double minDur = Arrays.stream(durations).min().orElseThrow();
        double maxDur = Arrays.stream(durations).max().orElseThrow();
        double minPeriod = Arrays.stream(periods).min().orElseThrow();
        double maxPeriod = Arrays.stream(periods).max().orElseThrow();
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
            // depth = y_out - y_in = -yin * sw / (win * wout); objective = 0.5 * win * depth^2
            //       = 0.5 * sw^2 * q with q = yin^2 / (win * wout^2), for dips (yin < 0) only.
            // q > best is tested as yin^2 > best * win * wout^2: no division and no unpredictable branch per box.
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
                for (int s = 0; s < starts; s += step) {
                    double yin = Math.min(cy[s + d] - cy[s], 0.0);
                    double win = cw[s + d] - cw[s];
                    double wout = sw - win;
                    if (yin * yin > best * win * wout * wout) {
                        if (win < eps || wout < eps) {
                            continue;
                        }
                        best = yin * yin / (win * wout * wout);
                        bestN = s;
                        bestK = k;
                    }
                }
            }
            if (bestK >= 0 && startStep[bestK] > 1) { // the best box, its start refined bin by bin
                int d = durBins[bestK];
                int from = Math.max(0, bestN - startStep[bestK] + 1);
                int to = Math.min(m - 1, bestN + startStep[bestK] - 1);
                for (int s = from; s <= to; s++) {
                    double yin = Math.min(cy[s + d] - cy[s], 0.0);
                    double win = cw[s + d] - cw[s];
                    double wout = sw - win;
                    if (win >= eps && wout >= eps && yin * yin > best * win * wout * wout) {
                        best = yin * yin / (win * wout * wout);
                        bestN = s;
                    }
                }
            }
            if (bestN < 0) {
                power[p] = 0;
                depth[p] = 0;
                depthErr[p] = Double.POSITIVE_INFINITY;
                duration[p] = durations[0];
                epoch[p] = minT;
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
            double mid = bestN * bin + 0.5 * d * bin;
            epoch[p] = minT + (mid - period * Math.floor(mid / period));
        }
        return new Periodogram(periods.clone(), power, depth, depthErr, duration, epoch);
    }
}
