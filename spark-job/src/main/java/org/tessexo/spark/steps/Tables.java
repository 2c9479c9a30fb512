package org.tessexo.spark.steps;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.tessexo.spark.io.Csv;
import org.tessexo.spark.io.OutputStore;

import java.io.IOException;
import java.io.UncheckedIOException;

/** Writing a table into the output folder: to this run's temporary name, then committed under its own. */
public final class Tables {
    private Tables() {
    }

    /** A CSV folder with a header; one file per 100,000 listed files (at most 64), so that small runs give one. */
    public static void writeCsv(Dataset<Row> table, OutputStore out, String name, long listed) {
        int files = (int) Math.max(1, Math.min(64, listed / 100_000));
        Csv.writer(table.coalesce(files).write().mode(SaveMode.Overwrite)).csv(out.folderTarget(name));
        commit(out, name);
    }

    public static void writeParquet(Dataset<Row> table, OutputStore out, String name) {
        table.write().mode(SaveMode.Overwrite).parquet(out.folderTarget(name));
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
