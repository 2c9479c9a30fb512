package org.tessexo.spark.steps;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tessexo.common.config.PipelineSettings;
import org.tessexo.common.errors.UserException;
import org.tessexo.common.model.CheckpointState;
import org.tessexo.common.model.ModelMetadata;
import org.tessexo.common.model.ModelPackage;
import org.tessexo.spark.io.ListedFile;
import org.tessexo.spark.io.OutputStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * A training run's checkpoints in {@code checkpoints/} of the output folder: the model after an epoch, the state
 * that names the newest one (written after the model, so that it never names a partial file), the older ones
 * rotated out, and, for {@code --resume}, the state read back and checked against this run's data.
 */
public final class Checkpoints {
    private static final Logger LOG = LoggerFactory.getLogger(Checkpoints.class);
    public static final String DIR = CheckpointState.DIR;
    private static final String STATE = CheckpointState.DIR + "/" + CheckpointState.FILE;

    private final OutputStore out;
    private final int keep;
    private final String fingerprint;

    /**
     * @param keep        how many checkpoint models stay (training.checkpoint.keep)
     * @param fingerprint this run's data and settings ({@link #fingerprint}): a resume must match it
     */
    public Checkpoints(OutputStore out, int keep, String fingerprint) {
        this.out = out;
        this.keep = keep;
        this.fingerprint = fingerprint;
    }

    /** Whether the folder holds a checkpoint state to resume from. */
    public static boolean exists(OutputStore out) throws IOException {
        return out.exists(STATE);
    }

    /** Same files (paths and sizes), labels and training-shaping settings give the same fingerprint. */
    public static String fingerprint(PipelineSettings s, List<ListedFile> files) {
        CheckpointState.Fingerprint f = new CheckpointState.Fingerprint()
                .add(s.labels()).add(s.fits()).add(s.preprocess()).add(s.model().seed())
                .add(Arrays.toString(s.model().filters())).add(s.model().dense()).add(s.model().learningRate())
                .add(s.model().l2()).add(s.model().classes()).add(s.training().batchSizePerWorker())
                .add(s.training().averagingFrequency()).add(s.training().testFraction())
                .add(s.training().splitSeed()).add(files.size());
        for (ListedFile k : files) {
            f.add(k.path()).add(k.length());
        }
        return f.hex();
    }

    /**
     * Saves the model after {@code epoch}, then the state naming it, then removes the oldest beyond {@code keep}.
     *
     * @return the checkpoint's URI
     */
    public String save(MultiLayerNetwork net, ModelMetadata meta, int epoch, List<Double> scores) {
        String name = CheckpointState.checkpointName(epoch);
        ModelFiles.save(out, net, meta, CheckpointState.DIR + "/" + name);
        CheckpointState state = new CheckpointState(epoch, List.copyOf(scores), name, fingerprint,
                Instant.now().toString());
        try {
            out.writeText(STATE, state.toJson());
            List<String> old = out.list(CheckpointState.DIR).stream()
                    .filter(n -> n.startsWith("epoch-") && n.endsWith(".zip")).sorted().toList();
            for (int i = 0; i < old.size() - keep; i++) {
                out.delete(CheckpointState.DIR + "/" + old.get(i));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the checkpoint state to " + out.uri(CheckpointState.DIR)
                    + ": " + e.getMessage(), e);
        }
        String uri = out.uri(CheckpointState.DIR + "/" + name);
        LOG.info("Checkpoint: {}", uri);
        return uri;
    }

    /** The state to resume from; a user error when it cannot be read or was made from other data or settings. */
    public CheckpointState state() {
        CheckpointState state;
        try {
            state = CheckpointState.fromJson(new String(out.read(STATE), StandardCharsets.UTF_8));
        } catch (IOException | UncheckedIOException e) {
            throw new UserException("--resume: cannot read " + out.uri(STATE) + ": " + e.getMessage()
                    + ". Run without --resume (with --overwrite).", e);
        }
        if (!state.fingerprint().equals(fingerprint)) {
            throw new UserException("--resume: the checkpoint in " + out.uri(CheckpointState.DIR) + " was made from"
                    + " other files, labels or training settings than this run's. Resume with the same --input,"
                    + " --labels and settings, or start again with --overwrite.");
        }
        return state;
    }

    /** The model the state names. */
    public MultiLayerNetwork load(CheckpointState state) {
        String name = CheckpointState.DIR + "/" + state.checkpoint();
        try {
            Path local = Files.createTempFile("tess-checkpoint-", ".zip");
            try {
                out.copyToLocal(name, local);
                return ModelPackage.load(local, true).network();
            } finally {
                Files.deleteIfExists(local);
            }
        } catch (IOException | RuntimeException e) {
            throw new UserException("--resume: cannot load the checkpoint " + out.uri(name) + ": " + e.getMessage()
                    + ". Start again with --overwrite.", e);
        }
    }

    public String uri(CheckpointState state) {
        return out.uri(CheckpointState.DIR + "/" + state.checkpoint());
    }
}
