package org.tessexo.spark.io;

import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Row;

/**
 * CSV as RFC 4180 has it, for every table the jobs write or read: a header line, fields with a quote, a comma or a
 * line break in double quotes, and a quote inside a field doubled ({@code "quote""x.fits"}). Spark's default escapes
 * quotes with a backslash, which Python's csv, pandas and spreadsheets read back wrongly.
 */
public final class Csv {
    private Csv() {
    }

    public static DataFrameWriter<Row> writer(DataFrameWriter<Row> w) {
        return w.option("header", "true").option("quote", "\"").option("escape", "\"");
    }

    public static DataFrameReader reader(DataFrameReader r) {
        return r.option("header", "true").option("quote", "\"").option("escape", "\"").option("multiLine", "true");
    }
}
