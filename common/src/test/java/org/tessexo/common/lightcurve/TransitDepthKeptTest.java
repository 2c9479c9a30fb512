package org.tessexo.common.lightcurve;

import org.junit.jupiter.api.Test;
import org.tessexo.common.stats.RobustStats;
import org.tessexo.common.testing.FitsFixtures;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the search's preparation (detrending and prewhitening) leaves of a transit injected into real, variable light
 * curves: the TESSellator stars whose flux varies far beyond its point-to-point scatter (eclipsing binaries, rotators,
 * pulsators). The depth kept is the mean over the transit's cadences of the prepared flux without the injection minus
 * the prepared flux with it, over the injected depth: the pipeline's own effect on the transit, whatever the star.
 */
class TransitDepthKeptTest {
    static final double PERIOD = 3.7;
    static final double DURATION = 3.0 / 24;
    static final double DEPTH = 0.002;

    @Test
    void aThreeHourTransitKeepsMostOfItsDepthOnVariableRealStars() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(FitsFixtures.realPhotometry().resolve("tessellator"))) {
            files = s.filter(p -> p.toString().endsWith(".fits")).sorted().toList();
        }
        TransitSearch search = new TransitSearch(PrewhiteningTest.withPrewhitening(10));
        List<Double> kept = new ArrayList<>();
        for (int i = 0; i < files.size(); i += 4) {
            LightCurve lc = new LightCurveReader("PDCSAP_FLUX").read(Files.readAllBytes(files.get(i)),
                    files.get(i).getFileName().toString()).lightCurve();
            LightCurve clean = search.clean(lc);
            double scatter = ActiveStarRecovery.scatter(clean.flux());
            if (!(1.4826 * RobustStats.mad(clean.flux()) > 2 * scatter)) {
                continue; // a quiet star
            }
            double x = kept(search, lc);
            if (Double.isFinite(x)) {
                kept.add(x);
            }
        }
        assertTrue(kept.size() >= 30, "variable stars: " + kept.size());
        double[] k = kept.stream().mapToDouble(Double::doubleValue).toArray();
        double median = RobustStats.median(k.clone(), k.length);
        double mean = kept.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        long under = kept.stream().filter(x -> x < 0.5).count();
        System.out.printf(java.util.Locale.ROOT, "depth kept on %d variable stars: median %.3f, mean %.3f, %d under"
                + " half%n", kept.size(), median, mean, under);
        // Measured on these 41 stars: median 0.90, mean 0.96, one under 0.5 (0.87 and 0.85 before the trend was
        // measured again without the variability; with the former 0.75-day window and
        // no prewhitening, 169 variable stars kept 0.82 on average). A transit the biweight does not see as
        // outliers loses about its length over the window's (a tenth here); the bounds sit a little below.
        assertTrue(median >= 0.85, "median depth kept " + median + " of " + kept);
        assertTrue(mean >= 0.8, "mean depth kept " + mean);
        assertTrue(under <= kept.size() / 10, under + " stars kept less than half of it: " + kept);
    }

    static double kept(TransitSearch search, LightCurve lc) {
        double epoch = lc.time()[0] + 1.1;
        double[] f = lc.flux().clone();
        for (int i = 0; i < f.length; i++) {
            if (Math.abs(TransitSearch.phase(lc.time()[i], PERIOD, epoch)) < DURATION / 2) {
                f[i] *= 1 - DEPTH;
            }
        }
        LightCurve without = search.prepare(lc).detrended();
        LightCurve with = search.prepare(lc.withFlux(f, lc.fluxErr())).detrended();
        Map<Double, Double> base = new HashMap<>();
        for (int i = 0; i < without.size(); i++) {
            base.put(without.time()[i], without.flux()[i]);
        }
        double sum = 0;
        int n = 0;
        for (int i = 0; i < with.size(); i++) {
            Double b = base.get(with.time()[i]);
            if (b != null && Math.abs(TransitSearch.phase(with.time()[i], PERIOD, epoch)) < DURATION / 2) {
                sum += b - with.flux()[i];
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n / DEPTH;
    }
}
