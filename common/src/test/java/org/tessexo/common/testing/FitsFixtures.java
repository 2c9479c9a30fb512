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

    /** The shared real TESS files (system property tess.data.dir, set by the build). */
    public static Path realData() {
        String dir = System.getProperty("tess.data.dir", "../../shared/data/tess");
        return Path.of(dir);
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
