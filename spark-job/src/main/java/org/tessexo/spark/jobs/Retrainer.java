package org.tessexo.spark.jobs;

import org.tessexo.common.model.Registry;
import org.tessexo.common.report.RunReport;
import org.tessexo.spark.io.ListedFile;
import org.tessexo.spark.steps.JobContext;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code retrain} does differently for each kind of model (tess.retrain.model): how its input is listed, how
 * its examples are made, how it is trained further and scored. {@link RetrainJob} does the rest, the same for
 * both: the registry, what is new, the replay, the promotion and the publication.
 */
interface Retrainer {
    /** The model's file in a version folder (model.zip, vetter.zip). */
    String modelFile();

    List<ListedFile> list(JobContext ctx, RunReport.Builder report);

    /**
     * What to train on.
     *
     * @param current      the current version's name and its model's bytes (empty for the first version)
     * @param fresh        the listed files the registry has not seen
     * @param replay       old files to train on again, with the labels they were trained with
     * @param manifest     every file the current version trained on
     * @param evaluation   the fixed evaluation set (empty for the first version: the retrainer chooses it)
     * @param sizes        listed files' sizes, by path
     */
    record Plan(Optional<String> current, byte[] currentModel, List<ListedFile> fresh, List<Registry.Entry> replay,
                List<Registry.Entry> manifest, List<Registry.Entry> evaluation, Map<String, Long> sizes) {
    }

    /**
     * A model trained and scored.
     *
     * @param added      the new files trained on (the manifest grows by these)
     * @param evaluation the evaluation set (the registry's, or the one chosen for the first version)
     * @param current    the current model's metrics on it (null for the first version)
     */
    record Trained(byte[] model, List<Registry.Entry> added, List<Registry.Entry> evaluation,
                   Registry.Metrics current, Registry.Metrics candidate, int epochs) {
    }

    /** Trains and scores; puts what it did into {@code section} (the report's retrain section). */
    Trained train(JobContext ctx, RunReport.Builder report, Map<String, Object> section, Plan plan)
            throws IOException;
}
