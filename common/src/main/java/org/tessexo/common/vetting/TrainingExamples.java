package org.tessexo.common.vetting;

import org.tessexo.common.lightcurve.LightCurve;
import org.tessexo.common.lightcurve.TransitSearch;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The training examples one real light curve gives, each made as production makes a candidate: the search runs on
 * the light curve and the example is the views of the signal it finds (not of the injected truth).
 * <ul>
 *   <li>the light curve itself, when the labels table knows the star: labelled as known when the search finds the
 *   known period (a binary also at half or twice it), left out otherwise;</li>
 *   <li>the light curve inverted ({@link Injector#inverted}): a false alarm, the strongest signal of nothing;</li>
 *   <li>planets and binaries injected into the inverted light curve: labelled as injected when the search finds
 *   the injected period (a binary also at half or twice it), else a false alarm (the search found something else).
 *   </li>
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
            if (r.ok() && !r.signals().isEmpty()) {
                TransitSearch.Signal s = r.signals().get(0);
                if (matches(s.period(), known.period(), known.kind() == Vetter.Kind.ECLIPSING_BINARY)) {
                    out.add(new Example(star, "real", known.kind(), SignalViews.of(r.forViews(s), s), s, Double.NaN,
                            "known " + known.kind().label()));
                }
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
        TransitSearch.Signal s = r.signals().get(0);
        SignalViews.Views v = SignalViews.of(r.forViews(s), s);
        if (injected == null) {
            out.add(new Example(star, source, Vetter.Kind.FALSE_ALARM, v, s, Double.NaN, "nothing injected"));
            return;
        }
        Injector.Truth t = injected.truth();
        boolean found = matches(s.period(), t.period(), t.kind() == Vetter.Kind.ECLIPSING_BINARY);
        out.add(new Example(star, source, found ? t.kind() : Vetter.Kind.FALSE_ALARM, v, s, t.snr(),
                t.description() + (found ? "" : " (not found: the search's signal is a false alarm)")));
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
