package org.tessexo.spark.steps;

import org.apache.hadoop.conf.Configuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tessexo.common.errors.UserException;
import org.tessexo.common.model.Registry;
import org.tessexo.spark.io.OutputStore;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A model registry folder ({@link Registry} describes the layout) read and written through an {@link OutputStore}:
 * claimed for one retrain at a time, each file written whole, a version folder published by rename, and the
 * {@code current} pointer replaced in one step only after its version is complete.
 */
public final class ModelRegistry implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ModelRegistry.class);

    private final OutputStore store;
    private final String uri;

    /** Opens (creating if needed) and claims the registry for this run: a second retrain on it is refused. */
    public ModelRegistry(String uri, Configuration conf, String runId) {
        this.uri = uri;
        try {
            this.store = new OutputStore(uri, conf, runId);
        } catch (IOException | IllegalArgumentException e) {
            throw new UserException("Cannot use the registry " + uri + ": " + e.getMessage(), e);
        }
        store.claim("retrain");
    }

    public String uri() {
        return store.rootUri();
    }

    /** The version {@code current} names, or empty for a new registry. */
    public Optional<String> current() throws IOException {
        if (!store.exists(Registry.CURRENT)) {
            return Optional.empty();
        }
        String v = new String(store.read(Registry.CURRENT), StandardCharsets.UTF_8).trim();
        if (Registry.versionNumber(v).isEmpty() || !store.exists(v + "/" + Registry.VERSION_INFO)) {
            throw new UserException("The registry " + uri + " is damaged: " + Registry.CURRENT + " names '" + v
                    + "', which is not a complete version. Point it at one of " + versions() + ".");
        }
        return Optional.of(v);
    }

    /** Complete versions (those with their version.json), oldest first. */
    public List<String> versions() throws IOException {
        List<String> out = new ArrayList<>();
        for (String name : store.list("")) {
            String n = name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
            if (Registry.versionNumber(n).isPresent() && store.exists(n + "/" + Registry.VERSION_INFO)) {
                out.add(n);
            }
        }
        out.sort(null);
        return out;
    }

    /** What a version trained on. */
    public List<Registry.Entry> manifest(String version) throws IOException {
        return entries(version + "/" + Registry.MANIFEST);
    }

    /** The fixed evaluation set; empty before the first version. */
    public List<Registry.Entry> evaluation() throws IOException {
        return store.exists(Registry.EVALUATION) ? entries(Registry.EVALUATION) : List.of();
    }

    private List<Registry.Entry> entries(String name) throws IOException {
        try {
            return Registry.fromCsv(new String(store.read(name), StandardCharsets.UTF_8));
        } catch (FileNotFoundException e) {
            throw new UserException("The registry " + uri + " is damaged: " + name + " is missing.", e);
        } catch (IllegalArgumentException e) {
            throw new UserException("The registry " + uri + " is damaged: " + name + ": " + e.getMessage(), e);
        }
    }

    /** The URI of a file in a version (its model.zip, say). */
    public String uri(String version, String file) {
        return store.uri(version + "/" + file);
    }

    public byte[] read(String version, String file) throws IOException {
        return store.read(version + "/" + file);
    }

    /** Writes the fixed evaluation set (the first version only). */
    public void writeEvaluation(List<Registry.Entry> entries) throws IOException {
        store.writeText(Registry.EVALUATION, Registry.toCsv(entries));
    }

    /**
     * Publishes a new version: its files written under a temporary folder, which is then renamed to the next
     * version's name; {@code current} is not touched ({@link #point}).
     *
     * @return the version's name
     */
    public String publish(Map<String, byte[]> files) throws IOException {
        String name = Registry.nextVersion(versions());
        writeFolder(name, files);
        store.commitFolder(name);
        LOG.info("Registry {}: published {}", uri(), name);
        return name;
    }

    /** Keeps a model that was not promoted, for a person to look at: candidates/RUN/. */
    public String keepCandidate(String runId, Map<String, byte[]> files) throws IOException {
        String name = Registry.CANDIDATES + "/" + runId;
        writeFolder(name, files);
        store.commitFolder(name);
        return store.uri(name);
    }

    private void writeFolder(String name, Map<String, byte[]> files) throws IOException {
        String relative = store.folderTargetName(name);
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            byte[] bytes = f.getValue();
            store.write(relative + "/" + f.getKey(), out -> out.write(bytes));
        }
    }

    /** Makes {@code version} the current one: the pointer replaced in one step. */
    public void point(String version) throws IOException {
        store.writeText(Registry.CURRENT, version + "\n");
        LOG.info("Registry {}: current is now {}", uri(), version);
    }

    /** Removes what runs that were killed left (temporary folders and files); returns their names. */
    public List<String> removeLeftovers() throws IOException {
        List<String> removed = new ArrayList<>();
        for (String name : store.list("")) {
            String n = name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
            if (n.startsWith(".") && n.endsWith(".tmp")) {
                store.delete(n);
                removed.add(n);
            }
        }
        if (!removed.isEmpty()) {
            LOG.warn("Registry {}: removed what a stopped run left: {}", uri(), removed);
        }
        return removed;
    }

    @Override
    public void close() {
        store.release();
    }
}
