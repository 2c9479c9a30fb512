package org.tessexo.common.testing;

import nom.tam.fits.BasicHDU;
import nom.tam.fits.BinaryTable;
import nom.tam.fits.BinaryTableHDU;
import nom.tam.fits.Fits;
import nom.tam.fits.ImageData;
import nom.tam.fits.ImageHDU;
import nom.tam.fits.NullDataHDU;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/** Small FITS files written with nom-tam-fits, for decoder and pipeline tests. */
public final class FitsFixtures {
    private FitsFixtures() {
    }

    /**
     * The shared real TESS files: the system property {@code tess.data.dir} (the build sets it to
     * {@code ../shared/data/tess} beside the checkout), else {@code TESS_DATA_DIR}, else {@code shared/data/tess}
     * beside any parent folder of the working directory, else {@code /work/shared/data/tess}.
     */
    public static Path realData() {
        return shared("tess.data.dir", "TESS_DATA_DIR", "tess");
    }

    /**
     * The second batch of real photometry ({@code ../shared/data/real}: Kepler, K2, TGLC, plain-text light curves
     * and the 322 labelled TESSellator light curves): {@code tess.real.dir}, else {@code TESS_REAL_DIR}, else found
     * as {@link #realData()} is.
     */
    public static Path realPhotometry() {
        return shared("tess.real.dir", "TESS_REAL_DIR", "real");
    }

    private static Path shared(String property, String env, String folder) {
        java.util.List<Path> tried = new java.util.ArrayList<>();
        for (String c : new String[] {System.getProperty(property), System.getenv(env)}) {
            if (c != null && !c.isBlank()) {
                tried.add(Path.of(c));
            }
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            tried.add(p.resolve("shared/data/" + folder));
        }
        tried.add(Path.of("/work/shared/data/" + folder));
        for (Path p : tried) {
            if (Files.isDirectory(p)) {
                return p.toAbsolutePath().normalize();
            }
        }
        throw new IllegalStateException("The real files were not found (tried " + tried + "): run the tests with -D"
                + property + "=/path/to/shared/data/" + folder + " or " + env + " set.");
    }

    public static float[][] ramp(int h, int w) {
        float[][] a = new float[h][w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                a[y][x] = y * 1000 + x;
            }
        }
        return a;
    }

    public static ImageHDU image(Object data, String extname, Consumer<ImageHDU> edit) {
        ImageHDU hdu = ImageData.from(data).toHDU();
        if (extname != null) {
            hdu.getHeader().addValue("EXTNAME", extname, null);
        }
        if (edit != null) {
            edit.accept(hdu);
        }
        return hdu;
    }

    public static BinaryTableHDU table(String extname) {
        try {
            BinaryTable t = new BinaryTable();
            t.addColumn(new double[] {1, 2, 3});
            t.addColumn(new float[] {4, 5, 6});
            BinaryTableHDU hdu = t.toHDU();
            hdu.getHeader().addValue("EXTNAME", extname, null);
            return hdu;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static NullDataHDU emptyPrimary() {
        return new NullDataHDU();
    }

    public static byte[] bytes(BasicHDU<?>... hdus) {
        try (Fits fits = new Fits(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            for (BasicHDU<?> h : hdus) {
                fits.addHDU(h);
            }
            nom.tam.util.FitsOutputStream fo = new nom.tam.util.FitsOutputStream(out);
            fits.write(fo);
            fo.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Path write(Path file, BasicHDU<?>... hdus) throws IOException {
        Files.write(file, bytes(hdus));
        return file;
    }
}
