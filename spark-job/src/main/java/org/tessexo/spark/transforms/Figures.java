package org.tessexo.spark.transforms;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tessexo.common.detect.LightCurveSearch;
import org.tessexo.common.lightcurve.LightCurve;
import org.tessexo.common.lightcurve.LightCurveReader;
import org.tessexo.common.lightcurve.TransitSearch;
import org.tessexo.spark.io.HadoopFiles;
import org.tessexo.spark.io.ParquetLightCurves;
import org.tessexo.spark.io.SerializableHadoopConf;
import scala.Tuple2;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

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
        LightCurveSearch.Searched s = new LightCurveSearch(settings,
                vetter == null ? null : () -> VetterCache.get(vetter)).run(lc.lightCurve(), "", path);
        LightCurve.Target t = lc.lightCurve().target();
        String file = new org.apache.hadoop.fs.Path(path).getName();
        for (int i = 0; i < s.signals().size(); i++) {
            int rank = s.signals().get(i).rank();
            if (ranks.contains(rank)) {
                out.add(new Tuple2<>(figureName(file, rank), LightCurveSearch.figure(s, i, t, file, 1200, 1100)));
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
