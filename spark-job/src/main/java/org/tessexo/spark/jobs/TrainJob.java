package org.tessexo.spark.jobs;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tessexo.common.config.CommandLineArgs.Command;
import org.tessexo.common.config.PipelineSettings;
import org.tessexo.common.errors.NoValidDataException;
import org.tessexo.common.errors.UserException;
import org.tessexo.common.eval.BinaryMetrics;
import org.tessexo.common.eval.HeldOutSplit;
import org.tessexo.common.labels.LabelMatcher;
import org.tessexo.common.model.CheckpointState;
import org.tessexo.common.model.CnnFactory;
import org.tessexo.common.model.ModelMetadata;
import org.tessexo.common.report.RunReport;
import org.tessexo.common.report.Tally;
import org.tessexo.spark.engine.Dl4jSparkTrainer;
import org.tessexo.spark.engine.NativeCheck;
import org.tessexo.spark.io.ListedFile;
import org.tessexo.spark.steps.Checkpoints;
import org.tessexo.spark.steps.Decode;
import org.tessexo.spark.steps.Evaluation;
import org.tessexo.spark.steps.FailurePolicy;
import org.tessexo.spark.steps.Ingest;
import org.tessexo.spark.steps.JobContext;
import org.tessexo.spark.steps.LabelsTable;
import org.tessexo.spark.steps.ModelFiles;
import org.tessexo.spark.transforms.LabelJoin;
import org.tessexo.spark.transforms.SampleRow;
import org.tessexo.spark.transforms.ToDataSetFn;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code train}, {@code single} and {@code demo}: decode the images, join the labels, train the CNN with parameter
 * averaging (checkpoints as it goes), evaluate on the held-out split, save {@code model.zip}.
 */
final class TrainJob extends Job {
    private static final Logger LOG = LoggerFactory.getLogger(TrainJob.class);

    private final boolean resume;

    TrainJob(boolean resume) {
        this.resume = resume;
    }

    @Override
    void describe(JobContext ctx, RunReport.Builder report) {
        report.setting("preprocess", ctx.settings().preprocess()).setting("fits", ctx.settings().fits());
    }

    @Override
    void run(JobContext ctx, RunReport.Builder report) {
        PipelineSettings s = ctx.settings();
        List<ListedFile> files = list(ctx, report);
        if (ctx.command() == Command.SINGLE && files.size() != 1) {
            throw new UserException("single trains on one file, but --input " + s.input() + " lists " + files.size()
                    + " FITS files. Give the URI of one file.");
        }
        Checkpoints checkpoints = new Checkpoints(ctx.out(), s.training().checkpointKeep(),
                Checkpoints.fingerprint(s, files));
        Dataset<Row> labels = s.labels().isEmpty() ? null : LabelsTable.read(ctx.spark(), s);
        Ingest.Ingested<SampleRow> in = ingest(ctx, report, files, Decode.spec(ctx, rows -> labels == null ? rows
                : LabelJoin.apply(rows, labels, LabelJoin.pathColumn(labels, s.labelsTable().pathColumn(),
                s.labels()), s.labelsTable().labelColumn(), s.model().numClasses(), s.labels())));
        try {
            report.warnings(FailurePolicy.check(ctx, in.tally(), "images"));
            train(ctx, report, in.rows(), in.tally(), checkpoints);
        } finally {
            in.rows().unpersist(false);
        }
    }

    private void train(JobContext ctx, RunReport.Builder report, JavaRDD<SampleRow> rows, Tally tally,
                       Checkpoints checkpoints) {
        PipelineSettings s = ctx.settings();
        boolean dummy = s.labels().isEmpty();
        int h = s.preprocess().height();
        int w = s.preprocess().width();
        Section section = new Section(dummy ? "dummy" : "table", dummy ? null : s.labels(), s.training().epochs());
        section.unlabelled = tally.usedWithReason();
        JavaRDD<SampleRow> labelled;
        if (dummy) {
            LOG.warn("*** No labels table given (--labels): training with a DUMMY label, every image is class 0. ***");
            LOG.warn("*** The model learns nothing about the sky: this run only checks the pipeline.        ***");
            labelled = rows.filter(SampleRow::isImage).map(r -> r.withLabel(0, ""));
        } else {
            labelled = rows.filter(r -> r.isImage() && r.label() >= 0);
        }
        section.labelled = tally.used() - section.unlabelled;
        if (section.unlabelled > 0) {
            // Examples of each reason (no label, not an integer, conflicting labels...), with what the table says.
            section.unlabelledExamples.addAll(rows.filter(r -> r.isImage() && r.label() < 0)
                    .map(r -> r.path() + ": " + r.reason() + (r.detail().isEmpty() ? "" : " (" + r.detail() + ")"))
                    .take(20));
            LOG.warn("{} decoded images have no usable label in {} and are left out of training ({}; first: {})",
                    section.unlabelled, s.labels(), tally.reasonsLine(), section.unlabelledExamples.get(0));
        }
        report.training(section.build());
        if (section.labelled == 0) {
            throw new NoValidDataException("No valid data loaded from " + s.input() + ": " + tally.used()
                    + " images decoded but none has a label in " + s.labels() + " (" + tally.reasonsLine()
                    + "). Check that the labels table's file column names these files.");
        }
        double fraction = dummy || ctx.command() == Command.SINGLE ? 0 : s.training().testFraction();
        long seed = s.training().splitSeed();
        // By file name, not full path: the same files give the same split wherever they are stored.
        JavaRDD<SampleRow> trainRows = labelled.filter(r -> !HeldOutSplit.isHeldOut(
                LabelMatcher.fileName(r.path()), seed, fraction));
        JavaRDD<SampleRow> testRows = labelled.filter(r -> HeldOutSplit.isHeldOut(
                LabelMatcher.fileName(r.path()), seed, fraction));
        section.samples = trainRows.count();
        report.training(section.build());
        if (section.samples == 0) {
            throw new NoValidDataException("No valid data loaded from " + s.input() + ": all " + section.labelled
                    + " labelled images fell into the held-out split; lower tess.training.test-fraction.");
        }

        long t = System.nanoTime();
        ModelMetadata meta = new ModelMetadata(ModelMetadata.FORMAT_VERSION, section.labels, s.model().classes(),
                new int[] {1, 1, h, w}, s.fits(), s.preprocess(), s.model(), s.input(), Instant.now().toString());
        int done = 0;
        MultiLayerNetwork net;
        if (resume) {
            CheckpointState state = checkpoints.state();
            net = checkpoints.load(state);
            done = state.epoch();
            section.scores.addAll(state.scores());
            section.resumedFromEpoch = done;
            section.resumedFrom = checkpoints.uri(state);
            LOG.info("Resuming from {} (epoch {} of {})", section.resumedFrom, done, section.epochs);
        } else {
            net = CnnFactory.build(s.model(), h, w);
        }
        Dl4jSparkTrainer trainer = new Dl4jSparkTrainer(ctx.sc(), net, s.training());
        section.approach = trainer.approachName();
        section.workers = trainer.workers();
        section.oneDnn = NativeCheck.oneDnn(ctx.sc(), trainer.workers());
        report.training(section.build());
        LOG.info("Training on {} samples ({} labels), epochs {}..{}, {} workers, approach {}", section.samples,
                section.labels, done + 1, section.epochs, trainer.workers(), trainer.approachName());
        trainer.fit(trainRows.map(new ToDataSetFn(h, w, s.model().numClasses())), done + 1, section.epochs,
                (epoch, score, network) -> {
                    section.scores.add(score);
                    int every = s.training().checkpointEvery();
                    if (every > 0 && (epoch % every == 0 || epoch == section.epochs)) {
                        section.checkpoint = checkpoints.save(network, meta, epoch, section.scores);
                    }
                    report.training(section.build());
                });
        report.timing("train", t);

        if (fraction > 0) {
            t = System.nanoTime();
            section.evaluation = Evaluation.heldOut(trainer, testRows, h, w);
            report.training(section.build()).timing("evaluate", t);
            LOG.info("Held-out evaluation: {}", section.evaluation);
        }

        t = System.nanoTime();
        ModelFiles.save(ctx.out(), trainer.network(), meta, ModelFiles.MODEL);
        report.model(ctx.out().uri(ModelFiles.MODEL)).timing("save", t);
    }

    /** The training section as it fills, put into the report after each change. */
    private static final class Section {
        final String labels;
        final String labelsTable;
        final int epochs;
        long labelled;
        long unlabelled;
        final List<String> unlabelledExamples = new ArrayList<>();
        long samples;
        final List<Double> scores = new ArrayList<>();
        String approach;
        int workers;
        BinaryMetrics evaluation = BinaryMetrics.empty();
        String checkpoint;
        Integer resumedFromEpoch;
        String resumedFrom;
        String oneDnn;

        Section(String labels, String labelsTable, int epochs) {
            this.labels = labels;
            this.labelsTable = labelsTable;
            this.epochs = epochs;
        }

        RunReport.Training build() {
            return new RunReport.Training(labels, labelsTable, labelled, unlabelled, unlabelledExamples, samples,
                    epochs, scores, approach, workers, evaluation, checkpoint, resumedFromEpoch, resumedFrom,
                    oneDnn);
        }
    }
}
