package org.tessexo.spark;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tessexo.common.config.CommandLineArgs;
import org.tessexo.common.config.CommandLineArgs.Command;
import org.tessexo.common.errors.NoValidDataException;
import org.tessexo.common.config.PipelineSettings;
import org.tessexo.common.config.SettingsLoader;
import org.tessexo.common.errors.TooManyFailuresException;
import org.tessexo.common.errors.UserException;
import org.tessexo.common.demo.DemoDataGenerator;
import org.tessexo.common.demo.SectorGenerator;
import org.tessexo.common.report.RunReport;
import org.tessexo.spark.engine.Interruption;
import org.tessexo.spark.engine.SparkSetup;
import org.tessexo.spark.io.OutputStore;
import org.tessexo.spark.jobs.JobRunner;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * Entry point for {@code spark-submit}: parses the arguments, layers the settings, owns the SparkSession (built
 * here, stopped in {@code finally}) and maps the outcome to the exit status of CONTRACT.md: 0 done, 2 user error,
 * 3 no valid data, 1 anything else.
 */
public final class TessJob {
    private static final Logger LOG = LoggerFactory.getLogger(TessJob.class);

    private TessJob() {
    }

    /** The exit status of a run stopped by Ctrl-C, as shells report a process killed by SIGINT. */
    public static final int EXIT_INTERRUPTED = 130;

    public static void main(String[] args) {
        onInterrupt(args);
        System.exit(run(args));
    }

    /**
     * Ctrl-C: one clear message instead of Spark's stack traces, saying what was being done, which checkpoint
     * exists and the command that resumes. The hook runs before Spark's own (priority above the SparkContext's
     * 50), while the job's state can still be read; the JVM then exits 130.
     */
    private static void onInterrupt(String[] args) {
        org.apache.spark.util.ShutdownHookManager.addShutdownHook(100, new scala.runtime.AbstractFunction0<>() {
            @Override
            public scala.runtime.BoxedUnit apply() {
                RunReport r = JobRunner.active();
                if (r != null && Interruption.mark()) {
                    System.err.println(interruptedMessage(r, args));
                    quietLogs();
                }
                return scala.runtime.BoxedUnit.UNIT;
            }
        });
    }

    /**
     * After the interruption's message, Spark's own shutdown (tasks rejected by a stopped executor, jobs cancelled)
     * logs errors with stack traces that say nothing to the user: the log is silenced (log4j2, as Spark ships it).
     */
    private static void quietLogs() {
        try {
            org.apache.logging.log4j.core.config.Configurator.setAllLevels(
                    org.apache.logging.log4j.LogManager.ROOT_LOGGER_NAME, org.apache.logging.log4j.Level.OFF);
        } catch (LinkageError | RuntimeException e) {
            // another logging backend: its output stays as it is
        }
    }

    static String interruptedMessage(RunReport r, String[] args) {
        StringBuilder sb = new StringBuilder("Interrupted: " + r.command + " into " + r.output
                + " did not finish (exit " + EXIT_INTERRUPTED + "). ");
        if (r.checkpoint != null) {
            java.util.List<String> again = new java.util.ArrayList<>(java.util.List.of(args));
            again.remove("--overwrite");
            if (!again.contains("--resume")) {
                again.add("--resume");
            }
            sb.append("The newest checkpoint is ").append(r.checkpoint).append(" (epoch ")
                    .append(r.scores.size()).append(" of ").append(r.epochs).append("). Resume with:\n  ./submit.sh ")
                    .append(String.join(" ", again));
        } else if ("train".equals(r.command) || "demo".equals(r.command)) {
            sb.append("No checkpoint was written yet (training.checkpoint.every-epochs): run it again.");
        } else {
            sb.append("Run it again with --overwrite to replace what it wrote.");
        }
        return sb.toString();
    }

    public static int run(String[] args) {
        SparkSession spark = null;
        boolean owned = false;
        try {
            CommandLineArgs cli = CommandLineArgs.parse(args);
            if (cli.help()) {
                System.out.println(cli.helpText());
                return 0;
            }
            PipelineSettings settings = settings(cli);
            if (cli.command() == Command.DEMO) {
                settings = prepareDemo(settings, cli);
            }
            if ((cli.command() == Command.PHOTOMETRY || cli.command() == Command.DETECT)
                    && settings.photometry().demo().run()) {
                settings = preparePhotometryDemo(settings, cli);
            }
            SparkConf conf = SparkSetup.configure(new SparkConf(), settings,
                    cli.command() != Command.INSPECT && cli.command() != Command.PHOTOMETRY);
            conf.setIfMissing("spark.master", cli.master() != null ? cli.master() : "local[*]");
            // A session that already exists (an embedding application, a test) is used and left running.
            owned = SparkSession.getDefaultSession().isEmpty();
            spark = SparkSession.builder().config(conf).getOrCreate();
            if (spark.sparkContext().uiWebUrl().isDefined()) {
                System.out.println("Spark UI: " + spark.sparkContext().uiWebUrl().get() + " (while the job runs)");
            }
            // The demos' output folders are their own: a second demo replaces the first one's results.
            JobRunner.Options options = new JobRunner.Options(
                    cli.overwrite() || (cli.command() == Command.DEMO && !cli.resume())
                            || (settings.photometry().demo().run() && cli.output() == null), cli.resume());
            RunReport report = JobRunner.run(cli.command(), settings, spark, options);
            printSummary(cli.command(), report);
            return 0;
        } catch (UserException e) {
            System.err.println("ERROR: " + e.getMessage());
            return 2;
        } catch (NoValidDataException e) {
            System.err.println("ERROR: " + e.getMessage());
            return 3;
        } catch (TooManyFailuresException e) {
            System.err.println("ERROR: " + e.getMessage());
            return 1;
        } catch (Exception | Error e) { // Spark's Scala code throws checked exceptions (SparkException) unchecked
            if (Interruption.interrupted()) {
                return EXIT_INTERRUPTED; // the shutdown hook said what happened; Spark's traces would only bury it
            }
            LOG.error("The job failed", e);
            System.err.println("ERROR: " + e);
            return 1;
        } finally {
            if (spark != null && owned) {
                spark.stop();
            }
        }
    }

    static PipelineSettings settings(CommandLineArgs cli) {
        String text = null;
        if (cli.confFile() != null) {
            text = readText(cli.confFile());
        }
        PipelineSettings s = SettingsLoader.load(text, cli.confFile(), cli.overrides(), cli.command() == Command.DEMO);
        if (cli.input() != null) {
            s = s.withInput(cli.input());
        }
        if (cli.output() != null) {
            s = s.withOutput(cli.output());
        } else if (cli.command() == Command.RETRAIN && !s.retrain().registry().isBlank()) {
            // A retrain's own report and outcomes go beside the registry's versions, one folder per run.
            String registry = s.retrain().registry().replaceAll("/+$", "");
            s = s.withOutput(registry + "/runs/" + java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss",
                    Locale.ROOT).withZone(java.time.ZoneOffset.UTC).format(java.time.Instant.now()));
        }
        if (cli.labels() != null) {
            s = s.withLabels(cli.labels());
        }
        return s.checkUris();
    }

    private static String readText(String uri) {
        Path path = new Path(uri);
        try (FSDataInputStream in = path.getFileSystem(new Configuration()).open(path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UserException("Cannot read the configuration file " + uri + ": " + e.getMessage(), e);
        }
    }

    /** The demo: the sample data set under tess.demo.data (written once), then train on it. */
    static PipelineSettings prepareDemo(PipelineSettings s, CommandLineArgs cli) {
        PipelineSettings.Demo d = s.demo();
        java.nio.file.Path dir = java.nio.file.Path.of(d.data()).toAbsolutePath();
        long t = System.nanoTime();
        DemoDataGenerator.Summary data = DemoDataGenerator.ensure(dir, d.files(), d.height(), d.width(), d.seed());
        System.out.printf(Locale.ROOT, "Demo data: %d TESS-like FFIs (%d with scattered light) in %s (%.1f s)%n",
                data.files(), data.positives(), data.ffiDir(), (System.nanoTime() - t) / 1e9);
        return s.withInput(data.ffiDir().toUri().toString())
                .withLabels(data.labels().toUri().toString())
                .withOutput(cli.output() != null ? cli.output() : d.output());
    }

    /** photometry --demo: the generated sector under photometry.demo.data (written once), then measure it. */
    static PipelineSettings preparePhotometryDemo(PipelineSettings s, CommandLineArgs cli) {
        PipelineSettings.Photometry.Demo d = s.photometry().demo();
        java.nio.file.Path dir = java.nio.file.Path.of(d.data()).toAbsolutePath();
        long t = System.nanoTime();
        SectorGenerator.Summary sector = SectorGenerator.ensure(dir, SectorGenerator.Spec.small(d.seed()));
        System.out.printf(Locale.ROOT, "Demo sector: %d frames of %d stars in %s, truth in %s (%.1f s)%n",
                sector.frames(), sector.stars().size(), sector.ffiDir(), sector.truth(), (System.nanoTime() - t) / 1e9);
        String output = cli.command() == Command.DETECT ? d.detectOutput() : d.output();
        return s.withInput(sector.ffiDir().toUri().toString())
                .withOutput(cli.output() != null ? cli.output() : output);
    }

    /** What photometry measured, for the console: the frames' stars, and the pixel cubes when there are any. */
    static String photometryLine(Map<String, Object> photometry) {
        Object cubes = photometry.get("pixel_cubes");
        return String.format(Locale.ROOT, "%s stars on %s CCDs measured on %s frames%s", photometry.get("stars"),
                photometry.get("ccds"), photometry.get("frames_measured"),
                cubes instanceof Number n && n.longValue() > 0
                        ? ", and " + n + (n.longValue() == 1 ? " pixel cube" : " pixel cubes") + " (a light curve each)"
                        : "");
    }

    private static void printSummary(Command command, RunReport r) {
        if (command == Command.RETRAIN && r.retrain != null) {
            Object fresh = r.retrain.get("new_files");
            System.out.printf(Locale.ROOT, "retrain: %s listed, %s new%s%n", r.retrain.get("listed"), fresh,
                    Integer.valueOf(0).equals(fresh) ? "" : String.format(Locale.ROOT, "; %d files read (new,"
                            + " replayed, evaluation set): %d used, %d skipped, %d failed%s", r.listed, r.images,
                            r.skipped, r.failed, r.reasons.isEmpty() ? "" : " (" + r.reasonsLine() + ")"));
        } else {
            System.out.printf(Locale.ROOT, "%s: %d listed, %d %s, %d skipped, %d failed%s%n", command.label(),
                    r.listed, r.images, command == Command.SEARCH ? "light curves searched"
                            : command == Command.PHOTOMETRY || command == Command.DETECT ? "frames" : "images",
                    r.skipped, r.failed, r.reasons.isEmpty() ? "" : " (" + r.reasonsLine() + ")");
        }
        if (r.photometry != null) {
            System.out.println(photometryLine(r.photometry));
            System.out.println("Light curves: " + r.photometry.get("light_curves") + " (Parquet, one row per star;"
                    + " ./submit.sh search --input it); stars: " + r.photometry.get("stars_table"));
        }
        if (r.candidates != null) {
            System.out.printf(Locale.ROOT, "%d candidate signals; the strongest:%n", r.candidatesTotal);
            r.candidates.stream().limit(5).forEach(c -> System.out.printf(Locale.ROOT,
                    "  %s sector %s: P = %.5f d, T0 = %.4f BTJD, %.2f h, %.0f ppm, SNR %.1f, SDE %.1f%n",
                    c.get("target") != null ? c.get("target") : "TIC " + c.get("tic"), c.get("sector"),
                    (Double) c.get("period_days"), (Double) c.get("epoch_btjd"),
                    (Double) c.get("duration_hours"), (Double) c.get("depth_ppm"), (Double) c.get("snr"),
                    (Double) c.get("sde")));
            if (command == Command.DETECT) {
                System.out.println("Candidates: " + r.output + "/candidates.csv (each with its star's id, position"
                        + " and magnitude); the search's tables, figures and report.html: " + r.output + "/search/");
            } else {
                System.out.println("Candidates: " + r.output + "/candidates/ (parquet, csv); single dips: " + r.output
                        + "/events/; figures: " + r.figures.size() + " in " + r.output + "/figures/");
            }
        }
        if (r.retrain != null) {
            Object version = r.retrain.get("version");
            System.out.println("Registry " + r.retrain.get("registry") + ": " + r.retrain.get("decision")
                    + (version != null ? " as " + version : "") + " (" + r.retrain.get("reason") + ")");
            if (r.retrain.get("candidate") != null) {
                System.out.println("The model not promoted: " + r.retrain.get("candidate"));
            }
            if (r.model != null) {
                System.out.println("Model:  " + r.model);
            }
        }
        if (r.labels != null) {
            System.out.printf(Locale.ROOT, "Trained on %d samples (%s labels), %d epochs, final score %.4f%n",
                    r.trainSamples, r.labels, r.epochs,
                    r.scores.isEmpty() ? Double.NaN : r.scores.get(r.scores.size() - 1));
            if (r.evaluation.samples() > 0) {
                System.out.printf(Locale.ROOT, "Held-out: %d samples, accuracy %.3f, precision %s, recall %s, AUC %s%n",
                        r.evaluation.samples(), r.evaluation.accuracy(), fmt(r.evaluation.precision()),
                        fmt(r.evaluation.recall()), fmt(r.evaluation.auc()));
            }
            System.out.println("Model:  " + r.model);
        }
        System.out.println("Report: " + r.output + "/" + OutputStore.REPORT);
    }

    private static String fmt(Double d) {
        return d == null ? "n/a" : String.format(Locale.ROOT, "%.3f", d);
    }
}
