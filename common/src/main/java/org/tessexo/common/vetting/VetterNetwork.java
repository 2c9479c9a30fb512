package org.tessexo.common.vetting;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.tessexo.common.model.ViewsCnnFactory;

import java.io.Serializable;
import java.util.List;

/**
 * The vetting network: one column of 1-D convolutions per view (global, local, secondary, odd, even: each block two
 * convolutions + ReLU and a max pooling of stride 2, as AstroNet's), the columns flattened and joined with the
 * scalar features, dense ReLU layers, a softmax over {@link Vetter.Kind}. Sized for a CPU: about 0.2 million
 * parameters (AstroNet's 10 million train at a few samples/s on 2 cores). Inputs are {@code 1 x bins} images (NCHW),
 * so the layers are the image CNN's and take oneDNN's helpers.
 */
public final class VetterNetwork {
    public static final String GLOBAL = "global";
    public static final String LOCAL = "local";
    public static final String SECONDARY = "secondary";
    public static final String ODD = "odd";
    public static final String EVEN = "even";
    public static final String SCALARS = "scalars";
    /** The inputs in the order {@link #features} gives them. */
    public static final List<String> INPUTS = List.of(GLOBAL, LOCAL, SECONDARY, ODD, EVEN, SCALARS);
    /** Max-pooling width of every block (stride 2). */
    static final int POOL = 3;

    private VetterNetwork() {
    }

    /**
     * @param globalFilters filters per block of the global column
     * @param localFilters  filters per block of each local column
     * @param dense         units of each dense layer
     */
    public record Settings(long seed, int[] globalFilters, int[] localFilters, int kernel, int[] dense,
                           double learningRate, double l2, double dropout) implements Serializable {
        private static final long serialVersionUID = 1L;

        public static Settings defaults() {
            return new Settings(42, new int[] {8, 16, 32}, new int[] {8, 16}, 5, new int[] {64, 32}, 1e-3, 1e-4,
                    0.0);
        }
    }

    public static ComputationGraph build(Settings s) {
        ComputationGraph net = new ComputationGraph(configuration(s));
        net.init();
        return net;
    }

    public static ComputationGraphConfiguration configuration(Settings s) {
        ComputationGraphConfiguration.GraphBuilder g = ViewsCnnFactory.graph(s.seed(), s.learningRate(), s.l2())
                .addInputs(INPUTS)
                .setInputTypes(InputType.convolutional(1, SignalViews.GLOBAL_BINS, 1),
                        InputType.convolutional(1, SignalViews.LOCAL_BINS, 1),
                        InputType.convolutional(1, SignalViews.LOCAL_BINS, 1),
                        InputType.convolutional(1, SignalViews.LOCAL_BINS, 1),
                        InputType.convolutional(1, SignalViews.LOCAL_BINS, 1),
                        InputType.feedForward(SignalViews.SCALARS.length));
        String[] merged = new String[INPUTS.size()];
        merged[0] = ViewsCnnFactory.column(g, GLOBAL, s.globalFilters(), s.kernel(), POOL, SignalViews.GLOBAL_BINS);
        for (int i = 1; i < 5; i++) {
            merged[i] = ViewsCnnFactory.column(g, INPUTS.get(i), s.localFilters(), s.kernel(), POOL,
                    SignalViews.LOCAL_BINS);
        }
        merged[5] = SCALARS;
        g.addVertex("joined", new MergeVertex(), merged);
        String last = "joined";
        for (int i = 0; i < s.dense().length; i++) {
            DenseLayer.Builder d = new DenseLayer.Builder().nOut(s.dense()[i]).activation(Activation.RELU);
            if (s.dropout() > 0) {
                d.dropOut(1 - s.dropout());
            }
            g.addLayer("dense-" + i, d.build(), last);
            last = "dense-" + i;
        }
        g.addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(Vetter.Kind.values().length)
                .activation(Activation.SOFTMAX).weightInit(WeightInit.XAVIER).build(), last);
        return g.setOutputs("out").build();
    }

    /** The network's inputs for a batch of views, in {@link #INPUTS} order. */
    public static INDArray[] features(List<SignalViews.Views> views) {
        int n = views.size();
        double[][] global = new double[n][];
        double[][] local = new double[n][];
        double[][] secondary = new double[n][];
        double[][] odd = new double[n][];
        double[][] even = new double[n][];
        double[][] scalars = new double[n][];
        for (int i = 0; i < n; i++) {
            SignalViews.Views v = views.get(i);
            global[i] = v.global();
            local[i] = v.local();
            secondary[i] = v.secondary();
            odd[i] = v.odd();
            even[i] = v.even();
            scalars[i] = v.scalars();
        }
        return new INDArray[] {image(global), image(local), image(secondary), image(odd), image(even),
            Nd4j.create(scalars).castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT)};
    }

    private static INDArray image(double[][] rows) {
        return Nd4j.create(rows).castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT)
                .reshape(rows.length, 1, 1, rows[0].length);
    }

    /** One training example: the views and a one-hot label. */
    public static MultiDataSet example(SignalViews.Views v, Vetter.Kind label) {
        INDArray y = Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.FLOAT, 1, Vetter.Kind.values().length);
        y.putScalar(0, label.ordinal(), 1);
        return new MultiDataSet(features(List.of(v)), new INDArray[] {y});
    }
}
