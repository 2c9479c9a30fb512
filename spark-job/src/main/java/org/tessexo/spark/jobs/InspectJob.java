package org.tessexo.spark.jobs;

import org.tessexo.common.report.RunReport;
import org.tessexo.spark.steps.Decode;
import org.tessexo.spark.steps.FailurePolicy;
import org.tessexo.spark.steps.Ingest;
import org.tessexo.spark.steps.JobContext;
import org.tessexo.spark.transforms.SampleRow;

/** {@code inspect}: list and decode, no training; every file's outcome in {@code outcomes/} and the report. */
final class InspectJob extends Job {

    @Override
    void describe(JobContext ctx, RunReport.Builder report) {
        report.setting("preprocess", ctx.settings().preprocess()).setting("fits", ctx.settings().fits());
    }

    @Override
    void run(JobContext ctx, RunReport.Builder report) {
        // inspect keeps outcomes, not 64 KB of samples per file
        Ingest.Ingested<SampleRow> in = ingest(ctx, report, list(ctx, report),
                Decode.spec(ctx, rows -> rows.map(SampleRow::withoutFeatures)));
        try {
            report.warnings(FailurePolicy.check(ctx, in.tally(), "images"));
        } finally {
            in.rows().unpersist(false);
        }
    }
}
