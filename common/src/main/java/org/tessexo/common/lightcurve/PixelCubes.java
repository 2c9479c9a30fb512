package org.tessexo.common.lightcurve;

import nom.tam.fits.BasicHDU;
import nom.tam.fits.BinaryTableHDU;
import nom.tam.fits.Fits;
import nom.tam.fits.Header;
import nom.tam.fits.ImageHDU;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.List;

/**
 * Stacks of FFI pixels around one star, as the {@code photometry} command measures them: a target pixel file or a
 * TESScut/astrocut cutout (a {@code PIXELS} table, or any table with an image {@code FLUX} column, and its
 * {@code TIME} and {@code QUALITY}), or a TGLC light curve (its primary HDU a pixel cube, one plane per row of its
 * light-curve table, whose {@code time} and {@code TESS_flags} it takes). Times are put in BTJD.
 */
public final class PixelCubes {
    public static final String NO_CUBE = "no pixel cube";

    private PixelCubes() {
    }

    /**
     * The cube of one file, or why there is none.
     *
     * @param planes          [cadence][row][column], the file's values (NaN kept)
     * @param exposureSeconds one cadence's time on the sky: EXPOSURE, else 80% of TIMEDEL (TESS's duty cycle),
     *                        else of the median step between times
     * @param ra              the target's RA_OBJ / DEC_OBJ (degrees), NaN when absent
     */
    public record Cube(float[][][] planes, double[] time, int[] quality, LightCurve.Target target, double ra,
                       double dec, double exposureSeconds, String kind, String reason, String detail) {
        static Cube none(String reason, String detail) {
            return new Cube(null, null, null, null, Double.NaN, Double.NaN, 0, "", reason, detail);
        }

        public boolean ok() {
            return planes != null;
        }
    }

    public static Cube read(byte[] file, String fileName) {
        List<BasicHDU<?>> hdus = new ArrayList<>();
        try (Fits f = new Fits(new ByteArrayInputStream(file))) {
            for (BasicHDU<?> h = f.readHDU(); h != null; h = f.readHDU()) {
                hdus.add(h);
            }
        } catch (IOException | RuntimeException e) {
            if (hdus.isEmpty()) {
                return Cube.none(LightCurveReader.UNREADABLE, e.getClass().getSimpleName() + ": " + e.getMessage());
            }
        }
        if (hdus.isEmpty()) {
            return Cube.none(LightCurveReader.UNREADABLE, "no HDU");
        }
        try {
            Header primary = hdus.get(0).getHeader();
            BinaryTableHDU pixels = LightCurveReader.table(hdus, "PIXELS");
            if (pixels == null) {
                pixels = LightCurveReader.tableWithImageFlux(hdus);
            }
            if (pixels != null) {
                return fromPixelTable(pixels, primary, fileName);
            }
            ImageHDU cube = null;
            for (BasicHDU<?> h : hdus) {
                if (h instanceof ImageHDU img && img.getAxes() != null && img.getAxes().length == 3) {
                    cube = img;
                    break;
                }
            }
            BinaryTableHDU table = null;
            for (BasicHDU<?> h : hdus) {
                if (h instanceof BinaryTableHDU t && LightCurveReader.Columns.of(t).find(
                        LightCurveReader.TIME_COLUMNS) >= 0) {
                    table = t;
                    break;
                }
            }
            if (cube == null || table == null) {
                return Cube.none(NO_CUBE, "neither a PIXELS table nor a 3-D image with a table of times");
            }
            return fromImageCube(cube, table, primary, fileName);
        } catch (RuntimeException e) {
            return Cube.none(LightCurveReader.UNREADABLE, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private static Cube fromPixelTable(BinaryTableHDU t, Header primary, String fileName) {
        if (t.getNRows() == 0) {
            return Cube.none(LightCurveReader.NO_CADENCES, "PIXELS table with no rows");
        }
        return stack(t.getColumn(LightCurveReader.Columns.of(t).find(List.of("FLUX"))), t, primary, fileName,
                "pixel table");
    }

    private static Cube fromImageCube(ImageHDU img, BinaryTableHDU t, Header primary, String fileName) {
        Object data = img.getKernel();
        int n = Array.getLength(data);
        if (t.getNRows() != n) {
            return Cube.none(NO_CUBE, "a cube of " + n + " planes beside a table of " + t.getNRows() + " times");
        }
        return stack(data, t, primary, fileName, "image cube");
    }

    /** The planes of {@code data} (one per row of {@code t}), with the table's times in BTJD and its quality. */
    private static Cube stack(Object data, BinaryTableHDU t, Header primary, String fileName, String kind) {
        int n = t.getNRows();
        LightCurveReader.Columns cols = LightCurveReader.Columns.of(t);
        double[] time = LightCurveReader.doubles(t, cols.find(LightCurveReader.TIME_COLUMNS));
        TimeSystem.Conversion conversion = TimeSystem.toBtjd(primary, t.getHeader(), time);
        if (conversion.problem() != null) {
            return Cube.none(LightCurveReader.BAD_TIME, conversion.problem());
        }
        TimeSystem.apply(time, conversion);
        float[][][] planes = new float[n][][];
        for (int i = 0; i < n; i++) {
            planes[i] = AperturePhotometry.image(Array.get(data, i));
        }
        int q = cols.find(LightCurveReader.QUALITY_COLUMNS);
        int[] quality = q >= 0 ? LightCurveReader.ints(t, q) : new int[n];
        return finish(planes, time, quality, primary, t.getHeader(), fileName, kind, conversion.system());
    }

    private static Cube finish(float[][][] planes, double[] time, int[] quality, Header primary, Header table,
                               String fileName, String kind, String system) {
        LightCurve.Target target = LightCurveReader.target(primary, table, "FLUX").withTimeSystem(system);
        if (target.name().isEmpty()) {
            target = target.withName(TargetNames.fromFileName(fileName));
        }
        double exposure = card(primary, table, "EXPOSURE") * 86400;
        if (!(exposure > 0)) {
            double step = card(primary, table, "TIMEDEL");
            if (!(step > 0) && time.length > 1) {
                double[] d = new double[time.length - 1];
                int m = 0;
                for (int i = 1; i < time.length; i++) {
                    if (Double.isFinite(time[i]) && Double.isFinite(time[i - 1])) {
                        d[m++] = time[i] - time[i - 1];
                    }
                }
                step = org.tessexo.common.stats.RobustStats.median(d, m);
            }
            exposure = 0.8 * step * 86400;
        }
        return new Cube(planes, time, quality, target, card(primary, table, "RA_OBJ"), card(primary, table,
                "DEC_OBJ"), exposure, kind, "", "");
    }

    private static double card(Header a, Header b, String key) {
        for (Header h : new Header[] {b, a}) {
            if (h != null && h.containsKey(key)) {
                return h.getDoubleValue(key, Double.NaN);
            }
        }
        return Double.NaN;
    }
}
