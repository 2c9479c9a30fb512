package org.tessexo.common.lightcurve;

/**
 * Trial periods and durations for a BLS search, in one of two spacings ({@link Spacing}): uniform in frequency with
 * the step astropy's {@code autoperiod} uses, {@code df = q * minDuration / baseline^2}, or with the step that keeps
 * the same bound on a transit's drift at every period, {@code df = q * minDuration * f / (2 baseline)}.
 *
 * <p>Why the second: a frequency error {@code df} moves the last of the transits over a baseline {@code T} by
 * {@code T * P * df} from where the trial period puts it. The uniform step bounds that drift by {@code q D / 2} at
 * the longest period searched ({@code P = T / 2}), and by far less at short periods, where {@code T / P} transits
 * need the same {@code q D / 2} only. Spacing the frequencies in proportion to themselves keeps every period's drift
 * at {@code q D / 2}: as sensitive at the longest period, {@code (2 T / (q D)) ln(fmax / fmin)} periods in all
 * (a 27-day sector at 0.5 h: about 8,600 against 67,000). The period step of Kepler's Transiting Planet Search
 * follows the same rule (a period mismatch that moves the transits by a set fraction of the duration).
 */
public record PeriodGrid(double[] periods, double[] durations, int wanted) {

    /** How trial frequencies are spaced. */
    public enum Spacing {
        /** Uniform in frequency (astropy's autoperiod): for comparisons, and for a grid as astropy makes it. */
        FREQUENCY,
        /** The same bound on a transit's drift at every period: steps proportional to the frequency. */
        DRIFT
    }

    public PeriodGrid(double[] periods, double[] durations) {
        this(periods, durations, periods.length);
    }

    /** The longest trial period (days). */
    public double longest() {
        double longest = Double.NEGATIVE_INFINITY;
        for (double p : periods) {
            longest = Math.max(longest, p);
        }
        return longest;
    }

    /** Whether the grid was made coarser than the rule asks, to stay within a cap ({@link #wanted} periods). */
    public boolean capped() {
        return wanted > periods.length;
    }

    /**
     * @param baseline     days from the first to the last cadence
     * @param minPeriod    shortest period (days)
     * @param maxPeriod    longest period (days); at most baseline / (minTransits - 1) is searched
     * @param durations    trial durations (days), each shorter than minPeriod
     * @param minTransits  transits required within the baseline (2: half the baseline at most)
     * @param frequencyFactor the q above (1 = astropy's default; smaller is denser)
     */
    public static PeriodGrid auto(double baseline, double minPeriod, double maxPeriod, double[] durations,
                                  int minTransits, double frequencyFactor) {
        return auto(baseline, minPeriod, maxPeriod, durations, minTransits, frequencyFactor, Integer.MAX_VALUE);
    }

    /**
     * As above, with at most {@code maxPeriods} trial periods: where the rule asks for more (the grid grows with
     * the baseline squared: a light curve with two stretches a year apart asks for millions), the frequency step
     * is widened to fit, evenly over the same range, and {@link #wanted} keeps the count the rule asked for.
     */
    public static PeriodGrid auto(double baseline, double minPeriod, double maxPeriod, double[] durations,
                                  int minTransits, double frequencyFactor, int maxPeriods) {
        return auto(baseline, minPeriod, maxPeriod, durations, minTransits, frequencyFactor, maxPeriods,
                Spacing.FREQUENCY);
    }

    /** As above, in the given spacing; with {@link Spacing#DRIFT} a cap widens every step alike. */
    public static PeriodGrid auto(double baseline, double minPeriod, double maxPeriod, double[] durations,
                                  int minTransits, double frequencyFactor, int maxPeriods, Spacing spacing) {
        if (!(baseline > 0)) {
            throw new IllegalArgumentException("baseline must be positive");
        }
        double minDur = Double.POSITIVE_INFINITY;
        for (double d : durations) {
            minDur = Math.min(minDur, d);
        }
        double longest = Math.min(maxPeriod, baseline / Math.max(1, minTransits - 1));
        if (!(longest > minPeriod)) {
            throw new IllegalArgumentException("no period between " + minPeriod + " and " + longest
                    + " days to search");
        }
        if (spacing == Spacing.DRIFT) {
            return drift(baseline, minPeriod, longest, durations, minDur, frequencyFactor, maxPeriods);
        }
        double df = frequencyFactor * minDur / (baseline * baseline);
        double fmin = 1 / longest;
        double fmax = 1 / minPeriod;
        double wanted = 1 + Math.round((fmax - fmin) / df);
        int nf = (int) Math.min(wanted, Math.max(2, maxPeriods));
        if (nf < wanted) {
            df = (fmax - fmin) / (nf - 1);
        }
        double[] periods = new double[nf];
        for (int i = 0; i < nf; i++) {
            periods[i] = 1 / (fmin + df * i);
        }
        return new PeriodGrid(periods, durations.clone(), (int) Math.min(Integer.MAX_VALUE, wanted));
    }

    private static PeriodGrid drift(double baseline, double minPeriod, double longest, double[] durations,
                                    double minDur, double frequencyFactor, int maxPeriods) {
        // f_{i+1} = f_i (1 + r): the drift T P df = T r stays q D / 2.
        double r = frequencyFactor * minDur / (2 * baseline);
        double fmin = 1 / longest;
        double fmax = 1 / minPeriod;
        double wanted = 1 + Math.ceil(Math.log(fmax / fmin) / Math.log1p(r));
        int nf = (int) Math.min(wanted, Math.max(2, maxPeriods));
        double step = nf < wanted ? Math.log(fmax / fmin) / (nf - 1) : Math.log1p(r);
        double[] periods = new double[nf];
        for (int i = 0; i < nf; i++) {
            periods[i] = 1 / Math.min(fmax, fmin * Math.exp(step * i));
        }
        return new PeriodGrid(periods, durations.clone(), (int) Math.min(Integer.MAX_VALUE, wanted));
    }

    /** {@code count} durations spaced evenly in log from {@code min} to {@code max} hours, in days. */
    public static double[] durationsHours(double min, double max, int count) {
        double[] d = new double[count];
        for (int i = 0; i < count; i++) {
            double f = count == 1 ? 0 : (double) i / (count - 1);
            d[i] = min * Math.pow(max / min, f) / 24.0;
        }
        return d;
    }
}
