package org.tessexo.common.model;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Builds the image classifier from settings; a pure function of them (same settings and seed, same initial
 * weights). Input: one channel of {@code height x width} normalized pixels (NCHW); output: class probabilities.
 */
public final class CnnFactory {
    private CnnFactory() {
    }

    public static MultiLayerConfiguration configuration(ModelSettings m, int height, int width) {
        m.checkInput(height, width);
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder()
                .seed(m.seed())
                .updater(new Adam(m.learningRate()))
                .weightInit(WeightInit.RELU)
                .l2(m.l2())
                .convolutionMode(ConvolutionMode.Same)
                .list();
        for (int f : m.filters()) {
            list.layer(new ConvolutionLayer.Builder(3, 3).stride(1, 1).nOut(f).activation(Activation.RELU).build());
            list.layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX)
                    .kernelSize(2, 2).stride(2, 2).build());
        }
        list.layer(new DenseLayer.Builder().nOut(m.dense()).activation(Activation.RELU).build());
        list.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                .nOut(m.numClasses()).activation(Activation.SOFTMAX).weightInit(WeightInit.XAVIER).build());
        return list.setInputType(InputType.convolutional(height, width, 1)).build();
    }

    public static MultiLayerNetwork build(ModelSettings m, int height, int width) {
        MultiLayerNetwork net = new MultiLayerNetwork(configuration(m, height, width));
        net.init();
        return net;
    }
}
