package org.tessexo.common.config;

import com.typesafe.config.Config;
import org.tessexo.common.errors.UserException;
import org.tessexo.common.fits.DecoderSettings;
import org.tessexo.common.image.PreprocessSettings;
import org.tessexo.common.model.ModelSettings;

import java.io.Serializable;
import java.time.Duration;
import java.util.List;

/**
 * Every setting of a run, validated and immutable. Built once on the driver by {@link SettingsLoader}; the parts
 * executors need ({@link DecoderSettings}, {@link PreprocessSettings}) travel inside Spark closures.
 */
public record PipelineSettings(
        String input,
        String output,
        String labels,
        Listing listing,
        S3a s3a,
        DecoderSettings fits,
        PreprocessSettings preprocess,
        ModelSettings model,
        Training training,
        LabelsTable labelsTable,
        Demo demo,
        int maxProblems,
        Failures failures,
        Search search, Vetting vetting, Photometry photometry, Retrain retrain) implements Serializable {

    /** @param filesInFlight files read at once per partition; 0 = 4 for s3a, 1 otherwise */
    public record Listing(List<String> suffixes, int partitions, int filesInFlight) implements Serializable {
    }

    public record S3a(String endpoint, String endpointRegion, boolean pathStyleAccess, String credentialsProvider,
                      int attemptsMaximum, int retryLimit, Duration retryInterval, Duration connectionTimeout,
                      String inputFadvise) implements Serializable {
        /**
         * These settings as Hadoop's {@code fs.s3a.*} properties (prefix them with {@code spark.hadoop.} for
         * Spark), in a fixed order; the endpoint and its region only when set.
         */
        public java.util.Map<String, String> hadoopProperties() {
            java.util.Map<String, String> m = new java.util.LinkedHashMap<>();
            String p = "fs.s3a.";
            m.put(p + "aws.credentials.provider", credentialsProvider);
            if (!endpoint.isEmpty()) {
                m.put(p + "endpoint", endpoint);
                if (endpoint.startsWith("http://")) {
                    m.put(p + "connection.ssl.enabled", "false");
                }
            }
            if (!endpointRegion.isEmpty()) {
                m.put(p + "endpoint.region", endpointRegion);
            }
            m.put(p + "path.style.access", Boolean.toString(pathStyleAccess));
            m.put(p + "attempts.maximum", Integer.toString(attemptsMaximum));
            m.put(p + "retry.limit", Integer.toString(retryLimit));
            m.put(p + "retry.interval", retryInterval.toMillis() + "ms");
            m.put(p + "connection.timeout", Long.toString(connectionTimeout.toMillis()));
            m.put(p + "connection.establish.timeout", Long.toString(connectionTimeout.toMillis()));
            m.put(p + "experimental.input.fadvise", inputFadvise);
            return m;
        }
    }

    public record Training(int epochs, int batchSizePerWorker, int averagingFrequency, int prefetchBatches,
                           String approach, double testFraction, long splitSeed, String storageLevel,
                           int checkpointEvery, int checkpointKeep)
            implements Serializable {
    }

    /**
     * When a run stops for failed files (files that could not be read; skipped ones are fine).
     *
     * @param maxFraction more than this fraction of the listed files failed: exit 1
     * @param maxCount    more than this many failed: exit 1; -1 = no limit
     * @param strict      a run that uses less than half of what it listed is an error (exit 3), not a warning
     */
    public record Failures(double maxFraction, long maxCount, boolean strict) implements Serializable {
        public Failures(double maxFraction, long maxCount) {
            this(maxFraction, maxCount, false);
        }

        public boolean exceeded(long failed, long listed) {
            return (maxCount >= 0 && failed > maxCount) || (listed > 0 && (double) failed / listed > maxFraction);
        }
    }

    public record LabelsTable(String format, String pathColumn, String labelColumn) implements Serializable {
    }

    /**
     * The {@code search} command: which flux, the transit search's settings, and how many figures.
     *
     * @param figures figures for the strongest candidates (by SDE); 0 = none
     */
    public record Search(String fluxColumn, org.tessexo.common.lightcurve.TransitSearch.Settings transit,
                         int figures) implements Serializable {
    }

    /**
     * Vetting: the vetter {@code search} scores candidates with ({@code ""}: the one shipped in the jar;
     * {@code "none"}: no vetting), the planet probability from which a signal is a planet candidate, the lowest
     * planet score the candidates table keeps, and what {@code train-vetter} makes and fits.
     *
     * @param textSuffixes  names {@code search} and {@code train-vetter} list as text light curves
     * @param trainSearch   the search that finds the training examples' signals (coarser than the default one)
     * @param folds         1: one held-out split of {@code testFraction} of the stars; k: k-fold cross-validation
     *                      by star (k fits, each star scored once by a vetter that never saw it)
     */
    /** At most this many cross-validation folds of train-vetter (each is a full fit). */
    public static final int MAX_FOLDS = 20;

    public record Vetting(String model, double threshold, double minScore, List<String> textSuffixes,
                          int planetsPerStar, int binariesPerStar, double minSnr, double maxSnr, int epochs,
                          int batchSize, double learningRate, double testFraction, long seed,
                          org.tessexo.common.lightcurve.TransitSearch.Settings trainSearch, int folds,
                          int averagedEpochs, boolean mirror)
            implements Serializable {
    }

    /**
     * The {@code photometry} command.
     *
     * @param targets         a CSV or Parquet table of stars to measure (id, ra, dec, optional tmag); "" = the stars
     *                        found on each CCD's reference image
     * @param referenceFrames frames of each CCD combined (median) into its reference image
     * @param detectSigma     a star stands this many single-frame noises above the sky on the reference
     * @param maxStars        the brightest this many stars of each CCD are measured
     * @param minSeparation   of two peaks closer than this (pixels) the fainter is dropped
     * @param apertureRadii   the aperture radii (pixels) tried for each star; the best signal-to-noise wins
     * @param annulusGap      pixels between the aperture and the background annulus
     * @param annulusWidth    the annulus' width, pixels
     * @param starsPerFile    light curves per Parquet file of lightcurves/ (one file is one search task)
     * @param fitsStars       the ids of stars whose light curves are also written as FITS in SPOC's layout
     * @param demo            {@code --demo}: the generated sector
     */
    public record Photometry(String targets, int referenceFrames, double detectSigma, int maxStars,
                             double minSeparation, List<Double> apertureRadii, double annulusGap, double annulusWidth,
                             int starsPerFile, List<String> fitsStars, boolean mapLocalFiles, Demo demo)
            implements Serializable {
        /**
         * {@code --demo}: the generated sector under {@code data} (written once), measured into {@code output}
         * ({@code photometry}) or {@code detectOutput} ({@code detect}).
         */
        public record Demo(boolean run, String data, String output, String detectOutput, long seed)
                implements Serializable {
        }

        public double[] radii() {
            return apertureRadii.stream().mapToDouble(Double::doubleValue).toArray();
        }

        /** Pixels kept clear of the science region's edge: the widest aperture fits. */
        public int edge() {
            return (int) Math.ceil(apertureRadii.stream().mapToDouble(Double::doubleValue).max().orElse(3)) + 1;
        }
    }

    public record Demo(String data, String output, int files, int height, int width, long seed)
            implements Serializable {
    }

    /**
     * {@code retrain}: the registry folder, the epochs of a warm start, the replay share (old files trained on again
     * per new file), the promotion margin, and the evaluation set's share of the first input.
     */
    public record Retrain(String registry, String model, int epochs, double learningRate, double replay, double maxDrop,
                          double maxLossRise, double evaluationFraction, long seed) implements Serializable {
    }

    /** Maps the validated {@code tess} tree; the checks here are the ones types alone cannot express. */
    static PipelineSettings from(Config c) {
        Listing listing = new Listing(c.getStringList("listing.suffixes"), c.getInt("listing.partitions"),
                c.getInt("listing.files-in-flight"));
        S3a s3a = new S3a(c.getString("s3a.endpoint"), c.getString("s3a.endpoint-region"),
                c.getBoolean("s3a.path-style-access"), c.getString("s3a.credentials-provider"),
                c.getInt("s3a.attempts-maximum"), c.getInt("s3a.retry-limit"), c.getDuration("s3a.retry-interval"),
                c.getDuration("s3a.connection-timeout"), c.getString("s3a.input-fadvise"));
        DecoderSettings fits = new DecoderSettings(c.getString("fits.hdu"), c.getInt("fits.min-image-size"),
                c.getLong("fits.max-image-bytes"), c.getInt("fits.cube-plane"), c.getInt("fits.max-header-blocks"),
                c.getString("fits.verify-checksum"));
        PreprocessSettings pre = new PreprocessSettings(trim(c.getString("preprocess.trim")),
                c.getInt("preprocess.height"), c.getInt("preprocess.width"), c.getDouble("preprocess.clip"));
        ModelSettings model = new ModelSettings(c.getLong("model.seed"), toIntArray(c.getIntList("model.filters")),
                c.getInt("model.dense"), c.getDouble("model.learning-rate"), c.getDouble("model.l2"),
                c.getStringList("model.classes"));
        Training training = new Training(c.getInt("training.epochs"), c.getInt("training.batch-size-per-worker"),
                c.getInt("training.averaging-frequency"), c.getInt("training.prefetch-batches"),
                c.getString("training.approach"), c.getDouble("training.test-fraction"),
                c.getLong("training.split-seed"), c.getString("training.storage-level"),
                c.getInt("training.checkpoint.every-epochs"), c.getInt("training.checkpoint.keep"));
        LabelsTable labelsTable = new LabelsTable(c.getString("labels-table.format"),
                c.getString("labels-table.path-column"), c.getString("labels-table.label-column"));
        Demo demo = new Demo(c.getString("demo.data"), c.getString("demo.output"), c.getInt("demo.files"),
                c.getInt("demo.height"),
                c.getInt("demo.width"), c.getLong("demo.seed"));
        org.tessexo.common.lightcurve.TransitSearch.Settings transit =
                new org.tessexo.common.lightcurve.TransitSearch.Settings(c.getInt("search.quality-mask"),
                        window(c.getDouble("search.detrend.window-days"), c.getDouble("search.duration.max-hours")),
                        detrendMethod(c.getString("search.detrend.method")),
                        c.getDouble("search.period.min-days"), c.getDouble("search.period.max-days"),
                        c.getDouble("search.duration.min-hours"), c.getDouble("search.duration.max-hours"),
                        c.getInt("search.duration.count"), c.getInt("search.oversample"),
                        c.getDouble("search.frequency-factor"), c.getInt("search.max-signals"),
                        c.getDouble("search.min-sde"), c.getDouble("search.clip-sigma"),
                        c.getDouble("search.max-duty-cycle"), c.getInt("search.max-periods"),
                        c.getDouble("search.time-budget-s"), spacing(c.getString("search.period.spacing")),
                        c.getInt("search.bins-per-cadence"), c.getInt("search.prewhiten"),
                        shape(c.getString("search.shape")), c.getInt("search.sde-kernel"),
                        c.getBoolean("search.red-noise-weighting"), c.getDouble("search.whiten-hours"));
        Search search = new Search(c.getString("search.flux-column"), transit, c.getInt("search.figures"));
        org.tessexo.common.lightcurve.TransitSearch.Settings trainSearch = transit.toBuilder()
                .durations(c.getInt("vetter.training-search.duration-count"))
                .oversample(c.getInt("vetter.training-search.oversample"))
                .frequencyFactor(c.getDouble("vetter.training-search.frequency-factor")).maxSignals(1).build();
        Vetting vetting = new Vetting(c.getString("vetter.model"), c.getDouble("vetter.threshold"),
                c.getDouble("vetter.min-score"), c.getStringList("vetter.text-suffixes"),
                c.getInt("vetter.planets-per-star"), c.getInt("vetter.binaries-per-star"),
                c.getDouble("vetter.min-snr"), c.getDouble("vetter.max-snr"), c.getInt("vetter.epochs"),
                c.getInt("vetter.batch-size"), c.getDouble("vetter.learning-rate"),
                c.getDouble("vetter.test-fraction"), c.getLong("vetter.seed"), trainSearch, c.getInt("vetter.folds"),
                c.getInt("vetter.averaged-epochs"), c.getBoolean("vetter.mirror"));
        Photometry photometry = new Photometry(c.getString("photometry.targets"),
                c.getInt("photometry.reference-frames"), c.getDouble("photometry.detect-sigma"),
                c.getInt("photometry.max-stars"), c.getDouble("photometry.min-separation-px"),
                c.getDoubleList("photometry.aperture-radii-px"), c.getDouble("photometry.annulus.gap-px"),
                c.getDouble("photometry.annulus.width-px"), c.getInt("photometry.stars-per-file"),
                c.getStringList("photometry.fits-stars"), c.getBoolean("photometry.map-local-files"),
                new Photometry.Demo(c.getBoolean("photometry.demo.run"),
                        c.getString("photometry.demo.data"), c.getString("photometry.demo.output"),
                        c.getString("photometry.demo.detect-output"), c.getLong("photometry.demo.seed")));
        Retrain retrain = new Retrain(c.getString("retrain.registry"), c.getString("retrain.model").trim()
                .toLowerCase(java.util.Locale.ROOT), c.getInt("retrain.epochs"),
                c.getDouble("retrain.learning-rate"),
                c.getDouble("retrain.replay"), c.getDouble("retrain.max-drop"), c.getDouble("retrain.max-loss-rise"),
                c.getDouble("retrain.evaluation-fraction"), c.getLong("retrain.seed"));
        PipelineSettings s = new PipelineSettings(c.getString("input"), c.getString("output"), c.getString("labels"),
                listing, s3a, fits, pre, model, training, labelsTable, demo, c.getInt("report.max-problems"),
                new Failures(c.getDouble("failures.max-fraction"), c.getLong("failures.max-count"),
                        c.getBoolean("failures.strict")), search, vetting, photometry, retrain);
        s.validate();
        return s;
    }

    private static PreprocessSettings.Trim trim(String name) {
        try {
            return PreprocessSettings.Trim.parse(name);
        } catch (IllegalArgumentException e) {
            throw new UserException("Bad configuration: " + e.getMessage(), e);
        }
    }

    /** The detrending window: as set, or (0) three times the longest duration searched, as wotan advises. */
    static double window(double days, double maxDurationHours) {
        return days == 0 ? org.tessexo.common.lightcurve.TransitSearch.Settings.WINDOW_DURATIONS * maxDurationHours
                / 24 : days;
    }

    private static org.tessexo.common.lightcurve.PeriodGrid.Spacing spacing(String name) {
        return switch (name.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "drift" -> org.tessexo.common.lightcurve.PeriodGrid.Spacing.DRIFT;
            case "frequency" -> org.tessexo.common.lightcurve.PeriodGrid.Spacing.FREQUENCY;
            default -> throw new UserException("tess.search.period.spacing = \"" + name + "\": use \"drift\" (the"
                    + " same bound on a transit's drift at every period) or \"frequency\" (uniform, as astropy)");
        };
    }

    private static org.tessexo.common.lightcurve.BoxLeastSquares.Shape shape(String name) {
        return switch (name.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "box" -> org.tessexo.common.lightcurve.BoxLeastSquares.Shape.BOX;
            case "limb-darkened" -> org.tessexo.common.lightcurve.BoxLeastSquares.Shape.LIMB_DARKENED;
            default -> throw new UserException("tess.search.shape = \"" + name + "\": use \"box\" (BLS) or"
                    + " \"limb-darkened\" (a transit template, as Transit Least Squares)");
        };
    }

    private static org.tessexo.common.lightcurve.Detrender.Method detrendMethod(String name) {
        try {
            return org.tessexo.common.lightcurve.Detrender.Method.valueOf(
                    name.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new UserException("Bad configuration: tess.search.detrend.method must be biweight or median, not '"
                    + name + "'");
        }
    }

    private void validate() {
        require(!input.isBlank() || photometry.demo().run(), "tess.input is empty: give --input URI");
        require(!output.isBlank() || photometry.demo().run(), "tess.output is empty: give --output URI");
        require(!listing.suffixes().isEmpty(), "tess.listing.suffixes is empty");
        require(listing.partitions() >= 0, "tess.listing.partitions must be >= 0");
        require(listing.filesInFlight() >= 0 && listing.filesInFlight() <= 64,
                "tess.listing.files-in-flight must be in 0..64 (0 = automatic)");
        require(s3a.attemptsMaximum() >= 1, "tess.s3a.attempts-maximum must be >= 1");
        require(List.of("sequential", "random", "normal").contains(s3a.inputFadvise()),
                "tess.s3a.input-fadvise must be sequential, random or normal, not '" + s3a.inputFadvise() + "'");
        require(training.epochs() >= 1, "tess.training.epochs must be >= 1");
        require(training.batchSizePerWorker() >= 1, "tess.training.batch-size-per-worker must be >= 1");
        require(training.averagingFrequency() >= 1, "tess.training.averaging-frequency must be >= 1");
        require(training.testFraction() >= 0 && training.testFraction() < 1,
                "tess.training.test-fraction must be in [0, 1)");
        require(List.of("auto", "export", "direct").contains(training.approach()),
                "tess.training.approach must be auto, export or direct, not '" + training.approach() + "'");
        require(List.of("auto", "csv", "parquet").contains(labelsTable.format()),
                "tess.labels-table.format must be auto, csv or parquet, not '" + labelsTable.format() + "'");
        require(model.classes().size() >= 2, "tess.model.classes needs at least two classes");
        require(demo.files() >= 10, "tess.demo.files must be >= 10");
        require(demo.height() >= 64 && demo.width() >= 64, "tess.demo.height and width must be >= 64");
        require(maxProblems >= 0, "tess.report.max-problems must be >= 0");
        require(failures.maxFraction() >= 0 && failures.maxFraction() <= 1,
                "tess.failures.max-fraction must be in [0, 1]");
        require(failures.maxCount() >= -1, "tess.failures.max-count must be >= 0, or -1 for no limit");
        require(training.checkpointEvery() >= 0, "tess.training.checkpoint.every-epochs must be >= 0 (0 = off)");
        require(training.checkpointKeep() >= 1, "tess.training.checkpoint.keep must be >= 1");
        var t = search.transit();
        require(t.window() > 0, "tess.search.detrend.window-days must be > 0, or 0 for three times the longest"
                + " duration searched");
        require(t.minPeriod() > 0, "tess.search.period.min-days must be > 0");
        require(t.maxPeriod() == 0 || t.maxPeriod() > t.minPeriod(),
                "tess.search.period.max-days must be 0 (half the baseline) or more than min-days");
        require(t.minDurationHours() > 0 && t.maxDurationHours() >= t.minDurationHours(),
                "tess.search.duration: 0 < min-hours <= max-hours");
        require(t.maxDurationHours() / 24 < t.minPeriod(),
                "tess.search.duration.max-hours must be shorter than tess.search.period.min-days");
        require(t.durations() >= 1 && t.durations() <= 100, "tess.search.duration.count must be in 1..100");
        require(t.oversample() >= 1 && t.oversample() <= 100, "tess.search.oversample must be in 1..100");
        require(t.binsPerCadence() >= 0 && t.binsPerCadence() <= 100,
                "tess.search.bins-per-cadence must be in 0..100 (0: bins sized to the shortest duration only)");
        require(t.prewhiten() >= 0 && t.prewhiten() <= 50, "tess.search.prewhiten must be in 0..50 (0: off)");
        require(t.frequencyFactor() > 0, "tess.search.frequency-factor must be > 0");
        require(t.maxDutyCycle() > 0 && t.maxDutyCycle() <= 1, "tess.search.max-duty-cycle must be in (0, 1]");
        require(t.maxSignals() >= 1 && t.maxSignals() <= 20, "tess.search.max-signals must be in 1..20");
        require(t.maxPeriods() >= 1000, "tess.search.max-periods must be >= 1000");
        require(t.timeBudget() > 0, "tess.search.time-budget-s must be > 0");
        require(search.figures() >= 0, "tess.search.figures must be >= 0");
        require(!search.fluxColumn().isBlank(), "tess.search.flux-column is empty (PDCSAP_FLUX or SAP_FLUX)");
        require(vetting.threshold() > 0 && vetting.threshold() < 1, "tess.vetter.threshold must be in (0, 1)");
        require(vetting.minScore() >= 0 && vetting.minScore() <= 1, "tess.vetter.min-score must be in [0, 1]");
        require(vetting.planetsPerStar() >= 0 && vetting.binariesPerStar() >= 0,
                "tess.vetter.planets-per-star and binaries-per-star must be >= 0");
        require(vetting.minSnr() > 0 && vetting.maxSnr() >= vetting.minSnr(),
                "tess.vetter: 0 < min-snr <= max-snr");
        require(vetting.epochs() >= 1 && vetting.batchSize() >= 1, "tess.vetter.epochs and batch-size must be >= 1");
        require(vetting.averagedEpochs() >= 0,
                "tess.vetter.averaged-epochs must be >= 0 (0 = keep the best epoch), got " + vetting.averagedEpochs());
        require(vetting.testFraction() > 0 && vetting.testFraction() < 1,
                "tess.vetter.test-fraction must be in (0, 1)");
        require(vetting.folds() >= 1 && vetting.folds() <= MAX_FOLDS, "tess.vetter.folds must be 1 (one held-out split"
                + " of test-fraction) or 2 to " + MAX_FOLDS + " (star-level cross-validation)");
        require(retrain.model().equals("image") || retrain.model().equals("vetter"),
                "tess.retrain.model must be \"image\" (the image CNN, model.zip) or \"vetter\" (vetter.zip)");
        require(retrain.epochs() >= 1, "tess.retrain.epochs must be >= 1");
        require(retrain.learningRate() >= 0, "tess.retrain.learning-rate must be >= 0 (0: the model's own)");
        require(retrain.replay() >= 0, "tess.retrain.replay must be >= 0 (0: no old files trained on again)");
        require(retrain.maxDrop() >= 0 && retrain.maxDrop() < 1, "tess.retrain.max-drop must be in [0, 1)");
        require(retrain.maxLossRise() >= 0, "tess.retrain.max-loss-rise must be >= 0");
        require(retrain.evaluationFraction() > 0 && retrain.evaluationFraction() < 1,
                "tess.retrain.evaluation-fraction must be in (0, 1)");
        var ph = photometry;
        require(ph.referenceFrames() >= 1 && ph.referenceFrames() <= 100,
                "tess.photometry.reference-frames must be in 1..100");
        require(ph.detectSigma() > 0, "tess.photometry.detect-sigma must be > 0");
        require(ph.maxStars() >= 1, "tess.photometry.max-stars must be >= 1");
        require(ph.minSeparation() >= 0, "tess.photometry.min-separation-px must be >= 0");
        require(!ph.apertureRadii().isEmpty() && ph.apertureRadii().stream().allMatch(r -> r > 0 && r <= 20),
                "tess.photometry.aperture-radii-px: one or more radii in (0, 20] pixels");
        require(ph.annulusGap() >= 0 && ph.annulusWidth() >= 1,
                "tess.photometry.annulus: gap-px >= 0 and width-px >= 1");
        require(ph.starsPerFile() >= 1, "tess.photometry.stars-per-file must be >= 1");
        try { // the domain records check their own invariants; here they become the user's configuration errors
            model.validate();
            model.checkInput(preprocess.height(), preprocess.width());
            preprocess.validate();
            fits.validate();
        } catch (IllegalArgumentException e) {
            throw new UserException("Bad configuration: " + e.getMessage(), e);
        }
    }

    /**
     * Rejects credentials written into a URI ({@code s3a://KEY:SECRET@bucket/}): they would end up in logs, the
     * report and the model's metadata. The message does not repeat them.
     */
    public PipelineSettings checkUris() {
        for (String[] u : new String[][] {{"--input", input}, {"--output", output}, {"--labels", labels}}) {
            String uri = u[1];
            int scheme = uri.indexOf("://");
            if (scheme > 0) {
                int end = uri.indexOf('/', scheme + 3);
                String authority = uri.substring(scheme + 3, end < 0 ? uri.length() : end);
                if (authority.contains("@")) {
                    throw new UserException(u[0] + " " + uri.substring(0, scheme + 3) + "***@"
                            + authority.substring(authority.lastIndexOf('@') + 1) + "...: credentials in a URI are"
                            + " not accepted (they would be logged). Use tess.s3a.credentials-provider, e.g."
                            + " com.amazonaws.auth.DefaultAWSCredentialsProviderChain.");
                }
            }
        }
        return this;
    }

    static void require(boolean ok, String message) {
        if (!ok) {
            throw new UserException("Bad configuration: " + message);
        }
    }

    private static int[] toIntArray(List<Integer> list) {
        return list.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * The same settings with a model's own input rules: how it decodes and preprocesses (from its metadata), its
     * shape, and the training's epochs ({@code retrain} continues a model as it was built).
     */
    public PipelineSettings withModel(DecoderSettings newFits, PreprocessSettings newPreprocess, ModelSettings newModel,
                                      int epochs) {
        Training t = new Training(epochs, training.batchSizePerWorker(), training.averagingFrequency(),
                training.prefetchBatches(), training.approach(), training.testFraction(), training.splitSeed(),
                training.storageLevel(), training.checkpointEvery(), training.checkpointKeep());
        return new PipelineSettings(input, output, labels, listing, s3a, newFits, newPreprocess, newModel, t,
                labelsTable, demo, maxProblems, failures, search, vetting, photometry, retrain);
    }

    public PipelineSettings withInput(String newInput) {
        return new PipelineSettings(newInput, output, labels, listing, s3a, fits, preprocess, model, training,
                labelsTable, demo, maxProblems, failures, search, vetting, photometry, retrain);
    }

    public PipelineSettings withOutput(String newOutput) {
        return new PipelineSettings(input, newOutput, labels, listing, s3a, fits, preprocess, model, training,
                labelsTable, demo, maxProblems, failures, search, vetting, photometry, retrain);
    }

    public PipelineSettings withLabels(String newLabels) {
        return new PipelineSettings(input, output, newLabels, listing, s3a, fits, preprocess, model, training,
                labelsTable, demo, maxProblems, failures, search, vetting, photometry, retrain);
    }
}
