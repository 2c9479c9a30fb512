package org.tessexo.spark.transforms;

import org.apache.spark.api.java.function.Function;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/** A labelled sample as a one-example DataSet: features [1, 1, height, width], one-hot labels [1, classes]. */
public final class ToDataSetFn implements Function<SampleRow, DataSet> {
    private static final long serialVersionUID = 1L;
    private final int height;
    private final int width;
    private final int classes;

    public ToDataSetFn(int height, int width, int classes) {
        this.height = height;
        this.width = width;
        this.classes = classes;
    }

    @Override
    public DataSet call(SampleRow s) {
        INDArray x = Nd4j.create(s.features(), new long[] {1, 1, height, width}, 'c');
        INDArray y = Nd4j.zeros(1, classes);
        y.putScalar(0, s.label(), 1.0);
        return new DataSet(x, y);
    }
}
