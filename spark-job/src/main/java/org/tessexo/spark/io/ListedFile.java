package org.tessexo.spark.io;

import java.io.Serializable;

/**
 * One listed file: its full URI and its size from the listing, so that executors can check a header's claims
 * against the real size before reading, without asking the store again. A plain class, not a record: Spark's
 * Kryo 4 cannot serialize records.
 */
public final class ListedFile implements Serializable {
    private static final long serialVersionUID = 1L;
    private final String path;
    private final long length;

    public ListedFile(String path, long length) {
        this.path = path;
        this.length = length;
    }

    public String path() {
        return path;
    }

    /** Size in bytes at listing time; -1 when unknown. */
    public long length() {
        return length;
    }

    @Override
    public String toString() {
        return path + " (" + length + " bytes)";
    }
}
