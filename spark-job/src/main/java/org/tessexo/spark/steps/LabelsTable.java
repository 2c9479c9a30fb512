package org.tessexo.spark.steps;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.tessexo.common.config.PipelineSettings;
import org.tessexo.common.errors.UserException;
import org.tessexo.spark.io.Csv;

import java.util.Locale;

/** The labels table (--labels): CSV with a header or Parquet, as tess.labels-table.format says or the name tells. */
public final class LabelsTable {
    private LabelsTable() {
    }

    public static Dataset<Row> read(SparkSession spark, PipelineSettings s) {
        String format = s.labelsTable().format();
        String uri = s.labels();
        if (format.equals("auto")) {
            format = isParquet(uri) ? "parquet" : "csv";
        }
        try {
            Dataset<Row> table = format.equals("parquet") ? spark.read().parquet(uri)
                    : Csv.reader(spark.read()).option("inferSchema", "false").option("comment", "#").csv(uri);
            for (String c : table.columns()) { // a spreadsheet's byte-order mark or padding is not part of a name
                String clean = c.replace("\uFEFF", "").trim();
                if (!clean.equals(c)) {
                    table = table.withColumnRenamed(c, clean);
                }
            }
            return table;
        } catch (Exception e) {
            throw new UserException("Cannot read the labels table " + uri + " as " + format + ": " + e.getMessage()
                    + ". Give a CSV with a header or a Parquet table (tess.labels-table.format).", e);
        }
    }

    private static boolean isParquet(String uri) {
        String u = uri.toLowerCase(Locale.ROOT);
        return u.endsWith(".parquet") || u.endsWith("/");
    }
}
