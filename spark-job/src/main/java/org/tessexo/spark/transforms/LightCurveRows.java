package org.tessexo.spark.transforms;

import org.apache.spark.api.java.function.Function;
import org.apache.spark.broadcast.Broadcast;
import org.tessexo.common.photometry.Crowding;
import org.tessexo.common.photometry.PointingDecorrelation;
import org.tessexo.common.photometry.Star;
import scala.Tuple2;

import java.util.ArrayList;
import java.util.Comparator;
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

    /**
     * One star's blocks as one, in time order. A task's frames come in time order (the listing's), so the blocks
     * laid end to end by their first times usually are; only when they are not are the cadences sorted.
     */
    static CadenceBlock inTimeOrder(List<CadenceBlock> blocks) {
        List<CadenceBlock> byStart = new ArrayList<>(blocks);
        byStart.removeIf(b -> b.size() == 0);
        byStart.sort(Comparator.comparingDouble(b -> b.time[0]));
        int n = 0;
        for (CadenceBlock b : byStart) {
            n += b.size();
        }
        CadenceBlock all = new CadenceBlock(n);
        int at = 0;
        for (CadenceBlock b : byStart) {
            int k = b.size();
            System.arraycopy(b.time, 0, all.time, at, k);
            System.arraycopy(b.flux, 0, all.flux, at, k);
            System.arraycopy(b.error, 0, all.error, at, k);
            System.arraycopy(b.background, 0, all.background, at, k);
            System.arraycopy(b.centroidX, 0, all.centroidX, at, k);
            System.arraycopy(b.centroidY, 0, all.centroidY, at, k);
            System.arraycopy(b.pointingX, 0, all.pointingX, at, k);
            System.arraycopy(b.pointingY, 0, all.pointingY, at, k);
            System.arraycopy(b.quality, 0, all.quality, at, k);
            at += k;
        }
        for (int i = 1; i < n; i++) {
            if (all.time[i] < all.time[i - 1]) {
                return sorted(all);
            }
        }
        return all;
    }

    /** The cadences sorted by time (a stable sort: equal times keep their order). */
    private static CadenceBlock sorted(CadenceBlock in) {
        int n = in.size();
        Integer[] idx = new Integer[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        java.util.Arrays.sort(idx, (a, c) -> Double.compare(in.time[a], in.time[c]));
        CadenceBlock all = new CadenceBlock(n);
        for (int j = 0; j < n; j++) {
            int i = idx[j];
            all.time[j] = in.time[i];
            all.flux[j] = in.flux[i];
            all.error[j] = in.error[i];
            all.background[j] = in.background[i];
            all.centroidX[j] = in.centroidX[i];
            all.centroidY[j] = in.centroidY[i];
            all.pointingX[j] = in.pointingX[i];
            all.pointingY[j] = in.pointingY[i];
            all.quality[j] = in.quality[i];
        }
        return all;
    }

    @Override
    public LightCurveRecord call(Tuple2<Long, Iterable<CadenceBlock>> star) {
        StarField field = fields.value().get(PhotometryFn.group(star._1()));
        Star s = field.stars().get(PhotometryFn.star(star._1()));
        List<CadenceBlock> blocks = new ArrayList<>();
        for (CadenceBlock b : star._2()) {
            blocks.add(b);
        }
        CadenceBlock all = inTimeOrder(blocks);
        int n = all.size();
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
        double[] corrected = Crowding.decontaminate(PointingDecorrelation.correct(all.time, raw, px, py, use), use,
                s.crowding());
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
        r.setCrowding(Double.isNaN(s.crowding()) ? null : s.crowding());
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
