package org.tessexo.common.lightcurve;

/**
 * Trial periods and durations for a BLS search. The periods are uniform in frequency with the step the literature
 * prescribes for a box search (Ofir 2014; astropy's {@code autoperiod}): {@code df = q * minDuration / baseline^2},
 * so that a transit of the shortest duration drifts by at most {@code q} durations across the baseline between two
 * neighbouring trial periods.
 */
public record PeriodGrid(double[] periods, double[] durations, int wanted) {

    public PeriodGrid(double[] periods, double[] durations) {
        this(periods, durations, periods.length);
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
