package org.tessexo.common.config;

import org.tessexo.common.errors.UserException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The application's arguments as CONTRACT.md fixes them: {@code COMMAND [--input URI] [--output URI]
 * [--labels URI] [--conf FILE] [key=value ...]}. Spark's own options ({@code --master}, {@code --conf spark.x=y},
 * ...) are taken off by {@code submit.sh} and handed to Spark; a {@code --master} that still reaches here is
 * accepted for the report only.
 */
public record CommandLineArgs(Command command, String input, String output, String labels, String confFile,
                              String master, boolean help, boolean overwrite, boolean resume,
                              List<String> overrides) {

    public enum Command {
        DEMO, TRAIN, SINGLE, INSPECT, SEARCH, TRAIN_VETTER, PHOTOMETRY, DETECT, SERVE, RETRAIN;

        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        /** The command a label names ("train-vetter"), or null. */
        public static Command of(String label) {
            for (Command c : values()) {
                if (c.label().equalsIgnoreCase(label)) {
                    return c;
                }
            }
            return null;
        }
    }

    private static final Set<String> WITH_VALUE = Set.of("--input", "--output", "--labels", "--conf", "--master",
            "--vetter", "--min-score", "--targets", "--model", "--port", "--host", "--registry");

    public static final String USAGE = String.join("\n",
            "Usage: ./submit.sh COMMAND [options] [key=value ...]",
            "Commands:",
            "  demo      write the sample data set under data/demo/ (once) and train on it; output in out/demo/",
            "  train     list the input, decode the image HDUs, preprocess, train the CNN, evaluate, save the model",
            "  single    train on the image of one FITS file (a quick check of the whole pipeline)",
            "  inspect   list and decode only, no training: every file's outcome in the report",
            "  search    transit search (BLS) in light curves of any format, vetted: candidates table, report.html",
            "  train-vetter  train the vetting CNN on light curves (injected planets and binaries, labelled stars)",
            "  photometry    full-frame images into a light curve per star (Parquet lightcurves/ that search reads)",
            "  detect        photometry, search and vetting in one job: from FFIs to ranked planet candidates",
            "  serve         an HTTP server: images scored, light curves searched and vetted (no Spark)",
            "  retrain       train the registry's current model further on new files; promote it if not worse",
            "Options:",
            "  --input URI     a folder, a prefix or one file (s3a://, file://, hdfs:// or a plain path)",
            "  --output URI    the output folder (run-report.json, outcomes/, model.zip)",
            "  --labels URI    a CSV (with a header) or Parquet labels table: a file column and an integer label",
            "  --conf FILE     a HOCON file layered over the defaults (--conf spark.x=y goes to Spark)",
            "  --master M      Spark master (default local[*]); --deploy-mode, --executor-memory pass to Spark",
            "  --overwrite     replace the results of an earlier run in --output (otherwise an error, exit 2)",
            "  --resume        train: continue from the newest checkpoint in --output (same data and settings)",
            "  --strict        a run that uses less than half of its input is an error (exit 3), not a warning",
            "  --vetter URI    search: the vetter.zip to score candidates with (default: the shipped one; none: off)",
            "  --min-score X   search: leave out candidates whose planet score is below X",
            "  --targets URI   photometry: a CSV or Parquet table of stars (id, ra, dec, tmag) to measure",
            "  --demo          photometry, detect: on a generated sector (data/demo-sector/, written once)",
            "  --model URI     serve: the model.zip (or a registry folder) to score images with",
            "  --port N, --host H  serve: where to listen (default 127.0.0.1:8080)",
            "  --registry URI  retrain: the model registry folder (serve --model follows its current version)",
            "  key=value       any configuration key, e.g. training.epochs=3 (see conf/ and README.md)",
            "./submit.sh COMMAND --help: what the command reads and writes, its options and settings.");

    /** What each command reads and writes, its options beyond the common ones, and its sections of settings. */
    private record CommandHelp(String summary, String reads, String writes, String options, List<String> sections) {
    }

    private static final java.util.Map<Command, CommandHelp> HELP = java.util.Map.ofEntries(
            java.util.Map.entry(Command.PHOTOMETRY, new CommandHelp(
                    "full-frame images into a light curve per star (the corner turn)",
                    "--input: FFIs (SPOC calibrated, or any image HDU with TSTART/TSTOP and a TAN or TAN-SIP WCS) of"
                            + " one or many sectors, cameras and CCDs, grouped by SECTOR, CAMERA, CCD; --targets:"
                            + " a CSV or Parquet star table (id, ra, dec, tmag), else stars found on each CCD",
                    "--output: lightcurves/ (Parquet, one row per star: search --input reads it), stars.csv,"
                            + " outcomes/, run-report.json",
                    "  --input URI  --output URI  --targets URI  --overwrite  --strict\n"
                            + "  --demo        a generated sector (data/demo-sector/, written once) into"
                            + " out/demo-photometry/",
                    List.of("photometry", "listing", "fits", "failures", "s3a"))),
            java.util.Map.entry(Command.DETECT, new CommandHelp(
                    "photometry, transit search and vetting in one job: from FFIs to ranked planet candidates",
                    "--input: FFIs or pixel cubes, as photometry reads them; --targets: a star table, as photometry",
                    "--output: candidates.csv (each candidate with its star's id, position, magnitude), lightcurves/,"
                            + " stars.csv, outcomes/ (frames), search/ (the search's candidates/, report.html,"
                            + " figures/, outcomes/, run-report.json), run-report.json",
                    "  --input URI  --output URI  --targets URI  --vetter URI  --min-score X  --overwrite  --strict\n"
                            + "  --demo        the generated sector (data/demo-sector/) into out/demo-detect/",
                    List.of("photometry", "search", "vetter", "listing", "fits", "failures", "s3a"))),
            java.util.Map.entry(Command.SERVE, new CommandHelp(
                    "an HTTP server that scores FITS images and searches light curves, with the batch jobs' code",
                    "--model: a model.zip (or a registry folder: its current version); --vetter: the vetter.zip"
                            + " (default: the shipped one); requests: FITS images, light curves (README \"Serving over"
                            + " HTTP\")",
                    "nothing: answers JSON (and PNG figures); GET /metrics for Prometheus, /openapi.json, / a page"
                            + " to upload a file",
                    "  --model URI  --vetter URI  --port N  --host H",
                    List.of("serve", "search", "vetter", "fits", "s3a"))),
            java.util.Map.entry(Command.RETRAIN, new CommandHelp(
                    "train the registry's current model further on new files, promote it only if not worse",
                    "--registry: the model registry folder (made at the first run); --input: FITS images (or light"
                            + " curves, retrain.model=vetter), of which those the current version has not trained on"
                            + " are new; --labels: their labels",
                    "--registry: a new version folder (model.zip or vetter.zip, manifest.csv, version.json,"
                            + " run-report.json) and"
                            + " its current pointer when promoted, else candidates/RUN/; --output (default"
                            + " REGISTRY/runs/RUN): run-report.json, outcomes/",
                    "  --registry URI  --input URI  --labels URI  --output URI  --strict",
                    List.of("retrain", "training", "vetter", "listing", "labels-table", "failures", "s3a"))),
            java.util.Map.entry(Command.DEMO, new CommandHelp(
                    "write the sample data set (once) and train on it with local[*]",
                    "nothing: it writes 240 TESS-like FFIs and a labels table under data/demo/",
                    "out/demo/ (or --output): model.zip, run-report.json, outcomes/",
                    "  --output URI  --overwrite  --resume",
                    List.of("demo", "preprocess", "model", "training"))),
            java.util.Map.entry(Command.TRAIN, new CommandHelp("train the CNN on the image HDUs of FITS files",
                    "--input: FITS images (FFIs, any image HDU; .fits .fit .fts .fits.gz .fits.fz; names starting"
                            + " with . or _ are hidden); --labels: CSV or Parquet (a file column, an integer label)",
                    "--output: model.zip, run-report.json, outcomes/, checkpoints/",
                    "  --input URI  --output URI  --labels URI  --overwrite  --resume  --strict",
                    List.of("listing", "fits", "preprocess", "model", "training", "labels-table", "failures",
                            "s3a"))),
            java.util.Map.entry(Command.SINGLE, new CommandHelp(
                    "train on the image of one FITS file (a quick check of the pipeline)",
                    "--input: one FITS file", "--output: model.zip, run-report.json, outcomes/",
                    "  --input URI  --output URI  --overwrite",
                    List.of("fits", "preprocess", "model", "training"))),
            java.util.Map.entry(Command.INSPECT, new CommandHelp(
                    "list and decode only: every file's outcome, no training",
                    "--input: FITS files (images are decoded; tables are skipped with their reason)",
                    "--output: run-report.json, outcomes/",
                    "  --input URI  --output URI  --overwrite  --strict",
                    List.of("listing", "fits", "preprocess", "failures", "s3a"))),
            java.util.Map.entry(Command.SEARCH, new CommandHelp(
                    "transit search (BLS) in light curves of any format, each signal vetted",
                    "--input: SPOC, data-alert, Kepler, K2, lightkurve, TGLC, eleanor light curves, target pixel"
                            + " files, TESScut cutouts (FITS), text tables (.csv .txt .dat .tsv .tbl), Parquet"
                            + " light-curve tables (one row per star); times put in BTJD",
                    "--output: candidates.csv, candidates/ (parquet, csv), events/, outcomes/, figures/,"
                            + " report.html, run-report.json",
                    "  --input URI  --output URI  --vetter URI  --min-score X  --overwrite  --strict",
                    List.of("listing", "search", "vetter", "failures", "s3a"))),
            java.util.Map.entry(Command.TRAIN_VETTER, new CommandHelp("train the vetting CNN across the cluster",
                    "--input: light curves (as search reads them); --labels: a table of known signals (file, and"
                            + " label + period_days, or TESSellator's INDEX.tsv columns)",
                    "--output: vetter.zip, examples/ (parquet), outcomes/, run-report.json",
                    "  --input URI  --output URI  --labels URI  --overwrite  --strict",
                    List.of("listing", "search", "vetter", "training", "failures", "s3a"))));

    /** Help for one command: what it reads and writes, its options and its settings with their defaults. */
    public static String help(Command command) {
        CommandHelp h = HELP.get(command);
        StringBuilder sb = new StringBuilder();
        sb.append("Usage: ./submit.sh ").append(command.label()).append(" [options] [key=value ...]\n")
                .append("  ").append(h.summary()).append("\n\n")
                .append("Reads:  ").append(h.reads()).append('\n')
                .append("Writes: ").append(h.writes()).append("\n\n")
                .append("Options:\n").append(h.options()).append('\n')
                .append(command == Command.SERVE ? "  --conf FILE   a HOCON file layered over the defaults\n\n"
                        : "  --conf FILE   a HOCON file layered over the defaults; --conf spark.x=y goes to Spark\n"
                        + "  --master M    Spark master (default local[*])\n\n")
                .append("Settings (key=value, the tess. prefix may be left out; defaults shown):\n");
        com.typesafe.config.Config tess = com.typesafe.config.ConfigFactory.defaultReference().getConfig("tess");
        for (String section : h.sections()) {
            if (!tess.hasPath(section)) {
                continue;
            }
            tess.getConfig(section).entrySet().stream()
                    .sorted(java.util.Map.Entry.comparingByKey())
                    .forEach(e -> sb.append("  tess.").append(section).append('.').append(e.getKey()).append(" = ")
                            .append(e.getValue().render(com.typesafe.config.ConfigRenderOptions.concise()))
                            .append('\n'));
        }
        sb.append("\nEach key is explained in conf/ and README.md; exit status: 0 done, 2 user error, 3 no valid"
                + " data, 1 failure, 130 interrupted.");
        return sb.toString();
    }

    /** The help a parsed command line asks for: the command's own, or the overview. */
    public String helpText() {
        return command == null ? USAGE : help(command);
    }

    public static CommandLineArgs parse(String[] args) {
        if (args.length == 0) {
            throw new UserException("No command given.\n" + USAGE);
        }
        if (args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
            Command about = null;
            if (args.length > 1) {
                try {
                    about = Command.of(args[1]);
                } catch (IllegalArgumentException e) {
                    about = null;
                }
            }
            return new CommandLineArgs(about, null, null, null, null, null, true, false, false, List.of());
        }
        Command command = Command.of(args[0]);
        if (command == null) {
            throw new UserException("Unknown command '" + args[0] + "'.\n" + USAGE);
        }
        String input = null;
        String output = null;
        String labels = null;
        String conf = null;
        String master = null;
        boolean help = false;
        boolean overwrite = false;
        boolean resume = false;
        List<String> overrides = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            String value = null;
            String name = a;
            if (a.startsWith("--") && a.contains("=") && WITH_VALUE.contains(a.substring(0, a.indexOf('=')))) {
                name = a.substring(0, a.indexOf('='));
                value = a.substring(a.indexOf('=') + 1);
            } else if (WITH_VALUE.contains(a)) {
                if (i + 1 >= args.length) {
                    throw new UserException("Option " + a + " needs a value.\n" + USAGE);
                }
                value = args[++i];
            }
            switch (name) {
                case "--input" -> input = value;
                case "--output" -> output = value;
                case "--labels" -> labels = value;
                case "--conf" -> conf = value;
                case "--master" -> master = value;
                case "--help", "-h" -> help = true;
                case "--overwrite" -> overwrite = true;
                case "--resume" -> resume = true;
                case "--strict" -> overrides.add("failures.strict=true");
                case "--demo" -> {
                    if (command != Command.PHOTOMETRY && command != Command.DETECT) {
                        throw new UserException("--demo applies to photometry and detect (./submit.sh demo is the"
                                + " CNN's demo).");
                    }
                    overrides.add("photometry.demo.run=true");
                }
                case "--vetter" -> overrides.add("vetter.model=" + value);
                case "--min-score" -> overrides.add("vetter.min-score=" + value);
                case "--targets" -> overrides.add("photometry.targets=" + value);
                case "--registry" -> {
                    if (command != Command.RETRAIN) {
                        throw new UserException("--registry applies to retrain, not " + command.label() + ".");
                    }
                    overrides.add("retrain.registry=" + value);
                }
                case "--model", "--port", "--host" -> {
                    if (command != Command.SERVE) {
                        throw new UserException(name + " applies to serve, not " + command.label() + ".");
                    }
                    overrides.add("serve." + name.substring(2) + "=" + value);
                }
                default -> {
                    if (a.startsWith("-")) {
                        throw new UserException("Unknown option '" + a + "'.\n" + USAGE);
                    }
                    if (!a.contains("=")) {
                        throw new UserException("Unexpected argument '" + a + "': expected an option or key=value.\n"
                                + USAGE);
                    }
                    overrides.add(a);
                }
            }
        }
        if (resume && command != Command.TRAIN && command != Command.DEMO) {
            throw new UserException("--resume applies to train (and demo), not " + command.label() + ".");
        }
        return new CommandLineArgs(command, input, output, labels, conf, master, help, overwrite, resume,
                List.copyOf(overrides));
    }
}
