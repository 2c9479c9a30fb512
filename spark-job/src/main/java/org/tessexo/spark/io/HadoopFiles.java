package org.tessexo.spark.io;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;

import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Set;

/**
 * The one place the pipeline reads and writes through Hadoop file systems (local disk, HDFS, s3a): which file
 * system a URI is on, opening and reading a file, and what a failed read means for the file's outcome.
 */
public final class HadoopFiles {
    /** A file's outcome reasons when reading it failed. */
    public static final String READ_ERROR = "read error";
    public static final String NOT_FOUND = "file not found";
    public static final String TIMEOUT = "read timed out";
    public static final String TRUNCATED = org.tessexo.common.fits.FitsImageDecoder.TRUNCATED;
    public static final String OUT_OF_MEMORY = org.tessexo.common.detect.LightCurveSearch.OUT_OF_MEMORY;

    private static final Set<String> OBJECT_STORES =
            Set.of("s3a", "s3", "s3n", "gs", "abfs", "abfss", "wasb", "wasbs", "oss", "cos", "obs");

    private HadoopFiles() {
    }

    /**
     * The file system of {@code path}. Local disk is used raw: no {@code .crc} side files beside what the job
     * writes, and no checksum layer's small reads in front of FITS files (which carry no {@code .crc}).
     */
    public static FileSystem fileSystem(Path path, Configuration conf) throws IOException {
        FileSystem fs = path.getFileSystem(conf);
        return fs instanceof LocalFileSystem local ? local.getRaw() : fs;
    }

    public static FSDataInputStream open(String uri, Configuration conf) throws IOException {
        Path path = new Path(uri);
        return fileSystem(path, conf).open(path);
    }

    /** The whole file (light curves are a few MB; callers bound the size before they call this). */
    public static byte[] readAll(String uri, Configuration conf) throws IOException {
        try (FSDataInputStream in = open(uri, conf)) {
            return in.readAllBytes();
        }
    }

    /** An object store (S3, GCS, Azure...): each request costs a round trip, so reads are few and large. */
    public static boolean isObjectStore(String uri) {
        String scheme = new Path(uri).toUri().getScheme();
        return scheme != null && OBJECT_STORES.contains(scheme.toLowerCase(Locale.ROOT));
    }

    /** The file on this machine's disk that a {@code file:} (or scheme-less) URI names; null for any other scheme. */
    public static java.nio.file.Path localFile(String uri) {
        java.net.URI u = new Path(uri).toUri();
        return u.getScheme() == null || "file".equalsIgnoreCase(u.getScheme()) ? java.nio.file.Path.of(u.getPath())
                : null;
    }

    /** Why reading a listed file failed, by what the stream threw (s3a and Spark wrap the real cause). */
    public record ReadFailure(String reason, String detail) {
        public static ReadFailure of(Exception e) {
            Throwable cause = e instanceof UncheckedIOException u ? u.getCause() : e;
            String detail = cause.getClass().getSimpleName() + ": " + cause.getMessage();
            if (hasCause(e, FileNotFoundException.class)) {
                return new ReadFailure(NOT_FOUND, "deleted or moved since it was listed: " + detail);
            }
            if (hasCause(e, InterruptedIOException.class)) {
                return new ReadFailure(TIMEOUT, detail);
            }
            if (hasCause(e, EOFException.class)) {
                return new ReadFailure(TRUNCATED, "shorter than when it was listed: " + detail);
            }
            return new ReadFailure(READ_ERROR, detail);
        }

        private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
            for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
                if (type.isInstance(c)) {
                    return true;
                }
            }
            return false;
        }
    }
}
