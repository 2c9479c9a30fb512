package org.tessexo.spark.transforms;

import org.apache.hadoop.conf.Configuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tessexo.common.fits.MemoryBudget;
import org.tessexo.common.fits.Outcome;
import org.tessexo.common.lightcurve.LightCurve;
import org.tessexo.common.lightcurve.LightCurveReader;
import org.tessexo.spark.io.HadoopFiles;
import org.tessexo.spark.io.ListedFile;

import java.io.IOException;

/**
 * Executors: one listed file read as a light curve, for every command that reads them ({@code search},
 * {@code train-vetter}): the listing's problem, the size limits (checked before a byte is read), the read, the
 * format. Either a light curve or the file's outcome and reason.
 */
final class LightCurveFiles {
    private static final Logger LOG = LoggerFactory.getLogger(LightCurveFiles.class);
    static final String TOO_LARGE = "file larger than fits.max-image-bytes";
    /**
     * Memory a light curve takes while it is read, as a multiple of the file's size: its bytes, nom-tam-fits'
     * column arrays, and the doubles the search works on (a target pixel file's cube is summed per cadence).
     */
    static final int MEMORY_PER_FILE_BYTE = 4;

    private LightCurveFiles() {
    }

    /** A light curve ({@code outcome} null), or why there is none. */
    record Read(LightCurve lightCurve, String notes, Outcome outcome, String reason, String detail, long bytes) {
        static Read failed(Outcome o, String reason, String detail, long bytes) {
            return new Read(null, "", o, reason, detail, bytes);
        }
    }

    static Read read(ListedFile file, Configuration conf, LightCurveReader reader, MemoryBudget budget,
                     long maxBytes) {
        String key = file.path();
        if (file.problem() != null) {
            return Read.failed(Outcome.FAILED, file.problem(), file.detail(), 0);
        }
        if (file.length() > maxBytes) {
            return Read.failed(Outcome.SKIPPED, TOO_LARGE, file.length() + " bytes", 0);
        }
        if (file.length() * MEMORY_PER_FILE_BYTE > budget.perFile()) { // bounded before reading a byte
            return Read.failed(Outcome.SKIPPED, TOO_LARGE, file.length() + " bytes need about "
                    + file.length() * MEMORY_PER_FILE_BYTE + " bytes of memory to search, more than the "
                    + budget.perFile() + " one file may take here (" + budget.note() + ")", 0);
        }
        byte[] bytes;
        try {
            bytes = HadoopFiles.readAll(key, conf);
        } catch (OutOfMemoryError e) {
            return Read.failed(Outcome.FAILED, HadoopFiles.OUT_OF_MEMORY, e.getMessage(), 0);
        } catch (IOException | RuntimeException e) {
            HadoopFiles.ReadFailure f = HadoopFiles.ReadFailure.of(e);
            LOG.warn("{}: {}: {}", key, f.reason(), f.detail());
            return Read.failed(Outcome.FAILED, f.reason(), f.detail(), 0);
        }
        LightCurveReader.Result lc = reader.read(bytes, key);
        if (!lc.ok()) {
            Outcome o = LightCurveReader.UNREADABLE.equals(lc.reason()) ? Outcome.FAILED : Outcome.SKIPPED;
            return Read.failed(o, lc.reason(), lc.detail(), bytes.length);
        }
        return new Read(lc.lightCurve(), lc.detail(), null, "", "", bytes.length);
    }
}
