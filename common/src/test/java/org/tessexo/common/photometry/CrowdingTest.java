package org.tessexo.common.photometry;

import org.junit.jupiter.api.Test;
import org.tessexo.common.fits.ScienceRegion;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The PSF model behind the apertures: its width fitted from stars rendered independently (a Gaussian sampled 10 x 10
 * per pixel, not integrated with erf), a neighbour's light in an aperture against what was rendered there, and the
 * aperture a faint star beside a bright one is given.
 */
class CrowdingTest {
    private static final int SUB = 10;
    private static final double[] RADII = {1.0, 1.5, 2.0, 2.5, 3.0, 3.5};

    /** A Gaussian star of total flux {@code flux} and width {@code sigma}, sampled 10 x 10 per pixel. */
    private static void render(float[] img, int w, int h, double x, double y, double flux, double sigma) {
        int r = (int) Math.ceil(8 * sigma);
        for (int py = Math.max(0, (int) y - r); py <= Math.min(h - 1, (int) y + r); py++) {
            for (int px = Math.max(0, (int) x - r); px <= Math.min(w - 1, (int) x + r); px++) {
                double s = 0;
                for (int sy = 0; sy < SUB; sy++) {
                    double dy = py - 0.5 + (sy + 0.5) / SUB - y;
                    for (int sx = 0; sx < SUB; sx++) {
                        double dx = px - 0.5 + (sx + 0.5) / SUB - x;
                        s += Math.exp(-(dx * dx + dy * dy) / (2 * sigma * sigma));
                    }
                }
                img[py * w + px] += (float) (flux * s / (SUB * SUB) / (2 * Math.PI * sigma * sigma));
            }
        }
    }

    private record Field(float[] img, int w, int h, List<Star> stars) {
    }

    /** 30 isolated stars of 2,000-200,000 e-/s at random sub-pixel positions on a sky of 200 e-/s with noise. */
    private static Field field(double sigma, long seed) {
        int w = 240;
        int h = 200;
        float[] img = new float[w * h];
        Random rng = new Random(seed);
        for (int k = 0; k < img.length; k++) {
            img[k] = (float) (200 + 0.5 * rng.nextGaussian());
        }
        List<Star> stars = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            double x = 20 + 40 * (i % 5) + rng.nextDouble();
            double y = 20 + 30 * (i / 5) + rng.nextDouble();
            double f = 2000 * Math.pow(100, rng.nextDouble());
            render(img, w, h, x, y, f, sigma);
            stars.add(new Star("s" + i, 0, 0, 0, x, y, Double.NaN, f, 0));
        }
        return new Field(img, w, h, stars);
    }

    private static float[][] measure(Field f, List<Star> stars, float[][] noise) {
        ScienceRegion region = new ScienceRegion(1, f.w(), 1, f.h());
        float[][] flux = new float[RADII.length][];
        for (int k = 0; k < RADII.length; k++) {
            double r = RADII[k];
            FramePhotometry p = new FramePhotometry(stars.stream().map(s -> s.withAperture(s.flux(), r)).toList(),
                    f.h(), f.w(), region, 2, 4).withReadVariance(0);
            FramePhotometry.Measures m = p.measure(f.img(), 1000);
            flux[k] = m.flux();
            noise[0] = m.error();
        }
        return flux;
    }

    @Test
    void theFittedWidthIsTheRenderedOneWhereverTheStarsSitInTheirPixels() {
        for (double sigma : new double[] {0.8, 1.1, 1.6}) {
            Field f = field(sigma, 7);
            float[][] noise = new float[1][];
            float[][] flux = measure(f, f.stars(), noise);
            double fitted = Crowding.fitSigma(f.stars(), RADII, flux, noise[0], new ScienceRegion(1, f.w(), 1,
                    f.h()), f.w());
            assertEquals(sigma, fitted, 0.03 * sigma, "PSF width");
        }
    }

    private record Crowded(Field f, Star faint, Star bright) {
    }

    /**
     * The isolated field of seed 8, and in it a faint star 5.3 px from a star 16 times brighter (3 magnitudes), as
     * in the independent sector's lost planet.
     */
    private static Crowded crowded(double sigma) {
        Field f = field(sigma, 8);
        Star faint = new Star("faint", 0, 0, 0, 120.4, 185.2, Double.NaN, 5000, 0);
        Star bright = new Star("bright", 0, 0, 0, 125.4, 183.4, Double.NaN, 80_000, 0);
        render(f.img(), f.w(), f.h(), faint.x(), faint.y(), faint.flux(), sigma);
        render(f.img(), f.w(), f.h(), bright.x(), bright.y(), bright.flux(), sigma);
        return new Crowded(f, faint, bright);
    }

    @Test
    void aNeighboursLightInAnApertureIsWhatWasRenderedThere() {
        double sigma = 1.1;
        Crowded c0 = crowded(sigma);
        Field f = c0.f();
        Star faint = c0.faint();
        Star bright = c0.bright();
        List<Star> stars = new ArrayList<>(f.stars());
        stars.add(faint);
        stars.add(bright);
        float[][] noise = new float[1][];
        float[][] flux = measure(f, stars, noise);
        ScienceRegion region = new ScienceRegion(1, f.w(), 1, f.h());
        Crowding.Result c = Crowding.of(stars, RADII, flux, noise[0], region, f.w());
        assertEquals(sigma, c.sigma(), 0.03 * sigma);
        int i = stars.size() - 2;
        for (int k = 0; k < RADII.length; k++) {
            // what the bright star alone puts in the faint one's aperture, rendered and measured the same way
            float[] alone = new float[f.w() * f.h()];
            render(alone, f.w(), f.h(), bright.x(), bright.y(), bright.flux(), sigma);
            double r = RADII[k];
            double truth = 0;
            Crowding.Aperture ap = Crowding.Aperture.of(faint.x(), faint.y(), r, region, f.w());
            for (int m = 0; m < ap.pixels().length; m++) {
                truth += ap.weights()[m] * alone[ap.pixels()[m]];
            }
            assertEquals(truth, c.contamination()[i][k], 0.1 * truth + 5, "r = " + r);
        }
        assertTrue(c.contamination()[i][5] > 0.5 * faint.flux(), "at 3.5 px the neighbour's light outweighs the star");
        // the isolated stars see nothing of anyone's
        for (int s = 0; s < f.stars().size(); s++) {
            assertEquals(0, c.contamination()[s][5], 1e-3 * f.stars().get(s).flux());
        }

        // the faint star's aperture: sized for signal-to-noise alone it reached 3.5 px over its neighbour; the
        // isolated stars keep the aperture they had
        MedianStack.Result ref = new MedianStack.Result(f.img(), f.h(), f.w(), 0.5);
        FramePhotometry.Sized result = FramePhotometry.sizeApertures(stars, ref, region, RADII, 2, 4, 1000);
        assertEquals(sigma, result.psfSigma(), 0.03 * sigma);
        List<Star> sized = result.stars();
        assertTrue(sized.get(i).radius() <= 2.0, "the faint star's radius " + sized.get(i).radius());
        // its crowding (SPOC's CROWDSAP) against the rendered light: its own in the chosen aperture over all of it
        double r = sized.get(i).radius();
        Crowding.Aperture ap = Crowding.Aperture.of(faint.x(), faint.y(), r, region, f.w());
        float[] own = new float[f.w() * f.h()];
        float[] theirs = new float[f.w() * f.h()];
        render(own, f.w(), f.h(), faint.x(), faint.y(), faint.flux(), sigma);
        render(theirs, f.w(), f.h(), bright.x(), bright.y(), bright.flux(), sigma);
        double mine = 0;
        double all = 0;
        for (int m = 0; m < ap.pixels().length; m++) {
            mine += ap.weights()[m] * own[ap.pixels()[m]];
            all += ap.weights()[m] * (own[ap.pixels()[m]] + theirs[ap.pixels()[m]]);
        }
        assertEquals(mine / all, sized.get(i).crowding(), 0.02, "crowding at r = " + r);
        assertTrue(mine / all < 0.99, "the neighbour is in the aperture still: " + mine / all);
        List<Star> alone = FramePhotometry.sizeApertures(f.stars(), ref, region, RADII, 2, 4, 1000).stars();
        for (int s = 0; s < f.stars().size(); s++) {
            assertEquals(alone.get(s).radius(), sized.get(s).radius(), 1e-9, f.stars().get(s).toString());
            assertEquals(1, sized.get(s).crowding(), 1e-3, f.stars().get(s).toString());
        }
    }

    @Test
    void aNeighbourThatTheTargetsLeaveOutLendsItsLightAllTheSame() {
        double sigma = 1.1;
        Crowded pair = crowded(sigma);
        Field f = pair.f();
        ScienceRegion region = new ScienceRegion(1, f.w(), 1, f.h());
        MedianStack.Result ref = new MedianStack.Result(f.img(), f.h(), f.w(), 0.5);
        // the table lists the faint star alone, placed 0.3 px off (a WCS's error); the reference shows all 32
        Star target = new Star("target", 0, 0, 0, pair.faint().x() + 0.3, pair.faint().y() - 0.2, 14.0, Double.NaN,
                0);
        Star bright = pair.bright();
        List<Star> found = StarFinder.find(ref, region, 5, 1000, 2, 3).stream()
                .map(p -> new Star("found", 0, 0, 0, p.x(), p.y(), Double.NaN, p.flux(), 0)).toList();
        assertEquals(32, found.size(), "the finder sees every star");
        List<Star> unlisted = Crowding.unlisted(List.of(target), found, 2);
        assertEquals(31, unlisted.size(), "the target is found where it was placed; the others are not listed");
        assertTrue(unlisted.stream().anyMatch(u -> Math.hypot(u.x() - bright.x(), u.y() - bright.y()) < 0.5));

        // the table alone: no star to fit the PSF on, no model, the aperture drawn over the neighbour
        FramePhotometry.Sized alone = FramePhotometry.sizeApertures(List.of(target), ref, region, RADII, 2, 4, 1000);
        assertTrue(Double.isNaN(alone.psfSigma()));
        assertTrue(Double.isNaN(alone.stars().get(0).crowding()));
        assertEquals(3.5, alone.stars().get(0).radius(), 1e-9);
        // with the stars the table leaves out: the PSF fitted on them, the aperture and crowding as if all were listed
        FramePhotometry.Sized among = FramePhotometry.sizeApertures(List.of(target), unlisted, ref, region, RADII, 2,
                4, 1000);
        assertEquals(sigma, among.psfSigma(), 0.03 * sigma);
        assertEquals(1, among.stars().size(), "only the targets come back");
        Star t = among.stars().get(0);
        assertEquals("target", t.id());
        assertTrue(t.radius() <= 2.0, "radius " + t.radius());
        assertTrue(t.crowding() < 0.99, "crowding " + t.crowding());
        List<Star> all = new ArrayList<>(f.stars());
        all.add(target);
        all.add(bright);
        Star listed = FramePhotometry.sizeApertures(all, ref, region, RADII, 2, 4, 1000).stars().get(all.size() - 2);
        assertEquals(listed.radius(), t.radius(), 1e-9);
        assertEquals(listed.crowding(), t.crowding(), 0.02);
    }

    @Test
    void aDecontaminatedTransitHasTheStarsOwnDepth() {
        // the star: 1,000 e-/s with a 1% transit; a neighbour puts 1,500 e-/s more in its aperture (crowding 0.4)
        int n = 1000;
        double[] flux = new double[n];
        boolean[] use = new boolean[n];
        for (int i = 0; i < n; i++) {
            double own = 1000 * (i % 100 < 5 ? 0.99 : 1);
            flux[i] = own + 1500;
            use[i] = i != 7;
        }
        flux[7] = Double.NaN;
        double[] clean = Crowding.decontaminate(flux, use, 0.4);
        double out = clean[50];
        double in = clean[2];
        assertEquals(0.01, 1 - in / out, 1e-9, "the depth after: the star's own");
        assertEquals(0.004, 1 - flux[2] / flux[50], 1e-9, "before: diluted 2.5 times");
        assertTrue(Double.isNaN(clean[7]));
        // not known, isolated, or a model that takes most of the light for neighbours: left as measured
        for (double c : new double[] {Double.NaN, 1, Crowding.MIN_CORRECTED / 2}) {
            assertEquals(flux[50], Crowding.decontaminate(flux, use, c)[50], 0, "crowding " + c);
        }
    }

    @Test
    void aStarNotMeasuredOnTheReferenceLendsNoLightAndNoNan() {
        Field f = field(1.1, 9);
        float[][] noise = new float[1][];
        float[][] flux = measure(f, f.stars(), noise);
        ScienceRegion region = new ScienceRegion(1, f.w(), 1, f.h());
        List<Star> stars = new ArrayList<>(f.stars());
        // a neighbour 4 px from star 0 whose reference flux is NaN (a NaN pixel in its aperture)
        stars.add(new Star("nan", 0, 0, 0, stars.get(0).x() + 4, stars.get(0).y(), Double.NaN, 0, 0));
        float[][] with = new float[RADII.length][];
        for (int k = 0; k < RADII.length; k++) {
            with[k] = java.util.Arrays.copyOf(flux[k], stars.size());
            with[k][stars.size() - 1] = Float.NaN;
        }
        float[] n = java.util.Arrays.copyOf(noise[0], stars.size());
        Crowding.Result c = Crowding.of(stars, RADII, with, n, region, f.w());
        for (int i = 0; i < stars.size(); i++) {
            for (int k = 0; k < RADII.length; k++) {
                assertTrue(Double.isFinite(c.contamination()[i][k]), stars.get(i) + " r " + RADII[k]);
            }
        }
        assertEquals(0, c.contamination()[0][RADII.length - 1], 1e-6);
    }
}
