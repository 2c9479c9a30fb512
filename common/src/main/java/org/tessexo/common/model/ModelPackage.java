package org.tessexo.common.model;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Enumeration;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * A trained network and its {@link ModelMetadata} in one {@code model.zip}: the zip {@link ModelSerializer} writes,
 * plus a {@code tess-model.json} entry ({@code unzip -p model.zip tess-model.json} shows it). Loads back with plain
 * {@code ModelSerializer.restoreMultiLayerNetwork} too. Local files only; the job copies the result to its output
 * store.
 */
public final class ModelPackage {
    public static final String METADATA_ENTRY = "tess-model.json";

    private ModelPackage() {
    }

    public record Loaded(MultiLayerNetwork network, ModelMetadata metadata) {
    }

    /** Writes atomically: a temporary file beside {@code target}, then a rename. */
    public static void save(MultiLayerNetwork net, ModelMetadata metadata, Path target) throws IOException {
        save(net, METADATA_ENTRY, metadata.toJson(), target, true);
    }

    /**
     * Any DL4J network ({@code MultiLayerNetwork} or {@code ComputationGraph}) and a JSON entry of ours in one zip,
     * written atomically.
     *
     * @param withUpdater keep the optimizer's state (to continue training); a shipped model leaves it out
     */
    public static void save(org.deeplearning4j.nn.api.Model net, String entry, String json, Path target,
                            boolean withUpdater) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path plain = Files.createTempFile(dir, ".model-", ".zip.tmp");
        Path withMeta = Files.createTempFile(dir, ".model-meta-", ".zip.tmp");
        try {
            ModelSerializer.writeModel(net, plain.toFile(), withUpdater);
            try (ZipFile in = new ZipFile(plain.toFile());
                 ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(withMeta))) {
                Enumeration<? extends ZipEntry> entries = in.entries();
                while (entries.hasMoreElements()) {
                    ZipEntry e = entries.nextElement();
                    out.putNextEntry(new ZipEntry(e.getName()));
                    try (InputStream is = in.getInputStream(e)) {
                        is.transferTo(out);
                    }
                    out.closeEntry();
                }
                out.putNextEntry(new ZipEntry(entry));
                out.write(json.getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
            Files.move(withMeta, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(plain);
            Files.deleteIfExists(withMeta);
        }
    }

    public static Loaded load(Path file) throws IOException {
        return load(file, false);
    }

    /** @param withUpdater also restore the optimizer's state (Adam's moments), to continue training */
    public static Loaded load(Path file, boolean withUpdater) throws IOException {
        MultiLayerNetwork net = ModelSerializer.restoreMultiLayerNetwork(file.toFile(), withUpdater);
        return new Loaded(net, readMetadata(file));
    }

    /** A model from a file's bytes (as read from any Hadoop URI), without the optimizer's state. */
    public static Loaded load(byte[] zip) throws IOException {
        return load(zip, false);
    }

    /** @param withUpdater also restore the optimizer's state, to continue training (retrain's warm start) */
    public static Loaded load(byte[] zip, boolean withUpdater) throws IOException {
        Path tmp = Files.createTempFile("tess-model-", ".zip");
        try {
            Files.write(tmp, zip);
            return load(tmp, withUpdater);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    public static ModelMetadata readMetadata(Path file) throws IOException {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry e = zip.getEntry(METADATA_ENTRY);
            if (e == null) {
                throw new IOException(file + " has no " + METADATA_ENTRY + ": not a model written by this pipeline");
            }
            try (InputStream is = zip.getInputStream(e)) {
                return ModelMetadata.fromJson(new String(is.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
    }
}
