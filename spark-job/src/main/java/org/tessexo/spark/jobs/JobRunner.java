package org.tessexo.spark.jobs;

import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tessexo.common.config.CommandLineArgs.Command;
import org.tessexo.common.config.PipelineSettings;
import org.tessexo.common.errors.UserException;
import org.tessexo.common.report.RunReport;
import org.tessexo.spark.engine.Interruption;
import org.tessexo.spark.io.OutputStore;
import org.tessexo.spark.steps.Checkpoints;
import org.tessexo.spark.steps.JobContext;

import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * Runs one command over a SparkSession the caller owns: qualifies the paths, claims the output folder, prepares it
 * (an earlier run's results stop the run unless --overwrite or --resume), runs the command's {@link Job}, and
 * writes {@code run-report.json} at the end whatever happens once the output folder is known.
 */
public final class JobRunner {
    private static final Logger LOG = LoggerFactory.getLogger(JobRunner.class);

    /** How the output folder is treated: replace an earlier run's results, or continue its training. */
    public record Options(boolean overwrite, boolean resume) {
        public static final Options DEFAULT = new Options(false, false);
    }

    /** The report of the run in progress in this JVM (for the Ctrl-C message), or null. */
    private static volatile RunReport.Builder active;

    private JobRunner() {
    }

    /** A snapshot of the report of the run in progress, or null. */
    public static RunReport active() {
        RunReport.Builder b = active;
        return b == null ? null : b.build();
    }

    public static RunReport run(Command command, PipelineSettings settings, SparkSession spark) {
        return run(command, settings, spark, Options.DEFAULT);
    }

    public static RunReport run(Command command, PipelineSettings settings, SparkSession spark, Options options) {
        Job job = switch (command) {
            case INSPECT -> new InspectJob();
            case TRAIN, SINGLE, DEMO -> new TrainJob(options.resume());
            case SEARCH -> new SearchJob();
            case TRAIN_VETTER -> new TrainVetterJob();
            case PHOTOMETRY -> new PhotometryJob();
            case DETECT -> new DetectJob();
            case RETRAIN -> new RetrainJob();
            case SERVE -> throw new UserException("serve is an HTTP server, not a Spark job: run ./submit.sh serve"
                    + " (it starts without Spark).");
        };
        PipelineSettings s = qualified(settings, spark);
        long t0 = System.nanoTime();
        String runId = newRunId();
        RunReport.Builder report = RunReport.builder(command.label())
                .run(runId, s.input(), s.output(), spark.sparkContext().master());
        OutputStore out;
        try {
            out = new OutputStore(s.output(), spark.sparkContext().hadoopConfiguration(), runId);
        } catch (IOException | IllegalArgumentException e) {
            throw new UserException("Cannot use output " + s.output() + ": " + e.getMessage(), e);
        }
        // Before any work: the folder is writable and this run's alone until it ends (exit 2 otherwise).
        out.claim(command.label());
        try {
            prepareOutput(out, options);
        } catch (IOException | RuntimeException e) {
            out.release();
            throw e instanceof UserException u ? u
                    : new UserException("Cannot use output " + s.output() + ": " + e.getMessage(), e);
        }
        JobContext ctx = new JobContext(command, s, spark, out);
        job.describe(ctx, report);
        active = report;
        try {
            job.run(ctx, report);
            report.ok();
        } catch (Exception | Error e) {
            // Exception, not only RuntimeException: Spark's Scala code throws the checked SparkException unchecked.
            report.failed(Interruption.interrupted() ? "interrupted (Ctrl-C or SIGTERM)"
                    : e.getMessage() == null ? e.getClass().getName() : e.getMessage());
            throw e;
        } finally {
            report.timing("total", t0);
            try {
                out.writeText(OutputStore.REPORT, report.build().toJson());
            } catch (IOException | RuntimeException | Error e) {
                LOG.error("Cannot write {} to {}: {}", OutputStore.REPORT, s.output(), e.toString());
            } finally {
                out.release();
                active = null;
            }
        }
        return report.build(); // after the finally block: with the total time, as written
    }

    /**
     * Plain relative paths are made absolute on the driver when the default file system is local: executors of a
     * standalone cluster run in their own working folders and would otherwise read and write elsewhere. (Where the
     * default is HDFS, as on EMR, a plain path keeps its HDFS meaning.)
     */
    static PipelineSettings qualified(PipelineSettings s, SparkSession spark) {
        String defaultFs = spark.sparkContext().hadoopConfiguration().get("fs.defaultFS", "file:///");
        if (!defaultFs.startsWith("file:")) {
            return s;
        }
        return s.withInput(absolute(s.input())).withOutput(absolute(s.output()))
                .withLabels(s.labels().isEmpty() ? "" : absolute(s.labels()));
    }

    private static String absolute(String uri) {
        if (uri.matches("^[A-Za-z][A-Za-z0-9+.-]*:.*") || uri.startsWith("/")) {
            return uri;
        }
        String abs = Path.of(uri).toAbsolutePath().normalize().toString();
        return uri.endsWith("/") && !abs.endsWith("/") ? abs + "/" : abs;
    }

    /** Time first (runs sort by start), then random hex: unique across hosts. */
    static String newRunId() {
        return DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT).withZone(ZoneOffset.UTC)
                .format(Instant.now()) + "-" + String.format(Locale.ROOT, "%06x", new SecureRandom().nextInt(1 << 24));
    }

    /**
     * An earlier run's results are never mixed with this one's: they stop the run (exit 2) unless --overwrite
     * (then they are deleted first, and nothing else in the folder) or --resume (then the checkpoints stay).
     */
    private static void prepareOutput(OutputStore out, Options options) throws IOException {
        List<String> found = out.existingResults();
        if (options.resume()) {
            if (!Checkpoints.exists(out)) {
                throw new UserException("--resume: no checkpoint in " + out.uri(Checkpoints.DIR)
                        + ". Run without --resume (add --overwrite to replace what is there).");
            }
            out.deleteResults(Checkpoints.DIR);
        } else if (!found.isEmpty()) {
            if (!options.overwrite()) {
                throw out.existsError(found);
            }
            LOG.info("--overwrite: deleting {} in {}", found, out.rootUri());
            out.deleteResults();
        }
    }
}
