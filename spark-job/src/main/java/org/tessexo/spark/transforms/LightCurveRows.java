package org.tessexo.spark.transforms;

import org.apache.spark.api.java.function.Function;
import org.apache.spark.broadcast.Broadcast;
import org.tessexo.common.photometry.PointingDecorrelation;
import org.tessexo.common.photometry.Star;
import scala.Tuple2;

import java.util.ArrayList;
import java.util.List;

/**
 * The corner turn's last step: one star's blocks of cadences, gathered from every task, merged and sorted by time
 * into the row of {@code lightcurves/} (the layout {@code search} reads: {@code org.tessexo.spark.io
 * .ParquetLightCurves}). The aperture flux is kept as {@code sap_flux}; {@code flux} is it corrected for the
 * pointing ({@link PointingDecorrelation}), and is what {@code search} reads.
 */
public final class LightCurveRows implements Function<Tuple2<Long, Iterable<CadenceBlock>>, LightCurveRecord> {
    private static final long serialVersionUID = 1L;

    private final Broadcast<List<StarField>> fields;

    public LightCurveRows(Broadcast<List<StarField>> fields) {
        this.fields = fields;
    }

    @Override
    public LightCurveRecord call(Tuple2<Long, Iterable<CadenceBlock>> star) {
        StarField field = fields.value().get(PhotometryFn.group(star._1()));
        Star s = field.stars().get(PhotometryFn.star(star._1()));
        List<CadenceBlock> blocks = new ArrayList<>();
        int n = 0;
        for (CadenceBlock b : star._2()) {
            blocks.add(b);
            n += b.size();
        }
        // (block, index) of each cadence, in time order
        long[] order = new long[n];
        double[] keys = new double[n];
        int k = 0;
        for (int b = 0; b < blocks.size(); b++) {
            for (int i = 0; i < blocks.get(b).size(); i++) {
                order[k] = ((long) b << 32) | i;
                keys[k] = blocks.get(b).time[i];
                k++;
            }
        }
        Integer[] idx = new Integer[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        java.util.Arrays.sort(idx, (a, c) -> Double.compare(keys[a], keys[c]));
        CadenceBlock all = new CadenceBlock(n);
        for (int j = 0; j < n; j++) {
            long o = order[idx[j]];
            CadenceBlock b = blocks.get((int) (o >>> 32));
            int i = (int) o;
            all.time[j] = b.time[i];
            all.flux[j] = b.flux[i];
            all.error[j] = b.error[i];
            all.background[j] = b.background[i];
            all.centroidX[j] = b.centroidX[i];
            all.centroidY[j] = b.centroidY[i];
            all.pointingX[j] = b.pointingX[i];
            all.pointingY[j] = b.pointingY[i];
            all.quality[j] = b.quality[i];
        }
        double[] raw = new double[n];
        double[] px = new double[n];
        double[] py = new double[n];
        boolean[] use = new boolean[n];
        for (int i = 0; i < n; i++) {
            raw[i] = all.flux[i];
            px[i] = all.pointingX[i];
            py[i] = all.pointingY[i];
            use[i] = all.quality[i] == 0 && Float.isFinite(all.flux[i]);
        }
        double[] corrected = PointingDecorrelation.correct(all.time, raw, px, py, use);
        float[] flux = new float[n];
        for (int i = 0; i < n; i++) {
            flux[i] = (float) corrected[i];
        }
        var info = field.reference();
        LightCurveRecord r = new LightCurveRecord();
        r.setId(s.id());
        r.setTic(s.tic() > 0 ? s.tic() : null);
        r.setSector(info.sector());
        r.setCamera(info.camera());
        r.setCcd(info.ccd());
        r.setRa(s.ra());
        r.setDec(s.dec());
        r.setX(s.x());
        r.setY(s.y());
        r.setTmag(Double.isNaN(s.mag()) ? null : s.mag());
        r.setAperturePx(s.radius());
        r.setReferenceFlux(s.flux());
        r.setTime(all.time);
        r.setFlux(flux);
        r.setSapFlux(all.flux);
        r.setFluxErr(all.error);
        r.setBackground(all.background);
        r.setCentroidX(all.centroidX);
        r.setCentroidY(all.centroidY);
        r.setPointingX(all.pointingX);
        r.setPointingY(all.pointingY);
        r.setQuality(all.quality);
        return r;
    }
}
