package org.tessexo.common.vetting;

import org.tessexo.common.lightcurve.LightCurve;
import org.tessexo.common.lightcurve.TransitSearch;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The training examples one real light curve gives, each made as production makes a candidate: the search runs on
 * the light curve and the example is the views of a signal it finds (not of the injected truth), as the search
 * made them.
 * <ul>
 *   <li>the light curve itself, when the labels table knows the star: the signal at the known period (a binary
 *   also at half or twice it), labelled as known, whatever its rank; left out when none is;</li>
 *   <li>the light curve inverted ({@link Injector#inverted}): a false alarm, the first signal of nothing;</li>
 *   <li>planets and binaries injected into the inverted light curve: the signal at the injected period (a binary
 *   also at half or twice it), labelled as injected, whatever its rank (an active star's planet comes after the
 *   star's own variability, listed first); when none is, the first signal, a false alarm (the search found
 *   something else).</li>
 * </ul>
 */
public final class TrainingExamples {
    /** Periods within this fraction are the same. */
    static final double MATCH = 0.01;

    private TrainingExamples() {
    }

    /** A star's known signal, from a labels table. */
    public record Known(Vetter.Kind kind, double period) implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    /**
     * @param source   "real", "inverted", "injected planet", "injected binary"
     * @param truthSnr the injected SNR (NaN when nothing was injected)
     * @param detail   what was injected, or the known label
     */
    public record Example(String star, String source, Vetter.Kind label, SignalViews.Views views,
                          TransitSearch.Signal signal, double truthSnr, String detail) implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    /** How many injections of each kind per light curve, and their SNR range. */
    public record Plan(int planets, int binaries, double minSnr, double maxSnr) implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    public static List<Example> of(LightCurve lc, Known known, Plan plan, TransitSearch search, long seed) {
        List<Example> out = new ArrayList<>();
        String star = lc.target().name();
        if (known != null) {
            TransitSearch.Result r = search.search(lc);
            TransitSearch.Signal s = r.ok() ? at(r.signals(), known.period(),
                    known.kind() == Vetter.Kind.ECLIPSING_BINARY) : null;
            if (s != null) {
                out.add(new Example(star, "real", known.kind(), SignalViews.of(r.forViews(s), s), s, Double.NaN,
                        "known " + known.kind().label() + (s.rank() > 1 ? " (signal " + s.rank() + ")" : "")));
            }
        }
        LightCurve host = Injector.inverted(lc);
        add(out, star, "inverted", host, null, search);
        Random rnd = new Random(seed);
        for (int i = 0; i < plan.planets(); i++) {
            add(out, star, "injected planet", null, Injector.planet(host, rnd, plan.minSnr(), plan.maxSnr()), search);
        }
        for (int i = 0; i < plan.binaries(); i++) {
            add(out, star, "injected binary", null, Injector.binary(host, rnd, plan.minSnr(), plan.maxSnr()), search);
        }
        return out;
    }

    private static void add(List<Example> out, String star, String source, LightCurve plain,
                            Injector.Injected injected, TransitSearch search) {
        LightCurve lc = injected == null ? plain : injected.lightCurve();
        TransitSearch.Result r = search.search(lc);
        if (!r.ok() || r.signals().isEmpty()) {
            return;
        }
        if (injected == null) {
            TransitSearch.Signal s = r.signals().get(0);
            out.add(new Example(star, source, Vetter.Kind.FALSE_ALARM, SignalViews.of(r.forViews(s), s), s,
                    Double.NaN, "nothing injected"));
            return;
        }
        Injector.Truth t = injected.truth();
        TransitSearch.Signal hit = at(r.signals(), t.period(), t.kind() == Vetter.Kind.ECLIPSING_BINARY);
        TransitSearch.Signal s = hit != null ? hit : r.signals().get(0);
        out.add(new Example(star, source, hit != null ? t.kind() : Vetter.Kind.FALSE_ALARM,
                SignalViews.of(r.forViews(s), s), s, t.snr(), t.description() + (hit == null
                        ? " (not found: the search's signal is a false alarm)"
                        : s.rank() > 1 ? " (signal " + s.rank() + ")" : "")));
    }

    /** The first signal, by rank, at this period (or, with {@code halfOrTwice}, at half or twice it); null if none. */
    static TransitSearch.Signal at(List<TransitSearch.Signal> signals, double period, boolean halfOrTwice) {
        for (TransitSearch.Signal s : signals) {
            if (matches(s.period(), period, halfOrTwice)) {
                return s;
            }
        }
        return null;
    }

    /** Whether a found period is the true one (for a binary also half or twice it: equal eclipses fold so). */
    public static boolean matches(double found, double truth, boolean halfOrTwice) {
        if (Math.abs(found - truth) < MATCH * truth) {
            return true;
        }
        return halfOrTwice && (Math.abs(found - truth / 2) < MATCH * truth / 2
                || Math.abs(found - 2 * truth) < MATCH * 2 * truth);
    }
}
