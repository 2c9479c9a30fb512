package org.tessexo.spark.transforms;

import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.tessexo.common.errors.UserException;
import org.tessexo.common.labels.LabelMatcher;
import org.tessexo.common.labels.LabelValue;
import scala.Tuple2;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Joins decoded samples with a labels table. The table's file column may hold full URIs, keys or file names
 * ({@link LabelMatcher}); rows are grouped by file name on both sides (a cogroup, no driver-side map), then matched
 * exactly. Samples without a match keep label -1 and the reason "no label", so they are reported, not dropped
 * silently. A label that is not an integer class, or files given different labels, are reported per file
 * (see {@link #label}) and not trained on.
 */
public final class LabelJoin {
    public static final String NO_LABEL = "no label";
    static final List<String> PATH_COLUMNS = List.of("path", "file", "filename", "key", "uri", "name");

    private LabelJoin() {
    }

    /** Picks the column naming the file: the configured one, or the first of {@link #PATH_COLUMNS} present. */
    public static String pathColumn(Dataset<Row> table, String configured, String where) {
        List<String> cols = Arrays.asList(table.columns());
        if (!configured.isEmpty()) {
            if (!cols.contains(configured)) {
                throw new UserException("Labels table " + where + " has no column '" + configured + "' (columns: "
                        + cols + "). Fix tess.labels-table.path-column.");
            }
            return configured;
        }
        for (String c : cols) {
            if (PATH_COLUMNS.contains(c.toLowerCase(Locale.ROOT))) {
                return c;
            }
        }
        throw new UserException("Labels table " + where + " has no column naming the files (looked for "
                + PATH_COLUMNS + ", found " + cols + "). Rename it or set tess.labels-table.path-column.");
    }

    public static JavaRDD<SampleRow> apply(JavaRDD<SampleRow> samples, Dataset<Row> table, String pathColumn,
                                           String labelColumn, int classes, String where) {
        if (!Arrays.asList(table.columns()).contains(labelColumn)) {
            throw new UserException("Labels table " + where + " has no column '" + labelColumn + "' (columns: "
                    + Arrays.asList(table.columns()) + "). Fix tess.labels-table.label-column.");
        }
        // The label as written (a string): no cast, so that 0.9 is not read as 0 nor "yes" as no label.
        JavaPairRDD<String, Tuple2<String, LabelValue>> labels = table
                .select(functions.col(pathColumn).cast("string"), functions.col(labelColumn).cast("string"))
                .toJavaRDD()
                .filter(r -> !r.isNullAt(0))
                .mapToPair(r -> new Tuple2<>(LabelMatcher.fileName(r.getString(0)),
                        new Tuple2<>(r.getString(0), LabelValue.parse(r.isNullAt(1) ? null : r.getString(1),
                                classes))));
        JavaPairRDD<String, SampleRow> byName =
                samples.mapToPair(s -> new Tuple2<>(LabelMatcher.fileName(s.path()), s));
        return byName.cogroup(labels).flatMap(group -> {
            Iterable<Tuple2<String, LabelValue>> candidates = group._2()._2();
            java.util.ArrayList<SampleRow> out = new java.util.ArrayList<>();
            for (SampleRow s : group._2()._1()) {
                out.add(label(s, candidates, classes));
            }
            return out.iterator();
        });
    }

    /**
     * The label of a decoded sample: every row of the table that names its file must agree and hold an integer
     * class. A row with a bad value, or rows with different labels, keep the file out of training with the reason
     * ({@link LabelValue#CONFLICT}, {@link LabelValue#NOT_INTEGER}, ...), never the first row silently.
     */
    static SampleRow label(SampleRow s, Iterable<Tuple2<String, LabelValue>> candidates, int classes) {
        if (!s.isImage()) {
            return s;
        }
        java.util.TreeSet<String> values = new java.util.TreeSet<>();
        LabelValue chosen = null;
        LabelValue bad = null;
        for (Tuple2<String, LabelValue> c : candidates) {
            if (LabelMatcher.matches(s.path(), c._1())) {
                LabelValue v = c._2();
                values.add(v.text());
                if (!v.ok()) {
                    bad = bad == null ? v : bad;
                } else if (chosen == null) {
                    chosen = v;
                } else if (chosen.label() != v.label()) {
                    return s.withLabel(-1, LabelValue.CONFLICT, "the labels table gives " + values);
                }
            }
        }
        if (bad != null) {
            return s.withLabel(-1, bad.problem(), bad.detail(classes));
        }
        if (chosen == null) {
            return s.withLabel(-1, NO_LABEL);
        }
        return s.withLabel(chosen.label(), "");
    }
}
