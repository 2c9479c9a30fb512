package org.tessexo.spark.transforms;

import org.apache.spark.api.java.JavaRDD;
import org.tessexo.common.report.RunReport;
import scala.Tuple2;

import java.util.Map;

/** What every listed file ends as, whatever the command: its outcome, the reason, and the bytes read. */
public interface FileOutcome {
    String path();

    String outcome();

    String reason();

    String detail();

    long bytesRead();

    /** The outcome is {@code image} (a sample's features may have been dropped, as {@code inspect} does). */
    default boolean isImage() {
        return org.tessexo.common.fits.Outcome.IMAGE.label().equals(outcome());
    }

    /**
     * One pass over the cached rows into the report: counts and bytes by outcome and reason, then at most
     * {@code maxProblems} of the skipped and failed files with their reasons.
     *
     * @return the images that carry a reason (images without a label)
     */
    static <T extends FileOutcome> long count(JavaRDD<T> rows, RunReport report, int maxProblems) {
        Map<Tuple2<String, String>, Tuple2<Long, Long>> agg = rows
                .mapToPair(r -> new Tuple2<>(new Tuple2<>(r.outcome(), r.reason()), new Tuple2<>(1L, r.bytesRead())))
                .reduceByKey((a, b) -> new Tuple2<>(a._1() + b._1(), a._2() + b._2()))
                .collectAsMap();
        long unlabelled = 0;
        for (Map.Entry<Tuple2<String, String>, Tuple2<Long, Long>> e : agg.entrySet()) {
            unlabelled += report.tally(e.getKey()._1(), e.getKey()._2(), e.getValue()._1(), e.getValue()._2());
        }
        report.problemsTotal = report.skipped + report.failed;
        if (report.problemsTotal > 0 && maxProblems > 0) {
            report.problems.addAll(rows.filter(r -> !r.isImage())
                    .map(r -> new RunReport.Problem(r.path(), r.outcome(),
                            r.detail().isEmpty() ? r.reason() : r.reason() + ": " + r.detail()))
                    .take(maxProblems));
        }
        return unlabelled;
    }
}
