package org.tessexo.spark;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tessexo.spark.jobs.JobRunner;
import org.tessexo.common.config.CommandLineArgs.Command;
import org.tessexo.common.config.PipelineSettings;
import org.tessexo.common.config.SettingsLoader;
import org.tessexo.common.demo.DemoDataGenerator;
import org.tessexo.common.model.ModelPackage;
import org.tessexo.common.report.RunReport;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Learning through the whole Spark path: the demo's scattered-light task, two workers with parameter averaging,
 * labels joined from the table, evaluated on the held-out split. A broken label join, broken averaging or broken
 * preprocessing leaves the model at chance (about 0.6 here, the share of clean frames) and fails the assertion.
 */
class DemoLearningIT {

    @Test
    void reachesHeldOutAccuracyOfAtLeast90Percent(@TempDir Path tmp) throws Exception {
        PipelineSettings defaults = SettingsLoader.load(null, null, List.of(), true);
        PipelineSettings.Demo d = defaults.demo();
        DemoDataGenerator.Summary data = DemoDataGenerator.generate(tmp.resolve("demo"), d.files(), d.height(),
                d.width(), d.seed());
        PipelineSettings s = defaults.withInput(data.ffiDir().toUri().toString())
                .withLabels(data.labels().toUri().toString())
                .withOutput(tmp.resolve("out").toString());

        RunReport r = JobRunner.run(Command.DEMO, s, SparkTestSupport.spark());

        assertEquals("ok", r.status);
        assertEquals(2, r.workers, "two workers average their parameters");
        assertTrue(r.oneDnn.startsWith("engaged"), "DL4J's oneDNN helpers run the convolutions: " + r.oneDnn);
        assertEquals(d.files(), r.images);
        assertEquals(d.files(), r.labelled);
        assertEquals(d.files(), r.trainSamples + r.evaluation.samples());
        assertTrue(r.evaluation.samples() >= 30, "held-out samples: " + r.evaluation.samples());
        assertTrue(r.evaluation.accuracy() >= 0.9, "held-out accuracy " + r.evaluation.accuracy());
        assertTrue(r.evaluation.auc() >= 0.9, "held-out AUC " + r.evaluation.auc());
        assertTrue(r.scores.get(r.scores.size() - 1) < r.scores.get(0), "the loss fell: " + r.scores);
        ModelPackage.Loaded model = ModelPackage.load(tmp.resolve("out").resolve("model.zip"));
        assertEquals(List.of("clean", "scattered-light"), model.metadata().classes());
    }
}
