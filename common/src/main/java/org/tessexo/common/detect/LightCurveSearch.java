package org.tessexo.common.detect;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tessexo.common.fits.Outcome;
import org.tessexo.common.lightcurve.LightCurve;
import org.tessexo.common.lightcurve.SingleEvents;
import org.tessexo.common.lightcurve.TimeSystem;
import org.tessexo.common.lightcurve.TransitFigure;
import org.tessexo.common.lightcurve.TransitSearch;
import org.tessexo.common.vetting.SignalViews;
import org.tessexo.common.vetting.Verdict;
import org.tessexo.common.vetting.Vetter;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Searches one light curve for periodic transits and vets each signal found: the views of every signal, scored by
 * the vetter when there is one (the features alone when not). Never throws for a light curve: a search that fails
 * is an outcome with its reason. Not thread-safe where the vetter is not: one per thread or task.
 */
public final class LightCurveSearch {
    private static final Logger LOG = LoggerFactory.getLogger(LightCurveSearch.class);
    public static final String SEARCH_ERROR = "search error";
    public static final String OUT_OF_MEMORY = "out of memory";

    private final TransitSearch search;
    private final Supplier<Vetter> vetter;

    /** @param vetter the vetter, looked up once a light curve has signals; null or giving null: not vetted */
    public LightCurveSearch(TransitSearch.Settings settings, Supplier<Vetter> vetter) {
        this.search = new TransitSearch(settings);
        this.vetter = vetter == null ? () -> null : vetter;
    }

    /**
     * What the search made of one light curve: {@link Outcome#SEARCHED} with its signals, their verdicts (same
     * order; scored or not) and single dips, or {@link Outcome#SKIPPED} / {@link Outcome#FAILED} with the reason.
     * {@code detail}: what was done to the data or the search (a time conversion, a sort, a capped grid), or what
     * went wrong.
     */
    public record Searched(Outcome outcome, String reason, String detail, int cadences, TransitSearch.Result result,
                           List<Verdict> verdicts) {
        public List<TransitSearch.Signal> signals() {
            return result == null || outcome != Outcome.SEARCHED ? List.of() : result.signals();
        }

        public List<SingleEvents.Event> events() {
            return result == null || outcome != Outcome.SEARCHED ? List.of() : result.events();
        }
    }

    /**
     * Searches and vets.
     *
     * @param readNotes what reading the file noted (joined with the search's own notes)
     * @param name      the file or star, for the log
     */
    public Searched run(LightCurve lc, String readNotes, String name) {
        try {
            TransitSearch.Result r = search.search(lc);
            String notes = join(readNotes, r.notes());
            if (!r.ok()) {
                return new Searched(Outcome.SKIPPED, r.reason(), join(r.detrended().size() + " cadences", notes),
                        r.detrended().size(), r, List.of());
            }
            return new Searched(Outcome.SEARCHED, "", notes, r.detrended().size(), r, vet(r));
        } catch (RuntimeException e) {
            LOG.warn("{}: search failed", name, e);
            return failed(SEARCH_ERROR, e.getClass().getSimpleName() + ": " + e.getMessage());
        } catch (OutOfMemoryError e) {
            // A backstop: callers bound the file's size before reading; its tables may still decode larger.
            return failed(OUT_OF_MEMORY, e.getMessage() + " (raise the memory)");
        }
    }

    private static Searched failed(String reason, String detail) {
        return new Searched(Outcome.FAILED, reason, detail, 0, null, List.of());
    }

    /** Each signal's views, scored by the vetter when there is one. */
    private List<Verdict> vet(TransitSearch.Result r) {
        if (r.signals().isEmpty()) {
            return List.of();
        }
        List<SignalViews.Views> views = new ArrayList<>();
        for (TransitSearch.Signal g : r.signals()) {
            views.add(SignalViews.of(r.forViews(g), g));
        }
        List<Verdict> out = new ArrayList<>();
        Vetter v = vetter.get();
        if (v == null) {
            views.forEach(x -> out.add(Verdict.unscored(x)));
            return out;
        }
        List<Vetter.Score> scores = v.score(views);
        for (int i = 0; i < views.size(); i++) {
            out.add(Verdict.of(scores.get(i), views.get(i), Verdict.candidate(r.signals().get(i))));
        }
        return out;
    }

    /**
     * The figure of one signal of a search (the light curve, the periodogram, the views, the vetting), as PNG.
     *
     * @param file the file's name, for the title
     */
    public static byte[] figure(Searched s, int index, LightCurve.Target t, String file, int width, int height) {
        TransitSearch.Result r = s.result();
        TransitSearch.Signal g = r.signals().get(index);
        SignalViews.Views v = SignalViews.of(r.forViews(g), g);
        Verdict verdict = index < s.verdicts().size() ? s.verdicts().get(index) : null;
        String scored = verdict == null || Double.isNaN(verdict.planetScore()) ? ""
                : String.format(Locale.ROOT, "planet score %.3f: %s", verdict.planetScore(), verdict.disposition());
        String title = String.format(Locale.ROOT, "%s, %s, signal %d (%s)%s",
                t.name().isEmpty() ? "target unknown" : t.name(),
                t.sector() >= 0 ? "sector " + t.sector() : "sector unknown", g.rank(), file,
                t.timeSystem().equals(TimeSystem.BTJD) ? "" : ", times from " + t.timeSystem());
        return TransitFigure.png(r.forViews(g), r.periodogram(), g, v.global(),
                new double[][] {v.local(), v.odd(), v.even(), v.secondary()}, scored, title, width, height);
    }

    static String join(String a, String b) {
        return a.isEmpty() ? b : b.isEmpty() ? a : a + "; " + b;
    }
}
