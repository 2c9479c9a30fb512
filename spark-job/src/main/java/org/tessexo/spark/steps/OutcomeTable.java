package org.tessexo.spark.steps;

import org.apache.spark.api.java.function.Function;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.tessexo.spark.transforms.FileOutcome;

/**
 * The layout of {@code outcomes/}: CONTRACT's leading columns (path, outcome, reason, hdu, height, width, detail,
 * bytes_read), then a command's own. One row per listed file.
 *
 * @param schema the columns
 * @param toRow  a file's row, in the schema's order
 */
public record OutcomeTable<T extends FileOutcome>(StructType schema, Function<T, Row> toRow) {

    /** The leading columns every command writes. */
    public static StructType leading() {
        return new StructType()
                .add("path", DataTypes.StringType).add("outcome", DataTypes.StringType)
                .add("reason", DataTypes.StringType).add("hdu", DataTypes.IntegerType)
                .add("height", DataTypes.IntegerType).add("width", DataTypes.IntegerType)
                .add("detail", DataTypes.StringType).add("bytes_read", DataTypes.LongType);
    }

    /**
     * A row: the leading columns from {@code r} (hdu, height and width null where the file has no image), then
     * {@code own}.
     */
    public static Row row(FileOutcome r, Integer hdu, Integer height, Integer width, Object... own) {
        Object[] values = new Object[8 + own.length];
        values[0] = r.path();
        values[1] = r.outcome().label();
        values[2] = r.reason();
        values[3] = hdu;
        values[4] = height;
        values[5] = width;
        values[6] = r.detail();
        values[7] = r.bytesRead();
        System.arraycopy(own, 0, values, 8, own.length);
        return RowFactory.create(values);
    }
}
