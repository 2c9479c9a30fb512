package org.tessexo.common.lightcurve;

import org.tessexo.common.stats.RobustStats;

import java.util.ArrayList;
import java.util.List;

/**
 * The whole search on one light curve: clean, normalize, detrend, BLS, and again after each found signal's folded
 * phase curve is divided out ({@link FoldedProfile}) and its transits masked.
 * Pure domain code: no Spark, no I/O.
 */
public final class TransitSearch {

    /**
     * @param qualityMask     cadences with any of these QUALITY bits are dropped
     * @param window          detrending window (days)
     * @param method          detrending location estimator
     * @param minPeriod       shortest trial period (days)
     * @param maxPeriod       longest trial period (days); 0 = half the baseline (two transits)
     * @param minDurationHours shortest trial duration
     * @param maxDurationHours longest trial duration
     * @param durations       number of trial durations (log-spaced)
     * @param oversample      phase bins per shortest duration
     * @param frequencyFactor period grid density (1 = astropy's autoperiod; smaller is denser)
     * @param maxSignals      signals to look for (each search masks the transits of the ones before)
     * @param minSde          a signal below this SDE ends the search (the first one is reported, unless a lone dip)
     * @param clipSigma       upward outliers (flares) beyond this many robust sigmas are dropped after detrending
     * @param maxDutyCycle    longest duration tried at a period, as a fraction of it
     * @param maxPeriods      trial periods at most (the grid is made coarser beyond, and the outcome says so)
     * @param timeBudget      seconds of searching per light curve after which no further signal is sought
     * @param spacing        how trial frequencies are spaced ({@link PeriodGrid.Spacing#DRIFT}: the same bound on a
     *                       transit's drift at every period, about 8x fewer periods than uniform in frequency)
     * @param binsPerCadence phase bins are at least a cadence over this wide (0: sized to the shortest duration
     *                       only)
     * @param prewhiten      at most this many periodic signals of the star, faster than the detrending window and
     *                       not dip trains, removed before the search ({@link Prewhitening}; 0: none)
     * @param shape          the transit model searched for: a box (BLS) or a limb-darkened template (TLS-like)
     * @param sdeKernel      the SDE is measured on the periodogram less its running median over this many trial
     *                       periods of a frequency-factor-1 grid (a coarser grid's kernel is as much shorter, so that
     *                       it spans the same frequencies); 0: on the raw periodogram
     * @param redNoiseWeighting each trial duration's power divided by the square of the red-noise factor measured
     *                       on its time scale ({@link RedNoise#factors}): the periodogram against the noise each
     *                       box meets; false: against white noise
     * @param whitenHours    the periodogram of the whitened matched filter ({@link Whitening}): the detrended flux's
     *                       noise modelled as autoregressive over lags up to this many hours, so that a box's power
     *                       is its squared SNR against the correlated noise it meets; 0: against white noise
     */
    public record Settings(int qualityMask, double window, Detrender.Method method, double minPeriod,
                           double maxPeriod, double minDurationHours, double maxDurationHours, int durations,
                           int oversample, double frequencyFactor, int maxSignals, double minSde, double clipSigma,
                           double maxDutyCycle, int maxPeriods, double timeBudget, PeriodGrid.Spacing spacing,
                           int binsPerCadence, int prewhiten, BoxLeastSquares.Shape shape, int sdeKernel,
                           boolean redNoiseWeighting, double whitenHours)
            implements java.io.Serializable {
        public static final BoxLeastSquares.Shape DEFAULT_SHAPE = BoxLeastSquares.Shape.BOX;
        /** Transit Least Squares' kernel at its default oversampling (3 x 30 + 1 periods). */
        public static final int DEFAULT_SDE_KERNEL = 91;
        public static final boolean DEFAULT_RED_NOISE_WEIGHTING = false;
        /** The longest duration searched: the whitening follows the noise on every time scale a box sees. */
        public static final double WHITEN_HOURS = 10;
        /**
         * On (README: Transit search, "Whitening": more injected transits found in 108 real light curves, inverted
         * and as they are).
         */
        public static final double DEFAULT_WHITEN_HOURS = WHITEN_HOURS;

        public static final int DEFAULT_MAX_PERIODS = 300_000;
        public static final double DEFAULT_TIME_BUDGET = 120;
        public static final PeriodGrid.Spacing DEFAULT_SPACING = PeriodGrid.Spacing.DRIFT;
        public static final int DEFAULT_BINS_PER_CADENCE = 2;
        /** At most 10 terms: see reference.conf's search.prewhiten for what it gains. */
        public static final int DEFAULT_PREWHITEN = 10;

        /**
         * QUALITY bits dropped by default: attitude tweak (1), safe mode (2), coarse point (4), Earth point (8),
         * Argabrightening (16), reaction-wheel desaturation (32), manual exclude (128), impulsive outlier (512).
         */
        public static final int DEFAULT_QUALITY_MASK = 1 | 2 | 4 | 8 | 16 | 32 | 128 | 512;

        /** The detrending window, in longest durations searched (wotan: about 3 preserves transits). */
        public static final double WINDOW_DURATIONS = 3;

        public static Settings defaults() {
            return new Settings(DEFAULT_QUALITY_MASK, WINDOW_DURATIONS * 10 / 24.0, Detrender.Method.BIWEIGHT, 0.5,
                    0, 0.5, 10, 12, 10, 1.0, 3, 9.0, 5.0, 0.15, DEFAULT_MAX_PERIODS, DEFAULT_TIME_BUDGET,
                    DEFAULT_SPACING, DEFAULT_BINS_PER_CADENCE, DEFAULT_PREWHITEN, DEFAULT_SHAPE, DEFAULT_SDE_KERNEL,
                    DEFAULT_RED_NOISE_WEIGHTING, DEFAULT_WHITEN_HOURS);
        }

        /** A builder that starts from these settings: a copy with some of them changed, none forgotten. */
        public Builder toBuilder() {
            return new Builder(this);
        }

        /** Settings changed one at a time from a starting point ({@link Settings#toBuilder()}). */
        public static final class Builder {
            private int qualityMask;
            private double window;
            private Detrender.Method method;
            private double minPeriod;
            private double maxPeriod;
            private double minDurationHours;
            private double maxDurationHours;
            private int durations;
            private int oversample;
            private double frequencyFactor;
            private int maxSignals;
            private double minSde;
            private double clipSigma;
            private double maxDutyCycle;
            private int maxPeriods;
            private double timeBudget;
            private PeriodGrid.Spacing spacing;
            private int binsPerCadence;
            private int prewhiten;
            private BoxLeastSquares.Shape shape;
            private int sdeKernel;
            private boolean redNoiseWeighting;
            private double whitenHours;

            private Builder(Settings s) {
                qualityMask = s.qualityMask();
                window = s.window();
                method = s.method();
                minPeriod = s.minPeriod();
                maxPeriod = s.maxPeriod();
                minDurationHours = s.minDurationHours();
                maxDurationHours = s.maxDurationHours();
                durations = s.durations();
                oversample = s.oversample();
                frequencyFactor = s.frequencyFactor();
                maxSignals = s.maxSignals();
                minSde = s.minSde();
                clipSigma = s.clipSigma();
                maxDutyCycle = s.maxDutyCycle();
                maxPeriods = s.maxPeriods();
                timeBudget = s.timeBudget();
                spacing = s.spacing();
                binsPerCadence = s.binsPerCadence();
                prewhiten = s.prewhiten();
                shape = s.shape();
                sdeKernel = s.sdeKernel();
                redNoiseWeighting = s.redNoiseWeighting();
                whitenHours = s.whitenHours();
            }

            public Builder qualityMask(int value) {
                qualityMask = value;
                return this;
            }

            public Builder window(double value) {
                window = value;
                return this;
            }

            public Builder method(Detrender.Method value) {
                method = value;
                return this;
            }

            public Builder minPeriod(double value) {
                minPeriod = value;
                return this;
            }

            public Builder maxPeriod(double value) {
                maxPeriod = value;
                return this;
            }

            public Builder minDurationHours(double value) {
                minDurationHours = value;
                return this;
            }

            public Builder maxDurationHours(double value) {
                maxDurationHours = value;
                return this;
            }

            public Builder durations(int value) {
                durations = value;
                return this;
            }

            public Builder oversample(int value) {
                oversample = value;
                return this;
            }

            public Builder frequencyFactor(double value) {
                frequencyFactor = value;
                return this;
            }

            public Builder maxSignals(int value) {
                maxSignals = value;
                return this;
            }

            public Builder minSde(double value) {
                minSde = value;
                return this;
            }

            public Builder clipSigma(double value) {
                clipSigma = value;
                return this;
            }

            public Builder maxDutyCycle(double value) {
                maxDutyCycle = value;
                return this;
            }

            public Builder maxPeriods(int value) {
                maxPeriods = value;
                return this;
            }

            public Builder timeBudget(double value) {
                timeBudget = value;
                return this;
            }

            public Builder spacing(PeriodGrid.Spacing value) {
                spacing = value;
                return this;
            }

            public Builder binsPerCadence(int value) {
                binsPerCadence = value;
                return this;
            }

            public Builder prewhiten(int value) {
                prewhiten = value;
                return this;
            }

            public Builder shape(BoxLeastSquares.Shape value) {
                shape = value;
                return this;
            }

            public Builder sdeKernel(int value) {
                sdeKernel = value;
                return this;
            }

            public Builder redNoiseWeighting(boolean value) {
                redNoiseWeighting = value;
                return this;
            }

            public Builder whitenHours(double value) {
                whitenHours = value;
                return this;
            }

            public Settings build() {
                return new Settings(qualityMask, window, method, minPeriod, maxPeriod, minDurationHours,
                        maxDurationHours, durations, oversample, frequencyFactor, maxSignals, minSde, clipSigma,
                        maxDutyCycle, maxPeriods, timeBudget, spacing, binsPerCadence, prewhiten, shape, sdeKernel,
                        redNoiseWeighting, whitenHours);
            }
        }

        /** The running median's length on this settings' grid, in trial periods (odd; 0: none). */
        int sdeKernelPeriods() {
            return sdeKernel <= 0 ? 0 : 2 * Math.max(1, (int) Math.round((sdeKernel / frequencyFactor - 1) / 2)) + 1;
        }
    }

    /**
     * A periodic signal: times in BTJD, duration in days, depth as a fraction of the flux. {@code snr}: the box's
     * depth over its error from the flux errors (white noise); {@code redSnr}: against the light curve's measured
     * scatter on the transit's time scale ({@link RedNoise}; NaN where too little data). {@code passed}: its SDE
     * reached {@code search.min-sde} (the first signal is reported either way). {@code edgeTransits}: how many of its
     * observed transits lie within a duration of the start or end of the data or of a gap, where a ramp (a
     * thermal settling, scattered light) mimics a dip; {@link #atEdges()} when that is most of them.
     * {@code beforePrewhitening}: found on the light curve before prewhitening, at a period none of the signals
     * found after it has: the variability prewhitening took out (a contact or ellipsoidal binary, a rotator).
     */
    public record Signal(int rank, double period, double epoch, double duration, double depth, double snr,
                         double sde, double power, int transitsObserved, boolean passed, int edgeTransits,
                         double redSnr, boolean beforePrewhitening)
            implements java.io.Serializable {
        private static final long serialVersionUID = 4L;

        public Signal(int rank, double period, double epoch, double duration, double depth, double snr, double sde,
                      double power, int transitsObserved) {
            this(rank, period, epoch, duration, depth, snr, sde, power, transitsObserved, true, 0, Double.NaN,
                    false);
        }

        /** The same signal at another rank. */
        Signal withRank(int r) {
            return new Signal(r, period, epoch, duration, depth, snr, sde, power, transitsObserved, passed,
                    edgeTransits, redSnr, beforePrewhitening);
        }

        /** Most of the observed transits are next to an edge of the data: suspect a ramp. */
        public boolean atEdges() {
            return transitsObserved > 0 && 2 * edgeTransits > transitsObserved;
        }
    }

    /** Two signals whose periods differ by less than this fraction are one signal found twice. */
    static final double SAME_PERIOD = 0.01;

    /**
     * The detrended light curve searched, and what was found in it; {@code notes} says where the search was bounded
     * or the data put in order (empty when nothing was); {@code periodogram} ({periods, power}, thinned) is the one
     * the first signal was found in; {@code unwhitened} the detrended light curve before prewhitening (null when
     * nothing was removed).
     */
    public record Result(LightCurve detrended, double[] trend, List<Signal> signals, List<SingleEvents.Event> events,
                         String reason, String notes, double[][] periodogram, LightCurve unwhitened) {
        public Result(LightCurve detrended, double[] trend, List<Signal> signals, List<SingleEvents.Event> events,
                      String reason, String notes, double[][] periodogram) {
            this(detrended, trend, signals, events, reason, notes, periodogram, null);
        }

        /**
         * What a signal's views are made of: the light curve it was found in. A signal found after prewhitening is
         * seen without the star's variability (an active star's transit folds clean); the one found before it
         * ({@link Signal#beforePrewhitening()}: a binary's light curve, a rotation) is seen as it is.
         */
        public LightCurve forViews(Signal g) {
            return g.beforePrewhitening() && unwhitened != null ? unwhitened : detrended;
        }

        public Result(LightCurve detrended, double[] trend, List<Signal> signals, List<SingleEvents.Event> events,
                      String reason) {
            this(detrended, trend, signals, events, reason, "", null);
        }

        public Result(LightCurve detrended, double[] trend, List<Signal> signals, List<SingleEvents.Event> events,
                      String reason, String notes) {
            this(detrended, trend, signals, events, reason, notes, null);
        }

        public boolean ok() {
            return reason == null;
        }

        Result withNotes(String more) {
            if (more.isEmpty()) {
                return this;
            }
            return new Result(detrended, trend, signals, events, reason, notes.isEmpty() ? more : notes + "; " + more,
                    periodogram, unwhitened);
        }
    }

    public static final String TOO_FEW = "too few good cadences";
    /** The baseline does not hold two transits of the shortest trial period. */
    public static final String TOO_SHORT = "baseline too short";
    /** Single dips at least this strong (box SNR) are listed. */
    public static final double SINGLE_EVENT_SNR = 10;
    static final int MAX_SINGLE_EVENTS = 10;

    private final Settings s;

    public TransitSearch(Settings settings) {
        this.s = settings;
    }

    public Settings settings() {
        return s;
    }

    /** Quality-masked, finite, in time order, normalized to a median of 1 (errors scaled alike). */
    public LightCurve clean(LightCurve lc) {
        boolean[] keep = new boolean[lc.size()];
        for (int i = 0; i < keep.length; i++) {
            keep[i] = (lc.quality()[i] & s.qualityMask()) == 0 && Double.isFinite(lc.time()[i])
                    && Double.isFinite(lc.flux()[i]);
        }
        LightCurve good = lc.select(keep).sortedByTime();
        if (good.size() == 0) {
            return good;
        }
        double[] f = good.flux().clone();
        double median = RobustStats.median(f.clone(), f.length);
        double[] flux = new double[f.length];
        double[] err = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            flux[i] = f[i] / median;
            err[i] = good.fluxErr()[i] / Math.abs(median);
        }
        return good.withFlux(flux, err);
    }

    /** Cleaned, normalized, detrended and clipped: the light curve the BLS searches (no signals yet). */
    public Result prepare(LightCurve raw) {
        LightCurve lc = clean(raw);
        String sorted = raw.isSorted() ? "" : "cadences sorted by time (the file's were not)";
        if (lc.size() < 100) {
            return new Result(lc, null, List.of(), List.of(), TOO_FEW).withNotes(sorted);
        }
        double[] trend = Detrender.trend(lc.time(), lc.flux(), s.window(), s.method());
        double[] flat = new double[lc.size()];
        for (int i = 0; i < flat.length; i++) {
            flat[i] = lc.flux()[i] / trend[i];
        }
        String whitened = "";
        double[] unwhitenedFlat = null;
        if (s.prewhiten() > 0) {
            Prewhitening.Result w = prewhiten(lc.time(), flat);
            if (!w.removed().isEmpty()) {
                // The window's trend of a strongly variable star follows part of the variability (a biweight over
                // a non-whole number of its cycles), which the sine series then cannot take out: the trend is
                // measured again on the flux less the variability found, and the prewhitening done again over it
                double[] quieter = new double[flat.length];
                for (int i = 0; i < flat.length; i++) {
                    quieter[i] = lc.flux()[i] - (flat[i] - w.flux()[i]) * trend[i];
                }
                trend = Detrender.trend(lc.time(), quieter, s.window(), s.method());
                for (int i = 0; i < flat.length; i++) {
                    flat[i] = lc.flux()[i] / trend[i];
                }
                w = prewhiten(lc.time(), flat);
            }
            if (!w.removed().isEmpty()) {
                // a sine series fitted to a train of brightenings moves the level: normalize again (the clip
                // below and the views measure from 1)
                double level = RobustStats.median(RobustStats.finite(w.flux()), RobustStats.finite(w.flux()).length);
                double[] renormalized = new double[flat.length];
                for (int i = 0; i < flat.length; i++) {
                    renormalized[i] = w.flux()[i] / level;
                    trend[i] *= flat[i] / renormalized[i]; // what was removed belongs to the trend
                }
                unwhitenedFlat = flat;
                flat = renormalized;
                whitened = "stellar variability removed at " + w.removed().size() + " period(s): " + w.removed();
            }
        }
        // Robust scatter; drop upward outliers (flares, cosmic rays) and cadences without a trend.
        double sigma = 1.4826 * RobustStats.mad(flat);
        boolean[] keep = belowClip(flat, sigma);
        double[] err = lc.fluxErr().clone();
        boolean errorsUsable = true;
        for (double e : err) {
            errorsUsable &= e > 0 && Double.isFinite(e);
        }
        double[] usedErr = new double[err.length];
        for (int i = 0; i < err.length; i++) {
            usedErr[i] = errorsUsable ? err[i] / trend[i] : sigma;
        }
        LightCurve detrended = lc.withFlux(flat, usedErr).select(keep);
        double[] keptTrend = new double[detrended.size()];
        for (int i = 0, j = 0; i < keep.length; i++) {
            if (keep[i]) {
                keptTrend[j++] = trend[i];
            }
        }
        if (detrended.size() < 100) {
            return new Result(detrended, keptTrend, List.of(), List.of(), TOO_FEW).withNotes(sorted);
        }
        LightCurve unwhitened = unwhitenedFlat == null ? null : lc.withFlux(unwhitenedFlat, usedErr).select(keep);
        return new Result(detrended, keptTrend, List.of(), List.of(), null, "", null, unwhitened).withNotes(sorted)
                .withNotes(whitened);
    }

    /**
     * The cadences below the flare clip: finite, and less than {@code clip-sigma} robust sigmas ({@code sigma})
     * above 1 (flat flux near 1), less the neighbours of a clipped cadence that still stand {@link #CLIP_TAIL_SIGMA}
     * above it. The rest are upward outliers: flares and their decay, cosmic rays, a binary's eclipses turned over
     * with their edges.
     */
    private boolean[] belowClip(double[] flat, double sigma) {
        boolean[] keep = new boolean[flat.length];
        for (int i = 0; i < keep.length; i++) {
            keep[i] = Double.isFinite(flat[i]) && flat[i] - 1 < s.clipSigma() * sigma;
        }
        boolean[] out = keep.clone();
        double tail = CLIP_TAIL_SIGMA * sigma;
        for (int i = 0; i < keep.length; i++) {
            if (keep[i] || !Double.isFinite(flat[i])) {
                continue;
            }
            for (int j = i - 1; j >= 0 && keep[j] && flat[j] - 1 > tail; j--) {
                out[j] = false;
            }
            for (int j = i + 1; j < keep.length && keep[j] && flat[j] - 1 > tail; j++) {
                out[j] = false;
            }
        }
        return out;
    }

    /**
     * A clipped cadence takes its neighbours with it while they stand this many robust sigmas above 1 (hysteresis,
     * as flare finders grow a flare from its peak): a flare's decay, the edges of a binary's eclipse turned over.
     */
    static final double CLIP_TAIL_SIGMA = 2;

    /** The shortest period prewhitening looks at: an hour, or three cadences. */
    static final double PREWHITEN_MIN_PERIOD = 1.0 / 24;
    /** The longest, in detrending windows: the sliding biweight leaves little of anything slower. */
    static final double PREWHITEN_MAX_WINDOWS = 4;

    private Prewhitening.Result prewhiten(double[] time, double[] flat) {
        int n = 0;
        for (double f : flat) {
            n += Double.isFinite(f) ? 1 : 0;
        }
        double[] t = new double[n];
        double[] f = new double[n];
        for (int i = 0, j = 0; i < flat.length; i++) {
            if (Double.isFinite(flat[i])) {
                t[j] = time[i];
                f[j++] = flat[i];
            }
        }
        // the upward outliers the search clips (flares; a binary's eclipses turned over) are not fitted: a sine
        // series that chases them rings on every other cadence
        boolean[] use = belowClip(f, 1.4826 * RobustStats.mad(f));
        double minPeriod = Math.max(PREWHITEN_MIN_PERIOD, 3 * cadence(t));
        Prewhitening.Result w = Prewhitening.apply(t, f, use, minPeriod, PREWHITEN_MAX_WINDOWS * s.window(),
                s.prewhiten());
        double[] out = flat.clone();
        for (int i = 0, j = 0; i < flat.length; i++) {
            if (Double.isFinite(flat[i])) {
                out[i] = w.flux()[j++];
            }
        }
        return new Prewhitening.Result(out, w.removed());
    }

    /** The longest period searched on this baseline; no search when it is not above the shortest. */
    double longestPeriod(double baseline) {
        return s.maxPeriod() > 0 ? Math.min(s.maxPeriod(), baseline) : baseline / 2;
    }

    /** The grid this search uses on a light curve of this baseline. */
    public PeriodGrid grid(double baseline) {
        double maxPeriod = s.maxPeriod() > 0 ? s.maxPeriod() : baseline / 2;
        double[] durations = PeriodGrid.durationsHours(s.minDurationHours(), s.maxDurationHours(), s.durations());
        return PeriodGrid.auto(baseline, s.minPeriod(), maxPeriod, durations, 2, s.frequencyFactor(),
                s.maxPeriods(), s.spacing());
    }

    public Result search(LightCurve raw) {
        long start = System.nanoTime();
        Result prepared = prepare(raw);
        if (!prepared.ok()) {
            return prepared;
        }
        LightCurve detrended = prepared.detrended();
        double[] keptTrend = prepared.trend();
        double baseline = detrended.baseline();
        if (!(longestPeriod(baseline) > s.minPeriod())) {
            return new Result(detrended, keptTrend, List.of(), List.of(), TOO_SHORT).withNotes(String.format(
                    java.util.Locale.ROOT, "%.2f days of data hold no two transits of a %.2f-day period"
                            + " (search.period.min-days)", baseline, s.minPeriod())).withNotes(prepared.notes());
        }
        PeriodGrid grid = grid(baseline);
        List<String> notes = new ArrayList<>();
        if (!prepared.notes().isEmpty()) {
            notes.add(prepared.notes());
        }
        if (grid.capped()) {
            notes.add(String.format(java.util.Locale.ROOT, "period grid capped at %d periods (the %.1f-day"
                    + " baseline asks for %d; search.max-periods)", grid.periods().length, baseline, grid.wanted()));
        }

        double minBin = s.binsPerCadence() > 0 ? cadence(detrended.time()) / s.binsPerCadence() : 0;
        List<Signal> signals = new ArrayList<>();
        boolean[] inTransit = new boolean[detrended.size()];
        double[][] edges = edges(detrended.time());
        double[][] first = null;
        double[] work = detrended.flux().clone();
        int rank = 1;
        // A signal found again at a period already listed (its residual) is masked wider and not listed: at most
        // as many extra searches as signals.
        for (int attempt = 1; rank <= s.maxSignals() && attempt <= 2 * s.maxSignals(); attempt++) {
            double elapsed = (System.nanoTime() - start) / 1e9;
            if (rank > 1 && elapsed > s.timeBudget()) {
                notes.add(String.format(java.util.Locale.ROOT, "time budget reached after %d signal(s) (%.0f s;"
                        + " search.time-budget-s = %.0f)", rank - 1, elapsed, s.timeBudget()));
                break;
            }
            LightCurve masked = detrended.withFlux(work, detrended.fluxErr()).select(not(inTransit));
            if (masked.size() < 100) {
                break;
            }
            Pass pass = pass(masked, grid.durations(), notes);
            BoxLeastSquares bls = pass.bls();
            double[] weights = pass.weights();
            BoxLeastSquares.Periodogram pg = sdeSpectrum(bls.power(grid, s.oversample(),
                    BoxLeastSquares.Binning.FULL, s.maxDutyCycle(), minBin, true, s.shape(), weights));
            int b = pg.best();
            double sde = pg.sde(b);
            if (first == null) {
                first = thin(pg.periods(), pg.power(), PERIODOGRAM_POINTS);
            }
            // Below the threshold the search ends, unless the peak is a listed signal found again (a binary's or a
            // rotator's leftover): that is masked wider and the search goes on, so that it hides nothing behind it.
            boolean weak = rank > 1 && sde < s.minSde();
            if (weak && !listed(signals, pg.periods()[b], 2)) {
                break;
            }
            BoxLeastSquares.Periodogram fine = atTwiceThePeriod(bls, refine(bls, pg, b, grid.durations(), minBin,
                    weights), grid, minBin, weights);
            double[] time = detrended.time();
            if (pass.whitened()) {
                fine = measuredOnFlux(fine, plain(masked));
            }
            Signal found = measured(rank, fine, sde, time, work, not(inTransit), masked.time(), edges, false);
            double period = found.period();
            double epoch = found.epoch();
            double duration = found.duration();
            boolean repeat = listed(signals, period);
            if (weak && !repeat) {
                break;
            }
            // A peak below the threshold whose transits have data only once, or whose other transits hold less
            // than 0.6 of its mean depth (EventShares), is a lone dip, not a period (an edge's ramp, a single event,
            // which the single-dip table lists): masked like a repeat, not listed, so that it does not take the first
            // place (listed whatever its SDE) from the strongest periodic signal.
            boolean[] usable = not(inTransit);
            boolean lone = sde < s.minSde() && (found.transitsObserved() < 2
                    || EventShares.carriedByOne(time, work, usable, period, epoch, duration));
            // the signal's whole phase curve goes (a binary's secondary and ellipsoidal wave), then its transits
            double[] model = FoldedProfile.model(time, work, usable, period, epoch, duration);
            for (int i = 0; i < work.length; i++) {
                work[i] /= model[i];
            }
            for (int i = 0; i < time.length; i++) {
                inTransit[i] |= Math.abs(phase(time[i], period, epoch)) < (repeat ? 1.5 : 1) * duration;
            }
            if (repeat || lone) {
                continue;
            }
            signals.add(found);
            rank++;
        }
        if (prepared.unwhitened() != null) {
            double elapsed = (System.nanoTime() - start) / 1e9;
            if (elapsed > s.timeBudget()) {
                notes.add(String.format(java.util.Locale.ROOT, "time budget reached before the search of the light"
                        + " curve before prewhitening (%.0f s; search.time-budget-s = %.0f)", elapsed, s.timeBudget()));
            } else {
                Lead lead = unwhitenedLead(prepared.unwhitened(), grid, minBin, edges, signals);
                if (lead != null) {
                    signals = withLead(lead.signal(), signals);
                    first = lead.periodogram();
                }
            }
        }
        // Single dips, periodic or not: a lone transit, or transits that wander, stay visible.
        List<SingleEvents.Event> events = SingleEvents.find(detrended, grid.durations(), SINGLE_EVENT_SNR,
                MAX_SINGLE_EVENTS);
        return new Result(detrended, keptTrend, signals, events, null, String.join("; ", notes), first,
                prepared.unwhitened());
    }

    /**
     * Each trial duration's weight in the periodogram: {@code 1 / beta^2} of the light curve searched, beta its
     * red-noise factor on that duration's time scale ({@link RedNoise#factors}); null (all 1) when not asked for.
     */
    private double[] durationWeights(LightCurve lc, double[] durations) {
        if (!s.redNoiseWeighting()) {
            return null;
        }
        double[] beta = RedNoise.factors(lc.time(), lc.flux(), durations);
        double[] w = new double[beta.length];
        for (int k = 0; k < w.length; k++) {
            w[k] = 1 / (beta[k] * beta[k]);
        }
        return w;
    }

    /** One pass's box search: the BLS over what it reads, its duration weights, and whether that is whitened. */
    private record Pass(BoxLeastSquares bls, double[] weights, boolean whitened) { }

    /**
     * The box search of one pass over {@code lc}: over its whitened flux when {@code search.whiten-hours} asks for
     * it and the cadences allow it (a note says when they do not), else over the flux.
     */
    private Pass pass(LightCurve lc, double[] durations, List<String> notes) {
        double[] weights = durationWeights(lc, durations);
        if (s.whitenHours() <= 0) {
            return new Pass(plain(lc), weights, false);
        }
        double cadence = cadence(lc.time()); // of the cadences left: a pass's masks can change it
        if (!Whitening.applicable(lc.time(), cadence)) {
            if (!notes.contains(NOT_WHITENED)) {
                notes.add(NOT_WHITENED);
            }
            return new Pass(plain(lc), weights, false);
        }
        Whitening w = Whitening.of(lc.time(), lc.flux(), cadence, (int) Math.round(s.whitenHours() / 24 / cadence));
        double[] g = w.durationWeights(durations);
        for (int k = 0; weights != null && k < g.length; k++) {
            g[k] *= weights[k];
        }
        return new Pass(new BoxLeastSquares(lc.time(), w.flux(), w.err()), g, true);
    }

    /** The box search over the light curve's own flux and errors. */
    private static BoxLeastSquares plain(LightCurve lc) {
        return new BoxLeastSquares(lc.time(), lc.flux(), lc.fluxErr());
    }

    /** The note of a search that could not whiten (search.whiten-hours asked for it). */
    static final String NOT_WHITENED = "periodogram not whitened: the cadences are too sparse for a cadence grid";

    /** The refined periodogram with its best box's depth and error measured on the flux itself ({@code plain}). */
    static BoxLeastSquares.Periodogram measuredOnFlux(BoxLeastSquares.Periodogram fine, BoxLeastSquares plain) {
        int f = fine.best();
        double[] box = plain.boxAt(fine.periods()[f], fine.epoch()[f], fine.duration()[f]);
        double[] depth = fine.depth().clone();
        double[] err = fine.depthErr().clone();
        depth[f] = box[0];
        err[f] = box[1];
        return new BoxLeastSquares.Periodogram(fine.periods(), fine.power(), depth, err, fine.duration(),
                fine.epoch());
    }

    /** The periodogram the peak is chosen on and the SDE measured on: less its running median, or as it is. */
    private BoxLeastSquares.Periodogram sdeSpectrum(BoxLeastSquares.Periodogram pg) {
        int kernel = s.sdeKernelPeriods();
        return kernel > 0 ? pg.detrended(kernel) : pg;
    }

    /** Whether a signal of the list has this period (within {@link #SAME_PERIOD}): the same signal found again. */
    static boolean listed(List<Signal> signals, double period) {
        return listed(signals, period, 1);
    }

    /** The same within {@code slack} times the tolerance (a coarse grid's peak before its period is refined). */
    static boolean listed(List<Signal> signals, double period, double slack) {
        return signals.stream().anyMatch(g -> samePeriod(g.period(), period, slack));
    }

    /** Whether {@code a} is the period {@code b} (within {@code slack} times {@link #SAME_PERIOD} of it). */
    static boolean samePeriod(double a, double b, double slack) {
        return Math.abs(a - b) < slack * SAME_PERIOD * b;
    }

    /** {@code lead} first, then the signals found after prewhitening but one at its period, ranked again. */
    static List<Signal> withLead(Signal lead, List<Signal> found) {
        List<Signal> all = new ArrayList<>();
        all.add(lead.withRank(1));
        for (Signal g : found) {
            if (!samePeriod(lead.period(), g.period(), 1)) {
                all.add(g.withRank(all.size() + 1));
            }
        }
        return all;
    }

    /** The signal found before prewhitening, and the periodogram it was found in ({periods, power}, thinned). */
    private record Lead(Signal signal, double[][] periodogram) { }

    /**
     * The strongest signal of the light curve before prewhitening, when none of the signals found after it has its
     * period (null otherwise): what prewhitening took as the star's variability (a contact or ellipsoidal binary, a
     * rotator), reported first as what it is, for the vetter to judge. Also when the one found after it at its
     * period stayed below the threshold and it passes: the binary is then reported as it stands before
     * prewhitening, in its place ({@link #withLead}), not as its leftover.
     */
    private Lead unwhitenedLead(LightCurve lc, PeriodGrid grid, double minBin, double[][] edges, List<Signal> found) {
        BoxLeastSquares bls = plain(lc);
        double[] weights = durationWeights(lc, grid.durations());
        BoxLeastSquares.Periodogram pg = sdeSpectrum(bls.power(grid, s.oversample(), BoxLeastSquares.Binning.FULL,
                s.maxDutyCycle(), minBin, true, s.shape(), weights));
        int b = pg.best();
        BoxLeastSquares.Periodogram fine = atTwiceThePeriod(bls, refine(bls, pg, b, grid.durations(), minBin, weights),
                grid, minBin, weights);
        double period = fine.periods()[fine.best()];
        double sde = pg.sde(b);
        boolean passes = sde >= s.minSde();
        if (found.stream().anyMatch(g -> (g.passed() || !passes) && samePeriod(g.period(), period, 1))) {
            return null;
        }
        boolean[] all = new boolean[lc.size()];
        java.util.Arrays.fill(all, true);
        return new Lead(measured(1, fine, sde, lc.time(), lc.flux(), all, lc.time(), edges, true),
                thin(pg.periods(), pg.power(), PERIODOGRAM_POINTS));
    }

    /**
     * The signal at the best period of a refined periodogram. {@code time} and {@code flux}: every cadence of the
     * light curve searched; {@code usable}: those not masked by an earlier signal (the red noise is measured among
     * them, outside this signal's transits; the array is written to); {@code searched}: the times the periodogram
     * saw, where its transits, and those at the data's edges, are counted.
     */
    private Signal measured(int rank, BoxLeastSquares.Periodogram fine, double sde, double[] time, double[] flux,
                            boolean[] usable, double[] searched, double[][] edges, boolean beforePrewhitening) {
        int f = fine.best();
        double period = fine.periods()[f];
        double epoch = fine.epoch()[f];
        double duration = fine.duration()[f];
        for (int i = 0; i < time.length; i++) {
            usable[i] &= Math.abs(phase(time[i], period, epoch)) >= duration;
        }
        int observed = transitsObserved(searched, period, epoch, duration);
        double redSnr = RedNoise.snr(fine.depth()[f], RedNoise.sigmaOver(time, flux, usable, duration), observed);
        return new Signal(rank, period, epoch, duration, fine.depth()[f], fine.snr(f), sde, fine.power()[f], observed,
                sde >= s.minSde(), edgeTransits(searched, edges, period, epoch, duration), redSnr,
                beforePrewhitening);
    }

    /** Trial periods between a peak's neighbours on the grid, where its period is refined. */
    static final int REFINE_STEPS = 41;

    /**
     * The peak {@code b} of a periodogram searched again between its neighbouring trial periods, finer: the grid
     * bounds a transit's drift over the baseline to a fraction of its duration, which is little for a transit but
     * leaves a deep eclipse smeared in the fold (and found again); the period, epoch and depth reported gain too.
     * The best of the finer periods, the peak's own included.
     */
    private BoxLeastSquares.Periodogram refine(BoxLeastSquares bls, BoxLeastSquares.Periodogram pg, int b,
                                               double[] durations, double minBin, double[] weights) {
        double[] p = pg.periods();
        double lo = p[Math.max(0, b - 1)];
        double hi = p[Math.min(p.length - 1, b + 1)];
        double[] fine = new double[REFINE_STEPS];
        for (int i = 0; i < REFINE_STEPS; i++) {
            fine[i] = lo + (hi - lo) * i / (REFINE_STEPS - 1);
        }
        fine[REFINE_STEPS / 2] = p[b];
        return finePower(bls, fine, durations, minBin, weights);
    }

    /** The power at a few periods around a peak, as refinement reads it: every phase, no running median. */
    private BoxLeastSquares.Periodogram finePower(BoxLeastSquares bls, double[] periods, double[] durations,
                                                  double minBin, double[] weights) {
        return bls.power(new PeriodGrid(periods, durations), s.oversample(), BoxLeastSquares.Binning.FULL,
                s.maxDutyCycle(), minBin, false, s.shape(), weights);
    }

    /**
     * A peak at half the true period moved to the true period. Transits that repeat every {@code 2P} fold at
     * {@code P} into every other fold, half their depth over twice the cadences: the box's power (its squared SNR) at
     * {@code P} is half of that at {@code 2P}. Transits that repeat every {@code P} give at {@code 2P} half of them:
     * half the power. So the power at twice the period, refined as the peak was, against the peak's: above it, the
     * transits are every other fold's and {@code 2P} is the period. The same test moves a binary whose secondary is
     * shallower than 0.41 times its primary to its orbital period (equal eclipses stay at half of it). Where it
     * matters: a deep transit in a long light curve, whose peak the periodogram less its running median can lower
     * below its half's (a hot Jupiter in a month of 1-minute Kepler data, whitened, came out at half its period).
     */
    BoxLeastSquares.Periodogram atTwiceThePeriod(BoxLeastSquares bls, BoxLeastSquares.Periodogram fine,
                                                 PeriodGrid grid, double minBin, double[] weights) {
        double[] p = fine.periods();
        if (2 * p[fine.best()] > grid.longest()) {
            return fine;
        }
        double[] twice = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            twice[i] = 2 * p[i];
        }
        BoxLeastSquares.Periodogram doubled = finePower(bls, twice, grid.durations(), minBin, weights);
        return doubled.power()[doubled.best()] > fine.power()[fine.best()] ? doubled : fine;
    }

    /** The median time between neighbouring cadences (days). */
    static double cadence(double[] time) {
        if (time.length < 2) {
            return 0;
        }
        double[] steps = new double[time.length - 1];
        for (int i = 1; i < time.length; i++) {
            steps[i - 1] = time[i] - time[i - 1];
        }
        return RobustStats.median(steps, steps.length);
    }

    /** Points of the periodogram a result keeps (for the figure): the highest power of each stretch of periods. */
    static final int PERIODOGRAM_POINTS = 2000;

    /** {periods, power} cut to at most {@code n} points, each the maximum of its stretch (peaks survive). */
    static double[][] thin(double[] periods, double[] power, int n) {
        int m = periods.length;
        int step = Math.max(1, (m + n - 1) / n);
        int k = (m + step - 1) / step;
        double[][] out = new double[2][k];
        for (int i = 0; i < k; i++) {
            int best = i * step;
            for (int j = i * step; j < Math.min(m, (i + 1) * step); j++) {
                if (power[j] > power[best]) {
                    best = j;
                }
            }
            out[0][i] = periods[best];
            out[1][i] = power[best];
        }
        return out;
    }

    /** Time from the nearest transit centre (days), in [-period/2, period/2). */
    public static double phase(double t, double period, double epoch) {
        double x = (t - epoch) / period;
        return (x - Math.floor(x + 0.5)) * period;
    }

    /** How many transit windows of the signal hold at least one cadence. */
    static int transitsObserved(double[] time, double period, double epoch, double duration) {
        java.util.Set<Long> seen = new java.util.HashSet<>();
        for (double t : time) {
            if (Math.abs(phase(t, period, epoch)) < duration / 2) {
                seen.add(Math.round((t - epoch) / period));
            }
        }
        return seen.size();
    }

    /**
     * The stretches of continuous data: [start, end] pairs, split where the time between cadences exceeds half a
     * day or ten cadences (TESS's mid-sector downlink, a safe mode, Kepler's monthly downlinks).
     */
    static double[][] edges(double[] time) {
        List<double[]> out = new ArrayList<>();
        if (time.length == 0) {
            return new double[0][];
        }
        double gap = Math.max(0.5, 10 * cadence(time));
        double begin = time[0];
        for (int i = 1; i < time.length; i++) {
            if (time[i] - time[i - 1] > gap) {
                out.add(new double[] {begin, time[i - 1]});
                begin = time[i];
            }
        }
        out.add(new double[] {begin, time[time.length - 1]});
        return out.toArray(new double[0][]);
    }

    /** Observed transits whose centre lies within a duration of the start or end of a stretch of data. */
    static int edgeTransits(double[] time, double[][] edges, double period, double epoch, double duration) {
        java.util.Set<Long> seen = new java.util.HashSet<>();
        int near = 0;
        for (double t : time) {
            if (Math.abs(phase(t, period, epoch)) < duration / 2) {
                long n = Math.round((t - epoch) / period);
                if (seen.add(n)) {
                    double centre = epoch + n * period;
                    for (double[] e : edges) {
                        if (Math.abs(centre - e[0]) < duration || Math.abs(centre - e[1]) < duration) {
                            near++;
                            break;
                        }
                    }
                }
            }
        }
        return near;
    }

    private static boolean[] not(boolean[] a) {
        boolean[] b = new boolean[a.length];
        for (int i = 0; i < a.length; i++) {
            b[i] = !a[i];
        }
        return b;
    }
}
