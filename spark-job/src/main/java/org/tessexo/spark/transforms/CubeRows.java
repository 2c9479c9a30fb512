package org.tessexo.spark.transforms;

import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
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
public final class CubeRows implements FlatMapFunction<Iterator<FrameRow>, Row> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(CubeRows.class);

    private final Broadcast<SerializableHadoopConf> conf;
    private final double[] radii;

    public CubeRows(Broadcast<SerializableHadoopConf> conf, double[] radii) {
        this.conf = conf;
        this.radii = radii.clone();
    }

    @Override
    public Iterator<Row> call(Iterator<FrameRow> cubes) {
        return new java.util.Iterator<>() {
            private Row next;

            @Override
            public boolean hasNext() {
                while (next == null && cubes.hasNext()) {
                    next = one(cubes.next());
                }
                return next != null;
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new java.util.NoSuchElementException();
                }
                Row r = next;
                next = null;
                return r;
            }
        };
    }

    private Row one(FrameRow f) {
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
        int n = c.time().length;
        Double[] time = new Double[n];
        Integer[] quality = new Integer[n];
        for (int i = 0; i < n; i++) {
            time[i] = c.time()[i];
            quality[i] = c.quality()[i];
        }
        var t = c.target();
        String id = t.name().isEmpty() ? f.path() : t.name();
        return RowFactory.create(id, t.tic() > 0 ? t.tic() : null, t.sector(), t.camera(), t.ccd(), c.ra(), c.dec(),
                r.star().x(), r.star().y(), null, r.star().radius(), r.star().flux(), time, floats(r.flux()),
                floats(r.sapFlux()), floats(r.error()), floats(r.background()), floats(r.centroidX()),
                floats(r.centroidY()), floats(r.pointingX()), floats(r.pointingY()), quality);
    }

    private static Float[] floats(double[] v) {
        Float[] out = new Float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = Double.isNaN(v[i]) ? null : (float) v[i];
        }
        return out;
    }
}
