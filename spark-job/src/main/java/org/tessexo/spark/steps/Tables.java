package org.tessexo.spark.steps;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RuntimeConfig;
import org.apache.spark.sql.SaveMode;
import org.tessexo.spark.io.Csv;
import org.tessexo.spark.io.OutputStore;

import java.io.IOException;
import java.io.UncheckedIOException;

/** Writing a table into the output folder: to this run's temporary name, then committed under its own. */
public final class Tables {
    private Tables() {
    }

    /**
     * A CSV folder with a header; one file per 100,000 listed files (at most 64), so that small runs give one. The
     * partitions are coalesced, which keeps a sorted table's order (candidates: best first).
     */
    public static void writeCsv(Dataset<Row> table, OutputStore out, String name, long listed) {
        writeCsvParts(table.coalesce(csvFiles(listed)), out, name);
    }

    /**
     * {@link #writeCsv} for a table in no order (one row per listed file: the outcomes), its rows moved to the files
     * by a shuffle: a coalesced task would carry every parent partition, and those of a listing hold its paths
     * (1.1 MB for 11,408 frames: Spark's warning of a task of very large size, and 10 MB at 100,000 files).
     */
    public static void writeCsvUnordered(Dataset<Row> table, OutputStore out, String name, long listed) {
        writeCsvParts(table.repartition(csvFiles(listed)), out, name);
    }

    /** One CSV file per partition of {@code parts}, then committed under {@code name}. */
    private static void writeCsvParts(Dataset<Row> parts, OutputStore out, String name) {
        Csv.writer(parts.write().mode(SaveMode.Overwrite)).csv(out.folderTarget(name));
        commit(out, name);
    }

    private static int csvFiles(long listed) {
        return (int) Math.max(1, Math.min(64, listed / 100_000));
    }

    /**
     * The CSV parts of {@code folder} (as {@link #writeCsv} wrote them, in order) as one file {@code name} with one
     * header line, streamed part by part: the table a user opens in a spreadsheet.
     */
    public static void mergeCsv(OutputStore out, String folder, String name) {
        try {
            java.util.List<String> parts = out.list(folder).stream().filter(n -> n.startsWith("part-")
                    && n.endsWith(".csv")).toList();
            out.write(name, o -> {
                boolean first = true;
                for (String part : parts) {
                    try (java.io.InputStream in = out.open(folder + "/" + part)) {
                        if (!first) {
                            int c;
                            while ((c = in.read()) >= 0 && c != '\n') {
                                // the part's header line, already written once
                            }
                        }
                        in.transferTo(o);
                    }
                    first = false;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + out.uri(name) + ": " + e.getMessage(), e);
        }
    }

    public static void writeParquet(Dataset<Row> table, OutputStore out, String name) {
        table.write().mode(SaveMode.Overwrite).parquet(out.folderTarget(name));
        commit(out, name);
    }

    /** Spark's switch to Parquet's legacy layouts: for arrays of non-null values, two-level lists. */
    static final String TWO_LEVEL_LISTS = "spark.sql.parquet.writeLegacyFormat";

    /**
     * A table of measurements (light curves: each star's arrays of floats), written for speed with nothing lost:
     * <ul>
     *   <li>Parquet's dictionary encoding off: floats seldom repeat, and trying costs more than writing them;</li>
     *   <li>arrays of non-null numbers as two-level lists (a column's LIST group holding {@code repeated float
     *   array}), which Parquet's compatibility rules define and Spark, Arrow and parquet-mr read (and
     *   {@code ParquetLightCurves}): Spark's standard three-level list writes a group around every value, 1.4 times
     *   the cost (3,000 light curves of 336 cadences in one JVM: 700 against 500 ms once warm, and it warms slower).
     *   A session setting: set for this write only, and the session's own value put back.</li>
     * </ul>
     */
    public static void writeMeasurements(Dataset<Row> table, OutputStore out, String name) {
        RuntimeConfig conf = table.sparkSession().conf();
        String was = conf.get(TWO_LEVEL_LISTS); // a registered setting: its default when the session has none
        conf.set(TWO_LEVEL_LISTS, "true");
        try {
            table.write().mode(SaveMode.Overwrite).option("parquet.enable.dictionary", false)
                    .parquet(out.folderTarget(name));
        } finally {
            conf.set(TWO_LEVEL_LISTS, was);
        }
        commit(out, name);
    }

    private static void commit(OutputStore out, String name) {
        try {
            out.commitFolder(name);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + out.uri(name) + ": " + e.getMessage(), e);
        }
    }
}
