package org.nd4j.nativeblas;

/**
 * A compatibility shim, not ND4J's own class: it answers the one reflective lookup by which DL4J 1.0.0-M2.1 decides
 * whether its oneDNN layer helpers may run, and nothing else.
 *
 * <p>{@code org.deeplearning4j.nn.layers.mkldnn.BaseMKLDNNHelper.mklDnnEnabled()} loads
 * {@code org.nd4j.nativeblas.Nd4jCpu$Environment} by name and calls {@code getInstance().isUseMKLDNN()}. ND4J M2.1
 * renamed that API to {@code org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu.Environment.isUseONEDNN()}; the lookup
 * fails, DL4J caches the failure for the life of the JVM, and every convolution and pooling layer runs without its
 * helper (im2col on the JVM: half of training time). This class delegates the old name to the new one. It is
 * consulted only with the CPU backend, and only when helpers are allowed ({@code org.tessexo.common.model.OneDnn}).
 * Remove it with a DL4J release whose helper lookup matches its ND4J.
 */
public final class Nd4jCpu {
    private Nd4jCpu() {
    }

    /** The old name of libnd4j's environment, as DL4J's helper check looks it up. */
    public static final class Environment {
        private static final Environment INSTANCE = new Environment();
        private static final String RENAMED = "org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment";

        private Environment() {
        }

        public static Environment getInstance() {
            return INSTANCE;
        }

        /**
         * Whether libnd4j was built with oneDNN and uses it: the renamed {@code isUseONEDNN()}, called by name so
         * that this class also compiles against the CUDA backend (where DL4J never asks).
         */
        public boolean isUseMKLDNN() {
            try {
                Class<?> env = Class.forName(RENAMED);
                Object instance = env.getMethod("getInstance").invoke(null);
                return (Boolean) env.getMethod("isUseONEDNN").invoke(instance);
            } catch (ReflectiveOperationException | LinkageError e) {
                return false; // not the CPU backend: no oneDNN helper
            }
        }
    }
}
