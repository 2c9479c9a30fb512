package org.tessexo.common.model;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CnnFactoryTest {
    @Test
    void defaultNetworkMapsImagesToClassProbabilities() {
        MultiLayerNetwork net = CnnFactory.build(ModelSettings.defaults(), 128, 128);
        INDArray out = net.output(Nd4j.rand(DataTypeHolder.FLOAT, 3, 1, 128, 128));
        assertArrayEquals(new long[] {3, 2}, out.shape());
        for (int i = 0; i < 3; i++) {
            assertEquals(1.0, out.getRow(i).sumNumber().doubleValue(), 1e-5);
        }
        // 3 conv blocks + dense + output
        assertEquals(3 * 2 + 2, net.getnLayers());
    }

    @Test
    void sameSeedSameWeightsAndClassesSetTheOutputWidth() {
        ModelSettings three = new ModelSettings(7, new int[] {4, 8}, 16, 1e-3, 0, List.of("a", "b", "c"));
        MultiLayerNetwork a = CnnFactory.build(three, 32, 48);
        MultiLayerNetwork b = CnnFactory.build(three, 32, 48);
        assertEquals(a.params(), b.params());
        assertArrayEquals(new long[] {1, 3}, a.output(Nd4j.zeros(DataTypeHolder.FLOAT, 1, 1, 32, 48)).shape());
    }

    @Test
    void tooManyPoolingBlocksForTheInputIsAUserError() {
        ModelSettings deep = new ModelSettings(1, new int[] {4, 4, 4, 4, 4}, 8, 1e-3, 0, List.of("a", "b"));
        assertThrows(IllegalArgumentException.class, () -> CnnFactory.build(deep, 8, 8));
    }

    private static final class DataTypeHolder {
        static final org.nd4j.linalg.api.buffer.DataType FLOAT = org.nd4j.linalg.api.buffer.DataType.FLOAT;
    }
}
