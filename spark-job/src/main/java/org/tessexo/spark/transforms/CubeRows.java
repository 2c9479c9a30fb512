package org.tessexo.spark.transforms;

import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tessexo.common.lightcurve.PixelCubes;
import org.tessexo.common.photometry.CubePhotometry;
import org.tessexo.spark.io.HadoopFiles;
import org.tessexo.spark.io.SerializableHadoopConf;

import java.io.IOException;
import java.util.Iterator;

/**
 * Executors: a pixel cube (TESScut, target pixel file, TGLC) measured as frames are ({@link CubePhotometry}), into
 * a row of {@code lightcurves/} with the layout {@link LightCurveRows} writes. A cube that cannot be read again (it
 * could when its headers were) gives no row, and its reason in the executor's log.
 */
public final class CubeRows implements FlatMapFunction<Iterator<FrameRow>, LightCurveRecord> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(CubeRows.class);

    private final Broadcast<SerializableHadoopConf> conf;
    private final double[] radii;

    public CubeRows(Broadcast<SerializableHadoopConf> conf, double[] radii) {
        this.conf = conf;
        this.radii = radii.clone();
    }

    @Override
    public Iterator<LightCurveRecord> call(Iterator<FrameRow> cubes) {
        return new java.util.Iterator<>() {
            private LightCurveRecord next;

            @Override
            public boolean hasNext() {
                while (next == null && cubes.hasNext()) {
                    next = one(cubes.next());
                }
                return next != null;
            }

            @Override
            public LightCurveRecord next() {
                if (!hasNext()) {
                    throw new java.util.NoSuchElementException();
                }
                LightCurveRecord r = next;
                next = null;
                return r;
            }
        };
    }

    private LightCurveRecord one(FrameRow f) {
        PixelCubes.Cube c;
        try {
            c = PixelCubes.read(HadoopFiles.readAll(f.path(), conf.value().get()), f.path());
        } catch (IOException | RuntimeException e) {
            LOG.warn("{}: not measured: {}", f.path(), e.toString());
            return null;
        }
        if (!c.ok()) {
            LOG.warn("{}: not measured: {}: {}", f.path(), c.reason(), c.detail());
            return null;
        }
        CubePhotometry.Result r = CubePhotometry.measure(c.planes(), c.time(), c.quality(), c.exposureSeconds(),
                radii);
        if (!r.problem().isEmpty()) {
            LOG.warn("{}: not measured: {}", f.path(), r.problem());
            return null;
        }
        var t = c.target();
        LightCurveRecord out = new LightCurveRecord();
        out.setId(t.name().isEmpty() ? f.path() : t.name());
        out.setTic(t.tic() > 0 ? t.tic() : null);
        out.setSector(t.sector());
        out.setCamera(t.camera());
        out.setCcd(t.ccd());
        out.setRa(c.ra());
        out.setDec(c.dec());
        out.setX(r.star().x());
        out.setY(r.star().y());
        out.setAperturePx(r.star().radius());
        out.setReferenceFlux(r.star().flux());
        out.setTime(c.time());
        out.setFlux(floats(r.flux()));
        out.setSapFlux(floats(r.sapFlux()));
        out.setFluxErr(floats(r.error()));
        out.setBackground(floats(r.background()));
        out.setCentroidX(floats(r.centroidX()));
        out.setCentroidY(floats(r.centroidY()));
        out.setPointingX(floats(r.pointingX()));
        out.setPointingY(floats(r.pointingY()));
        out.setQuality(c.quality());
        return out;
    }

    private static float[] floats(double[] v) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) v[i];
        }
        return out;
    }
}
