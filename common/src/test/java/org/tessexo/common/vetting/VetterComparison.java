package org.tessexo.common.vetting;

import org.tessexo.common.config.PipelineSettings;
import org.tessexo.common.config.SettingsLoader;
import org.tessexo.common.eval.HeldOutSplit;
import org.tessexo.common.lightcurve.LightCurveReader;
import org.tessexo.common.lightcurve.TransitSearch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * Two or more vetters scored on the same held-out examples: those {@code train-vetter} holds out of a folder of
 * labelled light curves (its default settings: the training search, the plan, the seed and the 20% split by star),
 * made as its executors make them ({@link TrainingExamples}, seeded by the file's name). A vetter trained on
 * another search, or before a change to the examples, is judged on what today's search hands it, beside the one
 * retrained on it: for the vetter just trained this reproduces train-vetter's own held-out evaluation.
 *
 * <pre>VetterComparison FOLDER-WITH-INDEX.tsv VETTER...</pre> (VETTER: a vetter.zip, or {@code shipped});
 * prints each vetter's evaluation ({@link VettingMetrics}) as one line.
 */
public final class VetterComparison {

    private VetterComparison() {
    }

    public static void main(String[] args) throws Exception {
        PipelineSettings s = SettingsLoader.load(null, "defaults", List.of());
        PipelineSettings.Vetting v = s.vetting();
        Path dir = Path.of(args[0]);
        Map<String, TrainingExamples.Known> known = VetterLabels.parse(Files.readString(dir.resolve("INDEX.tsv")));
        TrainingExamples.Plan plan = new TrainingExamples.Plan(v.planetsPerStar(), v.binariesPerStar(), v.minSnr(),
                v.maxSnr());
        List<Path> files;
        try (Stream<Path> listed = Files.list(dir)) {
            files = listed.filter(p -> p.getFileName().toString().endsWith(".fits")).sorted().toList();
        }
        ExecutorService pool = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors());
        List<Future<List<TrainingExamples.Example>>> made = new ArrayList<>();
        for (Path f : files) {
            made.add(pool.submit(() -> heldOut(f, known.get(f.getFileName().toString()), plan, s)));
        }
        List<TrainingExamples.Example> examples = new ArrayList<>();
        for (Future<List<TrainingExamples.Example>> f : made) {
            examples.addAll(f.get());
        }
        pool.shutdown();
        System.out.println("held-out examples: " + examples.size() + " of " + files.size() + " light curves");
        for (int i = 1; i < args.length; i++) {
            Vetter vetter = Vetter.load("shipped".equals(args[i]) ? Vetter.shippedBytes()
                    : Files.readAllBytes(Path.of(args[i])), false);
            VettingMetrics m = VettingMetrics.of(VettingMetrics.scored(vetter, examples), v.threshold());
            System.out.println(args[i] + ": " + m.toMap());
        }
    }

    /** A light curve's examples when its star is held out (none otherwise, and none when it cannot be read). */
    private static List<TrainingExamples.Example> heldOut(Path file, TrainingExamples.Known known,
                                                          TrainingExamples.Plan plan, PipelineSettings s)
            throws IOException {
        PipelineSettings.Vetting v = s.vetting();
        String name = file.getFileName().toString();
        LightCurveReader.Result r = new LightCurveReader(s.search().fluxColumn()).read(Files.readAllBytes(file), name);
        if (!r.ok() || !HeldOutSplit.isHeldOut(r.lightCurve().target().name(), v.seed(), v.testFraction())) {
            return List.of();
        }
        return TrainingExamples.of(r.lightCurve(), known, plan, new TransitSearch(v.trainSearch()),
                v.seed() * 31 + name.hashCode());
    }
}
