package org.tessexo.common.photometry;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tessexo.common.demo.SectorGenerator;
import org.tessexo.common.fits.DecodeResult;
import org.tessexo.common.fits.DecodedImage;
import org.tessexo.common.fits.DecoderSettings;
import org.tessexo.common.fits.FitsImageDecoder;
import org.tessexo.common.fits.Outcome;
import org.tessexo.common.stats.RobustStats;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The photometry steps on a generated sector (no Spark): headers read, a median reference, every star found where
 * the generator put it, apertures sized, light curves as precise as the generator's photon-noise limit allows, and
 * transits kept.
 */
class PhotometryTest {
    @TempDir
    static Path dir;
    static SectorGenerator.Summary sector;
    static List<Path> files;

    @BeforeAll
    static void generate() throws Exception {
        sector = SectorGenerator.generate(dir, new SectorGenerator.Spec(64, 72, 360, 30, 14, 2, 1, 2, 3, 2, 4, 15));
        try (Stream<Path> s = Files.list(sector.ffiDir())) {
            files = s.sorted().toList();
        }
    }

    static DecodedImage decode(Path p) throws Exception {
        DecodeResult r = new FitsImageDecoder(DecoderSettings.defaults()).decode(Files.readAllBytes(p));
        assertEquals(Outcome.IMAGE, r.outcome(), r.fullReason());
        return r.image();
    }

    @Test
    void headersGiveTheCcdTimeQualityAndWcs() throws Exception {
        assertEquals(sector.frames(), files.size());
        assertTrue(files.size() < 360 && files.size() > 300, files.size() + " frames: a day's gap mid-sector");
        int flagged = 0;
        for (Path p : List.of(files.get(0), files.get(files.size() / 4), files.get(files.size() - 1))) {
            FrameInfo.Parsed f = FrameInfo.of(decode(p), p.toString());
            assertEquals("", f.reason(), f.detail());
            assertEquals("s0003-2-4", f.info().group());
            assertEquals(SectorGenerator.EXPOSURE_S, f.info().exposureSeconds(), 1e-6);
            assertEquals(30.0 / 1440, f.info().tstop() - f.info().tstart(), 1e-9);
            assertEquals(new org.tessexo.common.fits.ScienceRegion(5, 68, 5, 60), f.info().region());
            flagged += f.info().quality() != 0 ? 1 : 0;
        }
        assertEquals(1, flagged, "the first frame is flagged for scattered light");
        SectorGenerator.Truth t = sector.stars().get(0);
        double[] px = FrameInfo.of(decode(files.get(0)), "").info().wcs().skyToPixel(t.ra(), t.dec());
        assertEquals(t.x(), px[0], 1e-6);
        assertEquals(t.y(), px[1], 1e-6);
    }

    @Test
    void starsFoundWhereTheyAreAndLightCurvesAtThePhotonLimit() throws Exception {
        int[] quality0 = new int[files.size()];
        for (int c = 0; c < files.size(); c++) {
            quality0[c] = FrameInfo.of(decode(files.get(c)), "").info().quality();
        }
        List<DecodedImage> refs = new ArrayList<>();
        for (int k : MedianStack.spread(quality0, 9)) {
            assertEquals(0, quality0[k]);
            refs.add(decode(files.get(k)));
        }
        MedianStack.Result ref = MedianStack.of(refs);
        double expected = Math.sqrt(SectorGenerator.SKY * SectorGenerator.EXPOSURE_S
                + SectorGenerator.READ_NOISE * SectorGenerator.READ_NOISE * SectorGenerator.READS)
                / SectorGenerator.EXPOSURE_S;
        assertEquals(expected, ref.frameNoise(), 0.1 * expected, "single-frame sky noise");
        FrameInfo info = FrameInfo.of(refs.get(0), "").info();
        List<StarFinder.Peak> peaks = StarFinder.find(ref, info.region(), 5, 1000, 2, 3);
        List<Star> stars = new ArrayList<>();
        int[] match = new int[sector.stars().size()];
        java.util.Arrays.fill(match, -1);
        for (int i = 0; i < peaks.size(); i++) {
            StarFinder.Peak p = peaks.get(i);
            stars.add(new Star("S" + i, 0, 0, 0, p.x(), p.y(), Double.NaN, p.flux(), 2));
            for (int t = 0; t < match.length; t++) {
                SectorGenerator.Truth s = sector.stars().get(t);
                if (Math.hypot(s.x() - p.x(), s.y() - p.y()) < 0.25) {
                    match[t] = i;
                }
            }
        }
        for (int t = 0; t < match.length; t++) {
            SectorGenerator.Truth s = sector.stars().get(t);
            double nearest = peaks.stream().mapToDouble(p -> Math.hypot(s.x() - p.x(), s.y() - p.y())).min()
                    .orElse(Double.NaN);
            assertTrue(match[t] >= 0, "star " + s + " found within 0.25 px: nearest peak " + nearest);
        }
        assertEquals(sector.stars().size(), peaks.size(), "no spurious peaks");
        stars = FramePhotometry.sizeApertures(stars, ref, info.region(), new double[] {1, 1.5, 2, 2.5, 3, 3.5},
                2, 4, info.exposureSeconds()).stars();
        // the read noise the reference implies: 720 reads of 10 e- (72,000 e^2), from a difference of two numbers
        // four times its size
        double readVariance = FramePhotometry.readVariance(ref.frameNoise(), StarFinder.sky(ref, info.region()),
                info.exposureSeconds());
        assertEquals(SectorGenerator.READ_NOISE * SectorGenerator.READ_NOISE * SectorGenerator.READS, readVariance,
                0.5 * 72000);
        FramePhotometry phot = new FramePhotometry(stars, ref.height(), ref.width(), info.region(), 2, 4)
                .withReadVariance(readVariance);
        int n = files.size();
        float[][] flux = new float[stars.size()][n];
        float[][] error = new float[stars.size()][n];
        double[] time = new double[n];
        int[] quality = new int[n];
        double[] offX = new double[n];
        double[] offY = new double[n];
        for (int c = 0; c < n; c++) {
            DecodedImage img = decode(files.get(c));
            FrameInfo f = FrameInfo.of(img, "").info();
            time[c] = f.midBtjd();
            quality[c] = f.quality();
            FramePhotometry.Measures m = phot.measure(img.pixels(), f.exposureSeconds());
            offX[c] = m.offsetX();
            offY[c] = m.offsetY();
            for (int s = 0; s < stars.size(); s++) {
                flux[s][c] = m.flux()[s];
                error[s][c] = m.error()[s];
            }
        }
        // the pointing the brightest stars measure: the generator's jitter (0.02 px) and its dumps (0.3 px)
        assertTrue(java.util.Arrays.stream(offX).map(Math::abs).max().orElse(0) > 0.15, "a dump is seen");
        for (int s = 0; s < stars.size(); s++) {
            double[] raw = new double[n];
            boolean[] use = new boolean[n];
            for (int c = 0; c < n; c++) {
                raw[c] = flux[s][c];
                use[c] = quality[c] == 0 && Float.isFinite(flux[s][c]);
            }
            double[] corrected = PointingDecorrelation.correct(time, raw, offX, offY, use);
            for (int c = 0; c < n; c++) {
                flux[s][c] = (float) corrected[c];
            }
        }
        StringBuilder table = new StringBuilder();
        double[] ratios = new double[match.length];
        double[] fluxRatio = new double[match.length];
        double[] errorRatio = new double[match.length];
        for (int t = 0; t < match.length; t++) {
            SectorGenerator.Truth s = sector.stars().get(t);
            Star st = stars.get(match[t]);
            double[] rel = new double[n];
            int k = 0;
            double mean = 0;
            for (int c = 0; c < n; c++) {
                if (quality[c] == 0 && Float.isFinite(flux[match[t]][c])) {
                    rel[k++] = flux[match[t]][c] / SectorGenerator.relativeFlux(s, time[c]);
                    mean += rel[k - 1];
                }
            }
            mean /= k;
            double[] d = new double[k - 1];
            for (int c = 1; c < k; c++) {
                d[c - 1] = (rel[c] - rel[c - 1]) / mean;
            }
            // point-to-point scatter over sqrt(2): white noise per cadence, immune to what the star does
            double scatter = 1.4826 * RobustStats.mad(d) / Math.sqrt(2);
            int area = (int) Math.round(Math.PI * st.radius() * st.radius());
            // the limit of the aperture used: the generator's noise sources over the flux the aperture holds
            double limit = SectorGenerator.photonLimit(mean, area);
            double ratio = scatter / limit;
            table.append(String.format(Locale.ROOT, "%s Tmag %.1f r %.1f: scatter %.0f ppm, limit %.0f ppm,"
                    + " ratio %.2f; flux %.0f of %.0f%n", s.kind(), s.tmag(), st.radius(), scatter * 1e6,
                    limit * 1e6, ratio, mean, s.fluxPerSecond()));
            ratios[t] = ratio;
            fluxRatio[t] = mean / s.fluxPerSecond();
            double[] e = new double[n];
            for (int c = 0; c < n; c++) {
                e[c] = error[match[t]][c];
            }
            double[] fe = RobustStats.finite(e);
            errorRatio[t] = RobustStats.median(fe, fe.length) / mean / scatter;
        }
        System.out.print(table);
        for (int t = 0; t < match.length; t++) {
            // without the pointing correction the brightest stars were at 1.3-1.4x
            assertTrue(ratios[t] < 1.3 && ratios[t] > 0.7, "scatter against the photon limit:\n" + table);
            // the aperture holds most of the light: 60% for the faintest (r = 1.5 px), 98% for the brightest
            assertTrue(fluxRatio[t] > 0.6 && fluxRatio[t] < 1.02, "flux in the aperture:\n" + table);
        }
        assertTrue(RobustStats.median(ratios.clone(), ratios.length) < 1.1, "median ratio:\n" + table);
        // the CCD equation's errors say what the scatter is
        double errors = RobustStats.median(errorRatio.clone(), errorRatio.length);
        assertEquals(1, errors, 0.2, "flux_err over the measured scatter: " + java.util.Arrays.toString(errorRatio));
    }

    @Test
    void aNanPixelInAnApertureLosesThatStarsCadenceOnly() {
        int h = 40;
        int w = 40;
        float[] img = new float[h * w];
        java.util.Arrays.fill(img, 100);
        img[10 * w + 10] += 5000;
        img[30 * w + 30] += 5000;
        var region = new org.tessexo.common.fits.ScienceRegion(1, w, 1, h);
        List<Star> stars = List.of(new Star("a", 0, 0, 0, 10, 10, Double.NaN, 0, 2),
                new Star("b", 0, 0, 0, 30, 30, Double.NaN, 0, 2));
        FramePhotometry p = new FramePhotometry(stars, h, w, region, 2, 4);
        FramePhotometry.Measures m = p.measure(img, 1000);
        assertEquals(5000, m.flux()[0], 1e-3);
        assertEquals(100, m.background()[0], 1e-6);
        assertEquals(10, m.centroidX()[0], 1e-6);
        img[10 * w + 11] = Float.NaN;
        m = p.measure(img, 1000);
        assertTrue(Float.isNaN(m.flux()[0]), "the star whose aperture holds the NaN");
        assertEquals(5000, m.flux()[1], 1e-3);
        img[10 * w + 17] = Float.NaN; // in the annulus: the median of the rest
        m = p.measure(img, 1000);
        assertEquals(100, m.background()[0], 1e-6);
    }

    /**
     * A frame read only where its stars and sky mesh are (gather, what a mapped file is read by) measures as the
     * whole frame does, to the bit: the pixels left out are poisoned with NaN, which any read of them would show. On
     * a frame of scattered light (the gradient's path) with a NaN pixel in an annulus; few stars read a small part
     * of the frame, many read it whole.
     */
    @Test
    void aFrameGatheredWhereItsStarsAreMeasuresAsTheWholeFrame() {
        int h = 300;
        int w = 320;
        var region = new org.tessexo.common.fits.ScienceRegion(5, 310, 2, 296);
        java.util.Random rnd = new java.util.Random(8);
        float[] img = new float[h * w];
        for (int k = 0; k < img.length; k++) {
            img[k] = (float) (300 + 1.5 * (k % w) - 0.8 * (k / w) + 4 * rnd.nextGaussian());
        }
        List<Star> many = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            double x = 15 + rnd.nextDouble() * 290;
            double y = 15 + rnd.nextDouble() * 270;
            many.add(new Star("s" + i, 0, 0, 0, x, y, Double.NaN, 0, 1 + 0.5 * rnd.nextInt(6)));
            addStar(img, w, x, y, 2000 + 50_000 * rnd.nextDouble());
        }
        Star first = many.get(0);
        img[(int) Math.round(first.y()) * w + (int) Math.round(first.x()) + (int) Math.ceil(first.radius()) + 3] =
                Float.NaN;
        java.nio.ByteBuffer file = java.nio.ByteBuffer.allocate(4 * img.length); // big-endian, as FITS
        file.asFloatBuffer().put(img);
        for (int count : new int[] {5, 400}) {
            FramePhotometry p = new FramePhotometry(many.subList(0, count), h, w, region, 2, 4).withReadVariance(50);
            float[] gathered = new float[h * w];
            java.util.Arrays.fill(gathered, Float.NaN);
            long copied = p.gather(file.asFloatBuffer(), gathered);
            FramePhotometry.Measures whole = p.measure(img, 1800);
            FramePhotometry.Measures part = p.measure(gathered, 1800);
            assertTrue(java.util.Arrays.equals(whole.flux(), part.flux()), count + " stars: flux");
            assertTrue(java.util.Arrays.equals(whole.error(), part.error()), count + " stars: error");
            assertTrue(java.util.Arrays.equals(whole.background(), part.background()), count + " stars: background");
            assertTrue(java.util.Arrays.equals(whole.centroidX(), part.centroidX()), count + " stars: centroid");
            assertEquals(whole.offsetX(), part.offsetX(), 0.0);
            assertTrue(Float.isFinite(whole.flux()[0]) && Float.isNaN(part.flux()[0]) == Float.isNaN(whole.flux()[0]));
            if (count == 5) {
                assertTrue(copied < img.length / 2, "5 stars read " + copied + " of " + img.length + " pixels");
            } else {
                assertEquals(img.length, copied, "400 stars read the whole frame");
            }
        }
    }

    /** A Gaussian star of {@code flux} e-/s (sigma 1 pixel) added to a frame. */
    private static void addStar(float[] img, int w, double x, double y, double flux) {
        for (int k = 0; k < img.length; k++) {
            double dx = k % w - x;
            double dy = k / w - y;
            img[k] += (float) (flux * Math.exp(-(dx * dx + dy * dy) / 2) / (2 * Math.PI));
        }
    }

    @Test
    void aSkyGradientWithAStarInTheAnnulusLeavesTheBackgroundUnbiased() {
        // scattered light: a sky of 1,000 e-/s rising 2 e-/s per pixel across the CCD; a bright neighbour covers a
        // side of the star's annulus. A plain median of the annulus then picks its clean side's sky (8.1 e-/s high
        // here, times 20 pixels of aperture: a 3% dip of this star while the scattered light lasts); with the
        // gradient taken out, 0.1 (the mesh's boxes hold the stars too)
        int h = 128;
        int w = 128;
        var region = new org.tessexo.common.fits.ScienceRegion(1, w, 1, h);
        Star star = new Star("a", 0, 0, 0, 60.3, 59.8, Double.NaN, 0, 2.5);
        Star centred = new Star("b", 0, 0, 0, 90, 30, Double.NaN, 0, 2.5);
        FramePhotometry p = new FramePhotometry(List.of(star, centred), h, w, region, 2, 4);
        float[] flat = new float[h * w];
        java.util.Arrays.fill(flat, 250);
        addStar(flat, w, star.x(), star.y(), 5000);
        addStar(flat, w, 54.0, 60.5, 400_000);
        addStar(flat, w, centred.x(), centred.y(), 5000);
        addStar(flat, w, 84.5, 32, 400_000);
        float[] lit = new float[h * w];
        for (int k = 0; k < lit.length; k++) {
            lit[k] = flat[k] + 750 + 2f * (k % w) - 0.7f * (k / w);
        }
        FramePhotometry.Measures dark = p.measure(flat, 1000);
        FramePhotometry.Measures bright = p.measure(lit, 1000);
        for (int i = 0; i < 2; i++) {
            Star s = p.stars().get(i);
            double sky = 750 + 2 * s.x() - 0.7 * s.y();
            assertEquals(sky, bright.background()[i] - dark.background()[i], 0.5, "the sky at " + s);
            assertEquals(dark.flux()[i], bright.flux()[i], 0.001 * dark.flux()[i], "the flux, lit or not, " + s);
        }
    }

    @Test
    void aSkyGradientIsNoStarAndTheStarsOnItAreFound() {
        int h = 200;
        int w = 220;
        float[] img = new float[h * w];
        java.util.Random rng = new java.util.Random(2);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                // scattered light: 150 e-/s rising to 550 across the CCD, single-frame noise 0.4
                img[y * w + x] = (float) (150 + 2.0 * x + 0.4 * rng.nextGaussian());
            }
        }
        int[][] at = {{30, 40}, {120, 150}, {180, 60}};
        for (int[] p : at) {
            for (int dy = -2; dy <= 2; dy++) {
                for (int dx = -2; dx <= 2; dx++) {
                    img[(p[1] + dy) * w + p[0] + dx] += (float) (200 * Math.exp(-(dx * dx + dy * dy) / 1.62));
                }
            }
        }
        MedianStack.Result ref = new MedianStack.Result(img, h, w, 0.4);
        List<StarFinder.Peak> peaks = StarFinder.find(ref, new org.tessexo.common.fits.ScienceRegion(1, w, 1, h), 5,
                100, 2, 4);
        assertEquals(3, peaks.size(), peaks.toString());
        for (int[] p : at) {
            assertTrue(peaks.stream().anyMatch(k -> Math.hypot(k.x() - p[0], k.y() - p[1]) < 0.1), peaks.toString());
        }
    }

    @Test
    void medianStackRejectsFramesOfAnotherSize() throws Exception {
        DecodedImage a = decode(files.get(0));
        DecodedImage b = new DecodedImage(new float[4], 2, 2, 1, "x", null, null);
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> MedianStack.of(List.of(a, b)));
        assertTrue(e.getMessage().contains("cannot be combined"), e.getMessage());
    }
}
