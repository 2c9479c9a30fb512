package org.tessexo.spark.io;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tessexo.common.errors.UserException;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Lists the files under an input URI on the driver, through the Hadoop FileSystem API, so {@code s3a://},
 * {@code hdfs://}, {@code file://} and plain paths behave alike. Recursive; only names ending in one of the
 * suffixes (any case) are kept, and, as Hadoop and Spark do, names starting with {@code .} or {@code _} (files and
 * folders below the input) are hidden. A single file is taken as it is. Only the keys (strings) are kept, never
 * data. A missing bucket, a missing prefix or an empty listing is the user's to fix and raises
 * {@link UserException}, with advice for the file system it came from.
 *
 * <p>No one entry stops a listing: on a local disk a symbolic-link loop or an unreadable folder is skipped with a
 * warning, a folder reached twice through links is listed once, and an entry that cannot be read as it stands (a
 * dangling link, a name that is not valid in the JVM's encoding) is listed {@link ListedFile#unreadable unreadable},
 * so that it gets a {@code failed} outcome with its reason instead of vanishing.
 */
public final class FitsLister {
    private static final Logger LOG = LoggerFactory.getLogger(FitsLister.class);
    public static final String NOT_FOUND = HadoopFiles.NOT_FOUND;
    public static final String BAD_NAME = "file name not readable";
    public static final String NOT_REGULAR = "not a regular file";

    private FitsLister() {
    }

    /** The files listed, sorted by path, and what the listing skipped (loops, unreadable folders). */
    public record Listing(List<ListedFile> files, List<String> warnings) {
    }

    public static boolean isFitsName(String name, List<String> suffixes) {
        String lower = name.toLowerCase(Locale.ROOT);
        for (String s : suffixes) {
            if (lower.endsWith(s.toLowerCase(Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }

    /** Hadoop's and Spark's convention: {@code _SUCCESS}, {@code _temporary}, {@code .crc}, editor files. */
    public static boolean isHidden(String name) {
        return name.startsWith(".") || name.startsWith("_");
    }

    public static Listing list(String input, List<String> suffixes, Configuration conf) {
        Path root = new Path(input);
        String scheme = root.toUri().getScheme();
        boolean s3 = scheme != null && scheme.toLowerCase(Locale.ROOT).startsWith("s3");
        List<String> warnings = new ArrayList<>();
        try {
            FileSystem fs = root.getFileSystem(conf);
            FileStatus status;
            try {
                status = fs.getFileStatus(root);
            } catch (FileNotFoundException e) {
                throw new UserException("Input " + input + " does not exist. Check the path"
                        + (s3 ? " or the S3 prefix (for s3a a prefix lists only when something is under it)." : "."));
            }
            List<ListedFile> keys = new ArrayList<>();
            if (status.isFile()) {
                if ("file".equals(fs.getUri().getScheme()) && !Files.isRegularFile(
                        java.nio.file.Path.of(fs.makeQualified(root).toUri()))) {
                    throw new UserException("Input " + input + " is not a regular file (a FIFO, socket or device):"
                            + " give a FITS file or a folder.");
                }
                keys.add(new ListedFile(status.getPath().toString(), status.getLen()));
                return new Listing(keys, warnings);
            }
            if ("file".equals(fs.getUri().getScheme())) {
                listLocal(fs.makeQualified(root), suffixes, keys, warnings);
            } else {
                // s3a lists a whole prefix flat (ListObjectsV2 pages), not folder by folder.
                String base = fs.makeQualified(root).toUri().getPath();
                RemoteIterator<LocatedFileStatus> it = fs.listFiles(root, true);
                while (it.hasNext()) {
                    LocatedFileStatus f = it.next();
                    if (f.isFile() && isFitsName(f.getPath().getName(), suffixes)
                            && !hiddenBelow(base, f.getPath().toUri().getPath())) {
                        keys.add(new ListedFile(f.getPath().toString(), f.getLen()));
                    }
                }
            }
            if (keys.isEmpty()) {
                throw new UserException("No input files under " + input + " (names ending in " + suffixes
                        + ", not starting with . or _)" + (warnings.isEmpty() ? "" : "; skipped: " + warnings)
                        + ". Check --input.");
            }
            keys.sort(java.util.Comparator.comparing(ListedFile::path));
            return new Listing(keys, warnings);
        } catch (UserException e) {
            throw e;
        } catch (InterruptedIOException e) {
            throw new UserException("Listing " + input + " timed out: " + e.getMessage() + ". Check "
                    + (s3 ? "the endpoint (tess.s3a.endpoint) and " : "") + "the network.", e);
        } catch (IOException | RuntimeException e) {
            if (s3) {
                throw s3Error(input, e, conf);
            }
            throw new UserException("Cannot list " + input + ": " + e.getClass().getSimpleName() + ": "
                    + e.getMessage() + ". Check the path and that it is readable.", e);
        }
    }

    /** Whether a component of {@code path} below {@code base} is hidden. */
    static boolean hiddenBelow(String base, String path) {
        String rel = path.startsWith(base) ? path.substring(base.length()) : path;
        for (String part : rel.split("/")) {
            if (!part.isEmpty() && isHidden(part)) {
                return true;
            }
        }
        return false;
    }

    private static UserException s3Error(String input, Exception e, Configuration conf) {
        String kind = e.getClass().getSimpleName();
        String msg = String.valueOf(e.getMessage());
        if (kind.contains("UnknownStore") || msg.contains("does not exist")) {
            return new UserException("Cannot list " + input + ": the bucket does not exist (" + e.getMessage()
                    + "). Check the bucket name in --input.", e);
        }
        if (msg.contains("Unable to execute HTTP request") || msg.contains("Connection refused")
                || msg.contains("UnknownHost")) {
            return new UserException("Cannot reach the S3 endpoint " + conf.get("fs.s3a.endpoint", "(AWS)")
                    + " to list " + input + " (" + rootCause(e) + "), after " + conf.get("fs.s3a.attempts.maximum")
                    + " attempts. Check the endpoint (tess.s3a.endpoint or spark.hadoop.fs.s3a.endpoint) and"
                    + " the network; tess.s3a.attempts-maximum and retry-limit bound the retries.", e);
        }
        if (kind.contains("AccessDenied") || msg.contains("403")) {
            return new UserException("Cannot list " + input + ": access denied. Public buckets need"
                    + " tess.s3a.credentials-provider = org.apache.hadoop.fs.s3a.AnonymousAWSCredentialsProvider;"
                    + " private ones com.amazonaws.auth.DefaultAWSCredentialsProviderChain.", e);
        }
        return new UserException("Cannot list " + input + ": " + kind + ": " + e.getMessage()
                + ". Check the URI, the endpoint and the credentials settings (tess.s3a.*).", e);
    }

    /**
     * A local folder through java.nio: Hadoop's local listing builds a LocatedFileStatus per file, which forks an
     * {@code ls} per file to learn owner and permissions (about 4 ms each: 7 minutes for 100,000 files). Links are
     * followed; each real folder is walked once.
     */
    private static void listLocal(Path root, List<String> suffixes, List<ListedFile> keys, List<String> warnings)
            throws IOException {
        java.nio.file.Path dir = java.nio.file.Path.of(root.toUri());
        Set<java.nio.file.Path> seen = new HashSet<>();
        Files.walkFileTree(dir, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE,
                new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult preVisitDirectory(java.nio.file.Path d, BasicFileAttributes attrs) {
                        if (!d.equals(dir) && isHidden(name(d))) {
                            return FileVisitResult.SKIP_SUBTREE;
                        }
                        try {
                            if (!seen.add(d.toRealPath())) {
                                warn(warnings, d + ": the same folder as one already listed (through a link),"
                                        + " listed once");
                                return FileVisitResult.SKIP_SUBTREE;
                            }
                        } catch (IOException e) {
                            warn(warnings, d + ": skipped, " + e);
                            return FileVisitResult.SKIP_SUBTREE;
                        }
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFile(java.nio.file.Path p, BasicFileAttributes attrs) {
                        String n = name(p);
                        if (isHidden(n) || !isFitsName(n, suffixes)) {
                            return FileVisitResult.CONTINUE;
                        }
                        String uri = new Path(p.toUri()).toString();
                        if (attrs.isSymbolicLink()) { // a link whose target cannot be read: dangling
                            keys.add(ListedFile.unreadable(uri, NOT_FOUND, "dangling symbolic link to "
                                    + linkTarget(p)));
                        } else if (!new java.io.File(new Path(uri).toUri().getPath()).exists()) {
                            // the path executors will open does not name the file: its bytes did not survive
                            keys.add(ListedFile.unreadable(uri, BAD_NAME, "the name's bytes are not valid "
                                    + System.getProperty("sun.jnu.encoding") + " (the JVM's file-name encoding):"
                                    + " rename the file, or run with LANG/LC_ALL naming the encoding it uses"));
                        } else if (attrs.isRegularFile()) {
                            keys.add(new ListedFile(uri, attrs.size()));
                        } else { // a FIFO, socket or device: reading it could block for ever
                            keys.add(ListedFile.unreadable(uri, NOT_REGULAR, "a FIFO, socket or device file"));
                        }
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFileFailed(java.nio.file.Path p, IOException e) {
                        if (e instanceof FileSystemLoopException) {
                            warn(warnings, p + ": a symbolic-link loop, skipped");
                        } else {
                            warn(warnings, p + ": skipped, " + e.getClass().getSimpleName() + ": " + e.getMessage());
                        }
                        return FileVisitResult.CONTINUE;
                    }
                });
    }

    private static String name(java.nio.file.Path p) {
        return p.getFileName() == null ? "" : p.getFileName().toString();
    }

    private static String linkTarget(java.nio.file.Path p) {
        try {
            return Files.readSymbolicLink(p).toString();
        } catch (IOException | RuntimeException e) {
            return "(unreadable)";
        }
    }

    private static void warn(List<String> warnings, String w) {
        LOG.warn("Listing: {}", w);
        if (warnings.size() < 100) {
            warnings.add(w);
        }
    }

    private static String rootCause(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c.getClass().getSimpleName() + ": " + c.getMessage();
    }
}
