package org.tessexo.spark.steps;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.tessexo.common.errors.UserException;
import org.tessexo.common.photometry.Star;
import org.tessexo.spark.io.Csv;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The stars {@code photometry --targets} measures: a CSV (with a header) or Parquet table with an id ({@code id},
 * {@code tic}, {@code ticid}, {@code tic_id}, {@code name} or {@code target}), {@code ra} and {@code dec} in degrees
 * and an optional magnitude ({@code tmag}, {@code mag}). Column names are matched without regard to case. A numeric
 * id is a TIC number. Rows without a finite position are a user error that names the first of them.
 */
public final class TargetsTable {
    static final List<String> ID = List.of("id", "tic", "ticid", "tic_id", "name", "target");
    static final List<String> MAG = List.of("tmag", "mag", "magnitude");

    private TargetsTable() {
    }

    public static List<Star> read(SparkSession spark, String uri) {
        Dataset<Row> table;
        try {
            String u = uri.toLowerCase(Locale.ROOT);
            table = u.endsWith(".parquet") || u.endsWith("/") ? spark.read().parquet(uri)
                    : Csv.reader(spark.read()).option("inferSchema", "false").option("comment", "#").csv(uri);
        } catch (Exception e) {
            throw new UserException("Cannot read the targets table " + uri + ": " + e.getMessage()
                    + ". Give a CSV with a header or a Parquet table with id, ra, dec (degrees) and optional tmag.", e);
        }
        List<String> columns = Arrays.stream(table.columns()).map(c -> c.replace("\uFEFF", "").trim()).toList();
        int id = find(columns, ID);
        int ra = find(columns, List.of("ra", "ra_deg", "raj2000"));
        int dec = find(columns, List.of("dec", "dec_deg", "dej2000"));
        int mag = find(columns, MAG);
        if (id < 0 || ra < 0 || dec < 0) {
            throw new UserException("The targets table " + uri + " needs an id (one of " + ID + "), ra and dec"
                    + " columns; it has " + columns + ".");
        }
        List<Star> out = new ArrayList<>();
        // the table is small beside the frames (tens of thousands of stars per CCD); its rows come to the driver
        for (Row r : table.collectAsList()) {
            String name = r.isNullAt(id) ? "" : r.get(id).toString().trim();
            double a = number(r, ra);
            double d = number(r, dec);
            if (name.isEmpty() || !Double.isFinite(a) || !Double.isFinite(d) || Math.abs(d) > 90) {
                throw new UserException("The targets table " + uri + " has a row without an id or a valid position:"
                        + " " + r + ". Every row needs an id, ra in degrees and dec in [-90, 90].");
            }
            double m = mag < 0 ? Double.NaN : number(r, mag);
            long tic = name.matches("\\d{1,12}") ? Long.parseLong(name) : 0;
            out.add(new Star(tic > 0 ? "TIC " + tic : name, tic, a, d, Double.NaN, Double.NaN, m, Double.NaN, 0));
        }
        return out;
    }

    private static int find(List<String> columns, List<String> names) {
        for (String n : names) {
            for (int i = 0; i < columns.size(); i++) {
                if (columns.get(i).equalsIgnoreCase(n)) {
                    return i;
                }
            }
        }
        return -1;
    }

    private static double number(Row r, int i) {
        if (r.isNullAt(i)) {
            return Double.NaN;
        }
        Object v = r.get(i);
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        try {
            return Double.parseDouble(v.toString().trim());
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}
