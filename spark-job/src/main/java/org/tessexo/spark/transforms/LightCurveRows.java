package org.tessexo.spark.transforms;

import org.apache.spark.api.java.function.Function;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.tessexo.common.photometry.PointingDecorrelation;
import org.tessexo.common.photometry.Star;
import scala.Tuple2;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The corner turn's last step: one star's cadences, gathered from every frame, sorted by time into the row of
 * {@code lightcurves/} (the layout {@code search} reads: {@code org.tessexo.spark.io.ParquetLightCurves}). The
 * aperture flux is kept as {@code sap_flux}; {@code flux} is it corrected for the pointing
 * ({@link PointingDecorrelation}), and is what {@code search} reads.
 */
public final class LightCurveRows implements Function<Tuple2<Long, Iterable<Cadence>>, Row> {
    private static final long serialVersionUID = 1L;

    /** One row per star: who and where it is, then its series as arrays of equal length. */
    public static final StructType SCHEMA = new StructType()
            .add("id", DataTypes.StringType, false)
            .add("tic", DataTypes.LongType, true)
            .add("sector", DataTypes.IntegerType, false)
            .add("camera", DataTypes.IntegerType, false)
            .add("ccd", DataTypes.IntegerType, false)
            .add("ra", DataTypes.DoubleType, false)
            .add("dec", DataTypes.DoubleType, false)
            .add("x", DataTypes.DoubleType, false)
            .add("y", DataTypes.DoubleType, false)
            .add("tmag", DataTypes.DoubleType, true)
            .add("aperture_px", DataTypes.DoubleType, false)
            .add("reference_flux", DataTypes.DoubleType, false)
            .add("time", DataTypes.createArrayType(DataTypes.DoubleType, false), false)
            .add("flux", DataTypes.createArrayType(DataTypes.FloatType, true), false)
            .add("sap_flux", DataTypes.createArrayType(DataTypes.FloatType, true), false)
            .add("flux_err", DataTypes.createArrayType(DataTypes.FloatType, true), false)
            .add("background", DataTypes.createArrayType(DataTypes.FloatType, true), false)
            .add("centroid_x", DataTypes.createArrayType(DataTypes.FloatType, true), false)
            .add("centroid_y", DataTypes.createArrayType(DataTypes.FloatType, true), false)
            .add("pointing_x", DataTypes.createArrayType(DataTypes.FloatType, true), false)
            .add("pointing_y", DataTypes.createArrayType(DataTypes.FloatType, true), false)
            .add("quality", DataTypes.createArrayType(DataTypes.IntegerType, false), false);

    private final Broadcast<List<StarField>> fields;

    public LightCurveRows(Broadcast<List<StarField>> fields) {
        this.fields = fields;
    }

    @Override
    public Row call(Tuple2<Long, Iterable<Cadence>> star) {
        StarField field = fields.value().get(PhotometryFn.group(star._1()));
        Star s = field.stars().get(PhotometryFn.star(star._1()));
        List<Cadence> all = new ArrayList<>();
        star._2().forEach(all::add);
        all.sort(Comparator.comparingDouble(c -> c.time));
        int n = all.size();
        double[] t = new double[n];
        double[] raw = new double[n];
        double[] px = new double[n];
        double[] py = new double[n];
        boolean[] use = new boolean[n];
        for (int i = 0; i < n; i++) {
            Cadence c = all.get(i);
            t[i] = c.time;
            raw[i] = c.flux;
            px[i] = c.pointingX;
            py[i] = c.pointingY;
            use[i] = c.quality == 0 && Float.isFinite(c.flux);
        }
        double[] corrected = PointingDecorrelation.correct(t, raw, px, py, use);
        Double[] time = new Double[n];
        Float[] flux = new Float[n];
        Float[] sap = new Float[n];
        Float[] err = new Float[n];
        Float[] bkg = new Float[n];
        Float[] cx = new Float[n];
        Float[] cy = new Float[n];
        Float[] pointX = new Float[n];
        Float[] pointY = new Float[n];
        Integer[] quality = new Integer[n];
        for (int i = 0; i < n; i++) {
            Cadence c = all.get(i);
            time[i] = c.time;
            flux[i] = nullIfNaN((float) corrected[i]);
            sap[i] = nullIfNaN(c.flux);
            err[i] = nullIfNaN(c.error);
            bkg[i] = nullIfNaN(c.background);
            cx[i] = nullIfNaN(c.centroidX);
            cy[i] = nullIfNaN(c.centroidY);
            pointX[i] = nullIfNaN(c.pointingX);
            pointY[i] = nullIfNaN(c.pointingY);
            quality[i] = c.quality;
        }
        var info = field.reference();
        return RowFactory.create(s.id(), s.tic() > 0 ? s.tic() : null, info.sector(), info.camera(), info.ccd(),
                s.ra(), s.dec(), s.x(), s.y(), Double.isNaN(s.mag()) ? null : s.mag(), s.radius(), s.flux(), time,
                flux, sap, err, bkg, cx, cy, pointX, pointY, quality);
    }

    /** A measurement that could not be made is a null element (ParquetLightCurves reads it as NaN). */
    private static Float nullIfNaN(float v) {
        return Float.isNaN(v) ? null : v;
    }
}
