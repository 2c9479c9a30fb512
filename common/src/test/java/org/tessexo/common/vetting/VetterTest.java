package org.tessexo.common.vetting;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The network's shape, scores that are probabilities, and vetter.zip written and read back alike. */
class VetterTest {

    static SignalViews.Views views(double depth) {
        return SignalViews.of(SignalViewsTest.curve(depth, depth, 0, 3), SignalViewsTest.signal(depth));
    }

    @Test
    void aSmallNetworkWhoseScoresAreProbabilities() {
        Vetter v = new Vetter(VetterNetwork.build(VetterNetwork.Settings.defaults()), Vetter.info(0.5, "t", 0, 0));
        long params = v.network().numParams();
        assertTrue(params > 50_000 && params < 500_000, params + " parameters");
        List<Vetter.Score> s = v.score(List.of(views(0.004), views(0.01)));
        assertEquals(2, s.size());
        for (Vetter.Score x : s) {
            assertEquals(1, x.planet() + x.binary() + x.falseAlarm(), 1e-5);
        }
    }

    @Test
    void vetterZipRoundTripsAndItsInfoIsChecked(@TempDir Path tmp) throws IOException {
        Vetter v = new Vetter(VetterNetwork.build(VetterNetwork.Settings.defaults()), Vetter.info(0.6, "here", 42,
                0.97));
        Path zip = tmp.resolve("vetter.zip");
        v.save(zip, false);
        Vetter back = Vetter.load(Files.readAllBytes(zip), false);
        assertEquals(0.6, back.info().threshold());
        assertEquals(42, back.info().examples());
        SignalViews.Views x = views(0.004);
        Vetter.Score a = v.score(List.of(x)).get(0);
        Vetter.Score b = back.score(List.of(x)).get(0);
        assertArrayEquals(new double[] {a.planet(), a.binary()}, new double[] {b.planet(), b.binary()}, 1e-6);
        IOException notAVetter = assertThrows(IOException.class, () -> Vetter.load(new byte[] {1, 2, 3}, false));
        assertTrue(notAVetter.getMessage().contains("not a vetter"), notAVetter.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Vetter(v.network(), new Vetter.Info(101, 61,
                List.of(SignalViews.SCALARS), 0.5, "old", 1, 0.9, "")));
    }

    @Test
    void examplesAreScoredInBatchesInTheirOrderAsOneAtATime() {
        Vetter v = new Vetter(VetterNetwork.build(VetterNetwork.Settings.defaults()), Vetter.info(0.5, "t", 0, 0));
        List<TrainingExamples.Example> examples = new java.util.ArrayList<>();
        int n = VettingMetrics.BATCH + 5; // a full batch and a partial one
        for (int i = 0; i < n; i++) {
            double depth = 0.002 + 0.0002 * i;
            examples.add(new TrainingExamples.Example("star" + i, "injected", Vetter.Kind.PLANET, views(depth),
                    SignalViewsTest.signal(depth), 10 + i, "d" + i));
        }
        List<VettingMetrics.Scored> scored = VettingMetrics.scored(v, examples);
        assertEquals(n, scored.size());
        for (int i : new int[] {0, VettingMetrics.BATCH - 1, VettingMetrics.BATCH, n - 1}) {
            VettingMetrics.Scored s = scored.get(i);
            assertEquals("star" + i, s.star());
            assertEquals(10 + i, s.injectedSnr());
            Vetter.Score alone = v.score(List.of(examples.get(i).views())).get(0);
            assertEquals(alone.planet(), s.planetScore(), 1e-5, "example " + i);
            assertEquals(alone.disposition(), s.disposition());
        }
    }

    @Test
    void aSignalBelowTheSearchThresholdIsNeverAPlanetCandidate() {
        SignalViews.Views v = views(0.004);
        Vetter.Score planet = new Vetter.Score(0.9, 0.05, 0.05, Vetter.Kind.PLANET);
        Vetter.Score binary = new Vetter.Score(0.1, 0.8, 0.1, Vetter.Kind.ECLIPSING_BINARY);
        assertEquals("planet candidate", Verdict.of(planet, v, true).disposition());
        Verdict below = Verdict.of(planet, v, false);
        assertEquals("false alarm", below.disposition());
        assertEquals(0.9, below.planetScore(), "the scores stay");
        assertEquals("eclipsing binary", Verdict.of(binary, v, false).disposition());
    }

    private static org.tessexo.common.lightcurve.TransitSearch.Signal signal(boolean passed, double redSnr) {
        return new org.tessexo.common.lightcurve.TransitSearch.Signal(1, 3, 1, 0.1, 0.01, 30, passed ? 12 : 7,
                1, 5, passed, 0, redSnr, false);
    }

    @Test
    void aDetectionPassesTheRedNoiseSnrAndTheSdeOrIsStrong() {
        assertTrue(Verdict.detected(signal(true, 10)));
        assertTrue(!Verdict.detected(signal(true, 6)), "below 7.1 against the star's real noise");
        assertTrue(!Verdict.detected(signal(false, 10)), "below min-sde, not strong");
        assertTrue(Verdict.detected(signal(false, 297)), "below min-sde, strong: HAT-P-7 b");
    }

    @Test
    void aDetectionWhoseTransitsLieMostlyAtTheDataEdgesIsNoCandidate() {
        assertTrue(Verdict.candidate(signal(true, 10)));
        assertTrue(!Verdict.candidate(signal(false, 10)), "not a detection");
        var ramp = new org.tessexo.common.lightcurve.TransitSearch.Signal(1, 12.9, 1612.9, 0.1, 0.01, 17, 15, 1, 2,
                true, 2, 12, false);
        assertTrue(Verdict.detected(ramp) && ramp.atEdges());
        assertTrue(!Verdict.candidate(ramp), "both of its two transits next to an edge");
        var oneOfThree = new org.tessexo.common.lightcurve.TransitSearch.Signal(1, 8, 1602, 0.1, 0.01, 17, 15, 1, 3,
                true, 1, 12, false);
        assertTrue(Verdict.candidate(oneOfThree), "one of three at an edge: a planet may sit there");
    }
}
