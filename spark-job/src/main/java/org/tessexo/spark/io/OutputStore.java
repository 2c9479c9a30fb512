package org.tessexo.spark.io;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The run's output folder on any Hadoop file system. Files appear whole or not at all: on stores with an atomic
 * rename (local, HDFS) they are written under a temporary name and renamed; on s3a a single PUT or a completed
 * multipart upload is already atomic, so they are written in place.
 */
public final class OutputStore {
    private final Path root;
    private final FileSystem fs;

    public OutputStore(String output, Configuration conf) throws IOException {
        this.root = new Path(output);
        this.fs = root.getFileSystem(conf);
    }

    public Path path(String name) {
        return new Path(root, name);
    }

    public String uri(String name) {
        return fs.makeQualified(path(name)).toString();
    }

    public FileSystem fileSystem() {
        return fs;
    }

    private boolean atomicRename() {
        String scheme = fs.getUri().getScheme();
        return scheme == null || !scheme.toLowerCase(Locale.ROOT).startsWith("s3");
    }

    public void writeText(String name, String text) throws IOException {
        Path target = path(name);
        Path tmp = atomicRename() ? path("." + name + ".tmp") : target;
        try (FSDataOutputStream out = fs.create(tmp, true)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        commit(tmp, target);
    }

    public void copyFromLocal(java.nio.file.Path local, String name) throws IOException {
        Path target = path(name);
        Path tmp = atomicRename() ? path("." + name + ".tmp") : target;
        fs.copyFromLocalFile(false, true, new Path(local.toUri()), tmp);
        commit(tmp, target);
    }

    private void commit(Path tmp, Path target) throws IOException {
        if (tmp.equals(target)) {
            return;
        }
        fs.delete(target, false);
        if (!fs.rename(tmp, target)) {
            throw new IOException("Cannot rename " + tmp + " to " + target);
        }
        // copyFromLocalFile leaves .crc files on the local file system; they are noise in an output folder.
        Path crc = new Path(tmp.getParent(), "." + tmp.getName() + ".crc");
        fs.delete(crc, false);
    }
}
