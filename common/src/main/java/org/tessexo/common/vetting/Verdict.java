package org.tessexo.common.vetting;

import java.io.Serializable;

/**
 * What the vetting says of one signal, for the candidates table: the probability of each class, the disposition
 * ("planet candidate", "eclipsing binary", "false alarm"), and the features a person checks first (the depth
 * measured on the fold, the odd-even difference in sigma, the secondary eclipse's depth and significance at phase 0.5
 * and at any phase).
 */
public record Verdict(double planetScore, double binaryScore, double falseAlarmScore, String disposition,
                      double depthPpm, double oddEvenSigma, double secondaryPpm, double secondarySigma,
                      SignalViews.Dip anySecondary)
        implements Serializable {
    private static final long serialVersionUID = 1L;

    /** A signal below search.min-sde still counts as detected with this red-noise SNR ({@link #detected}). */
    public static final double STRONG_RED_SNR = 3 * org.tessexo.common.lightcurve.RedNoise.MIN_SNR;

    /**
     * Whether a signal is a detection, which a planet candidate must be: its SNR against the star's measured noise,
     * red included, at least {@link org.tessexo.common.lightcurve.RedNoise#MIN_SNR} (7.1; Pont et al. 2006), and
     * its SDE at least {@code search.min-sde}, or, below it, a red-noise SNR of {@link #STRONG_RED_SNR} (a very deep
     * transit's harmonics widen the periodogram's spread and lower its own SDE: HAT-P-7 b, SNR 1,244, SDE 7.7).
     * The first signal of a light curve is listed whether or not it is one.
     */
    public static boolean detected(org.tessexo.common.lightcurve.TransitSearch.Signal g) {
        return g.redSnr() >= org.tessexo.common.lightcurve.RedNoise.MIN_SNR
                && (g.passed() || g.redSnr() >= STRONG_RED_SNR);
    }

    /**
     * Whether a signal may be a planet candidate: a detection ({@link #detected}) whose observed transits do not lie
     * mostly within a duration of the data's edges ({@link org.tessexo.common.lightcurve.TransitSearch.Signal#atEdges},
     * flagged {@code edge-ramp}), where a ramp (a thermal settling, scattered light at an orbit's start) makes the
     * dip. A real planet's transits fall there by chance: two of two, or two of three, rarely.
     */
    public static boolean candidate(org.tessexo.common.lightcurve.TransitSearch.Signal g) {
        return detected(g) && !g.atEdges();
    }

    /**
     * The vetter's verdict on a signal. {@code candidate}: whether the signal may be a planet candidate
     * ({@link #candidate}); one that may not is never called one: scored a planet, its disposition is false alarm,
     * its scores stay.
     */
    public static Verdict of(Vetter.Score s, SignalViews.Views v, boolean candidate) {
        Vetter.Kind kind = !candidate && s.disposition() == Vetter.Kind.PLANET ? Vetter.Kind.FALSE_ALARM
                : s.disposition();
        return new Verdict(s.planet(), s.binary(), s.falseAlarm(), kind.label(), v.depthPpm(), v.oddEvenSigma(),
                v.secondaryPpm(), v.secondarySigma(), v.anySecondary());
    }

    /** The features without a score (no vetter given). */
    public static Verdict unscored(SignalViews.Views v) {
        return new Verdict(Double.NaN, Double.NaN, Double.NaN, "", v.depthPpm(), v.oddEvenSigma(), v.secondaryPpm(),
                v.secondarySigma(), v.anySecondary());
    }

    /**
     * What a person should check before trusting a signal: {@code below-min-sde}, {@code low-red-snr} (below
     * {@link org.tessexo.common.lightcurve.RedNoise#MIN_SNR} against the measured noise), {@code edge-ramp} (most
     * transits next to an edge of the data), {@code odd-even} and {@code secondary} (differences beyond 3 sigma,
     * the marks of a binary), {@code before-prewhitening} (the variability prewhitening took out, found before it:
     * a binary, or the star's rotation or pulsation); joined by {@code separator}.
     */
    public static String flags(org.tessexo.common.lightcurve.TransitSearch.Signal g, Verdict v, String separator) {
        java.util.List<String> f = new java.util.ArrayList<>();
        if (!g.passed()) {
            f.add("below-min-sde");
        }
        if (g.redSnr() < org.tessexo.common.lightcurve.RedNoise.MIN_SNR) {
            f.add("low-red-snr");
        }
        if (g.atEdges()) {
            f.add("edge-ramp");
        }
        if (v != null && v.oddEvenSigma() > 3) {
            f.add("odd-even");
        }
        if (v != null && v.secondarySigma() > 3) {
            f.add("secondary");
        }
        if (g.beforePrewhitening()) {
            f.add("before-prewhitening");
        }
        return String.join(separator, f);
    }
}
