package org.tessexo.spark.jobs;

import org.tessexo.common.report.RunReport;
import org.tessexo.common.report.Tally;
import org.tessexo.spark.io.FitsLister;
import org.tessexo.spark.io.ListedFile;
import org.tessexo.spark.io.ParquetLightCurves;
import org.tessexo.spark.steps.Ingest;
import org.tessexo.spark.steps.JobContext;
import org.tessexo.spark.transforms.FileOutcome;

import java.util.List;

/**
 * One command's work, between the claim of its output folder and its report (both {@link JobRunner}'s): read the
 * settings, call the shared steps, write the command's outputs and put the steps' results into the report, which
 * the job alone fills.
 */
abstract class Job {

    /** Sections of the settings the report shows for this command. */
    abstract void describe(JobContext ctx, RunReport.Builder report);

    abstract void run(JobContext ctx, RunReport.Builder report);

    /** The input listed, into the report (the count, the listing's warnings, its time). */
    static List<ListedFile> list(JobContext ctx, RunReport.Builder report) {
        return list(ctx, report, List.of());
    }

    /** @param moreSuffixes names listed beside tess.listing.suffixes */
    static List<ListedFile> list(JobContext ctx, RunReport.Builder report, List<String> moreSuffixes) {
        long t = System.nanoTime();
        FitsLister.Listing listing = Ingest.list(ctx, moreSuffixes);
        report.tally(Tally.listed(listing.files().size())).warnings(listing.warnings()).timing("list", t);
        return listing.files();
    }

    /**
     * Light curves as the commands that read them list them ({@code search}, {@code train-vetter}): FITS, the text
     * tables of tess.vetter.text-suffixes, and Parquet light-curve tables (one row per star).
     */
    static List<ListedFile> listLightCurves(JobContext ctx, RunReport.Builder report) {
        List<String> suffixes = new java.util.ArrayList<>(ctx.settings().vetting().textSuffixes());
        suffixes.add(ParquetLightCurves.SUFFIX);
        return list(ctx, report, suffixes);
    }

    /** The shared ingest step, its counts and timings into the report. The caller unpersists the rows. */
    static <T extends FileOutcome> Ingest.Ingested<T> ingest(JobContext ctx, RunReport.Builder report,
                                                            List<ListedFile> files, Ingest.Spec<T> spec) {
        Ingest.Ingested<T> in = Ingest.run(ctx, files, spec);
        report.tally(in.tally()).timings(in.timings());
        return in;
    }
}
