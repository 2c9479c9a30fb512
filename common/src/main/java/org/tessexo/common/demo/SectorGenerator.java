package org.tessexo.common.demo;

import nom.tam.fits.FitsException;
import nom.tam.fits.Header;
import nom.tam.fits.ImageData;
import nom.tam.fits.ImageHDU;
import nom.tam.fits.NullDataHDU;
import org.tessexo.common.photometry.Wcs;
import org.tessexo.common.vetting.TransitModel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * A generated TESS sector of one camera's CCD, in the layout of SPOC's calibrated FFIs, with its truth table: the
 * test data of the {@code photometry} command.
 *
 * <p>Each frame is a file {@code ffi/tess<time>-s<sector>-<camera>-<ccd>-0120-s_ffic.fits}: a header-only primary
 * (SECTOR, CAMERA, CCD, TSTART, TSTOP), the calibrated IMAGE in e-/s (TSTART, TSTOP in BTJD, DQUALITY, EXPOSURE, a
 * TAN WCS, science region cards) and the uncertainty IMAGE. Cadences are {@code cadenceMinutes} apart with a
 * one-day gap mid-sector (the data downlink).
 *
 * <p>Stars: Gaussian PSFs (sigma {@link #PSF_SIGMA} px) integrated over pixels, TESS magnitudes 8 to 15 (15,000 e-/s
 * at Tmag 10), at least {@link #MIN_SEPARATION} px apart. Sky {@link #SKY} e-/s per pixel; shot noise of star and
 * sky over the {@link #EXPOSURE_S} s exposure and read noise ({@link #READ_NOISE} e- per 2-s read, 720 reads): the
 * photon-noise limit of a star is {@link #photonLimit}. Pointing jitter (0.02 px rms), momentum dumps every 3 days
 * (DQUALITY 32, a 0.3 px jump), scattered light at the start of each orbit (DQUALITY 2048, a sky gradient), a few
 * NaN pixels per frame. Some stars host a limb-darkened planet transit (Mandel &amp; Agol), some are eclipsing binaries
 * (deep primary, secondary at phase 0.5), some vary sinusoidally; the rest are constant.
 */
public final class SectorGenerator {
    public static final String FFI_DIR = "ffi";
    public static final String TRUTH_FILE = "truth.csv";
    public static final String TARGETS_FILE = "targets.csv";
    public static final double PSF_SIGMA = 0.9;
    public static final double MIN_SEPARATION = 6;
    public static final double SKY = 150;
    public static final double EXPOSURE_S = 1440;
    public static final double READ_NOISE = 10;
    public static final int READS = 720;
    /** BTJD of the first cadence (TESS sector 1 began at 1325.29). */
    public static final double START_BTJD = 1325.30;
    /** Pixels of each edge outside the science region (virtual columns and rows, as in real FFIs, scaled down). */
    public static final int BORDER = 4;
    public static final int DESATURATION = 32;
    public static final int STRAY_LIGHT = 2048;
    static final double ZERO_POINT = 15000; // e-/s at Tmag 10
    static final double PIXEL_DEG = 21.0 / 3600; // degrees per pixel

    private SectorGenerator() {
    }

    /**
     * @param stars     stars placed; {@code planets}, {@code binaries} and {@code variables} of them are not constant
     * @param cadences  frames before the mid-sector gap removes a day's worth
     */
    public record Spec(int height, int width, int cadences, double cadenceMinutes, int stars, int planets,
                       int binaries, int variables, int sector, int camera, int ccd, long seed) {
        /** A small sector for tests and the demo: 96 x 96 pixels, 14 days of 30-minute cadences. */
        public static Spec small(long seed) {
            return new Spec(96, 96, 672, 30, 40, 4, 2, 4, 1, 1, 1, seed);
        }
    }

    /** One star as generated: where it is, how bright, what it does. */
    public record Truth(String id, double ra, double dec, double x, double y, double tmag, double fluxPerSecond,
                        String kind, double period, double epoch, double depth, double durationHours) {
    }

    /** @param wcs the frames' WCS (null for a sector {@link #ensure} found already written) */
    public record Summary(Path ffiDir, Path truth, Path targets, int frames, List<Truth> stars, Wcs wcs) {
    }

    /**
     * The photon-noise limit (relative flux scatter per cadence) of a star of {@code fluxPerSecond} e-/s measured in
     * an aperture of {@code pixels} pixels with a known background: its shot noise, the sky's and the read noise.
     */
    public static double photonLimit(double fluxPerSecond, int pixels) {
        double star = fluxPerSecond * EXPOSURE_S;
        double var = star + pixels * (SKY * EXPOSURE_S + READ_NOISE * READ_NOISE * READS);
        return Math.sqrt(var) / star;
    }

    public static double fluxOf(double tmag) {
        return ZERO_POINT * Math.pow(10, -0.4 * (tmag - 10));
    }

    /**
     * Writes a sector from the command line (the benchmarks' full-size frames):
     * {@code SectorGenerator DIR HEIGHT WIDTH CADENCES STARS [SEED [CADENCE_MINUTES]]}, e.g. {@code out 2078 2136 24
     * 10000}; 30-minute cadences unless asked (a 200-second sector: {@code 3.333}).
     */
    public static void main(String[] args) {
        if (args.length < 5) {
            System.err.println("Usage: SectorGenerator DIR HEIGHT WIDTH CADENCES STARS [SEED [CADENCE_MINUTES]]");
            System.exit(2);
        }
        int stars = Integer.parseInt(args[4]);
        double cadenceMinutes = args.length > 6 ? Double.parseDouble(args[6]) : 30;
        Spec spec = new Spec(Integer.parseInt(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                cadenceMinutes, stars, Math.max(1, stars / 100), Math.max(1, stars / 200), Math.max(1, stars / 100),
                1, 1, 1,
                args.length > 5 ? Long.parseLong(args[5]) : 1);
        long t = System.nanoTime();
        Summary s = generate(Path.of(args[0]), spec);
        System.out.printf(Locale.ROOT, "%d frames of %d x %d with %d stars in %s (%.1f s)%n", s.frames(),
                spec.height(), spec.width(), s.stars().size(), s.ffiDir(), (System.nanoTime() - t) / 1e9);
    }

    /** The sector under {@code dir} as an earlier call wrote it (its truth table is written last), else a new one. */
    public static Summary ensure(Path dir, Spec spec) {
        Path truth = dir.resolve(TRUTH_FILE);
        Path ffi = dir.resolve(FFI_DIR);
        if (Files.exists(truth) && Files.isDirectory(ffi)) {
            try (var files = Files.list(ffi); var lines = Files.lines(truth)) {
                int frames = (int) files.filter(p -> p.getFileName().toString().endsWith(".fits")).count();
                List<Truth> stars = lines.skip(1).filter(l -> !l.isBlank()).map(SectorGenerator::truthOf).toList();
                return new Summary(ffi, truth, dir.resolve(TARGETS_FILE), frames, stars, null);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return generate(dir, spec);
    }

    private static Truth truthOf(String line) {
        String[] f = line.split(",");
        return new Truth(f[0], Double.parseDouble(f[1]), Double.parseDouble(f[2]), Double.parseDouble(f[3]),
                Double.parseDouble(f[4]), Double.parseDouble(f[5]), Double.parseDouble(f[6]), f[7],
                Double.parseDouble(f[8]), Double.parseDouble(f[9]), Double.parseDouble(f[10]),
                Double.parseDouble(f[11]));
    }

    public static Summary generate(Path dir, Spec spec) {
        try {
            Path ffi = dir.resolve(FFI_DIR);
            Files.createDirectories(ffi);
            Random rng = new Random(spec.seed());
            // Sector 1, camera 1 looked near RA 315, Dec -30; a small rotation as real CCDs have.
            double rot = Math.toRadians(2.5);
            Wcs wcs = Wcs.tan(spec.width() / 2.0 + 0.5, spec.height() / 2.0 + 0.5, 315.0, -30.0, new double[] {
                -PIXEL_DEG * Math.cos(rot), PIXEL_DEG * Math.sin(rot), PIXEL_DEG * Math.sin(rot),
                PIXEL_DEG * Math.cos(rot)});
            double dtDays = spec.cadenceMinutes() / 1440;
            List<Double> times = new ArrayList<>();
            double span = spec.cadences() * dtDays;
            for (int i = 0; i < spec.cadences(); i++) {
                double t = START_BTJD + (i + 0.5) * dtDays;
                // the data downlink mid-sector: a day without frames (in sectors of a week or more)
                if (span < 7 || Math.abs(t - START_BTJD - span / 2) > 0.5) {
                    times.add(t);
                }
            }
            List<Truth> stars = stars(rng, spec, wcs, times.get(0), span);
            double[][] jitter = jitter(rng, times);
            for (int i = 0; i < times.size(); i++) {
                double t = times.get(i);
                int quality = (int) jitter[i][2];
                float[][][] img = frame(rng, spec, stars, t, jitter[i][0], jitter[i][1], quality);
                String name = String.format(Locale.ROOT, "tess%d-s%04d-%d-%d-0120-s_ffic.fits",
                        2018206000000L + 3000L * i, spec.sector(), spec.camera(), spec.ccd());
                write(ffi.resolve(name), img, spec, wcs, t - dtDays / 2, t + dtDays / 2, quality);
            }
            // last: its presence says the sector is complete (ensure)
            writeTables(dir, stars);
            return new Summary(ffi, dir.resolve(TRUTH_FILE), dir.resolve(TARGETS_FILE), times.size(), stars, wcs);
        } catch (IOException | FitsException e) {
            throw new IllegalStateException("Cannot write the generated sector under " + dir + ": " + e.getMessage(),
                    e);
        }
    }

    private static List<Truth> stars(Random rng, Spec spec, Wcs wcs, double t0, double span) {
        List<double[]> placed = new ArrayList<>();
        // stars at least 6 px inside the science region: the widest aperture of the photometry fits
        int margin = BORDER + 6;
        for (int tries = 0; placed.size() < spec.stars() && tries < 100_000; tries++) {
            double x = margin + rng.nextDouble() * (spec.width() - 2 * margin - 1);
            double y = margin + rng.nextDouble() * (spec.height() - 2 * margin - 1);
            boolean free = placed.stream().noneMatch(p -> Math.hypot(p[0] - x, p[1] - y) < MIN_SEPARATION);
            if (free) {
                placed.add(new double[] {x, y, 8 + 7 * rng.nextDouble()});
            }
        }
        // The brightest stars host the planets and binaries, so that every injected signal is detectable.
        placed.sort((a, b) -> Double.compare(a[2], b[2]));
        List<Truth> out = new ArrayList<>();
        for (int i = 0; i < placed.size(); i++) {
            double[] p = placed.get(i);
            double[] sky = wcs.pixelToSky(p[0], p[1]);
            String id = "GEN-" + (1000 + i);
            String kind = "constant";
            double period = 0;
            double epoch = 0;
            double depth = 0;
            double duration = 0;
            if (i % 2 == 0 && i / 2 < spec.planets()) {
                kind = "planet";
                period = Math.exp(Math.log(1.0) + rng.nextDouble() * Math.log(span / 3.2));
                depth = 0.004 + 0.012 * rng.nextDouble();
            } else if (i % 2 == 1 && i / 2 < spec.binaries()) {
                kind = "binary";
                period = 0.8 + rng.nextDouble() * 3;
                depth = 0.1 + 0.3 * rng.nextDouble();
            } else if (i >= placed.size() - spec.variables()) {
                kind = "variable";
                period = 0.4 + rng.nextDouble() * 5;
                depth = 0.005 + 0.02 * rng.nextDouble(); // semi-amplitude
            }
            if (!"constant".equals(kind)) {
                epoch = t0 + rng.nextDouble() * period;
            }
            if ("planet".equals(kind) || "binary".equals(kind)) {
                double aR = TransitModel.aOverR(period, "binary".equals(kind) ? 0.6 : 1.4);
                duration = TransitModel.duration(period, aR, Math.sqrt(depth), 0.3) * 24;
            }
            out.add(new Truth(id, sky[0], sky[1], p[0], p[1], p[2], fluxOf(p[2]), kind, period, epoch, depth,
                    duration));
        }
        return out;
    }

    /** Per cadence: x and y pointing offsets (px) and the quality flags. */
    private static double[][] jitter(Random rng, List<Double> times) {
        double[][] j = new double[times.size()][3];
        double first = times.get(0);
        double last = times.get(times.size() - 1);
        double mid = (first + last) / 2;
        double dx = 0;
        double dy = 0;
        double nextDump = first + 3;
        for (int i = 0; i < times.size(); i++) {
            double t = times.get(i);
            int q = 0;
            if (t >= nextDump) {
                q |= DESATURATION;
                dx += 0.3 * (rng.nextBoolean() ? 1 : -1);
                dy += 0.3 * (rng.nextBoolean() ? 1 : -1);
                nextDump += 3;
            }
            // after a dump the pointing settles back over a few cadences
            dx *= 0.7;
            dy *= 0.7;
            double orbitStart = t < mid ? first : mid + 0.5;
            // scattered light at each orbit's start, in sectors of a week or more (a short run is mid-orbit)
            if (last - first >= 7 && t - orbitStart < 0.4) {
                q |= STRAY_LIGHT;
            }
            j[i][0] = dx + 0.02 * rng.nextGaussian();
            j[i][1] = dy + 0.02 * rng.nextGaussian();
            j[i][2] = q;
        }
        return j;
    }

    /** The calibrated image [0] and its uncertainty [1], e-/s. */
    private static float[][][] frame(Random rng, Spec spec, List<Truth> stars, double t, double dx, double dy,
                                     int quality) {
        int h = spec.height();
        int w = spec.width();
        double[][] e = new double[h][w]; // electrons over the exposure, noiseless
        boolean stray = (quality & STRAY_LIGHT) != 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double sky = SKY + (stray ? 40.0 * (x + y) / (w + h) : 0);
                e[y][x] = sky * EXPOSURE_S;
            }
        }
        for (Truth s : stars) {
            double f = s.fluxPerSecond() * relativeFlux(s, t) * EXPOSURE_S;
            addPsf(e, s.x() + dx, s.y() + dy, f);
        }
        float[][] img = new float[h][w];
        float[][] unc = new float[h][w];
        double readVar = READ_NOISE * READ_NOISE * READS;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double sigma = Math.sqrt(e[y][x] + readVar);
                img[y][x] = (float) ((e[y][x] + sigma * rng.nextGaussian()) / EXPOSURE_S);
                unc[y][x] = (float) (sigma / EXPOSURE_S);
            }
        }
        for (int k = 0; k < 3; k++) {
            img[rng.nextInt(h)][rng.nextInt(w)] = Float.NaN;
        }
        return new float[][][] {img, unc};
    }

    /** The star's brightness at time t relative to its mean. */
    public static double relativeFlux(Truth s, double t) {
        switch (s.kind()) {
            case "planet": {
                double aR = TransitModel.aOverR(s.period(), 1.4);
                return TransitModel.planet(new double[] {t}, s.period(), s.epoch(), aR, Math.sqrt(s.depth()), 0.3,
                        0.4, 0.2)[0];
            }
            case "binary": {
                double aR = TransitModel.aOverR(s.period(), 0.6);
                double k = Math.sqrt(s.depth());
                double primary = TransitModel.planet(new double[] {t}, s.period(), s.epoch(), aR, k, 0.3, 0.4,
                        0.2)[0];
                double secondary = TransitModel.planet(new double[] {t}, s.period(), s.epoch() + s.period() / 2,
                        aR, k, 0.3, 0, 0)[0];
                return primary - 0.3 * (1 - secondary);
            }
            case "variable":
                return 1 + s.depth() * Math.sin(2 * Math.PI * (t - s.epoch()) / s.period());
            default:
                return 1;
        }
    }

    private static void addPsf(double[][] e, double cx, double cy, double electrons) {
        int r = (int) Math.ceil(5 * PSF_SIGMA);
        int x0 = (int) Math.round(cx);
        int y0 = (int) Math.round(cy);
        double s2 = PSF_SIGMA * Math.sqrt(2);
        for (int y = Math.max(0, y0 - r); y <= Math.min(e.length - 1, y0 + r); y++) {
            double fy = 0.5 * (erf((y + 0.5 - cy) / s2) - erf((y - 0.5 - cy) / s2));
            for (int x = Math.max(0, x0 - r); x <= Math.min(e[0].length - 1, x0 + r); x++) {
                double fx = 0.5 * (erf((x + 0.5 - cx) / s2) - erf((x - 0.5 - cx) / s2));
                e[y][x] += electrons * fx * fy;
            }
        }
    }

    /** The error function, Abramowitz &amp; Stegun 7.1.26 (error below 1.5e-7). */
    static double erf(double x) {
        double t = 1 / (1 + 0.3275911 * Math.abs(x));
        double y = 1 - t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027
                + t * 1.061405429)))) * Math.exp(-x * x);
        return x >= 0 ? y : -y;
    }

    private static void writeTables(Path dir, List<Truth> stars) throws IOException {
        StringBuilder truth = new StringBuilder("id,ra,dec,x,y,tmag,flux_e_per_s,kind,period_days,epoch_btjd,depth,"
                + "duration_hours\n");
        StringBuilder targets = new StringBuilder("id,ra,dec,tmag\n");
        for (Truth s : stars) {
            truth.append(String.format(Locale.ROOT, "%s,%.7f,%.7f,%.3f,%.3f,%.3f,%.1f,%s,%.6f,%.5f,%.5f,%.3f%n",
                    s.id(), s.ra(), s.dec(), s.x(), s.y(), s.tmag(), s.fluxPerSecond(), s.kind(), s.period(),
                    s.epoch(), s.depth(), s.durationHours()));
            targets.append(String.format(Locale.ROOT, "%s,%.7f,%.7f,%.3f%n", s.id(), s.ra(), s.dec(), s.tmag()));
        }
        AtomicFiles.writeText(dir.resolve(TRUTH_FILE), truth.toString());
        AtomicFiles.writeText(dir.resolve(TARGETS_FILE), targets.toString());
    }

    private static void write(Path file, float[][][] img, Spec spec, Wcs wcs, double tstart, double tstop,
                              int quality) throws IOException, FitsException {
        NullDataHDU primary = new NullDataHDU();
        Header p = primary.getHeader();
        p.addValue("ORIGIN", "tess-exo SectorGenerator", "synthetic, SPOC FFI layout");
        p.addValue("TELESCOP", "TESS", "telescope");
        p.addValue("SECTOR", spec.sector(), "observing sector");
        p.addValue("CAMERA", spec.camera(), "camera number");
        p.addValue("CCD", spec.ccd(), "CCD chip number");
        p.addValue("TSTART", tstart, "observation start time in BTJD");
        p.addValue("TSTOP", tstop, "observation stop time in BTJD");
        ImageHDU cal = ImageData.from(img[0]).toHDU();
        Header c = cal.getHeader();
        String ccd = spec.camera() + "." + spec.ccd();
        c.addValue("EXTNAME", "CAMERA.CCD " + ccd + " cal", "extension name");
        c.addValue("BUNIT", "electrons/s", "physical units of image data");
        c.addValue("TIMESYS", "TDB", "time system is Barycentric Dynamical Time");
        c.addValue("BJDREFI", 2457000, "integer part of BTJD reference date");
        c.addValue("BJDREFF", 0.0, "fraction of the day in BTJD reference date");
        c.addValue("TSTART", tstart, "observation start time in BTJD");
        c.addValue("TSTOP", tstop, "observation stop time in BTJD");
        c.addValue("EXPOSURE", EXPOSURE_S / 86400, "[d] time on source");
        c.addValue("DQUALITY", quality, "data quality flags");
        c.addValue("SCCSA", BORDER + 1, "[pixel] start of science columns");
        c.addValue("SCCED", spec.width() - BORDER, "[pixel] end of science columns");
        c.addValue("SCIROWS", BORDER + 1, "[pixel] start of science rows");
        c.addValue("SCIROWE", spec.height() - BORDER, "[pixel] end of science rows");
        wcs.writeTo(c);
        ImageHDU unc = ImageData.from(img[1]).toHDU();
        unc.getHeader().addValue("EXTNAME", "CAMERA.CCD " + ccd + " uncert", "extension name");
        AtomicFiles.writeFits(file, primary, cal, unc);
    }
}
