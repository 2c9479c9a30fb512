package org.tessexo.common.vetting;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tessexo.common.demo.LightCurveGenerator;
import org.tessexo.common.lightcurve.LightCurve;
import org.tessexo.common.lightcurve.LightCurveReader;
import org.tessexo.common.lightcurve.TransitSearch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Injections at the asked signal-to-noise, and examples labelled by what the search finds. */
class TrainingExamplesTest {

    static LightCurve host(Path dir, int star) throws IOException {
        Path f = LightCurveGenerator.write(dir, star + 1, 3).get(star);
        return new LightCurveReader("FLUX").read(Files.readAllBytes(f), f.toString()).lightCurve();
    }

    /** A quiet star: 27 days of 20-minute cadences, white noise of 1000 ppm. */
    static LightCurve quiet(long seed) {
        Random rnd = new Random(seed);
        double[] t = new double[27 * 72];
        double[] f = new double[t.length];
        for (int i = 0; i < t.length; i++) {
            t[i] = 1000 + i / 72.0;
            f[i] = 1 + 1e-3 * rnd.nextGaussian();
        }
        return new LightCurve(t, f, new double[t.length], new int[t.length],
                new LightCurve.Target(1, 1, 1, 1, "FLUX"));
    }

    @Test
    void aPlanetThatWouldNeedABinarysDepthIsCappedAndItsSnrSaysSo() {
        LightCurve host = Injector.inverted(quiet(1));
        Injector.Injected p = Injector.planet(host, new Random(3), 1e5, 1e5); // a depth only a binary has
        Injector.Truth t = p.truth();
        double ratio = Double.parseDouble(t.description().replaceAll(".*Rp/R\\*=([0-9.]+).*", "$1"));
        assertEquals(Injector.MAX_PLANET_RATIO, ratio, 1e-4, t.description());
        assertTrue(t.depth() < 0.06, "no deeper than a 0.2 ratio blocks: " + t);
        assertTrue(t.snr() < 1e5 / 10, "the SNR recorded is what the capped depth gives: " + t);
    }

    @Test
    void aPlanetIsInjectedAtItsSnrAndFoundAtItsPeriod() {
        LightCurve host = Injector.inverted(quiet(1));
        Injector.Injected p = Injector.planet(host, new Random(1), 30, 30);
        Injector.Truth t = p.truth();
        assertEquals(Vetter.Kind.PLANET, t.kind());
        // the depth the SNR asks for: SNR x sigma / sqrt(cadences in transit)
        double sigma = Injector.scatter(host);
        double inTransit = Injector.baseline(host.time()) / t.period() * t.duration() / Injector.cadence(host.time());
        assertEquals(30 * sigma / Math.sqrt(inTransit), t.depth(), 0.35 * t.depth(), t.toString());
        TransitSearch.Result r = new TransitSearch(TransitSearch.Settings.defaults()).search(p.lightCurve());
        assertTrue(TrainingExamples.matches(r.signals().get(0).period(), t.period(), false),
                "found " + r.signals().get(0) + " for " + t);
    }

    @Test
    void examplesAreLabelledByWhatTheSearchFinds(@TempDir Path tmp) throws IOException {
        LightCurve lc = host(tmp, 1);
        TransitSearch search = new TransitSearch(TransitSearch.Settings.defaults());
        List<TrainingExamples.Example> ex = TrainingExamples.of(lc, null, new TrainingExamples.Plan(2, 2, 25, 40),
                search, 9);
        assertEquals(5, ex.size(), ex.toString());
        assertEquals("inverted", ex.get(0).source());
        assertEquals(Vetter.Kind.FALSE_ALARM, ex.get(0).label());
        long planets = ex.stream().filter(e -> e.label() == Vetter.Kind.PLANET).count();
        long binaries = ex.stream().filter(e -> e.label() == Vetter.Kind.ECLIPSING_BINARY).count();
        assertTrue(planets >= 1 && binaries >= 1, ex.stream().map(e -> e.source() + " " + e.label() + " "
                + e.detail()).toList().toString());
        for (TrainingExamples.Example e : ex) {
            if (e.label() == Vetter.Kind.PLANET) {
                assertEquals("injected planet", e.source());
            }
        }
        assertTrue(TrainingExamples.matches(2.0, 4.0, true) && !TrainingExamples.matches(2.0, 4.0, false));
    }

    @Test
    void anActiveStarsPlanetIsLearnedFromTheSignalAtItsPeriodNotTheFirst() {
        // a 5% contact-binary wave (1.3-day orbit): prewhitening takes it out and the search lists it first
        // (before-prewhitening), the injected planet after it. The example was the first signal, so an active
        // star's planet was taught as a false alarm.
        LightCurve q = quiet(5);
        double[] f = q.flux().clone();
        for (int i = 0; i < f.length; i++) {
            double phi = 2 * Math.PI * (q.time()[i] - 1000.1) / 1.3;
            f[i] *= 1 - 0.05 * (1 + Math.cos(2 * phi)) / 2 - 0.005 * Math.cos(phi);
        }
        LightCurve active = q.withFlux(f, q.fluxErr());
        List<TrainingExamples.Example> ex = TrainingExamples.of(active, null, new TrainingExamples.Plan(3, 0, 40, 40),
                new TransitSearch(TransitSearch.Settings.defaults()), 11);
        List<String> seen = ex.stream().map(e -> e.source() + " " + e.label() + " rank " + e.signal().rank() + " "
                + e.detail()).toList();
        assertTrue(ex.get(0).signal().beforePrewhitening(), "the wave comes first: " + seen);
        List<TrainingExamples.Example> planets = ex.stream().filter(e -> e.label() == Vetter.Kind.PLANET).toList();
        assertTrue(planets.size() >= 2, "planets learned as planets: " + seen);
        for (TrainingExamples.Example e : planets) {
            assertTrue(e.signal().rank() > 1 && !e.signal().beforePrewhitening(), seen.toString());
            assertTrue(e.detail().endsWith("(signal " + e.signal().rank() + ")"), seen.toString());
        }
    }

    @Test
    void aBinaryHasASecondaryUnlessItsStarsAreAlike() {
        LightCurve flat = quiet(2);
        int withSecondary = 0;
        Random rnd = new Random(4);
        for (int k = 0; k < 20; k++) {
            Injector.Injected b = Injector.binary(flat, rnd, 20, 20);
            SignalViews.Views v = SignalViews.of(b.lightCurve(), new TransitSearch.Signal(1, b.truth().period(),
                    b.truth().epoch(), b.truth().duration(), b.truth().depth(), 20, 10, 1, 5));
            withSecondary += v.secondaryPpm() > 0.05 * v.depthPpm() ? 1 : 0;
        }
        assertTrue(withSecondary >= 10, withSecondary + " of 20 binaries show a secondary eclipse");
    }
}
