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
    private final String problem;
    private final String detail;

    public ListedFile(String path, long length) {
        this(path, length, null, null);
    }

    private ListedFile(String path, long length, String problem, String detail) {
        this.path = path;
        this.length = length;
        this.problem = problem;
        this.detail = detail;
    }

    /**
     * An entry the listing saw but that cannot be read as it stands (a dangling link, a name the JVM cannot
     * encode): it is listed all the same, so that it gets its {@code failed} outcome with this reason.
     */
    public static ListedFile unreadable(String path, String reason, String detail) {
        return new ListedFile(path, -1, reason, detail);
    }

    /** Why the listing already knows this entry cannot be read; null for a normal file. */
    public String problem() {
        return problem;
    }

    public String detail() {
        return detail;
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
