package org.tessexo.common.demo;

import nom.tam.fits.BasicHDU;
import nom.tam.fits.FitsException;
import nom.tam.fits.Header;
import nom.tam.fits.ImageData;
import nom.tam.fits.ImageHDU;
import nom.tam.fits.NullDataHDU;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Writes the built-in sample data set: reduced-size, TESS-like calibrated FFIs for a real two-class problem,
 * scattered light. TESS's cameras see stray light from the Earth and Moon as a smooth glow rising from one edge or
 * corner of the CCD (sector 1 flags 692 of its 20,512 FFIs with DQUALITY bit 2048 for it); frames with the glow
 * are class 1, clean frames class 0.
 *
 * <p>Each file has the layout of a real {@code *-s_ffic.fits}: a header-only primary HDU with TESS cards, the
 * calibrated IMAGE (float32: sky background, a star field shared by all frames with Gaussian PSFs, noise, a few NaN
 * pixels, virtual columns and rows outside the science region named by SCCSA/SCCED/SCIROWS/SCIROWE) and an
 * uncertainty IMAGE. Clean frames get a background level that varies from frame to frame and a faint tilt well
 * below the noise, so "any gradient" is not the answer; glowing frames get a glow whose strength, reach and edge
 * vary. {@code labels.csv} beside the {@code ffi/} folder names each file with its label. The same seed writes the
 * same files.
 */
public final class DemoDataGenerator {
    public static final String FFI_DIR = "ffi";
    public static final String LABELS_FILE = "labels.csv";
    /** Columns left and right of the science region, rows above it: the real FFI has 44 / 44 and 30. */
    static final int LEFT_VIRTUAL = 6;
    static final int RIGHT_VIRTUAL = 6;
    static final int TOP_VIRTUAL = 4;

    private DemoDataGenerator() {
    }

    public record Summary(Path ffiDir, Path labels, int files, int positives) {
    }

    /** Writes the data set under {@code dir} unless its labels file is already there. */
    public static Summary ensure(Path dir, int files, int height, int width, long seed) {
        Path labels = dir.resolve(LABELS_FILE);
        Path ffi = dir.resolve(FFI_DIR);
        if (Files.exists(labels)) {
            try (var lines = Files.lines(labels)) {
                List<String> rows = lines.skip(1).filter(l -> !l.isBlank()).toList();
                int pos = (int) rows.stream().filter(l -> l.endsWith(",1")).count();
                return new Summary(ffi, labels, rows.size(), pos);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return generate(dir, files, height, width, seed);
    }

    public static Summary generate(Path dir, int files, int height, int width, long seed) {
        try {
            Path ffi = dir.resolve(FFI_DIR);
            Files.createDirectories(ffi);
            Random rng = new Random(seed);
            int sciW = width - LEFT_VIRTUAL - RIGHT_VIRTUAL;
            int sciH = height - TOP_VIRTUAL;
            float[][] stars = starField(rng, sciH, sciW, Math.max(50, sciW * sciH / 220));
            List<String> rows = new ArrayList<>();
            int positives = 0;
            for (int i = 0; i < files; i++) {
                boolean glow = rng.nextDouble() < 0.4;
                positives += glow ? 1 : 0;
                String name = String.format("tess%d-s0001-1-1-0120-s_ffic.fits", 2018206192942L + 3000L * i);
                float[][] image = frame(rng, stars, height, width, glow);
                write(ffi.resolve(name), image, i, glow, sciW, sciH);
                rows.add(name + "," + (glow ? 1 : 0));
            }
            Path labels = dir.resolve(LABELS_FILE);
            StringBuilder table = new StringBuilder("file,label\n");
            rows.forEach(r -> table.append(r).append('\n'));
            AtomicFiles.writeText(labels, table.toString());
            return new Summary(ffi, labels, files, positives);
        } catch (IOException | FitsException e) {
            throw new IllegalStateException("Cannot write the demo data set under " + dir + ": " + e.getMessage(), e);
        }
    }

    private static float[][] starField(Random rng, int h, int w, int count) {
        float[][] img = new float[h][w];
        int r = 4;
        for (int s = 0; s < count; s++) {
            double y = rng.nextDouble() * h;
            double x = rng.nextDouble() * w;
            double flux = Math.pow(10, 2 + 3 * rng.nextDouble());
            int iy = (int) y;
            int ix = (int) x;
            double norm = 2 * Math.PI * 0.8 * 0.8;
            for (int dy = -r; dy <= r; dy++) {
                for (int dx = -r; dx <= r; dx++) {
                    int yy = iy + dy;
                    int xx = ix + dx;
                    if (yy < 0 || xx < 0 || yy >= h || xx >= w) {
                        continue;
                    }
                    double d2 = Math.pow(yy + 0.5 - y, 2) + Math.pow(xx + 0.5 - x, 2);
                    img[yy][xx] += (float) (flux * Math.exp(-d2 / (2 * 0.8 * 0.8)) / norm);
                }
            }
        }
        return img;
    }

    private static float[][] frame(Random rng, float[][] stars, int height, int width, boolean glow) {
        int sciH = stars.length;
        int sciW = stars[0].length;
        double background = 120 + 60 * rng.nextDouble();
        // A faint tilt: at most 1 e/s from the centre to an edge, a fifth of the pixel noise.
        double tiltX = (rng.nextDouble() - 0.5) * 4 / sciW;
        double tiltY = (rng.nextDouble() - 0.5) * 4 / sciH;
        // The glow: exponential in the distance from an edge or corner point just outside the CCD.
        double amp = glow ? 12 + 50 * rng.nextDouble() : 0;
        double reach = (0.25 + 0.5 * rng.nextDouble()) * Math.max(sciW, sciH);
        int side = rng.nextInt(8);
        double gx = switch (side) {
            case 0, 4, 7 -> -0.1 * sciW;
            case 2, 5, 6 -> 1.1 * sciW;
            default -> rng.nextDouble() * sciW;
        };
        double gy = switch (side) {
            case 1, 4, 5 -> -0.1 * sciH;
            case 3, 6, 7 -> 1.1 * sciH;
            default -> rng.nextDouble() * sciH;
        };
        float[][] img = new float[height][width];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int sx = x - LEFT_VIRTUAL;
                boolean science = y < sciH && sx >= 0 && sx < sciW;
                double noise = rng.nextGaussian();
                if (!science) {
                    img[y][x] = (float) (2.0 * noise); // virtual pixels: bias removed, read noise only
                    continue;
                }
                double v = background + tiltX * (sx - sciW / 2.0) + tiltY * (y - sciH / 2.0) + stars[y][sx];
                if (amp > 0) {
                    double d = Math.hypot(sx - gx, y - gy);
                    v += amp * Math.exp(-d / reach);
                }
                img[y][x] = (float) (v + Math.sqrt(Math.max(v, 1)) * 0.4 * noise);
            }
        }
        for (int k = 0; k < 6; k++) {
            img[rng.nextInt(sciH)][LEFT_VIRTUAL + rng.nextInt(sciW)] = Float.NaN;
        }
        return img;
    }

    private static void write(Path file, float[][] image, int index, boolean glow, int sciW, int sciH)
            throws IOException, FitsException {
        NullDataHDU primary = new NullDataHDU();
        Header p = primary.getHeader();
        p.addValue("ORIGIN", "tess-exo demo", "synthetic, TESS-like");
        p.addValue("TELESCOP", "TESS", "telescope");
        p.addValue("INSTRUME", "TESS Photometer", "detector type");
        p.addValue("SECTOR", 1, "observing sector");
        p.addValue("CAMERA", 1, "camera number");
        p.addValue("CCD", 1, "CCD chip number");
        p.addValue("DATE-OBS", String.format("2018-07-25T19:%02d:%02d.000", (index / 60) % 60, index % 60),
                "start of observation");
        ImageHDU cal = ImageData.from(image).toHDU();
        Header c = cal.getHeader();
        c.addValue("EXTNAME", "CAMERA.CCD 1.1 cal", "extension name");
        c.addValue("BUNIT", "electrons/s", "physical units of image data");
        c.addValue("DQUALITY", glow ? 2048 : 0, "data quality flags (2048 = stray light)");
        c.addValue("SCCSA", LEFT_VIRTUAL + 1, "[pixel] start of science columns");
        c.addValue("SCCED", LEFT_VIRTUAL + sciW, "[pixel] end of science columns");
        c.addValue("SCIROWS", 1, "[pixel] start of science rows");
        c.addValue("SCIROWE", sciH, "[pixel] end of science rows");
        float[][] unc = new float[image.length][image[0].length];
        for (int y = 0; y < image.length; y++) {
            for (int x = 0; x < image[0].length; x++) {
                unc[y][x] = (float) Math.sqrt(Math.abs(image[y][x]));
            }
        }
        BasicHDU<?> uncert = ImageData.from(unc).toHDU();
        uncert.getHeader().addValue("EXTNAME", "CAMERA.CCD 1.1 uncert", "extension name");
        AtomicFiles.writeFits(file, primary, cal, uncert);
    }
}
