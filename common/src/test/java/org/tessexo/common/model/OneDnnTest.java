package org.tessexo.common.model;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.List;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The oneDNN path engages, and computes what the plain path computes: the same network, parameters and batch with
 * DL4J's helpers on and off give the same outputs and gradients. (A wrong helper, as with NHWC in DL4J M2.1, gives
 * weight gradients off by factors of 1.5 to 460 and silently diverging training.)
 */
class OneDnnTest {
    /** Largest difference allowed, relative to the largest value: float32 sums in another order. */
    static final double TOLERANCE = 1e-4;

    @AfterEach
    void helpersOnAgain() {
        System.setProperty(OneDnn.HELPERS_DISABLE, "false");
    }

    @Test
    void convolutionAndPoolingRunOnOneDnn() {
        OneDnn.Status s = OneDnn.enableAndReport();
        assertTrue(s.engaged(), s.detail());
        assertTrue(s.detail().contains("MKLDNNConvHelper") && s.detail().contains("MKLDNNSubsamplingHelper"),
                s.detail());
        System.setProperty(OneDnn.HELPERS_DISABLE, "true");
        OneDnn.Status off = OneDnn.check();
        assertTrue(!off.engaged() && off.detail().contains(OneDnn.HELPERS_DISABLE), off.detail());
    }

    @Test
    void imageCnnGivesTheSameOutputsAndGradientsWithAndWithoutOneDnn() {
        ModelSettings m = new ModelSettings(7, new int[] {8, 16}, 32, 1e-3, 1e-4, List.of("a", "b"));
        MultiLayerNetwork on = build(false, () -> CnnFactory.build(m, 32, 48));
        MultiLayerNetwork off = build(true, () -> CnnFactory.build(m, 32, 48));
        assertEquals("MKLDNNConvHelper", helper(on.getLayer(0)));
        assertNull(((org.deeplearning4j.nn.layers.convolution.ConvolutionLayer) off.getLayer(0)).getHelper());
        off.setParams(on.params().dup());
        INDArray x = Nd4j.rand(DataType.FLOAT, 8, 1, 32, 48).subi(0.5);
        INDArray y = labels(8, 2);
        assertClose("output", on.output(x), off.output(x));
        assertClose("gradient", gradient(on, x, y), gradient(off, x, y));
    }

    @Test
    void viewsCnnGivesTheSameOutputsAndGradientsWithAndWithoutOneDnn() {
        ViewsCnnFactory.Settings s = new ViewsCnnFactory.Settings(3, 201, 61, new int[] {8, 16}, new int[] {8}, 5,
                5, 7, new int[] {32}, 1e-3, 0, List.of("planet", "eclipsing-binary", "false-alarm"));
        ComputationGraph on = build(false, () -> ViewsCnnFactory.build(s));
        ComputationGraph off = build(true, () -> ViewsCnnFactory.build(s));
        assertEquals("MKLDNNConvHelper", helper(on.getLayer("global-conv0a")));
        assertEquals("MKLDNNSubsamplingHelper", helper(on.getLayer("local-pool0")));
        assertEquals("none", helper(off.getLayer("global-conv0a")));
        off.setParams(on.params().dup());
        INDArray[] x = {Nd4j.rand(DataType.FLOAT, 6, 1, 1, 201).subi(0.5),
            Nd4j.rand(DataType.FLOAT, 6, 1, 1, 61).subi(0.5)};
        INDArray y = labels(6, 3);
        assertClose("output", on.outputSingle(x), off.outputSingle(x));
        on.setInputs(x);
        on.setLabels(y);
        on.computeGradientAndScore();
        off.setInputs(x);
        off.setLabels(y);
        off.computeGradientAndScore();
        assertClose("gradient", on.gradient().gradient(), off.gradient().gradient());
    }

    private static <T> T build(boolean helpersDisabled, Supplier<T> factory) {
        System.setProperty(OneDnn.HELPERS_DISABLE, Boolean.toString(helpersDisabled));
        return factory.get();
    }

    private static String helper(Layer layer) {
        return OneDnn.helperName(layer);
    }

    private static INDArray labels(int n, int classes) {
        INDArray y = Nd4j.zeros(DataType.FLOAT, n, classes);
        for (int i = 0; i < n; i++) {
            y.putScalar(i, i % classes, 1);
        }
        return y;
    }

    private static INDArray gradient(MultiLayerNetwork net, INDArray x, INDArray y) {
        net.setInput(x);
        net.setLabels(y);
        net.computeGradientAndScore();
        return net.gradient().gradient().dup();
    }

    private static void assertClose(String what, INDArray a, INDArray b) {
        double scale = Math.max(a.amaxNumber().doubleValue(), 1e-12);
        double diff = Transforms.abs(a.sub(b)).maxNumber().doubleValue();
        assertTrue(diff <= TOLERANCE * scale, what + ": max |on - off| = " + diff + ", max |on| = " + scale);
        assertTrue(a.amaxNumber().doubleValue() > 0, what + " is not all zero");
    }
}
