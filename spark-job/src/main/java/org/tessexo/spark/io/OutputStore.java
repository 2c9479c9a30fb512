package org.tessexo.spark.io;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tessexo.common.errors.UserException;

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
    /** What every run writes: its report, and one row per listed file. */
    public static final String REPORT = "run-report.json";
    public static final String OUTCOMES = "outcomes";
    public static final Set<String> RESULTS = Set.of(REPORT, "model.zip", OUTCOMES, "checkpoints",
            "candidates", "candidates.csv", "events", "figures", "vetter.zip", "report.html", "examples",
            "lightcurves", "stars.csv", "search", "lightcurves-fits");

    /** The claim of a running job on its output folder ('_' first: Hadoop and Spark readers skip it). */
    public static final String CLAIM = "_tess-run.lock";

    private final Path root;
    private final FileSystem fs;
    /** This run's part of every temporary name, so that two runs never share one. */
    private final String runId;
    /** Temporaries this run made, removed by {@link #release} whatever happened. */
    private final Set<Path> temporaries = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private boolean claimed;

    /** What writes a file's bytes. */
    public interface Body {
        void write(OutputStream out) throws IOException;
    }

    public OutputStore(String output, Configuration conf) throws IOException {
        this(output, conf, "run");
    }

    public OutputStore(String output, Configuration conf, String runId) throws IOException {
        if (!runId.matches("[A-Za-z0-9_-]+")) {
            throw new IllegalArgumentException("run id '" + runId + "'");
        }
        this.runId = runId;
        this.root = new Path(output);
        this.fs = HadoopFiles.fileSystem(root, conf);
    }

    /** The id of the run that writes here (in temporary names and the claim). */
    public String runId() {
        return runId;
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

    /** The names in a folder of the output ("" for the output itself), sorted; none when it does not exist. */
    public List<String> list(String dir) throws IOException {
        List<String> names = new ArrayList<>();
        try {
            for (FileStatus s : fs.listStatus(dir.isEmpty() ? root : path(dir))) {
                names.add(s.getPath().getName());
            }
        } catch (FileNotFoundException e) {
            return names;
        }
        names.sort(null);
        return names;
    }

    public java.io.InputStream open(String name) throws IOException {
        return fs.open(path(name));
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
        boolean written = false;
        try {
            body.write(out);
            out.close(); // a full disk may first say so here (the last buffer's flush)
            written = true;
        } finally {
            if (!written) {
                abort(out, tmp);
            }
        }
        if (!tmp.equals(target)) {
            commit(tmp, target);
        }
    }

    /**
     * Drops a failed write: the upload aborted (s3a) or the stream closed, and the temporary deleted whatever the
     * close throws (a full local disk throws Hadoop's FSError, an Error, from the flush in close()).
     */
    private void abort(FSDataOutputStream out, Path tmp) {
        try {
            if (out.hasCapability(ABORTABLE)) {
                out.abort();
            } else {
                out.close();
            }
        } catch (IOException | RuntimeException | Error e) {
            LOG.debug("Closing the failed write of {}: {}", tmp, e.toString());
        } finally {
            if (atomicRename()) {
                deleteQuietly(tmp);
            }
        }
    }

    private void deleteQuietly(Path p) {
        try {
            fs.delete(p, true);
        } catch (IOException | RuntimeException e) {
            LOG.warn("Could not remove {}: {}", p, e.toString());
        }
    }

    /**
     * Claims the folder for this run before any work: it is created if needed, must be a folder and writable, and
     * must not be claimed by another run. The claim is a file made only if absent, atomically where the store can
     * (local disks: {@code O_EXCL}; HDFS: the NameNode's create without overwrite; S3 has no such operation, so
     * there two runs started within one request's time may both proceed). A claim left by a run on this host
     * whose process is gone (killed) is taken over with a warning.
     *
     * @throws UserException when the folder cannot be written or another run holds it
     */
    public void claim(String command) {
        Path claim = new Path(root, CLAIM);
        String text = String.format(Locale.ROOT, "{\"run_id\": \"%s\", \"command\": \"%s\", \"host\": \"%s\","
                        + " \"pid\": %d, \"started\": \"%s\"}%n", runId, command, host(),
                ProcessHandle.current().pid(), java.time.Instant.now());
        try {
            try {
                FileStatus st = fs.getFileStatus(root);
                if (!st.isDirectory()) {
                    throw new UserException("--output " + rootUri() + " is a file, not a folder. Give a folder"
                            + " (it is created if missing).");
                }
            } catch (FileNotFoundException e) {
                if (!fs.mkdirs(root)) {
                    throw new IOException("mkdirs returned false");
                }
            }
            for (int attempt = 0; attempt < 2; attempt++) {
                if (createNew(claim, text)) {
                    claimed = true;
                    return;
                }
                Claim other = Claim.parse(readQuietly(claim));
                if (other != null && other.deadOnThisHost()) {
                    LOG.warn("Output {} was claimed by run {} (pid {}), which is no longer running: taking it"
                            + " over", rootUri(), other.runId, other.pid);
                    fs.delete(claim, false);
                    continue;
                }
                throw new UserException("Output " + rootUri() + " is in use by another run"
                        + (other == null ? "" : " (run " + other.runId + ", " + other.command + ", host "
                        + other.host + ", pid " + other.pid + ", started " + other.started + ")")
                        + ". Wait for it to finish or choose another --output; if no such run is alive, delete "
                        + uriOf(claim) + ".");
            }
            throw new UserException("Output " + rootUri() + " is in use by another run: its claim " + uriOf(claim)
                    + " keeps coming back. Choose another --output.");
        } catch (UserException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new UserException("Cannot write to --output " + rootUri() + ": " + e.getClass().getSimpleName()
                    + ": " + e.getMessage() + ". Check that the folder is writable (permissions, a read-only"
                    + " mount, the bucket's policy) or choose another --output.", e);
        }
    }

    /** Removes this run's leftover temporaries and its claim. Never throws. */
    public void release() {
        for (Path t : temporaries) {
            try {
                if (fs.exists(t)) {
                    fs.delete(t, true);
                }
            } catch (IOException | RuntimeException | Error e) {
                LOG.warn("Could not remove the temporary {}: {}", t, e.toString());
            }
        }
        if (claimed) {
            Path claim = new Path(root, CLAIM);
            Claim c = Claim.parse(readQuietly(claim));
            if (c != null && c.runId.equals(runId)) {
                deleteQuietly(claim);
            }
            claimed = false;
        }
    }

    private boolean createNew(Path p, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if ("file".equals(fs.getUri().getScheme())) {
            try {
                java.nio.file.Files.write(java.nio.file.Path.of(fs.makeQualified(p).toUri()), bytes,
                        java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE);
                return true;
            } catch (java.nio.file.FileAlreadyExistsException e) {
                return false;
            }
        }
        try (FSDataOutputStream out = fs.create(p, false)) {
            out.write(bytes);
            return true;
        } catch (org.apache.hadoop.fs.FileAlreadyExistsException e) {
            return false;
        }
    }

    private String readQuietly(Path p) {
        try (FSDataInputStream in = fs.open(p)) {
            return new String(in.readNBytes(4096), StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    private String uriOf(Path p) {
        return fs.makeQualified(p).toString();
    }

    private static String host() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /** What a claim file says. */
    record Claim(String runId, String command, String host, long pid, String started) {
        static Claim parse(String json) {
            try {
                com.fasterxml.jackson.databind.JsonNode n = new com.fasterxml.jackson.databind.ObjectMapper()
                        .readTree(json);
                if (n == null || !n.has("run_id")) {
                    return null;
                }
                return new Claim(n.path("run_id").asText(), n.path("command").asText(), n.path("host").asText(),
                        n.path("pid").asLong(-1), n.path("started").asText());
            } catch (IOException | RuntimeException e) {
                return null;
            }
        }

        boolean deadOnThisHost() {
            return host.equals(host()) && pid > 0 && ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
        }
    }

    /**
     * Publishes a folder written under a temporary name (by Spark) as {@code name}: a rename where the store has an
     * atomic one; on s3a the folder is written in place and Spark's {@code _SUCCESS} marker says it is complete.
     */
    public String folderTarget(String name) {
        return (atomicRename() ? temporary(path(name)) : path(name)).toString();
    }

    /** {@link #folderTarget}'s name inside the output, for {@link #write}. */
    public String folderTargetName(String name) {
        Path target = atomicRename() ? temporary(path(name)) : path(name);
        return name.substring(0, name.lastIndexOf('/') + 1) + target.getName();
    }

    public void commitFolder(String name) throws IOException {
        if (atomicRename()) {
            commit(temporary(path(name)), path(name));
        }
    }

    /** Where {@code target} is written before it is renamed: a hidden name beside it, with this run's id. */
    private Path temporary(Path target) {
        Path t = new Path(target.getParent(), "." + target.getName() + "." + runId + ".tmp");
        temporaries.add(t);
        return t;
    }

    /**
     * Puts {@code tmp} in {@code target}'s place. A file replaces the old one in one step where the store can (a
     * local disk's rename(2), HDFS's rename with OVERWRITE), so a reader always finds one whole version (the
     * registry's {@code current} pointer relies on it); a folder replaces the old one by delete and rename.
     */
    private void commit(Path tmp, Path target) throws IOException {
        if (!fs.getFileStatus(tmp).isDirectory()) {
            if (fs instanceof RawLocalFileSystem) {
                java.nio.file.Files.move(java.nio.file.Path.of(fs.makeQualified(tmp).toUri()),
                        java.nio.file.Path.of(fs.makeQualified(target).toUri()),
                        java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                return;
            }
            if ("hdfs".equalsIgnoreCase(fs.getUri().getScheme())) {
                FileContext.getFileContext(fs.getUri(), fs.getConf()).rename(tmp, target, Options.Rename.OVERWRITE);
                return;
            }
        }
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
