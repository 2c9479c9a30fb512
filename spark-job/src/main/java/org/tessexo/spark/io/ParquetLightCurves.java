package org.tessexo.spark.io;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;
import org.tessexo.common.lightcurve.LightCurve;
import org.tessexo.common.lightcurve.TableColumns;
import org.tessexo.common.lightcurve.TargetNames;
import org.tessexo.common.lightcurve.TimeSystem;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;

/**
 * Light curves kept as a Parquet table, one row per star (the layout {@code photometry} writes): a star's id and
 * optional catalog columns as scalars, its time, flux, flux error and quality as arrays of equal length. Column
 * names are matched as in text tables ({@link TableColumns}): {@code time} (BTJD, or named for its system), the
 * configured flux column then {@code pdcsap_flux}, ..., {@code flux}, ..., its error, {@code quality}.
 *
 * <p>One row per star, not one per star and cadence: a search needs a star's whole series, which a row then holds
 * without a shuffle, and a reader holds one row group and one star at a time. Rows are read lazily; the largest row
 * group is checked against the memory a file may take before any is read.
 */
public final class ParquetLightCurves {
    public static final String SUFFIX = ".parquet";
    public static final String UNREADABLE = "unreadable Parquet";
    public static final String NOT_A_TABLE = "not a light-curve table";
    public static final String TOO_LARGE = "row group larger than the memory a file may take";
    static final List<String> ID_COLUMNS = List.of("id", "star_id", "target", "name", "tic", "ticid", "object");
    static final List<String> TIC_COLUMNS = List.of("tic", "ticid", "tic_id");

    private ParquetLightCurves() {
    }

    public static boolean isParquetName(String name) {
        return name.toLowerCase(Locale.ROOT).endsWith(SUFFIX);
    }

    /** One row of the table: a star's light curve, or why there is none (reason empty when read). */
    public record Star(String path, LightCurve lightCurve, String reason, String detail) {
        static Star failed(String path, String reason, String detail) {
            return new Star(path, null, reason, detail);
        }
    }

    /**
     * The stars of one Parquet file, read one by one as the iterator is walked. A file that cannot be opened, has
     * no time or flux array, or whose row groups need more than {@code maxMemory} bytes gives one failed
     * {@link Star} for the whole file (its path without a star).
     */
    public static Iterator<Star> read(String key, Configuration conf, String fluxColumn, long maxMemory) {
        MessageType schema;
        long largestGroup = 0;
        Path path = new Path(key);
        try (ParquetFileReader footer = ParquetFileReader.open(HadoopInputFile.fromPath(path, conf))) {
            schema = footer.getFooter().getFileMetaData().getSchema();
            for (BlockMetaData b : footer.getFooter().getBlocks()) {
                largestGroup = Math.max(largestGroup, b.getTotalByteSize());
            }
        } catch (IOException | RuntimeException e) {
            return List.of(Star.failed(key, UNREADABLE, e.getClass().getSimpleName() + ": " + e.getMessage()))
                    .iterator();
        }
        Layout layout = Layout.of(schema, fluxColumn);
        if (layout.problem() != null) {
            return List.of(Star.failed(key, NOT_A_TABLE, layout.problem())).iterator();
        }
        // Decoded values take more room than their encoded pages: twice the row group's uncompressed size.
        if (2 * largestGroup > maxMemory) {
            return List.of(Star.failed(key, TOO_LARGE, "a row group of " + largestGroup + " bytes needs about "
                    + 2 * largestGroup + " bytes of memory, more than the " + maxMemory + " one file may take here;"
                    + " write the table with smaller row groups (parquet.block.size)")).iterator();
        }
        ParquetReader<Group> reader;
        try {
            reader = ParquetReader.builder(new GroupReadSupport(), path).withConf(conf).build();
        } catch (IOException | RuntimeException e) {
            return List.of(Star.failed(key, UNREADABLE, e.getClass().getSimpleName() + ": " + e.getMessage()))
                    .iterator();
        }
        return new Rows(key, reader, layout);
    }

    /** Which fields hold what; {@code problem} says why the table is no light-curve table. */
    record Layout(int time, int flux, int error, int quality, int id, int tic, int sector, int camera, int ccd,
                  String fluxName, String timeName, String problem) {
        static Layout of(MessageType schema, String fluxColumn) {
            List<String> arrays = new ArrayList<>();
            List<Integer> arrayFields = new ArrayList<>();
            List<String> scalars = new ArrayList<>();
            List<String> all = new ArrayList<>();
            for (int i = 0; i < schema.getFieldCount(); i++) {
                Type f = schema.getType(i);
                all.add(f.getName());
                if (element(f) != null) {
                    arrays.add(f.getName());
                    arrayFields.add(i);
                } else if (f.isPrimitive()) {
                    scalars.add(f.getName().toLowerCase(Locale.ROOT));
                }
            }
            TableColumns c = TableColumns.pick(arrays, fluxColumn);
            if (!c.usable()) {
                String why = arrays.isEmpty() ? "no array columns (one row per star with arrays of time and flux"
                        + " is the layout read; a table of one row per cadence is not): columns " + String.join(", ",
                        all) : "array " + c.missing(fluxColumn);
                return new Layout(-1, -1, -1, -1, -1, -1, -1, -1, -1, "", "", why);
            }
            int id = -1;
            int tic = -1;
            for (String n : ID_COLUMNS) {
                if (id < 0 && scalars.contains(n)) {
                    id = fieldIndex(schema, n);
                }
            }
            for (String n : TIC_COLUMNS) {
                if (tic < 0 && scalars.contains(n)) {
                    tic = fieldIndex(schema, n);
                }
            }
            return new Layout(arrayFields.get(c.time()), arrayFields.get(c.flux()),
                    c.error() < 0 ? -1 : arrayFields.get(c.error()),
                    c.quality() < 0 ? -1 : arrayFields.get(c.quality()), id, tic, fieldIndex(schema, "sector"),
                    fieldIndex(schema, "camera"), fieldIndex(schema, "ccd"), c.name(c.flux()), c.name(c.time()),
                    null);
        }

        private static int fieldIndex(MessageType schema, String lowerName) {
            for (int i = 0; i < schema.getFieldCount(); i++) {
                if (schema.getType(i).getName().toLowerCase(Locale.ROOT).equals(lowerName)) {
                    return i;
                }
            }
            return -1;
        }
    }

    /**
     * The numeric element type of an array field (a LIST of three levels as Spark and Arrow write it, or two, or a
     * bare repeated number), or null for anything else.
     */
    static PrimitiveType element(Type field) {
        if (field.isPrimitive()) {
            return field.isRepetition(Type.Repetition.REPEATED) && numeric(field.asPrimitiveType())
                    ? field.asPrimitiveType() : null;
        }
        GroupType g = field.asGroupType();
        if (g.getFieldCount() != 1 || !g.getType(0).isRepetition(Type.Repetition.REPEATED)) {
            return null;
        }
        Type repeated = g.getType(0);
        if (repeated.isPrimitive()) {
            return numeric(repeated.asPrimitiveType()) ? repeated.asPrimitiveType() : null;
        }
        GroupType r = repeated.asGroupType();
        return r.getFieldCount() == 1 && r.getType(0).isPrimitive() && numeric(r.getType(0).asPrimitiveType())
                ? r.getType(0).asPrimitiveType() : null;
    }

    private static boolean numeric(PrimitiveType t) {
        return switch (t.getPrimitiveTypeName()) {
            case DOUBLE, FLOAT, INT32, INT64 -> true;
            default -> false;
        };
    }

    /** An array field of one row as doubles (a null element is NaN); null when the row has no value. */
    static double[] doubles(Group row, int field, Type type) {
        if (row.getFieldRepetitionCount(field) == 0) {
            return null;
        }
        PrimitiveType el = element(type);
        if (type.isPrimitive()) { // a bare repeated number: the values are the field's repetitions
            double[] out = new double[row.getFieldRepetitionCount(field)];
            for (int i = 0; i < out.length; i++) {
                out[i] = value(row, field, i, el);
            }
            return out;
        }
        Group list = row.getGroup(field, 0);
        int n = list.getFieldRepetitionCount(0);
        double[] out = new double[n];
        boolean twoLevel = list.getType().getType(0).isPrimitive();
        for (int i = 0; i < n; i++) {
            if (twoLevel) {
                out[i] = value(list, 0, i, el);
            } else {
                Group e = list.getGroup(0, i);
                out[i] = e.getFieldRepetitionCount(0) == 0 ? Double.NaN : value(e, 0, 0, el);
            }
        }
        return out;
    }

    private static double value(Group g, int field, int index, PrimitiveType t) {
        return switch (t.getPrimitiveTypeName()) {
            case DOUBLE -> g.getDouble(field, index);
            case FLOAT -> g.getFloat(field, index);
            case INT32 -> g.getInteger(field, index);
            case INT64 -> g.getLong(field, index);
            default -> Double.NaN;
        };
    }

    /** A scalar field as text (an id), or null when the row has none. */
    static String text(Group row, int field) {
        if (field < 0 || !row.getType().getType(field).isPrimitive() || row.getFieldRepetitionCount(field) == 0) {
            return null;
        }
        return switch (row.getType().getType(field).asPrimitiveType().getPrimitiveTypeName()) {
            case INT32 -> Integer.toString(row.getInteger(field, 0));
            case INT64 -> Long.toString(row.getLong(field, 0));
            case DOUBLE -> Double.toString(row.getDouble(field, 0));
            case FLOAT -> Float.toString(row.getFloat(field, 0));
            default -> row.getValueToString(field, 0);
        };
    }

    /** The rows of one file as stars, closing the reader after the last. */
    private static final class Rows implements Iterator<Star> {
        private final String key;
        private final ParquetReader<Group> reader;
        private final Layout layout;
        private Group next;
        private Star failure;
        private int index;
        private boolean done;

        Rows(String key, ParquetReader<Group> reader, Layout layout) {
            this.key = key;
            this.reader = reader;
            this.layout = layout;
        }

        @Override
        public boolean hasNext() {
            if (next == null && failure == null && !done) {
                try {
                    next = reader.read();
                } catch (IOException | RuntimeException e) {
                    // The rest of the file is lost, and said so as one failed entry; the stars before it stand.
                    failure = Star.failed(key + "#row " + index + " on", UNREADABLE, e.getClass().getSimpleName()
                            + ": " + e.getMessage() + closeProblem());
                    done = true;
                    return true;
                }
                if (next == null) {
                    done = true;
                    String problem = closeProblem();
                    if (!problem.isEmpty()) {
                        failure = Star.failed(key, UNREADABLE, problem.substring(2));
                    }
                }
            }
            return next != null || failure != null;
        }

        @Override
        public Star next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            if (next == null) {
                Star f = failure;
                failure = null;
                return f;
            }
            Group row = next;
            next = null;
            return star(row, index++);
        }

        private Star star(Group row, int i) {
            String id = text(row, layout.id());
            String path = key + "#" + (id == null ? "row " + i : id);
            GroupType type = row.getType();
            double[] time = doubles(row, layout.time(), type.getType(layout.time()));
            double[] flux = doubles(row, layout.flux(), type.getType(layout.flux()));
            if (time == null || flux == null || time.length == 0) {
                return Star.failed(path, "no cadences", "empty time or flux array");
            }
            if (flux.length != time.length) {
                return Star.failed(path, NOT_A_TABLE, "time has " + time.length + " values, "
                        + layout.fluxName() + " " + flux.length);
            }
            double[] err = layout.error() < 0 ? null : doubles(row, layout.error(), type.getType(layout.error()));
            double[] q = layout.quality() < 0 ? null
                    : doubles(row, layout.quality(), type.getType(layout.quality()));
            int[] quality = new int[time.length];
            if (q != null && q.length == time.length) {
                for (int k = 0; k < q.length; k++) {
                    quality[k] = Double.isFinite(q[k]) ? (int) q[k] : 0;
                }
            }
            if (err == null || err.length != time.length) {
                err = new double[time.length];
                Arrays.fill(err, Double.NaN);
            }
            TimeSystem.Conversion c = TimeSystem.ofTextColumn(layout.timeName(), time);
            TimeSystem.apply(time, c);
            String ticText = text(row, layout.tic());
            String name = id == null ? TargetNames.fromFileName(key) : id;
            long tic = parseTic(ticText, name);
            LightCurve.Target target = new LightCurve.Target(tic, integer(row, layout.sector()),
                    integer(row, layout.camera()), integer(row, layout.ccd()), layout.fluxName(), name, c.system());
            return new Star(path, new LightCurve(time, flux, err, quality, target), "", c.note());
        }

        /** A scalar integer column's value, -1 when absent, null or not a number. */
        private static int integer(Group row, int field) {
            String t = text(row, field);
            try {
                return t == null ? -1 : (int) Double.parseDouble(t);
            } catch (NumberFormatException e) {
                return -1;
            }
        }

        private static long parseTic(String ticText, String name) {
            if (ticText != null) {
                try {
                    return (long) Double.parseDouble(ticText);
                } catch (NumberFormatException e) {
                    return TargetNames.tic(ticText);
                }
            }
            return TargetNames.tic(name);
        }

        /** Closes the reader; what went wrong doing so, as "; closing: ..." to append to a detail, or "". */
        private String closeProblem() {
            try {
                reader.close();
                return "";
            } catch (IOException | RuntimeException e) {
                return "; closing: " + e.getClass().getSimpleName() + ": " + e.getMessage();
            }
        }
    }
}
