package org.tessexo.spark.jobs;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tessexo.common.config.PipelineSettings;
import org.tessexo.common.errors.UserException;
import org.tessexo.common.model.Registry;
import org.tessexo.common.report.RunReport;
import org.tessexo.spark.io.ListedFile;
import org.tessexo.spark.io.OutputStore;
import org.tessexo.spark.steps.JobContext;
import org.tessexo.spark.steps.ModelRegistry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code retrain}: the registry's current model (the image CNN, or with tess.retrain.model = vetter the vetter)
 * trained further on the files of {@code --input} it has not trained on, with a replay of files it has; it and the
 * current model scored on the registry's fixed evaluation set; the new version promoted (published, then made
 * current) only if neither its AUC falls nor its log loss rises beyond the margins, otherwise kept as a candidate
 * with the reason. The first run on an empty registry trains from scratch and fixes the evaluation set.
 */
final class RetrainJob extends Job {
    private static final Logger LOG = LoggerFactory.getLogger(RetrainJob.class);
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper().enable(
                    com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT);

    @Override
    void describe(JobContext ctx, RunReport.Builder report) {
        report.setting("retrain", ctx.settings().retrain()).setting("training", ctx.settings().training());
    }

    static Retrainer retrainer(PipelineSettings s) {
        return switch (s.retrain().model()) {
            case "image" -> new ImageRetrainer();
            case "vetter" -> new VetterRetrainer();
            default -> throw new UserException("tess.retrain.model = \"" + s.retrain().model() + "\": use \"image\""
                    + " (the image CNN, model.zip) or \"vetter\" (the vetting CNN, vetter.zip)");
        };
    }

    @Override
    void run(JobContext ctx, RunReport.Builder report) {
        PipelineSettings s = ctx.settings();
        Retrainer kind = retrainer(s);
        if (s.retrain().registry().isBlank()) {
            throw new UserException("retrain needs --registry URI: the model registry folder (it is created at the"
                    + " first run).");
        }
        if (s.labels().isEmpty() && kind instanceof ImageRetrainer) {
            throw new UserException("retrain needs --labels: the labels of the new files (a CSV or Parquet table"
                    + " with a file column and an integer label).");
        }
        try (ModelRegistry registry = new ModelRegistry(s.retrain().registry(), ctx.hadoop(), ctx.out().runId())) {
            retrain(ctx, report, registry, kind);
        } catch (IOException e) {
            throw new UncheckedIOException("registry " + s.retrain().registry() + ": " + e.getMessage(), e);
        }
    }

    private void retrain(JobContext ctx, RunReport.Builder report, ModelRegistry registry, Retrainer kind)
            throws IOException {
        PipelineSettings s = ctx.settings();
        Map<String, Object> section = new LinkedHashMap<>();
        section.put("registry", registry.uri());
        section.put("model", s.retrain().model());
        List<String> leftovers = registry.removeLeftovers();
        if (!leftovers.isEmpty()) {
            section.put("removed_leftovers", leftovers);
        }
        Optional<String> current = registry.current();
        section.put("current_before", current.orElse(null));
        byte[] currentModel = null;
        if (current.isPresent()) {
            try {
                currentModel = registry.read(current.get(), kind.modelFile());
            } catch (java.io.FileNotFoundException e) {
                throw new UserException("The registry " + registry.uri() + " holds no " + kind.modelFile() + " in "
                        + current.get() + ": it is a registry of another model (tess.retrain.model).", e);
            }
        }
        List<Registry.Entry> manifest = current.isPresent() ? registry.manifest(current.get()) : List.of();
        List<Registry.Entry> evaluation = registry.evaluation();
        List<ListedFile> listed = kind.list(ctx, report);
        Set<String> known = new HashSet<>();
        manifest.forEach(e -> known.add(e.path()));
        evaluation.forEach(e -> known.add(e.path()));
        List<ListedFile> fresh = listed.stream().filter(f -> !known.contains(f.path())).toList();
        section.put("listed", listed.size());
        section.put("new_files", fresh.size());
        section.put("trained_on_before", manifest.size());
        report.retrain(section);
        if (fresh.isEmpty()) {
            section.put("decision", "nothing new");
            section.put("reason", "every listed file is in " + current.orElse("the registry")
                    + "'s manifest or its evaluation set");
            report.retrain(section);
            LOG.info("Nothing new in {} since {}: the registry stays as it is", s.input(), current.orElse("-"));
            return;
        }
        List<Registry.Entry> replay = replay(manifest, (int) Math.min(manifest.size(),
                Math.ceil(s.retrain().replay() * fresh.size())), s.retrain().seed() + manifest.size());
        section.put("replayed", replay.size());
        section.put("evaluation_files", evaluation.isEmpty() ? null : evaluation.size());
        report.retrain(section);
        Map<String, Long> sizes = new HashMap<>();
        listed.forEach(f -> sizes.put(f.path(), f.length()));

        Retrainer.Trained t = kind.train(ctx, report, section, new Retrainer.Plan(current, currentModel, fresh,
                replay, manifest, evaluation, sizes));

        Registry.Decision decision = Registry.Decision.of(t.current(), t.candidate(), s.retrain().maxDrop(),
                s.retrain().maxLossRise());
        section.put("current_auc", t.current() == null ? null : t.current().auc());
        section.put("new_auc", t.candidate().auc());
        section.put("current_log_loss", t.current() == null ? null : t.current().logLoss());
        section.put("new_log_loss", t.candidate().logLoss());
        section.put("decision", decision.promote() ? "promoted" : "kept current");
        section.put("reason", decision.reason());
        LOG.info("Retrain: {}", decision.reason());

        List<Registry.Entry> all = new ArrayList<>(manifest);
        all.addAll(t.added());
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("model", s.retrain().model());
        info.put("parent", current.orElse(null));
        info.put("run_id", ctx.out().runId());
        info.put("created_at", Instant.now().toString());
        info.put("input", s.input());
        info.put("labels", s.labels());
        info.put("new_files", t.added().size());
        info.put("replayed", replay.size());
        info.put("trained_on", all.size());
        info.put("fingerprint", Registry.fingerprint(all));
        info.put("evaluation_fingerprint", Registry.fingerprint(t.evaluation()));
        info.put("epochs", t.epochs());
        info.put("current_auc", section.get("current_auc"));
        info.put("new_auc", section.get("new_auc"));
        info.put("current_log_loss", section.get("current_log_loss"));
        info.put("new_log_loss", section.get("new_log_loss"));
        info.put("decision", section.get("decision"));
        info.put("reason", decision.reason());
        info.put("run_report", ctx.out().uri(OutputStore.REPORT));
        section.put("fingerprint", info.get("fingerprint"));

        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put(kind.modelFile(), t.model());
        files.put(Registry.MANIFEST, Registry.toCsv(all).getBytes(StandardCharsets.UTF_8));
        report.retrain(section);
        if (decision.promote()) {
            if (evaluation.isEmpty()) {
                registry.writeEvaluation(t.evaluation());
            }
            files.put(OutputStore.REPORT, report.build().toJson().getBytes(StandardCharsets.UTF_8));
            files.put(Registry.VERSION_INFO, JSON.writeValueAsBytes(info));
            String version = registry.publish(files);
            registry.point(version);
            section.put("version", version);
            report.model(registry.uri(version, kind.modelFile()));
        } else {
            files.put(Registry.VERSION_INFO, JSON.writeValueAsBytes(info));
            section.put("candidate", registry.keepCandidate(ctx.out().runId(), files));
        }
        report.retrain(section);
    }

    /** A fixed-size sample of the manifest, the same for the same manifest and seed. */
    static List<Registry.Entry> replay(List<Registry.Entry> manifest, int n, long seed) {
        List<Registry.Entry> shuffled = new ArrayList<>(manifest);
        java.util.Collections.shuffle(shuffled, new java.util.Random(seed));
        return shuffled.subList(0, Math.min(n, shuffled.size()));
    }

    /** The metrics the report shows of an evaluation. */
    static Map<String, Object> metrics(int samples, Double accuracy, Double auc, Double logLoss) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("samples", samples);
        out.put("accuracy", accuracy);
        out.put("auc", auc);
        out.put("log_loss", logLoss);
        return out;
    }
}
