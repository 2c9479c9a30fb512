package org.tessexo.spark.io;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tessexo.common.config.UserException;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The run's output folder on any Hadoop file system. Files appear whole or not at all: on stores with an atomic
 * rename (local, HDFS) they are written under a temporary name and renamed; on s3a an object appears only when its
 * upload completes, and a write that fails is aborted (never closed, which would publish the part written).
 *
 * <p>Only names relative to the output folder are accepted ({@code model.zip}, {@code checkpoints/epoch-0003.zip}):
 * no absolute path, no scheme, no {@code ..}, so nothing from a configuration or a labels table can make the job
 * write outside its output.
 */
public final class OutputStore {
    private static final Logger LOG = LoggerFactory.getLogger(OutputStore.class);
    private static final String ABORTABLE = "fs.capability.outputstream.abortable";

    /** What a run writes: the only entries {@code --overwrite} replaces. */
    public static final Set<String> RESULTS = Set.of("run-report.json", "model.zip", "outcomes", "checkpoints",
            "candidates", "events", "figures");

    private final Path root;
    private final FileSystem fs;

    /** What writes a file's bytes. */
    public interface Body {
        void write(OutputStream out) throws IOException;
    }

    public OutputStore(String output, Configuration conf) throws IOException {
        this.root = new Path(output);
        FileSystem f = root.getFileSystem(conf);
        // The raw local file system: no .crc side files beside the report and the model.
        this.fs = f instanceof org.apache.hadoop.fs.LocalFileSystem local ? local.getRaw() : f;
    }

    public Path path(String name) {
        return new Path(root, checkName(name));
    }

    static String checkName(String name) {
        if (name == null || name.isEmpty() || name.startsWith("/") || name.contains("\\") || name.contains(":")) {
            throw new IllegalArgumentException("Not a name inside the output folder: '" + name + "'");
        }
        for (String part : name.split("/", -1)) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                throw new IllegalArgumentException("Not a name inside the output folder: '" + name + "'");
            }
        }
        return name;
    }

    public String uri(String name) {
        return fs.makeQualified(path(name)).toString();
    }

    public String rootUri() {
        return fs.makeQualified(root).toString();
    }

    private boolean atomicRename() {
        String scheme = fs.getUri().getScheme();
        return scheme == null || !scheme.toLowerCase(Locale.ROOT).startsWith("s3");
    }

    /** The results of an earlier run present in the folder (see {@link #RESULTS}). */
    public List<String> existingResults() throws IOException {
        List<String> found = new ArrayList<>();
        for (String name : RESULTS) {
            if (fs.exists(path(name))) {
                found.add(name);
            }
        }
        found.sort(null);
        return found;
    }

    /** Deletes the results of an earlier run, and nothing else in the folder. */
    public void deleteResults(String... keep) throws IOException {
        for (String name : RESULTS) {
            if (!List.of(keep).contains(name)) {
                fs.delete(path(name), true);
            }
        }
    }

    public boolean exists(String name) throws IOException {
        return fs.exists(path(name));
    }

    public void delete(String name) throws IOException {
        fs.delete(path(name), true);
    }

    /** File names directly under {@code dir} (empty when it does not exist). */
    public List<String> list(String dir) throws IOException {
        List<String> names = new ArrayList<>();
        try {
            for (FileStatus s : fs.listStatus(path(dir))) {
                names.add(s.getPath().getName());
            }
        } catch (FileNotFoundException e) {
            return names;
        }
        names.sort(null);
        return names;
    }

    public byte[] read(String name) throws IOException {
        try (FSDataInputStream in = fs.open(path(name))) {
            return in.readAllBytes();
        }
    }

    public void copyToLocal(String name, java.nio.file.Path local) throws IOException {
        try (FSDataInputStream in = fs.open(path(name));
             OutputStream out = java.nio.file.Files.newOutputStream(local)) {
            in.transferTo(out);
        }
    }

    public void writeText(String name, String text) throws IOException {
        write(name, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }

    public void copyFromLocal(java.nio.file.Path local, String name) throws IOException {
        write(name, out -> java.nio.file.Files.copy(local, out));
    }

    /** Writes {@code name} whole or not at all. */
    public void write(String name, Body body) throws IOException {
        Path target = path(name);
        Path tmp = atomicRename() ? temporary(target) : target;
        FSDataOutputStream out = fs.create(tmp, true);
        try {
            body.write(out);
        } catch (IOException | RuntimeException | Error e) {
            abort(out, tmp);
            throw e;
        }
        out.close();
        if (!tmp.equals(target)) {
            commit(tmp, target);
        }
    }

    private void abort(FSDataOutputStream out, Path tmp) {
        try {
            if (out.hasCapability(ABORTABLE)) {
                out.abort();
            } else {
                out.close();
            }
            if (atomicRename()) {
                fs.delete(tmp, false);
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("Could not clean up the failed write of {}: {}", tmp, e.toString());
        }
    }

    /**
     * Publishes a folder written under a temporary name (by Spark) as {@code name}: a rename where the store has an
     * atomic one; on s3a the folder is written in place and Spark's {@code _SUCCESS} marker says it is complete.
     */
    public String folderTarget(String name) {
        return (atomicRename() ? temporary(path(name)) : path(name)).toString();
    }

    public void commitFolder(String name) throws IOException {
        if (atomicRename()) {
            commit(temporary(path(name)), path(name));
        }
    }

    /** Where {@code target} is written before it is renamed: a hidden name beside it. */
    private static Path temporary(Path target) {
        return new Path(target.getParent(), "." + target.getName() + ".tmp");
    }

    private void commit(Path tmp, Path target) throws IOException {
        fs.delete(target, true);
        if (!fs.rename(tmp, target)) {
            throw new IOException("Cannot rename " + tmp + " to " + target);
        }
    }

    /** A user-facing error for an output folder that already holds results. */
    public UserException existsError(List<String> found) {
        return new UserException("Output " + rootUri() + " already holds the results of an earlier run (" + found
                + "). Add --overwrite to replace them, --resume to continue training from its checkpoint, or choose"
                + " another --output.");
    }

    @Override
    public String toString() {
        return rootUri();
    }
}
