package org.tessexo.serve;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tessexo.common.model.ModelMetadata;
import org.tessexo.common.model.ModelPackage;
import org.tessexo.common.vetting.Vetter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The models the server scores with, as one immutable generation: the image model's and the vetter's bytes, read
 * from any Hadoop URI and checked by loading them. A reload reads and checks a new generation completely, then swaps
 * it in at once: a request keeps the generation it started with, so none is lost or sees half of each; a reload
 * that fails keeps the current generation and says why.
 *
 * <p>A URI may name a file or a registry folder (written by {@code retrain}): the folder's {@code current} file
 * names the version folder whose {@code model.zip} (or {@code vetter.zip}) is used, so a promotion is followed.
 */
final class Models {
    private static final Logger LOG = LoggerFactory.getLogger(Models.class);
    static final String CURRENT = org.tessexo.common.model.Registry.CURRENT;

    /** What one generation holds; {@code modelZip} null: no image model; {@code vetterZip} null: no vetting. */
    record Generation(long id, String modelUri, byte[] modelZip, ModelMetadata metadata, String modelVersion,
                      byte[] vetterZip, String vetterDescription, String vetterVersion, String fingerprint,
                      Instant loadedAt) {
    }

    /** What a reload did: loaded a new generation, found nothing changed, or failed (the current one stays). */
    record Reload(boolean changed, boolean failed, String message, Generation generation) {
    }

    private final String modelUri;
    private final String vetterUri;
    private final Configuration hadoop;
    private final AtomicReference<Generation> current = new AtomicReference<>();
    private long nextId = 1;

    /**
     * @param modelUri  a model.zip or a registry folder; empty: no image model
     * @param vetterUri tess.vetter.model: "" the shipped vetter, "none" no vetting, else a vetter.zip or registry
     */
    Models(String modelUri, String vetterUri, Configuration hadoop) {
        this.modelUri = modelUri.trim();
        this.vetterUri = vetterUri.trim();
        this.hadoop = hadoop;
    }

    Generation current() {
        return current.get();
    }

    /**
     * Reads and checks the models, and swaps them in when they changed (or always, with {@code force}).
     *
     * @throws IOException only for the first load (nothing to keep): the caller stops with the reason
     */
    synchronized Reload reload(boolean force) throws IOException {
        Generation old = current.get();
        try {
            Resolved model = modelUri.isEmpty() ? null : resolve(modelUri, "model.zip");
            Resolved vetter = vetterUri.isEmpty() || vetterUri.equalsIgnoreCase(Vetter.NONE) ? null
                    : resolve(vetterUri, "vetter.zip");
            String fingerprint = (model == null ? "-" : model.fingerprint) + "|"
                    + (vetter == null ? vetterUri : vetter.fingerprint);
            if (!force && old != null && old.fingerprint().equals(fingerprint)) {
                return new Reload(false, false, "unchanged", old);
            }
            byte[] modelZip = null;
            ModelMetadata metadata = null;
            if (model != null) {
                modelZip = readAll(model.path);
                try {
                    metadata = ModelPackage.load(modelZip).metadata(); // loads the network too: a check
                } catch (IOException | RuntimeException e) {
                    throw new IOException(model.path + " is not a model.zip written by train: " + e.getMessage(), e);
                }
            }
            byte[] vetterZip;
            String vetterDescription;
            if (vetterUri.equalsIgnoreCase(Vetter.NONE)) {
                vetterZip = null;
                vetterDescription = "none (tess.vetter.model = none)";
            } else {
                vetterZip = vetter == null ? Vetter.shippedBytes() : readAll(vetter.path);
                String where = vetter == null ? "shipped vetter" : vetter.path.toString();
                if (vetterZip == null) {
                    vetterDescription = "none: this build ships no vetter";
                } else {
                    try {
                        vetterDescription = where + ": " + Vetter.load(vetterZip, false);
                    } catch (IOException | RuntimeException e) {
                        throw new IOException(where + " is not a vetter.zip written by train-vetter: "
                                + e.getMessage(), e);
                    }
                }
            }
            Generation g = new Generation(nextId++, model == null ? "" : model.path.toString(), modelZip, metadata,
                    model == null ? "" : model.version, vetterZip, vetterDescription,
                    vetter == null ? "" : vetter.version, fingerprint, Instant.now());
            current.set(g);
            LOG.info("Models generation {}: image model {}, vetter {}", g.id(),
                    g.modelUri().isEmpty() ? "none" : g.modelUri(), g.vetterDescription());
            return new Reload(true, false, "loaded generation " + g.id(), g);
        } catch (IOException | RuntimeException e) {
            if (old == null) {
                throw e instanceof IOException io ? io : new IOException(e.getMessage(), e);
            }
            LOG.warn("Reload failed, generation {} stays: {}", old.id(), e.getMessage());
            return new Reload(false, true, e.getMessage(), old);
        }
    }

    private record Resolved(Path path, String version, String fingerprint) {
    }

    /** A file as it is; a registry folder through its {@code current} pointer. */
    private Resolved resolve(String uri, String fileInVersion) throws IOException {
        Path p = new Path(uri);
        FileSystem fs = p.getFileSystem(hadoop);
        FileStatus st = fs.getFileStatus(p);
        if (st.isDirectory()) {
            Path pointer = new Path(p, CURRENT);
            String version;
            try (FSDataInputStream in = fs.open(pointer)) {
                version = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            } catch (IOException e) {
                throw new IOException(uri + " is a folder without a readable '" + CURRENT + "' file: give a "
                        + fileInVersion + " or a registry folder written by retrain (" + e.getMessage() + ")", e);
            }
            if (version.isEmpty() || version.contains("/")) {
                throw new IOException(pointer + " names no version ('" + version + "')");
            }
            p = new Path(new Path(p, version), fileInVersion);
            st = fs.getFileStatus(p);
            return new Resolved(p, version, p + "@" + st.getModificationTime() + "/" + st.getLen());
        }
        return new Resolved(p, "", p + "@" + st.getModificationTime() + "/" + st.getLen());
    }

    private byte[] readAll(Path p) throws IOException {
        FileSystem fs = p.getFileSystem(hadoop);
        long len = fs.getFileStatus(p).getLen();
        if (len > Integer.MAX_VALUE - 16) {
            throw new IOException(p + " is " + len + " bytes: too large for a model");
        }
        try (FSDataInputStream in = fs.open(p)) {
            return in.readAllBytes();
        }
    }
}
