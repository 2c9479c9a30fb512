package org.tessexo.common.model;

import java.io.Serializable;
import java.util.List;

/**
 * The CNN's architecture and optimizer: {@code filters.length} blocks of 3x3 convolution + ReLU + 2x2 max pooling,
 * one dense ReLU layer, a softmax over {@code classes}.
 */
public record ModelSettings(long seed, int[] filters, int dense, double learningRate, double l2, List<String> classes)
        implements Serializable {

    public static ModelSettings defaults() {
        return new ModelSettings(42, new int[] {16, 32, 32}, 64, 1e-3, 1e-4, List.of("clean", "scattered-light"));
    }

    public int numClasses() {
        return classes.size();
    }

    public void validate() {
        if (filters.length == 0) {
            throw new IllegalArgumentException("tess.model.filters is empty");
        }
        for (int f : filters) {
            if (f < 1) {
                throw new IllegalArgumentException("tess.model.filters must all be >= 1");
            }
        }
        if (dense < 1) {
            throw new IllegalArgumentException("tess.model.dense must be >= 1");
        }
        if (!(learningRate > 0)) {
            throw new IllegalArgumentException("tess.model.learning-rate must be > 0");
        }
        if (l2 < 0) {
            throw new IllegalArgumentException("tess.model.l2 must be >= 0");
        }
    }

    /**
     * Each of the {@link #filters} blocks halves the input with a 2 x 2 pooling: the input must stay at least 2 x 2
     * before each one.
     */
    public void checkInput(int height, int width) {
        int h = height;
        int w = width;
        for (int i = 0; i < filters.length; i++) {
            if (h < 2 || w < 2) {
                throw new IllegalArgumentException(filters.length + " pooling blocks reduce the " + height + " x "
                        + width + " input below 1 pixel; use fewer tess.model.filters or a larger tess.preprocess"
                        + " size");
            }
            h /= 2;
            w /= 2;
        }
    }
}
