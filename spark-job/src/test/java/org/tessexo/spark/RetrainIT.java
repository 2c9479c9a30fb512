package org.tessexo.spark;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tessexo.common.config.CommandLineArgs.Command;
import org.tessexo.common.config.PipelineSettings;
import org.tessexo.common.config.SettingsLoader;
import org.tessexo.common.demo.DemoDataGenerator;
import org.tessexo.common.model.ModelPackage;
import org.tessexo.common.model.Registry;
import org.tessexo.common.report.RunReport;
import org.tessexo.spark.jobs.JobRunner;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Retraining sector by sector on generated data: each sector's files arrive in turn, each retrain trains on the new
 * ones only (with a replay of old ones), the promoted model's AUC on the fixed evaluation set does not fall, a
 * batch with corrupted labels is refused promotion, and a retrain killed mid-way leaves the registry usable.
 */
class RetrainIT {
    private static final int FILES = 100;

    private static DemoDataGenerator.Summary sector(Path dir, long seed, boolean invertLabels) throws Exception {
        DemoDataGenerator.Summary d = DemoDataGenerator.generate(dir, FILES, 260, 268, seed);
        if (invertLabels) {
            List<String> out = new ArrayList<>();
            for (String line : Files.readAllLines(d.labels())) {
                out.add(line.endsWith(",1") ? line.replaceAll(",1$", ",0")
                        : line.endsWith(",0") ? line.replaceAll(",0$", ",1") : line);
            }
            Files.write(d.labels(), out);
        }
        return d;
    }

    private static RunReport retrain(Path registry, DemoDataGenerator.Summary d, Path out, String... more) {
        List<String> o = new ArrayList<>(List.of("retrain.registry=" + registry, "retrain.epochs=4"));
        o.addAll(List.of(more));
        // The demo's settings: 64 x 64 input, 10 epochs for the first version, batches of 16.
        PipelineSettings s = SettingsLoader.load(null, null, o, true)
                .withInput(d.ffiDir().toUri().toString()).withLabels(d.labels().toUri().toString())
                .withOutput(out.toString());
        return JobRunner.run(Command.RETRAIN, s, SparkTestSupport.spark());
    }

    private static String current(Path registry) throws Exception {
        return Files.readString(registry.resolve(Registry.CURRENT)).trim();
    }

    private static double auc(RunReport r) {
        return ((Number) r.retrain.get("new_auc")).doubleValue();
    }

    @Test
    void sectorBySectorWithARefusedBatchAndAKilledRun(@TempDir Path tmp) throws Exception {
        Path registry = tmp.resolve("registry");
        DemoDataGenerator.Summary s1 = sector(tmp.resolve("s1"), 101, false);
        DemoDataGenerator.Summary s2 = sector(tmp.resolve("s2"), 102, false);
        DemoDataGenerator.Summary s3 = sector(tmp.resolve("s3"), 103, false);
        // Sector 1's images again under new names, every label inverted: a labelling pipeline gone bad. (Images of
        // another star field would not do: the network tells the fields apart and learns the inversion for that
        // field alone, leaving the evaluation set, and promotion, untouched.)
        DemoDataGenerator.Summary bad = sector(tmp.resolve("s4"), 101, true);

        // Sector 1: a new registry. Trained from scratch, the evaluation set fixed from its files.
        RunReport r1 = retrain(registry, s1, tmp.resolve("run1"));
        assertEquals("ok", r1.status);
        assertEquals("promoted", r1.retrain.get("decision"), r1.retrain.toString());
        assertEquals("v0001", current(registry));
        List<Registry.Entry> evaluation = Registry.fromCsv(Files.readString(registry.resolve(Registry.EVALUATION)));
        assertTrue(evaluation.size() >= 10 && evaluation.size() <= 45, evaluation.size() + " evaluation files");
        List<Registry.Entry> m1 = Registry.fromCsv(Files.readString(registry.resolve("v0001/" + Registry.MANIFEST)));
        assertEquals(FILES, m1.size() + evaluation.size(), "every labelled file: trained on or evaluated on");
        Set<String> evalPaths = new HashSet<>();
        evaluation.forEach(e -> evalPaths.add(e.path()));
        assertTrue(m1.stream().noneMatch(e -> evalPaths.contains(e.path())), "never trained on the evaluation set");
        double auc1 = auc(r1);
        assertTrue(auc1 >= 0.85, "the first version learns the glow: AUC " + auc1);

        // Sector 2: only its files are new; trained on them with a replay of sector 1's, promoted.
        RunReport r2 = retrain(registry, s2, tmp.resolve("run2"));
        assertEquals(FILES, ((Number) r2.retrain.get("new_files")).intValue());
        assertEquals(FILES, ((Number) r2.retrain.get("new_labelled")).intValue());
        assertTrue(((Number) r2.retrain.get("replayed")).intValue() > 0);
        assertEquals("promoted", r2.retrain.get("decision"), r2.retrain.toString());
        assertEquals("v0002", current(registry));
        List<Registry.Entry> m2 = Registry.fromCsv(Files.readString(registry.resolve("v0002/" + Registry.MANIFEST)));
        assertEquals(m1.size() + FILES, m2.size(), "the manifest grows by the new files only");
        assertTrue(auc(r2) >= auc1 - 0.02, "promoted: not worse than the rule allows " + auc(r2) + " vs " + auc1);

        // The same input again: nothing new, nothing written.
        RunReport again = retrain(registry, s2, tmp.resolve("run2b"));
        assertEquals("nothing new", again.retrain.get("decision"));
        assertEquals("v0002", current(registry));

        // Sector 3, promoted; the metric of the promoted versions does not fall.
        RunReport r3 = retrain(registry, s3, tmp.resolve("run3"));
        assertEquals("promoted", r3.retrain.get("decision"), r3.retrain.toString());
        assertEquals("v0003", current(registry));
        assertTrue(auc(r3) >= auc1 - 0.02, "sector by sector the evaluation AUC holds: " + auc1 + ", " + auc(r2)
                + ", " + auc(r3));

        // A batch whose labels are all wrong: trained, evaluated, refused; v0003 stays current.
        RunReport rb = retrain(registry, bad, tmp.resolve("run4"));
        assertEquals("kept current", rb.retrain.get("decision"), rb.retrain.toString());
        double lossBad = ((Number) rb.retrain.get("new_log_loss")).doubleValue();
        double lossBefore = ((Number) rb.retrain.get("current_log_loss")).doubleValue();
        assertTrue(lossBad > lossBefore + 0.1 || auc(rb) < auc(r3) - 0.02, "the corrupted labels hurt: AUC "
                + auc(rb) + " vs " + auc(r3) + ", log loss " + lossBad + " vs " + lossBefore);
        assertEquals("v0003", current(registry));
        assertNotNull(rb.retrain.get("candidate"));
        assertTrue(Files.exists(registry.resolve(Registry.CANDIDATES)), "the refused model is kept for a look");
        assertFalse(Files.exists(registry.resolve("v0004")));

        // A retrain killed mid-way (kill -9 while training): the registry still serves v0003, and the next
        // retrain runs, cleaning what the killed one left.
        Path log = tmp.resolve("killed.txt");
        Process p = killable(registry, bad, tmp.resolve("run5"), log);
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
        while (p.isAlive() && System.nanoTime() < deadline
                && !Files.readString(log, StandardCharsets.UTF_8).contains("Retraining")) {
            Thread.sleep(200);
        }
        assertTrue(p.isAlive(), "still training when killed:\n" + Files.readString(log));
        p.destroyForcibly();
        assertTrue(p.waitFor(1, TimeUnit.MINUTES));
        assertEquals("v0003", current(registry));
        assertNotNull(ModelPackage.load(registry.resolve("v0003/model.zip")).network(), "current loads");
        RunReport after = retrain(registry, s3, tmp.resolve("run6"));
        assertEquals("nothing new", after.retrain.get("decision"), "the registry is usable after the kill");
    }

    /** The retrain of a bad batch, with many epochs, in its own JVM: something to kill. */
    private static Process killable(Path registry, DemoDataGenerator.Summary d, Path out, Path log) throws Exception {
        return SparkTestSupport.jobProcess(log, "retrain", "--registry", registry.toString(), "--input",
                d.ffiDir().toString(), "--labels", d.labels().toString(), "--output", out.toString(),
                "retrain.epochs=500", "preprocess.height=64", "preprocess.width=64",
                "training.batch-size-per-worker=16");
    }

    @Test
    void theVetterToo(@TempDir Path tmp) throws Exception {
        // Generated quiet and rotating stars, three "sectors" of them; the examples are injected planets and
        // binaries and inverted false alarms, so no labels table is needed.
        Path registry = tmp.resolve("vetters");
        List<String> settings = List.of("retrain.model=vetter", "vetter.epochs=12", "retrain.epochs=3",
                "vetter.min-snr=12", "vetter.max-snr=40", "vetter.planets-per-star=3", "vetter.binaries-per-star=2",
                "retrain.evaluation-fraction=0.3");
        List<Double> aucs = new ArrayList<>();
        for (int sector = 1; sector <= 3; sector++) {
            Path stars = tmp.resolve("s" + sector);
            org.tessexo.common.demo.LightCurveGenerator.write(stars, 36, 40 + sector);
            List<String> o = new ArrayList<>(settings);
            o.add("retrain.registry=" + registry);
            PipelineSettings s = SettingsLoader.load(null, null, o).withInput(stars.toString())
                    .withOutput(tmp.resolve("run" + sector).toString());
            RunReport r = JobRunner.run(Command.RETRAIN, s, SparkTestSupport.spark());
            assertEquals("ok", r.status, r.error);
            assertEquals(36, ((Number) r.retrain.get("new_files")).intValue());
            Object decision = r.retrain.get("decision");
            double auc = ((Number) r.retrain.get("new_auc")).doubleValue();
            if (sector == 1) {
                assertEquals("promoted", decision, r.retrain.toString());
                assertTrue(auc >= 0.75, "the first vetter separates planets from the rest: " + r.retrain);
            } else {
                double before = ((Number) r.retrain.get("current_auc")).doubleValue();
                double lossBefore = ((Number) r.retrain.get("current_log_loss")).doubleValue();
                double loss = ((Number) r.retrain.get("new_log_loss")).doubleValue();
                boolean rule = auc >= before - 0.02 && loss <= lossBefore + 0.1;
                assertEquals(rule ? "promoted" : "kept current", decision, "the rule, applied: " + r.retrain);
                assertEquals(aucs.get(aucs.size() - 1), before, 1e-9, "the current vetter is scored on the same"
                        + " evaluation examples as when it was promoted");
            }
            if ("promoted".equals(decision)) {
                aucs.add(auc);
            }
        }
        String current = current(registry);
        assertEquals("v" + String.format(java.util.Locale.ROOT, "%04d", aucs.size()), current);
        org.tessexo.common.vetting.Vetter v = org.tessexo.common.vetting.Vetter.load(
                Files.readAllBytes(registry.resolve(current + "/vetter.zip")), false);
        assertNotNull(v.network());
        assertTrue(aucs.size() >= 2, "a warm-started vetter was promoted at least once: " + aucs);
    }
}
