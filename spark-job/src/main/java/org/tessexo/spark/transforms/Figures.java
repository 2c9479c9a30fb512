package org.tessexo.spark.transforms;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tessexo.common.lightcurve.LightCurve;
import org.tessexo.common.lightcurve.LightCurveReader;
import org.tessexo.common.lightcurve.TransitFigure;
import org.tessexo.common.lightcurve.TimeSystem;
import org.tessexo.common.lightcurve.TransitSearch;
import org.tessexo.common.vetting.SignalViews;
import org.tessexo.common.vetting.Vetter;
import org.tessexo.spark.io.HadoopFiles;
import org.tessexo.spark.io.ParquetLightCurves;
import org.tessexo.spark.io.SerializableHadoopConf;
import scala.Tuple2;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * Executors: figures of a search's strongest candidates. Each file is searched again (a handful of files, once
 * each) and its figures drawn there; only the PNG bytes travel to the driver.
 */
public final class Figures {
    private static final Logger LOG = LoggerFactory.getLogger(Figures.class);

    private Figures() {
    }

    /**
     * The file searched again, and a figure for each of the given signal ranks: (file name, PNG bytes).
     *
     * @param vetter the vetter's bytes (its score goes into the figure), or null
     */
    public static List<Tuple2<String, byte[]>> draw(String path, List<Integer> ranks, SerializableHadoopConf conf,
                                                    String flux, TransitSearch.Settings settings, byte[] vetter)
            throws IOException {
        LightCurveReader.Result lc = read(path, conf, flux);
        List<Tuple2<String, byte[]>> out = new ArrayList<>();
        if (!lc.ok()) {
            LOG.warn("{}: no figure, the file now reads as {}", path, lc.reason());
            return out;
        }
        TransitSearch.Result r = new TransitSearch(settings).search(lc.lightCurve());
        LightCurve.Target t = lc.lightCurve().target();
        for (TransitSearch.Signal g : r.signals()) {
            if (ranks.contains(g.rank())) {
                String file = new org.apache.hadoop.fs.Path(path).getName();
                String name = figureName(file, g.rank());
                SignalViews.Views v = SignalViews.of(r.forViews(), g);
                String verdict = "";
                if (vetter != null) {
                    Vetter.Score sc = VetterCache.get(vetter).score(List.of(v)).get(0);
                    verdict = String.format(Locale.ROOT, "planet score %.3f: %s", sc.planet(),
                            sc.disposition().label());
                }
                String title = String.format(Locale.ROOT, "%s, %s, signal %d (%s)%s",
                        t.name().isEmpty() ? "target unknown" : t.name(),
                        t.sector() >= 0 ? "sector " + t.sector() : "sector unknown", g.rank(), file,
                        t.timeSystem().equals(TimeSystem.BTJD) ? "" : ", times from " + t.timeSystem());
                out.add(new Tuple2<>(name, TransitFigure.png(r.detrended(), r.periodogram(), g, v.global(),
                        new double[][] {v.local(), v.odd(), v.even(), v.secondary()}, verdict, title, 1200, 1100)));
            }
        }
        return out;
    }

    /** A file read again, or a star of a Parquet table ({@code file.parquet#id}) found again in its file. */
    static LightCurveReader.Result read(String path, SerializableHadoopConf conf, String flux) throws IOException {
        int hash = path.indexOf(PARQUET_STAR);
        if (hash < 0) {
            return new LightCurveReader(flux).read(HadoopFiles.readAll(path, conf.get()), path);
        }
        String file = path.substring(0, hash + ParquetLightCurves.SUFFIX.length());
        long memory = Runtime.getRuntime().maxMemory() / 4; // a figure's task is one of a handful
        Iterator<ParquetLightCurves.Star> stars = ParquetLightCurves.read(file, conf.get(), flux, memory);
        while (stars.hasNext()) {
            ParquetLightCurves.Star s = stars.next();
            if (s.path().equals(path) || s.lightCurve() == null && s.path().equals(file)) {
                return s.lightCurve() != null ? new LightCurveReader.Result(s.lightCurve(), "", s.detail())
                        : new LightCurveReader.Result(null, s.reason(), s.detail());
            }
        }
        return new LightCurveReader.Result(null, "star not found", path);
    }

    static final String PARQUET_STAR = ParquetLightCurves.SUFFIX + "#";

    /** A figure is named after its file (a TIC ID is missing or shared by many files), then the signal's rank. */
    public static String figureName(String fileName, int rank) {
        int star = fileName.indexOf(PARQUET_STAR);
        if (star >= 0) { // a star of a Parquet table: its id
            fileName = fileName.substring(star + PARQUET_STAR.length());
        }
        String stem = fileName.replaceFirst("(?i)(\\.(fits|fit|fts|csv|txt|dat|tsv|tbl))?(\\.(gz|fz))?$", "");
        stem = stem.replaceAll("[^A-Za-z0-9._+-]", "_");
        return stem + "-" + rank + ".png";
    }
}
