package org.tessexo.spark.jobs;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.tessexo.common.config.CommandLineArgs.Command;
import org.tessexo.common.config.PipelineSettings;
import org.tessexo.common.report.RunReport;
import org.tessexo.spark.io.OutputStore;
import org.tessexo.spark.steps.JobContext;
import org.tessexo.spark.steps.Tables;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code detect} command: from the FFIs of a sector to ranked, vetted planet candidates in one job. The
 * photometry ({@link PhotometryJob}) writes its light curves, stars and outcomes; the search with the vetter
 * ({@link SearchJob}) reads those light curves and writes everything it writes under {@code search/} (its own
 * outcomes, candidates, figures, report page and report); the candidates are then joined to their stars, so that
 * {@code candidates.csv} beside the light curves carries each star's id, position and magnitude.
 */
final class DetectJob extends Job {
    public static final String SEARCH = "search";
    public static final String CANDIDATES = "candidates.csv";
    static final String CANDIDATES_PARTS = "candidates";

    @Override
    void describe(JobContext ctx, RunReport.Builder report) {
        new PhotometryJob().describe(ctx, report);
        report.setting("search", ctx.settings().search()).setting("vetter", ctx.settings().vetting());
    }

    @Override
    void run(JobContext ctx, RunReport.Builder report) {
        new PhotometryJob().run(ctx, report);
        long t = System.nanoTime();
        OutputStore sub;
        try {
            sub = new OutputStore(ctx.out().uri(SEARCH), ctx.hadoop(), JobRunner.newRunId());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + ctx.out().uri(SEARCH) + ": " + e.getMessage(), e);
        }
        PipelineSettings s = ctx.settings().withInput(ctx.out().uri(PhotometryJob.LIGHTCURVES))
                .withOutput(sub.rootUri());
        JobContext search = new JobContext(Command.SEARCH, s, ctx.spark(), sub);
        RunReport.Builder searchReport = RunReport.builder(Command.SEARCH.label())
                .run("detect", s.input(), s.output(), ctx.spark().sparkContext().master());
        SearchJob job = new SearchJob();
        try {
            job.describe(search, searchReport);
            job.run(search, searchReport);
            searchReport.ok();
        } finally {
            try {
                sub.writeText(OutputStore.REPORT, searchReport.build().toJson());
            } catch (IOException e) {
                report.warnings(List.of("Cannot write " + sub.uri(OutputStore.REPORT) + ": " + e.getMessage()));
            }
            sub.release();
        }
        RunReport searched = searchReport.build();
        report.search(new RunReport.Search(searched.candidatesTotal, searched.candidates, searched.figures));
        if (searched.vetting != null) {
            report.vetting(searched.vetting);
        }
        report.warnings(searched.warnings);
        writeCandidates(ctx, sub);
        report.timing("search", t);
    }

    private static Column round(String name, int digits) {
        return org.apache.spark.sql.functions.round(new Column(name), digits).as(name);
    }

    /** candidates.csv: the search's candidates, each with its star's id, position and magnitude. */
    private static void writeCandidates(JobContext ctx, OutputStore sub) {
        Dataset<Row> candidates = ctx.spark().read().parquet(sub.uri(SearchJob.CANDIDATES + "/parquet"));
        Dataset<Row> stars = ctx.spark().read().parquet(ctx.out().uri(PhotometryJob.LIGHTCURVES))
                .select(new Column("id").as("star_id"), new Column("sector").as("star_sector"),
                        new Column("ra"), new Column("dec"), new Column("x"), new Column("y"), new Column("tmag"),
                        new Column("aperture_px"), new Column("crowding"));
        List<Column> columns = new ArrayList<>();
        columns.add(new Column("star_id"));
        columns.addAll(Arrays.asList(round("ra", 6), round("dec", 6), round("x", 3), round("y", 3),
                round("tmag", 3), new Column("aperture_px"), round("crowding", 4)));
        for (String c : candidates.columns()) {
            columns.add(candidates.col(c));
        }
        Dataset<Row> joined = candidates.join(stars, candidates.col("target").equalTo(stars.col("star_id"))
                        .and(candidates.col("sector").eqNullSafe(stars.col("star_sector"))), "left")
                .select(columns.toArray(new Column[0]))
                .orderBy(candidates.col("planet_score").desc_nulls_last(), candidates.col("sde").desc());
        Tables.writeCsv(joined, ctx.out(), CANDIDATES_PARTS, 1);
        Tables.mergeCsv(ctx.out(), CANDIDATES_PARTS, CANDIDATES);
    }
}
