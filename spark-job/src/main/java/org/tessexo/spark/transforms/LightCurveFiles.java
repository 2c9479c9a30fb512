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
import org.tessexo.spark.io.ParquetLightCurves;

import java.io.IOException;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

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

    /**
     * A light curve ({@code outcome} null), or why there is none; {@code path} is the file's, or for a star of a
     * Parquet table {@code file#id}.
     */
    record Read(String path, LightCurve lightCurve, String notes, Outcome outcome, String reason, String detail,
                long bytes) {
        static Read failed(String path, Outcome o, String reason, String detail, long bytes) {
            return new Read(path, null, "", o, reason, detail, bytes);
        }
    }

    /**
     * The light curves of the listed files, lazily: one per file, or one per star of a Parquet light-curve table
     * ({@link ParquetLightCurves}; the file's bytes counted on its first).
     */
    static Iterator<Read> reads(Iterator<ListedFile> files, Configuration conf, LightCurveReader reader,
                                MemoryBudget budget, long maxBytes) {
        return new Iterator<>() {
            private Iterator<Read> current = Collections.emptyIterator();

            @Override
            public boolean hasNext() {
                while (!current.hasNext() && files.hasNext()) {
                    current = readsOf(files.next(), conf, reader, budget, maxBytes);
                }
                return current.hasNext();
            }

            @Override
            public Read next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return current.next();
            }
        };
    }

    private static Iterator<Read> readsOf(ListedFile file, Configuration conf, LightCurveReader reader,
                                          MemoryBudget budget, long maxBytes) {
        if (file.problem() != null || !ParquetLightCurves.isParquetName(file.path())) {
            return List.of(read(file, conf, reader, budget, maxBytes)).iterator();
        }
        Iterator<ParquetLightCurves.Star> stars = ParquetLightCurves.read(file.path(), conf, reader.fluxColumn(),
                budget.perFile());
        long[] bytes = {file.length()};
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return stars.hasNext();
            }

            @Override
            public Read next() {
                ParquetLightCurves.Star s = stars.next();
                long b = bytes[0];
                bytes[0] = 0;
                if (s.lightCurve() != null) {
                    return new Read(s.path(), s.lightCurve(), s.detail(), null, "", "", b);
                }
                Outcome o = ParquetLightCurves.UNREADABLE.equals(s.reason()) ? Outcome.FAILED : Outcome.SKIPPED;
                return Read.failed(s.path(), o, s.reason(), s.detail(), b);
            }
        };
    }

    static Read read(ListedFile file, Configuration conf, LightCurveReader reader, MemoryBudget budget,
                     long maxBytes) {
        String key = file.path();
        if (file.problem() != null) {
            return Read.failed(key, Outcome.FAILED, file.problem(), file.detail(), 0);
        }
        if (file.length() > maxBytes) {
            return Read.failed(key, Outcome.SKIPPED, TOO_LARGE, file.length() + " bytes", 0);
        }
        if (file.length() * MEMORY_PER_FILE_BYTE > budget.perFile()) { // bounded before reading a byte
            return Read.failed(key, Outcome.SKIPPED, TOO_LARGE, file.length() + " bytes need about "
                    + file.length() * MEMORY_PER_FILE_BYTE + " bytes of memory to search, more than the "
                    + budget.perFile() + " one file may take here (" + budget.note() + ")", 0);
        }
        byte[] bytes;
        try {
            bytes = HadoopFiles.readAll(key, conf);
        } catch (OutOfMemoryError e) {
            return Read.failed(key, Outcome.FAILED, HadoopFiles.OUT_OF_MEMORY, e.getMessage(), 0);
        } catch (IOException | RuntimeException e) {
            HadoopFiles.ReadFailure f = HadoopFiles.ReadFailure.of(e);
            LOG.warn("{}: {}: {}", key, f.reason(), f.detail());
            return Read.failed(key, Outcome.FAILED, f.reason(), f.detail(), 0);
        }
        LightCurveReader.Result lc = reader.read(bytes, key);
        if (!lc.ok()) {
            Outcome o = LightCurveReader.UNREADABLE.equals(lc.reason()) ? Outcome.FAILED : Outcome.SKIPPED;
            return Read.failed(key, o, lc.reason(), lc.detail(), bytes.length);
        }
        return new Read(key, lc.lightCurve(), lc.detail(), null, "", "", bytes.length);
    }
}
