package org.tessexo.common.model;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.layers.LayerHelper;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.nativeblas.NativeOpsHolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Serializable;

/**
 * DL4J's oneDNN path: its convolution and pooling layer helpers on libnd4j's oneDNN, instead of im2col and GEMM on
 * the JVM (about 3-4x faster training on a CPU). Three things must hold in every JVM that builds a network (the
 * driver, and each executor: a helper is chosen when a layer is constructed):
 * <ol>
 *   <li>the backend is built with oneDNN: the {@code linux-x86_64-onednn} classifier of {@code nd4j-native} (the
 *   {@code cpu} profile's default);</li>
 *   <li>helpers are allowed: DL4J reads the system property {@value #HELPERS_DISABLE}, which defaults to true;
 *   {@link #enable()} sets it to false unless the user set it (so {@code -D...=true} turns the path off), and
 *   executors get {@link #JVM_OPTION};</li>
 *   <li>DL4J's check that oneDNN is in use finds the API it looks for: {@link org.nd4j.nativeblas.Nd4jCpu}.</li>
 * </ol>
 * {@link #check()} says whether a convolution layer built here really got its oneDNN helper, and if not, why.
 */
public final class OneDnn {
    private static final Logger LOG = LoggerFactory.getLogger(OneDnn.class);
    public static final String HELPERS_DISABLE = "org.eclipse.deeplearning4j.helpers.disable";
    /** What executors started as their own JVMs need on their command line. */
    public static final String JVM_OPTION = "-D" + HELPERS_DISABLE + "=false";

    private OneDnn() {
    }

    /** Whether oneDNN runs this JVM's convolutions, and what was found. */
    public record Status(boolean engaged, String detail) implements Serializable {
    }

    /** Allows DL4J's layer helpers in this JVM, unless the user set {@value #HELPERS_DISABLE} already. */
    public static void enable() {
        if (System.getProperty(HELPERS_DISABLE) == null) {
            System.setProperty(HELPERS_DISABLE, "false");
        }
    }

    /**
     * Builds a one-convolution network the way training does and looks at the helper its layer got. Cheap (a few
     * milliseconds after ND4J is loaded).
     */
    public static Status check() {
        String backend = Nd4j.getExecutioner().getEnvironmentInformation().getProperty("backend", "?");
        if (!"CPU".equalsIgnoreCase(backend)) {
            return new Status(false, "backend " + backend + ": oneDNN is the CPU backend's (cuDNN serves CUDA)");
        }
        String build = NativeOpsHolder.getInstance().getDeviceNativeOps().buildInfo();
        if (build == null || !build.contains("HAVE_ONEDNN")) {
            return new Status(false, "nd4j-native was built without oneDNN (build info: "
                    + (build == null ? "none" : build.replace('\n', ' ').trim()) + "); use the "
                    + "linux-x86_64-onednn classifier (the cpu profile's default)");
        }
        if (Boolean.parseBoolean(System.getProperty(HELPERS_DISABLE, "true"))) {
            return new Status(false, "DL4J's layer helpers are disabled in this JVM (" + HELPERS_DISABLE + " = "
                    + System.getProperty(HELPERS_DISABLE, "true (DL4J's default)") + ")");
        }
        MultiLayerNetwork probe = probe();
        String conv = helperName(probe, 0);
        String pool = helperName(probe, 1);
        if (!conv.contains("MKLDNN")) {
            return new Status(false, "the convolution layer got helper " + conv + ": DL4J's oneDNN check failed"
                    + " (is org.nd4j.nativeblas.Nd4jCpu, the compatibility class, on the classpath?)");
        }
        return new Status(true, "convolution " + conv + ", pooling " + pool);
    }

    /** {@link #enable()}, then {@link #check()}, logged: info when engaged, a warning naming the cause when not. */
    public static Status enableAndReport() {
        enable();
        Status s = check();
        if (s.engaged()) {
            LOG.info("oneDNN engaged: {}", s.detail());
        } else {
            LOG.warn("oneDNN NOT engaged, training runs at a third of its speed: {}", s.detail());
        }
        return s;
    }

    private static MultiLayerNetwork probe() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(1).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(2).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2)
                        .build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(2).build())
                .setInputType(InputType.convolutional(8, 8, 1)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /** The simple class name of layer {@code i}'s helper, or "none". */
    static String helperName(MultiLayerNetwork net, int i) {
        return helperName(net.getLayer(i));
    }

    /** The simple class name of a convolution or pooling layer's helper, or "none". */
    public static String helperName(Layer layer) {
        LayerHelper h = null;
        if (layer instanceof org.deeplearning4j.nn.layers.convolution.ConvolutionLayer c) {
            h = c.getHelper();
        } else if (layer instanceof org.deeplearning4j.nn.layers.convolution.subsampling.SubsamplingLayer p) {
            h = p.getHelper();
        }
        return h == null ? "none" : h.getClass().getSimpleName();
    }
}
