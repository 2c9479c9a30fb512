package org.tessexo.common.model;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.PreprocessorVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.io.Serializable;
import java.util.List;

/**
 * A network of the AstroNet kind (Shallue and Vanderburg 2018, AJ 155, 94): a global view of the phase-folded light
 * curve and a local view around the transit, each through its own column of 1-D convolution blocks (two
 * convolutions + ReLU, then max pooling with stride 2), the columns flattened and joined, dense ReLU layers, a
 * softmax over the classes. The paper's network is {@link Settings#astroNet()}.
 *
 * <p>The 1-D convolutions are 2-D ones over a 1-pixel-high input ({@code 1 x bins}, NCHW): the same layers as the
 * image CNN, so they take the same oneDNN helpers ({@link OneDnn}) and flatten without a hand-written reshape.
 */
public final class ViewsCnnFactory {
    public static final String GLOBAL = "global";
    public static final String LOCAL = "local";

    private ViewsCnnFactory() {
    }

    /**
     * @param globalFilters filters per convolution block of the global column
     * @param localFilters  filters per block of the local column
     * @param kernel        convolution width (bins)
     * @param globalPool    max-pooling width of the global column's blocks (stride 2)
     * @param localPool     max-pooling width of the local column's blocks (stride 2)
     * @param dense         units of each dense ReLU layer after the columns
     */
    public record Settings(long seed, int globalBins, int localBins, int[] globalFilters, int[] localFilters,
                           int kernel, int globalPool, int localPool, int[] dense, double learningRate, double l2,
                           List<String> classes) implements Serializable {

        /** The paper's network on TransitViews' 2001 and 201 bins, over planet / eclipsing binary / false alarm. */
        public static Settings astroNet() {
            return new Settings(42, 2001, 201, new int[] {16, 32, 64, 128, 256}, new int[] {16, 32}, 5, 5, 7,
                    new int[] {512, 512, 512, 512}, 1e-5, 0,
                    List.of("planet", "eclipsing-binary", "false-alarm"));
        }

        public int numClasses() {
            return classes.size();
        }
    }

    public static ComputationGraph build(Settings s) {
        ComputationGraph net = new ComputationGraph(configuration(s));
        net.init();
        return net;
    }

    public static ComputationGraphConfiguration configuration(Settings s) {
        ComputationGraphConfiguration.GraphBuilder g = graph(s.seed(), s.learningRate(), s.l2())
                .addInputs(GLOBAL, LOCAL)
                .setInputTypes(InputType.convolutional(1, s.globalBins(), 1),
                        InputType.convolutional(1, s.localBins(), 1));
        String global = column(g, GLOBAL, s.globalFilters(), s.kernel(), s.globalPool(), s.globalBins());
        String local = column(g, LOCAL, s.localFilters(), s.kernel(), s.localPool(), s.localBins());
        g.addVertex("views", new MergeVertex(), global, local);
        String last = "views";
        for (int i = 0; i < s.dense().length; i++) {
            g.addLayer("dense-" + i, new DenseLayer.Builder().nOut(s.dense()[i]).activation(Activation.RELU).build(),
                    last);
            last = "dense-" + i;
        }
        g.addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(s.numClasses())
                .activation(Activation.SOFTMAX).weightInit(WeightInit.XAVIER).build(), last);
        return g.setOutputs("out").build();
    }

    /** The graph builder of the views networks: Adam, He initialization, L2, "same" convolutions. */
    public static ComputationGraphConfiguration.GraphBuilder graph(long seed, double learningRate, double l2) {
        return new NeuralNetConfiguration.Builder()
                .seed(seed)
                .updater(new Adam(learningRate))
                .weightInit(WeightInit.RELU)
                .l2(l2)
                .convolutionMode(ConvolutionMode.Same)
                .graphBuilder();
    }

    /**
     * One view's column of AstroNet blocks (two 1 x kernel convolutions + ReLU, then 1 x pool max pooling with stride
     * 2) over a {@code 1 x bins} input; returns the name of its flattened output.
     */
    public static String column(ComputationGraphConfiguration.GraphBuilder g, String view, int[] filters,
                                 int kernel, int pool, int bins) {
        String last = view;
        int width = bins;
        for (int b = 0; b < filters.length; b++) {
            for (String part : new String[] {"a", "b"}) {
                String name = view + "-conv" + b + part;
                g.addLayer(name, new ConvolutionLayer.Builder(1, kernel).stride(1, 1).nOut(filters[b])
                        .activation(Activation.RELU).build(), last);
                last = name;
            }
            String name = view + "-pool" + b;
            g.addLayer(name, new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(1, pool)
                    .stride(1, 2).build(), last);
            last = name;
            width = (width + 1) / 2; // "same" pooling with stride 2
        }
        String flat = view + "-flat";
        g.addVertex(flat, new PreprocessorVertex(new CnnToFeedForwardPreProcessor(1, width,
                filters[filters.length - 1])), last);
        return flat;
    }
}
