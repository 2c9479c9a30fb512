package org.tessexo.common.lightcurve;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Our BLS against astropy's on the same light curve and grid: writes the inputs for {@code bench/bls_astropy.py},
 * runs it (one OpenMP thread), and reads astropy's periodogram back. Used by the agreement test and, as a main
 * class, by the speed benchmark: {@code BlsComparison LC.fits WORKDIR [repeats]}.
 */
public final class BlsComparison {
    public record Outcome(BoxLeastSquares.Periodogram ours, double[] astropyPower, double[] astropyDepth,
                          double[] astropyEpoch, double oursSeconds, double astropySeconds, String astropyJson) {
    }

    private BlsComparison() {
    }

    /** The light curve as the search sees it: cleaned, normalized, detrended, clipped. */
    static LightCurve prepared(LightCurve raw) {
        return new TransitSearch(TransitSearch.Settings.defaults()).prepare(raw).detrended();
    }

    public static Outcome run(LightCurve lc, PeriodGrid grid, int oversample, Path dir, int repeats)
            throws IOException, InterruptedException {
        return run(lc, grid, oversample, dir, repeats, false);
    }

    /**
     * @param asSearched our BLS as the search runs it (phase bins no finer than half a cadence, boxes started at a
     *                   tenth of their duration, durations within the duty cycle); else as astropy does
     */
    public static Outcome run(LightCurve lc, PeriodGrid grid, int oversample, Path dir, int repeats,
                              boolean asSearched) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        write(dir.resolve("time"), lc.time());
        write(dir.resolve("flux"), lc.flux());
        write(dir.resolve("err"), lc.fluxErr());
        write(dir.resolve("periods"), grid.periods());
        write(dir.resolve("durations"), grid.durations());
        Files.writeString(dir.resolve("oversample"), Integer.toString(oversample));
        BoxLeastSquares bls = new BoxLeastSquares(lc.time(), lc.flux(), lc.fluxErr());
        BoxLeastSquares.Periodogram ours = null;
        double best = Double.POSITIVE_INFINITY;
        for (int i = 0; i < repeats; i++) {
            long t0 = System.nanoTime();
            ours = asSearched ? bls.power(grid, oversample, BoxLeastSquares.Binning.FULL,
                    TransitSearch.Settings.defaults().maxDutyCycle(), TransitSearch.cadence(lc.time()) / 2, true)
                    : bls.power(grid, oversample);
            best = Math.min(best, (System.nanoTime() - t0) / 1e9);
        }
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/python3", script().toString(), dir.toString(),
                "--repeat", Integer.toString(repeats)));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("OMP_NUM_THREADS", "1");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("bls_astropy.py failed: " + out);
        }
        String json = out.lines().reduce((a, b) -> b).orElse("");
        double seconds = Double.parseDouble(json.replaceAll(".*\"seconds\": ([0-9.eE+-]+).*", "$1"));
        return new Outcome(ours, read(dir.resolve("astropy-power")), read(dir.resolve("astropy-depth")),
                read(dir.resolve("astropy-epoch")), best, seconds, json);
    }

    /** bench/bls_astropy.py, found from the working directory upwards (the module or the repository root). */
    static Path script() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path s = p.resolve("bench/bls_astropy.py");
            if (Files.isRegularFile(s)) {
                return s;
            }
        }
        throw new IllegalStateException("bench/bls_astropy.py not found above " + Path.of("").toAbsolutePath());
    }

    public static boolean astropyAvailable() {
        try {
            Process p = new ProcessBuilder("/usr/bin/python3", "-c", "import astropy.timeseries")
                    .redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void write(Path file, double[] values) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        b.asDoubleBuffer().put(values);
        Files.write(file, b.array());
    }

    private static double[] read(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        double[] v = new double[b.remaining() / 8];
        b.asDoubleBuffer().get(v);
        return v;
    }

    /**
     * Speed benchmark: one light curve, one core each, on the same grid: {@code BlsComparison LC WORKDIR [repeats]
     * [frequency|drift]} (the search's default spacing unless given; our BLS as the search runs it).
     */
    public static void main(String[] args) throws Exception {
        LightCurveReader.Result r = new LightCurveReader("PDCSAP_FLUX").read(Files.readAllBytes(Path.of(args[0])),
                Path.of(args[0]).getFileName().toString());
        LightCurve lc = prepared(r.lightCurve());
        TransitSearch.Settings d = TransitSearch.Settings.defaults();
        PeriodGrid.Spacing spacing = args.length > 3 ? PeriodGrid.Spacing.valueOf(args[3].toUpperCase(
                java.util.Locale.ROOT)) : d.spacing();
        TransitSearch.Settings s = d.toBuilder().spacing(spacing).build();
        PeriodGrid grid = new TransitSearch(s).grid(lc.baseline());
        int repeats = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        Outcome o = run(lc, grid, s.oversample(), Path.of(args[1]), repeats, true);
        int b = o.ours().best();
        System.out.printf(java.util.Locale.ROOT, "cadences=%d periods=%d durations=%d ours_s=%.3f astropy_s=%.3f"
                        + " speedup=%.2f ours_best_period=%.5f astropy=%s%n", lc.size(), grid.periods().length,
                grid.durations().length, o.oursSeconds(), o.astropySeconds(), o.astropySeconds() / o.oursSeconds(),
                o.ours().periods()[b], o.astropyJson());
    }
}
