package org.tessexo.spark.steps;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.tessexo.common.model.ModelMetadata;
import org.tessexo.common.model.ModelPackage;
import org.tessexo.spark.io.OutputStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A model package ({@code model.zip}: network and metadata) written into the output folder. */
public final class ModelFiles {
    public static final String MODEL = "model.zip";

    private ModelFiles() {
    }

    /** Saves to a local temporary file (DL4J writes local files), then copies it to {@code name} in the output. */
    public static void save(OutputStore out, MultiLayerNetwork net, ModelMetadata meta, String name) {
        try {
            Path local = Files.createTempFile("tess-model-", ".zip");
            try {
                ModelPackage.save(net, meta, local);
                out.copyFromLocal(local, name);
            } finally {
                Files.deleteIfExists(local);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot save the model to " + out.uri(name) + ": " + e.getMessage(), e);
        }
    }
}
