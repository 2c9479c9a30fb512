package org.tessexo.spark.steps;

import org.tessexo.common.errors.UserException;
import org.tessexo.common.vetting.Vetter;
import org.tessexo.spark.io.HadoopFiles;

import java.io.IOException;

/**
 * The vetter a run scores with, read once on the driver: {@code tess.vetter.model} {@code ""} is the one shipped in
 * the jar, {@code "none"} no vetting, anything else a {@code vetter.zip} URI. Checked here (a file that is not a
 * vetter is the user's error, exit 2, before any work), then broadcast as bytes.
 */
public final class VetterFiles {
    public static final String NONE = Vetter.NONE;

    private VetterFiles() {
    }

    /** The vetter's bytes and what it is, or no bytes (and why) when there is no vetting. */
    public record Loaded(byte[] bytes, String description) {
    }

    public static Loaded load(JobContext ctx) {
        String uri = ctx.settings().vetting().model().trim();
        if (uri.equalsIgnoreCase(NONE)) {
            return new Loaded(null, "none (tess.vetter.model = none)");
        }
        byte[] bytes;
        String where;
        try {
            if (uri.isEmpty()) {
                bytes = Vetter.shippedBytes();
                where = "shipped vetter (" + Vetter.SHIPPED + ")";
                if (bytes == null) {
                    return new Loaded(null, "none: this build ships no vetter (train one with train-vetter and"
                            + " pass --vetter)");
                }
            } else {
                bytes = HadoopFiles.readAll(uri, ctx.hadoop());
                where = uri;
            }
        } catch (IOException e) {
            throw new UserException("--vetter " + uri + " cannot be read: " + e.getMessage()
                    + ". Give a vetter.zip written by train-vetter, or --vetter none.", e);
        }
        try {
            Vetter v = Vetter.load(bytes, false);
            return new Loaded(bytes, where + ": " + v);
        } catch (IOException | RuntimeException e) {
            throw new UserException("--vetter " + (uri.isEmpty() ? where : uri) + " is not a vetter: "
                    + e.getMessage() + ". Give a vetter.zip written by train-vetter, or --vetter none.", e);
        }
    }
}
