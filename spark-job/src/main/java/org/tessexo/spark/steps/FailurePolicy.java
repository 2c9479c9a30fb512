package org.tessexo.spark.steps;

import org.tessexo.common.config.PipelineSettings;
import org.tessexo.common.errors.NoValidDataException;
import org.tessexo.common.errors.TooManyFailuresException;
import org.tessexo.common.report.InputAdvice;
import org.tessexo.common.report.Tally;
import org.tessexo.spark.io.OutputStore;

import java.util.List;
import java.util.Locale;

/**
 * What a run's counts allow, the same for every command: no file used is no valid data (exit 3); more failed files
 * than tess.failures allows stops the run (exit 1); most files unused is a warning, or with failures.strict an
 * error (exit 3).
 */
public final class FailurePolicy {
    private FailurePolicy() {
    }

    /**
     * @param usedWord what a used file is, in messages ("images", "light curves searched")
     * @return the warnings for the report
     */
    public static List<String> check(JobContext ctx, Tally t, String usedWord) {
        PipelineSettings s = ctx.settings();
        OutputStore out = ctx.out();
        String command = ctx.command().label();
        if (t.used() == 0) {
            throw new NoValidDataException("No valid data loaded from " + s.input() + ": " + t.listed()
                    + " listed, 0 " + usedWord + ", " + t.skipped() + " skipped, " + t.failed() + " failed ("
                    + t.reasonsLine() + "); " + InputAdvice.commonestLine(t, command) + ". See "
                    + out.uri(OutputStore.REPORT) + " and " + out.uri(OutputStore.OUTCOMES) + ".");
        }
        if (s.failures().exceeded(t.failed(), t.listed())) {
            throw new TooManyFailuresException(String.format(Locale.ROOT,
                    "%d of %d listed files failed (%.1f%%), more than tess.failures allows (max-fraction %s,"
                            + " max-count %s). Commonest reasons: %s. Each file's reason is in %s. Fix or remove"
                            + " those files, or raise tess.failures.max-fraction / max-count.",
                    t.failed(), t.listed(), 100.0 * t.failed() / t.listed(), s.failures().maxFraction(),
                    s.failures().maxCount() < 0 ? "none" : s.failures().maxCount(), t.failedReasonsLine(),
                    out.uri(OutputStore.OUTCOMES)));
        }
        return InputAdvice.checkMostUsed(t, s.input(), command, usedWord, s.failures().strict());
    }
}
