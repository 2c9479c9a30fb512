package org.tessexo.common.lightcurve;

import nom.tam.fits.BinaryTableHDU;
import nom.tam.fits.FitsException;
import nom.tam.fits.Header;
import nom.tam.fits.ImageHDU;
import org.tessexo.common.stats.RobustStats;

import java.lang.reflect.Array;

/**
 * Simple aperture photometry of a target pixel file or a TESScut cutout: per cadence, the sum of FLUX over the
 * aperture pixels minus the background.
 * <ul>
 *   <li>Aperture: the file's {@code APERTURE} pixels with bit 2 set (SPOC: "in the optimal aperture"). When none
 *   is (TESScut cutouts mark no optimal aperture), the pixel of the highest median flux and its 8 neighbours.</li>
 *   <li>Background: the median, per cadence, of the pixels outside the aperture, times the aperture's pixel count.
 *   SPOC target pixel files are already background-subtracted, so there it removes only a residual; calibrated FFIs,
 *   and so TESScut cutouts, are not. With fewer than 4 pixels outside the aperture nothing is subtracted.</li>
 *   <li>Error: the aperture pixels' FLUX_ERR added in quadrature, when the file has it.</li>
 * </ul>
 */
public final class AperturePhotometry {
    static final int OPTIMAL_APERTURE_BIT = 2;

    private AperturePhotometry() {
    }

    static LightCurveReader.Result fromPixels(BinaryTableHDU t, ImageHDU apertureHdu, Header primary)
            throws FitsException {
        if (t.getNRows() == 0) {
            return LightCurveReader.Result.none(LightCurveReader.NO_CADENCES, "PIXELS table with no rows");
        }
        double[] time = LightCurveReader.doubles(t, "TIME");
        TimeSystem.Conversion conversion = TimeSystem.toBtjd(primary, t.getHeader(), time);
        if (conversion.problem() != null) {
            return LightCurveReader.Result.none(LightCurveReader.BAD_TIME, conversion.problem());
        }
        TimeSystem.apply(time, conversion);
        Object fluxCol = t.getColumn(t.findColumn("FLUX"));
        int n = Array.getLength(fluxCol);
        float[][][] cube = new float[n][][];
        for (int i = 0; i < n; i++) {
            cube[i] = image(Array.get(fluxCol, i));
        }
        float[][][] errCube = null;
        if (t.findColumn("FLUX_ERR") >= 0) {
            Object errCol = t.getColumn(t.findColumn("FLUX_ERR"));
            errCube = new float[n][][];
            for (int i = 0; i < n; i++) {
                errCube[i] = image(Array.get(errCol, i));
            }
        }
        int ny = cube[0].length;
        int nx = cube[0][0].length;
        boolean[][] in = aperture(apertureHdu, cube, ny, nx);
        int nIn = 0;
        for (boolean[] r : in) {
            for (boolean b : r) {
                nIn += b ? 1 : 0;
            }
        }
        int nOut = ny * nx - nIn;
        double[] flux = new double[n];
        double[] err = new double[n];
        double[] outside = new double[Math.max(nOut, 1)];
        for (int i = 0; i < n; i++) {
            double sum = 0;
            double var = 0;
            int k = 0;
            for (int y = 0; y < ny; y++) {
                for (int x = 0; x < nx; x++) {
                    float v = cube[i][y][x];
                    if (in[y][x]) {
                        sum += v;
                        if (errCube != null) {
                            var += (double) errCube[i][y][x] * errCube[i][y][x];
                        }
                    } else if (Float.isFinite(v)) {
                        outside[k++] = v;
                    }
                }
            }
            double background = k >= 4 ? RobustStats.median(outside, k) * nIn : 0;
            flux[i] = sum - background;
            err[i] = errCube == null ? Double.NaN : Math.sqrt(var);
        }
        int[] quality = t.findColumn("QUALITY") >= 0 ? LightCurveReader.ints(t, "QUALITY") : new int[n];
        LightCurve.Target target = LightCurveReader.target(primary, t.getHeader(), "SAP(" + nIn + " px)");
        return new LightCurveReader.Result(new LightCurve(time, flux, err, quality, target), "",
                conversion.note());
    }

    private static boolean[][] aperture(ImageHDU hdu, float[][][] cube, int ny, int nx) {
        boolean[][] in = new boolean[ny][nx];
        int count = 0;
        if (hdu != null) {
            Object data = hdu.getData().getData();
            if (data != null && Array.getLength(data) == ny && Array.getLength(Array.get(data, 0)) == nx) {
                for (int y = 0; y < ny; y++) {
                    Object row = Array.get(data, y);
                    for (int x = 0; x < nx; x++) {
                        long bits = ((Number) Array.get(row, x)).longValue();
                        in[y][x] = (bits & OPTIMAL_APERTURE_BIT) != 0;
                        count += in[y][x] ? 1 : 0;
                    }
                }
            }
        }
        if (count > 0) {
            return in;
        }
        // No optimal aperture marked: the brightest pixel of the median image and its neighbours.
        double[] series = new double[cube.length];
        int by = 0;
        int bx = 0;
        double best = Double.NEGATIVE_INFINITY;
        for (int y = 0; y < ny; y++) {
            for (int x = 0; x < nx; x++) {
                int k = 0;
                for (float[][] frame : cube) {
                    if (Float.isFinite(frame[y][x])) {
                        series[k++] = frame[y][x];
                    }
                }
                double m = k == 0 ? Double.NEGATIVE_INFINITY : RobustStats.median(series, k);
                if (m > best) {
                    best = m;
                    by = y;
                    bx = x;
                }
            }
        }
        for (int y = Math.max(0, by - 1); y <= Math.min(ny - 1, by + 1); y++) {
            for (int x = Math.max(0, bx - 1); x <= Math.min(nx - 1, bx + 1); x++) {
                in[y][x] = true;
            }
        }
        return in;
    }

    /** A row of a FLUX column as a 2-D float image (nom-tam-fits gives float[ny][nx], or float[n] for 1 x n). */
    static float[][] image(Object cell) {
        if (cell instanceof float[][] f) {
            return f;
        }
        if (cell instanceof float[] f) {
            return new float[][] {f};
        }
        if (cell instanceof double[][] d) {
            float[][] f = new float[d.length][];
            for (int y = 0; y < d.length; y++) {
                f[y] = new float[d[y].length];
                for (int x = 0; x < d[y].length; x++) {
                    f[y][x] = (float) d[y][x];
                }
            }
            return f;
        }
        if (cell instanceof Number v) {
            return new float[][] {{v.floatValue()}};
        }
        throw new IllegalStateException("FLUX cells of type " + (cell == null ? "null" : cell.getClass()));
    }
}
