package org.tessexo.common.lightcurve;

import org.tessexo.common.stats.RobustStats;
import org.tessexo.common.vetting.TrainingExamples;
import org.tessexo.common.vetting.Vetter;
import org.tessexo.common.vetting.VetterLabels;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * Injection and recovery on many real hosts, quiet and active (issue 14's measurement, made repeatable): into each
 * host's cleaned flux, before any detrending, transits are injected as trapezoids (ingress and egress a tenth of
 * the duration each) at periods 1-9 days log-uniform, durations {@code 2 h x (P / 1 d)^(1/3)}, the depth set by
 * {@code SNR = depth / sigma x sqrt(cadences in transit)}, sigma the point-to-point scatter of the flux. The whole
 * search runs as {@code search} runs it. Recovered: any listed signal at the injected period (1%) and epoch (half a
 * duration); also counted for the strongest signal alone. Spurious: signals that pass {@code min-sde} and are
 * neither the injection nor a known signal of the host (its labelled period times k/m, k and m up to 4).
 *
 * <p>Hosts are classed by activity: {@code binary} (a labelled eclipsing binary), {@code active} (the flux's robust
 * scatter more than twice its point-to-point scatter: rotators, pulsators) or {@code quiet}.
 *
 * <pre>ActiveStarRecovery SEED[,SEED...] STRIDE THREADS OUT.tsv FILES-OR-FOLDERS...</pre> (bench/run.sh --only
 * recovery; each seed draws its own injections into every host; a folder's FITS and CSV files are read);
 * {@code -Dbin=MINUTES} averages each light curve into bins of that length before the search;
 * {@code -Dprewhiten=N}, {@code -Dspacing=frequency|drift}, {@code -DbinsPerCadence=N}, {@code -Dwindow=DAYS},
 * {@code -Dshape=box|limb_darkened}, {@code -DmaxSignals=N}, {@code -DminSde=X}, {@code -DsdeKernel=N},
 * {@code -DredNoise=true|false}, {@code -Dwhiten=HOURS} set
 * the search's variant (the search before issue 14: {@code -Dspacing=frequency -DbinsPerCadence=0 -Dprewhiten=0
 * -Dwindow=0.75});
 * {@code -Dinvert=true} inverts every host first (its eclipses become brightenings the search clips, its noise and
 * variability stay): real noise without the binaries' own eclipses, classed quiet or active.
 * {@code -Dinject=limb-darkened}: limb-darkened transits instead of trapezoids (same mean depth).
 * A folder's {@code INDEX.tsv} (TESSellator's) labels its binaries. STRIDE: every n-th host of the sorted list.
 * The summary also gives each class's median red-noise factor ({@link #beta}) of the light curves searched without
 * an injection: how far from white the noise the search meets is, after detrending and prewhitening; for the
 * labelled binaries, how many of their first signals are at the catalog period (the vetter learns binaries from
 * first signals). {@code -Dvet=true} scores every signal with the shipped vetter as {@code search} does: injections
 * found and called planet candidates, and planet candidates among the spurious signals (the false alarms a user
 * would see). A second table counts the injections by their SNR against the noise of their host
 * ({@link #snrAgainstNoise}: what the best linear detector of the host's noise would measure), whatever SNR they
 * were injected at: how much of what is missed is the noise's, and how much the search's.
 */
public final class ActiveStarRecovery {
    static final double[] SNRS = {5, 7, 9, 12, 15};
    /** A detection also needs this SNR against the measured noise on the transit's time scale (Kepler's 7.1). */
    static final double MIN_RED_SNR = Double.parseDouble(System.getProperty("minRedSnr", "7.1"));
    /** -Dinvert=true: every host turned over about its median first (as the vetter's false-alarm examples). */
    static final boolean INVERT = Boolean.getBoolean("invert");

    /** -Dbin=MINUTES: each light curve averaged into bins of that length before the search (0: as it is). */
    static final double BIN_MINUTES = Double.parseDouble(System.getProperty("bin", "0"));

    static LightCurve binned(LightCurve lc, double width) {
        if (width <= 0) {
            return lc;
        }
        double[] t = lc.time();
        double[] f = lc.flux();
        double[] e = lc.fluxErr();
        double[] bt = new double[t.length];
        double[] bf = new double[t.length];
        double[] be = new double[t.length];
        int bins = 0;
        for (int i = 0, j; i < t.length; i = j, bins++) {
            double se = 0;
            for (j = i; j < t.length && t[j] < t[i] + width; j++) {
                bt[bins] += t[j];
                bf[bins] += f[j];
                se += e[j] * e[j];
            }
            bt[bins] /= j - i;
            bf[bins] /= j - i;
            be[bins] = Math.sqrt(se) / (j - i);
        }
        return new LightCurve(java.util.Arrays.copyOf(bt, bins), java.util.Arrays.copyOf(bf, bins),
                java.util.Arrays.copyOf(be, bins), new int[bins], lc.target());
    }

    private record Host(String name, LightCurve clean, double sigma, String activity,
                        TrainingExamples.Known known) {
    }

    private record Trial(String host, String activity, double snr, double period, double epoch, double duration,
                         boolean any, boolean strongest, int spurious, double cpuSeconds, int cadences,
                         boolean detected, int spuriousRed, double beta, boolean ownFirst, boolean vettedPlanet,
                         int spuriousPlanets, double snrNoise) {
        Trial withSnrNoise(double value) {
            return new Trial(host, activity, snr, period, epoch, duration, any, strongest, spurious, cpuSeconds,
                    cadences, detected, spuriousRed, beta, ownFirst, vettedPlanet, spuriousPlanets, value);
        }
    }

    private ActiveStarRecovery() {
    }

    public static void main(String[] args) throws Exception {
        long[] seeds = java.util.Arrays.stream(args[0].split(",")).mapToLong(Long::parseLong).toArray();
        int stride = Integer.parseInt(args[1]);
        int threads = Integer.parseInt(args[2]);
        Path out = Path.of(args[3]);
        List<Path> files = new ArrayList<>();
        Map<String, TrainingExamples.Known> labels = new HashMap<>();
        for (int i = 4; i < args.length; i++) {
            Path p = Path.of(args[i]);
            if (Files.isDirectory(p)) {
                Path index = p.resolve("INDEX.tsv");
                if (Files.exists(index)) {
                    labels.putAll(VetterLabels.parse(Files.readString(index, StandardCharsets.UTF_8)));
                }
                try (Stream<Path> s = Files.list(p)) {
                    files.addAll(s.filter(f -> f.toString().toLowerCase(Locale.ROOT).matches(".*\\.(fits|csv)"))
                            .sorted().toList());
                }
            } else {
                files.add(p);
            }
        }
        List<Path> picked = new ArrayList<>();
        for (int i = 0; i < files.size(); i += stride) {
            picked.add(files.get(i));
        }
        TransitSearch.Settings d = TransitSearch.Settings.defaults();
        // -Dprewhiten=N and -Dspacing=frequency|drift compare variants on the same hosts and injections
        double window = Double.parseDouble(System.getProperty("window", Double.toString(d.window())));
        TransitSearch search = new TransitSearch(d.toBuilder().window(window)
                .maxSignals(Integer.getInteger("maxSignals", d.maxSignals()))
                .minSde(Double.parseDouble(System.getProperty("minSde", Double.toString(d.minSde()))))
                .spacing(PeriodGrid.Spacing.valueOf(System.getProperty("spacing", d.spacing().name())
                        .toUpperCase(Locale.ROOT)))
                .binsPerCadence(Integer.getInteger("binsPerCadence", d.binsPerCadence()))
                .prewhiten(Integer.getInteger("prewhiten", d.prewhiten()))
                .shape(BoxLeastSquares.Shape.valueOf(System.getProperty("shape", d.shape().name())
                        .toUpperCase(Locale.ROOT)))
                .sdeKernel(Integer.getInteger("sdeKernel", d.sdeKernel()))
                .redNoiseWeighting(Boolean.parseBoolean(System.getProperty("redNoise",
                        Boolean.toString(d.redNoiseWeighting()))))
                .whitenHours(Double.parseDouble(System.getProperty("whiten", Double.toString(d.whitenHours()))))
                .build());
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<List<Trial>>> futures = new ArrayList<>();
        for (long seed : seeds) {
            for (Path f : picked) {
                futures.add(pool.submit(() -> trials(f, labels, search, seed)));
            }
        }
        List<Trial> done = new ArrayList<>();
        for (Future<List<Trial>> f : futures) {
            done.addAll(f.get());
        }
        pool.shutdown();
        write(out, done);
        summary(done);
    }

    private static List<Trial> trials(Path file, Map<String, TrainingExamples.Known> labels, TransitSearch search,
                                      long seed) throws IOException {
        LightCurveReader.Result r = new LightCurveReader("PDCSAP_FLUX").read(Files.readAllBytes(file),
                file.getFileName().toString());
        List<Trial> out = new ArrayList<>();
        if (!r.ok()) {
            System.err.println(file + ": " + r.reason());
            return out;
        }
        LightCurve clean = search.clean(r.lightCurve());
        if (clean.size() < 200) {
            return out;
        }
        String name = file.getFileName().toString();
        TrainingExamples.Known known = labels.get(name);
        if (INVERT) { // the host's dips become brightenings the search clips; its noise and variability stay
            clean = org.tessexo.common.vetting.Injector.inverted(clean);
            known = null;
        }
        double sigma = scatter(clean.flux());
        double spread = 1.4826 * RobustStats.mad(clean.flux());
        String activity = known != null && known.kind() == Vetter.Kind.ECLIPSING_BINARY ? "binary"
                : spread > 2 * sigma ? "active" : "quiet";
        Host host = new Host(name, clean, sigma, activity, known);
        Random rnd = new Random(seed * 7919 + name.hashCode());
        out.add(run(host, search, 0, 0, 0, 0)); // nothing injected: the spurious signals of the host alone
        LightCurve searched = search.prepare(binned(clean, BIN_MINUTES / 1440.0)).detrended();
        for (double snr : SNRS) {
            double period = Math.exp(rnd.nextDouble() * Math.log(9));
            double duration = 2.0 / 24 * Math.cbrt(period);
            double epoch = clean.time()[0] + rnd.nextDouble() * period;
            out.add(run(host, search, snr, period, epoch, duration)
                    .withSnrNoise(snrAgainstNoise(clean, sigma, snr, period, epoch, duration, searched)));
        }
        System.err.printf(Locale.ROOT, "%s %s: %s%n", name, activity, out);
        return out;
    }

    private static Trial run(Host h, TransitSearch search, double snr, double period, double epoch,
                             double duration) {
        LightCurve lc = h.clean();
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        LightCurve searched = binned(snr > 0 ? injected(lc, h.sigma(), snr, period, epoch, duration) : lc,
                BIN_MINUTES / 1440.0);
        long cpu = mx.getCurrentThreadCpuTime();
        TransitSearch.Result r = search.search(searched);
        double seconds = (mx.getCurrentThreadCpuTime() - cpu) / 1e9;
        boolean any = false;
        boolean strongest = false;
        int spurious = 0;
        boolean detected = false;
        int spuriousRed = 0;
        boolean vettedPlanet = false;
        int spuriousPlanets = 0;
        for (TransitSearch.Signal s : r.signals()) {
            boolean hit = snr > 0 && at(s, period, epoch, duration);
            any |= hit;
            strongest |= hit && s.rank() == 1;
            detected |= hit && s.passed() && s.redSnr() >= MIN_RED_SNR;
            if (!hit && s.passed() && !knownSignal(h.known(), s.period())) {
                spurious++;
                spuriousRed += s.redSnr() >= MIN_RED_SNR ? 1 : 0;
                spuriousPlanets += VETTER != null && planet(r, s) ? 1 : 0;
            }
            vettedPlanet |= hit && VETTER != null && planet(r, s);
        }
        // the vetter learns a binary from the first signal: is it the binary's own (catalog) period?
        boolean ownFirst = h.known() != null && h.known().period() > 0 && !r.signals().isEmpty()
                && TrainingExamples.matches(r.signals().get(0).period(), h.known().period(), true);
        return new Trial(h.name(), h.activity(), snr, period, epoch, duration, any, strongest, spurious, seconds,
                lc.size(), detected, spuriousRed, snr > 0 ? Double.NaN : beta(r.detrended()), ownFirst, vettedPlanet,
                spuriousPlanets, Double.NaN);
    }

    /**
     * {@code lc} with a transit (a trapezoid, or -Dinject=limb-darkened) whose depth gives {@code snr} against the
     * point-to-point scatter {@code sigma} over the cadences in transit.
     */
    /** The bench's transit injected into a host (its depth from the host's point-to-point scatter), searched. */
    static TransitSearch.Result searchedWith(TransitSearch search, LightCurve host, double snr, double period,
                                             double epoch, double duration) {
        return search.search(injected(host, RobustStats.pointToPointScatter(host.flux()), snr, period, epoch,
                duration));
    }

    static LightCurve injected(LightCurve lc, double sigma, double snr, double period, double epoch,
                               double duration) {
        double[] t = lc.time();
        double[] f = lc.flux().clone();
        double depth = depth(lc, sigma, snr, period, epoch, duration);
        for (int i = 0; i < t.length; i++) {
            f[i] *= 1 - depth * shape(Math.abs(TransitSearch.phase(t[i], period, epoch)), duration);
        }
        return lc.withFlux(f, lc.fluxErr());
    }

    /** The depth that gives {@code snr} against {@code sigma} over the cadences of {@code lc} in transit. */
    static double depth(LightCurve lc, double sigma, double snr, double period, double epoch, double duration) {
        int in = 0;
        for (double x : lc.time()) {
            in += Math.abs(TransitSearch.phase(x, period, epoch)) < duration / 2 ? 1 : 0;
        }
        return snr * sigma / Math.sqrt(Math.max(1, in));
    }

    /** The injected transit's shape (1 at full depth) at {@code fromCentre} days from mid-transit. */
    static double shape(double fromCentre, double duration) {
        return LIMB_INJECTIONS ? limbDarkened(fromCentre, duration) : trapezoid(fromCentre, duration);
    }

    /**
     * The injection's SNR against the host's own noise: {@code depth x sqrt(s' C^-1 s)}, {@code s} the injected
     * shape on the cadences searched and {@code C^-1 = A'A} the whitening filter of the host's searched light curve
     * ({@link Whitening}, 10 hours), stretches between gaps each filtered from their first cadence. What the best
     * linear detector of that noise model would measure (a plain box on white noise gives the injected SNR); an
     * injection at SNR 9 by the point-to-point scatter meets less on a host whose noise is correlated over hours.
     */
    static double snrAgainstNoise(LightCurve clean, double sigma, double snr, double period, double epoch,
                                  double duration, LightCurve searched) {
        double depth = depth(clean, sigma, snr, period, epoch, duration);
        double[] t = searched.time();
        double cadence = TransitSearch.cadence(t);
        if (t.length < 100 || !Whitening.applicable(t, cadence)) {
            return Double.NaN;
        }
        double[] a = Whitening.of(t, searched.flux(), cadence,
                (int) Math.round(TransitSearch.Settings.WHITEN_HOURS / 24 / cadence)).filter();
        int slots = (int) Math.round((t[t.length - 1] - t[0]) / cadence) + 1;
        double[] template = new double[slots];
        boolean[] has = new boolean[slots];
        for (double x : t) {
            int at = (int) Math.round((x - t[0]) / cadence);
            template[at] = shape(Math.abs(TransitSearch.phase(x, period, epoch)), duration);
            has[at] = true;
        }
        double q = 0;
        for (int i = 0; i < slots; i++) {
            if (!has[i]) {
                continue;
            }
            double z = 0;
            for (int j = 0; j < a.length && i - j >= 0 && has[i - j]; j++) {
                z += a[j] * template[i - j];
            }
            q += z * z;
        }
        return depth * Math.sqrt(q);
    }

    /** Whether a signal is the injection: its period within 1%, its epoch within half a duration. */
    static boolean at(TransitSearch.Signal s, double period, double epoch, double duration) {
        return Math.abs(s.period() / period - 1) < 0.01
                && Math.abs(TransitSearch.phase(s.epoch(), period, epoch)) < duration / 2;
    }

    /**
     * -Dvet=true: every signal is also scored by the vetter shipped in the jar, as search scores it; or by the one
     * in the vetter.zip that -Dvetter names (a train-vetter output, to compare with the shipped one).
     */
    static final Vetter VETTER = loadVetter();

    private static Vetter loadVetter() {
        if (!Boolean.getBoolean("vet")) {
            return null;
        }
        try {
            String file = System.getProperty("vetter");
            return Vetter.load(file == null ? Vetter.shippedBytes()
                    : java.nio.file.Files.readAllBytes(java.nio.file.Path.of(file)), false);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Whether the vetter calls the signal a planet candidate (one network, so one thread at a time). */
    private static boolean planet(TransitSearch.Result r, TransitSearch.Signal s) {
        if (s.atEdges()) { // as search: transits mostly at the data's edges are no candidate (Verdict.candidate)
            return false;
        }
        org.tessexo.common.vetting.SignalViews.Views v = org.tessexo.common.vetting.SignalViews.of(r.forViews(s), s);
        synchronized (VETTER) {
            return VETTER.score(List.of(v)).get(0).disposition() == Vetter.Kind.PLANET;
        }
    }

    /** A transit's time scale for {@link #beta}: 3 hours. */
    static final double BETA_DAYS = 0.125;

    /**
     * The red-noise factor of the light curve the search saw (detrended, prewhitened when it is on): the scatter of
     * its 3-hour means ({@link RedNoise#sigmaOver}) over what white noise of its point-to-point scatter would give.
     * 1 for white noise; an injection's SNR by the point-to-point scatter is about SNR / beta against the real noise.
     */
    static double beta(LightCurve lc) {
        if (lc == null || lc.size() < 100) {
            return Double.NaN;
        }
        double white = scatter(lc.flux()) / Math.sqrt(BETA_DAYS / TransitSearch.cadence(lc.time()));
        return RedNoise.sigmaOver(lc.time(), lc.flux(), null, BETA_DAYS) / white;
    }

    /** -Dinject=limb-darkened: transits shaped by quadratic limb darkening instead of trapezoids. */
    static final boolean LIMB_INJECTIONS = "limb-darkened".equals(System.getProperty("inject"));

    /**
     * A central transit across a star with quadratic limb darkening (u1 = 0.40, u2 = 0.25), ingress and egress a
     * tenth of the duration each, normalized to a mean of 1 over the transit (so the SNR is the trapezoid's).
     */
    static double limbDarkened(double fromCentre, double duration) {
        return BoxLeastSquares.limbDarkenedProfile(fromCentre / (duration / 2)) / LIMB_MEAN;
    }

    private static final double LIMB_MEAN = limbMean();

    private static double limbMean() {
        double s = 0;
        int n = 100_000;
        for (int i = 0; i < n; i++) {
            s += BoxLeastSquares.limbDarkenedProfile((i + 0.5) / n);
        }
        return s / n;
    }

    /** 1 in the flat bottom, 0 outside, linear in ingress and egress (a tenth of the duration each). */
    static double trapezoid(double fromCentre, double duration) {
        double half = duration / 2;
        double ramp = duration / 10;
        if (fromCentre >= half) {
            return 0;
        }
        return fromCentre <= half - ramp ? 1 : (half - fromCentre) / ramp;
    }

    static boolean knownSignal(TrainingExamples.Known k, double period) {
        if (k == null || !(k.period() > 0)) {
            return false;
        }
        for (int a = 1; a <= 4; a++) {
            for (int b = 1; b <= 4; b++) {
                if (Math.abs(period / (k.period() * a / b) - 1) < 0.01) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Point-to-point scatter: blind to variability slower than a few cadences. */
    static double scatter(double[] f) {
        return RobustStats.pointToPointScatter(f);
    }

    private static void write(Path out, List<Trial> done) throws IOException {
        StringBuilder sb = new StringBuilder("host\tactivity\tsnr\tperiod\tepoch\tduration_h\tany\tstrongest"
                + "\tspurious\tcpu_s\tcadences\tdetected\tspurious_red\tbeta_3h\town_first\tvetted_planet"
                + "\tspurious_planets\tsnr_noise\n");
        for (Trial t : done) {
            sb.append(String.format(Locale.ROOT, "%s\t%s\t%.0f\t%.5f\t%.5f\t%.3f\t%b\t%b\t%d\t%.3f\t%d\t%b\t%d"
                    + "\t%.3f\t%b\t%b\t%d\t%.2f%n", t.host(), t.activity(), t.snr(), t.period(), t.epoch(),
                    t.duration() * 24, t.any(), t.strongest(), t.spurious(), t.cpuSeconds(), t.cadences(),
                    t.detected(), t.spuriousRed(), t.beta(), t.ownFirst(), t.vettedPlanet(), t.spuriousPlanets(),
                    t.snrNoise()));
        }
        Files.writeString(out, sb.toString());
    }

    private static void summary(List<Trial> done) {
        List<String> classes = List.of("quiet", "active", "binary", "all");
        System.out.println("| host | hosts | SNR 5 | SNR 7 | SNR 9 | SNR 12 | SNR 15 | strongest at SNR 9 / 12"
                + " | spurious per light curve (none injected) | passed, red SNR >= 7.1: found at SNR 9 / 12 / 15"
                + " | spurious | red-noise beta (3 h), median | binaries: own period first"
                + (VETTER == null ? "" : " | vetted planet: found at SNR 9 / 12 / 15 | spurious planet candidates")
                + " |");
        System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
                + (VETTER == null ? "" : " --- | --- |"));
        for (String c : classes) {
            List<Trial> mine = done.stream().filter(t -> c.equals("all") || t.activity().equals(c)).toList();
            long hosts = mine.stream().filter(t -> t.snr() == 0).count();
            if (hosts == 0) {
                continue;
            }
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "| %s | %d |", c, hosts));
            for (double snr : SNRS) {
                List<Trial> at = mine.stream().filter(t -> t.snr() == snr).toList();
                row.append(String.format(Locale.ROOT, " %.0f%% |", 100.0 * at.stream().filter(Trial::any).count()
                        / Math.max(1, at.size())));
            }
            row.append(String.format(Locale.ROOT, " %.0f%% / %.0f%% | %.2f | %.0f%% / %.0f%% / %.0f%% | %.2f |",
                    strongest(mine, 9), strongest(mine, 12), mine.stream().filter(t -> t.snr() == 0)
                            .mapToInt(Trial::spurious).average().orElse(0), detected(mine, 9), detected(mine, 12),
                    detected(mine, 15), mine.stream().filter(t -> t.snr() == 0).mapToInt(Trial::spuriousRed)
                            .average().orElse(0)));
            double[] betas = mine.stream().filter(t -> t.snr() == 0).mapToDouble(Trial::beta)
                    .filter(Double::isFinite).toArray();
            row.append(String.format(Locale.ROOT, " %.2f |", RobustStats.median(betas, betas.length)));
            List<Trial> labelled = mine.stream().filter(t -> t.snr() == 0 && t.activity().equals("binary")).toList();
            row.append(labelled.isEmpty() ? " |" : String.format(Locale.ROOT, " %d / %d |",
                    labelled.stream().filter(Trial::ownFirst).count(), labelled.size()));
            if (VETTER != null) {
                row.append(String.format(Locale.ROOT, " %.0f%% / %.0f%% / %.0f%% | %.2f |", vetted(mine, 9),
                        vetted(mine, 12), vetted(mine, 15), mine.stream().filter(t -> t.snr() == 0)
                                .mapToInt(Trial::spuriousPlanets).average().orElse(0)));
            }
            System.out.println(row);
        }
        byNoise(done);
        double cpu = done.stream().mapToDouble(Trial::cpuSeconds).sum();
        System.out.printf(Locale.ROOT, "searches: %d, CPU %.1f s: %.3f light curves per second per core "
                + "(median %d cadences)%n", done.size(), cpu, done.size() / cpu,
                (int) RobustStats.median(done.stream().mapToDouble(Trial::cadences).toArray(), done.size()));
    }

    /** Bands of the injections' SNR against the host's noise ({@link #snrAgainstNoise}). */
    static final double[] NOISE_BANDS = {0, 6, 7.1, 8.5, 10, 12, 15, Double.POSITIVE_INFINITY};

    /** The injections found by their SNR against their host's noise, whatever the SNR they were injected at. */
    private static void byNoise(List<Trial> done) {
        List<String> classes = done.stream().map(Trial::activity).distinct().sorted().toList();
        System.out.println("| SNR against the host's noise | injections | found: " + String.join(" / ", classes)
                + " / all | passed, red SNR >= 7.1" + (VETTER == null ? "" : " | vetted planet") + " |");
        System.out.println("| --- | --- | --- | ---" + (VETTER == null ? "" : " | ---") + " |");
        for (int b = 0; b + 1 < NOISE_BANDS.length; b++) {
            double lo = NOISE_BANDS[b];
            double hi = NOISE_BANDS[b + 1];
            List<Trial> at = done.stream().filter(t -> t.snr() > 0 && t.snrNoise() >= lo && t.snrNoise() < hi)
                    .toList();
            if (at.isEmpty()) {
                continue;
            }
            StringBuilder found = new StringBuilder();
            for (String c : classes) {
                List<Trial> mine = at.stream().filter(t -> t.activity().equals(c)).toList();
                found.append(mine.isEmpty() ? "-" : String.format(Locale.ROOT, "%.0f%% (%d)",
                        100.0 * mine.stream().filter(Trial::any).count() / mine.size(), mine.size())).append(" / ");
            }
            double n = at.size();
            System.out.printf(Locale.ROOT, "| %s | %d | %s%.0f%% | %.0f%%%s |%n",
                    hi == Double.POSITIVE_INFINITY ? String.format(Locale.ROOT, "%.1f and up", lo)
                            : String.format(Locale.ROOT, "%.1f-%.1f", lo, hi), at.size(), found,
                    100 * at.stream().filter(Trial::any).count() / n,
                    100 * at.stream().filter(Trial::detected).count() / n,
                    VETTER == null ? "" : String.format(Locale.ROOT, " | %.0f%%",
                            100 * at.stream().filter(Trial::vettedPlanet).count() / n));
        }
    }

    private static double detected(List<Trial> mine, double snr) {
        List<Trial> at = mine.stream().filter(t -> t.snr() == snr).toList();
        return 100.0 * at.stream().filter(Trial::detected).count() / Math.max(1, at.size());
    }

    private static double vetted(List<Trial> mine, double snr) {
        List<Trial> at = mine.stream().filter(t -> t.snr() == snr).toList();
        return 100.0 * at.stream().filter(Trial::vettedPlanet).count() / Math.max(1, at.size());
    }

    private static double strongest(List<Trial> mine, double snr) {
        List<Trial> at = mine.stream().filter(t -> t.snr() == snr).toList();
        return 100.0 * at.stream().filter(Trial::strongest).count() / Math.max(1, at.size());
    }
}
