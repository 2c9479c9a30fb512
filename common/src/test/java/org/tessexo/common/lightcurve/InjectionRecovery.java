package org.tessexo.common.lightcurve;

import org.tessexo.common.stats.RobustStats;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Injection and recovery on real light curves: the known signals are masked (every cadence within a duration of
 * a transit the search finds, and of every single dip of SNR 10 or more), box transits are injected into the
 * cleaned, undetrended flux at random periods (1-12 days, log-uniform), epochs and depths, and the whole search
 * runs on the result. A trial is recovered when the strongest signal has the injected period within 1% and its
 * epoch within half a duration. Prints the recovery rate against the injected signal-to-noise
 * {@code depth / sigma * sqrt(cadences in transit)}, sigma being the robust scatter of the detrended light curve.
 *
 * <pre>InjectionRecovery TRIALS_PER_LIGHT_CURVE SEED LC.fits...</pre> (bench/run.sh --only injection)
 */
public final class InjectionRecovery {
    private record Trial(String star, double period, double depth, double duration, double snr, boolean recovered,
                         boolean alias, double foundPeriod) {
    }

    private InjectionRecovery() {
    }

    public static void main(String[] args) throws Exception {
        int trials = Integer.parseInt(args[0]);
        long seed = Long.parseLong(args[1]);
        // -Dwhiten=HOURS: the whitened periodogram's order (0: the plain one), to compare the two on the same trials
        TransitSearch.Settings defaults = TransitSearch.Settings.defaults().toBuilder().whitenHours(Double.parseDouble(
                System.getProperty("whiten", Double.toString(TransitSearch.Settings.DEFAULT_WHITEN_HOURS)))).build();
        TransitSearch.Settings one = withOneSignal(defaults);
        TransitSearch search = new TransitSearch(one);
        List<Future<Trial>> futures = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors());
        for (int f = 2; f < args.length; f++) {
            LightCurve raw = new LightCurveReader("PDCSAP_FLUX").read(Files.readAllBytes(Path.of(args[f])))
                    .lightCurve();
            LightCurve quiet = masked(raw, new TransitSearch(defaults));
            double sigma = 1.4826 * RobustStats.mad(new TransitSearch(one).prepare(quiet).detrended().flux());
            String star = "TIC " + raw.target().tic();
            Random rnd = new Random(seed + f);
            for (int i = 0; i < trials; i++) {
                double period = Math.exp(Math.log(1) + rnd.nextDouble() * (Math.log(12) - Math.log(1)));
                double duration = 2.0 / 24 * Math.cbrt(period); // a Sun-like star: 2 h at 1 day, 4.6 h at 12 days
                double epoch = quiet.time()[0] + rnd.nextDouble() * period;
                double targetSnr = 3 + rnd.nextDouble() * 27;
                futures.add(pool.submit(() -> trial(search, quiet, star, sigma, period, duration, epoch, targetSnr)));
            }
        }
        List<Trial> done = new ArrayList<>();
        for (Future<Trial> t : futures) {
            done.add(t.get());
        }
        pool.shutdown();
        double[][] bins = {{3, 5}, {5, 7}, {7, 10}, {10, 15}, {15, 20}, {20, 30}};
        System.out.println("| injected SNR | trials | recovered | rate | at half or twice the period |");
        System.out.println("| --- | --- | --- | --- | --- |");
        for (double[] b : bins) {
            int n = 0;
            int ok = 0;
            int alias = 0;
            for (Trial t : done) {
                if (t.snr() >= b[0] && t.snr() < b[1]) {
                    n++;
                    ok += t.recovered() ? 1 : 0;
                    alias += t.alias() ? 1 : 0;
                }
            }
            System.out.printf(Locale.ROOT, "| %.0f-%.0f | %d | %d | %s | %d |%n", b[0], b[1], n, ok,
                    n == 0 ? "-" : String.format(Locale.ROOT, "%.0f%%", 100.0 * ok / n), alias);
        }
        for (Trial t : done) {
            System.err.printf(Locale.ROOT, "%s P=%.3f depth=%.0fppm dur=%.2fh snr=%.1f recovered=%s found=%.4f%n",
                    t.star(), t.period(), t.depth() * 1e6, t.duration() * 24, t.snr(), t.recovered(), t.foundPeriod());
        }
    }

    static TransitSearch.Settings withOneSignal(TransitSearch.Settings s) {
        return s.toBuilder().maxSignals(1).build();
    }

    /** The light curve, cleaned and normalized, without the cadences near anything the search finds in it. */
    static LightCurve masked(LightCurve raw, TransitSearch search) {
        LightCurve clean = search.clean(raw);
        TransitSearch.Result r = search.search(raw);
        boolean[] keep = new boolean[clean.size()];
        for (int i = 0; i < keep.length; i++) {
            double t = clean.time()[i];
            boolean near = false;
            for (TransitSearch.Signal s : r.signals()) {
                near |= s.sde() >= 9 && Math.abs(TransitSearch.phase(t, s.period(), s.epoch())) < s.duration();
            }
            for (SingleEvents.Event e : r.events()) {
                near |= Math.abs(t - e.time()) < e.duration();
            }
            keep[i] = !near;
        }
        return clean.select(keep);
    }

    private static Trial trial(TransitSearch search, LightCurve quiet, String star, double sigma, double period,
                               double duration, double epoch, double targetSnr) {
        double[] t = quiet.time();
        int in = 0;
        for (double x : t) {
            in += Math.abs(TransitSearch.phase(x, period, epoch)) < duration / 2 ? 1 : 0;
        }
        double depth = in == 0 ? 0 : targetSnr * sigma / Math.sqrt(in);
        double[] f = quiet.flux().clone();
        for (int i = 0; i < t.length; i++) {
            if (Math.abs(TransitSearch.phase(t[i], period, epoch)) < duration / 2) {
                f[i] *= 1 - depth;
            }
        }
        TransitSearch.Result r = search.search(quiet.withFlux(f, quiet.fluxErr()));
        if (!r.ok() || r.signals().isEmpty()) {
            return new Trial(star, period, depth, duration, targetSnr, false, false, Double.NaN);
        }
        TransitSearch.Signal s = r.signals().get(0);
        boolean samePeriod = Math.abs(s.period() / period - 1) < 0.01;
        boolean sameEpoch = Math.abs(TransitSearch.phase(s.epoch(), period, epoch)) < duration / 2;
        double ratio = s.period() / period;
        boolean alias = !samePeriod && (Math.abs(ratio - 0.5) < 0.005 || Math.abs(ratio - 2) < 0.02);
        return new Trial(star, period, depth, duration, targetSnr, samePeriod && sameEpoch, alias, s.period());
    }
}
