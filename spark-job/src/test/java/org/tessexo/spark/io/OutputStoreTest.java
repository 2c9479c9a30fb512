package org.tessexo.spark.io;

import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tessexo.common.errors.UserException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The output folder's claim, its checks before any work, and cleanup after a failed write, on real file systems:
 * the local disk, a read-only mount and a full one (tmpfs mounts; those tests need root, as CI has, and are skipped
 * elsewhere).
 */
class OutputStoreTest {

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aSecondRunOnTheSameOutputIsRefusedWithTheFirstRunsId(@TempDir Path tmp) throws IOException {
        Path out = tmp.resolve("o");
        OutputStore first = new OutputStore(out.toString(), new Configuration(), "run-a");
        OutputStore second = new OutputStore(out.toString(), new Configuration(), "run-b");
        first.claim("inspect");
        UserException e = assertThrows(UserException.class, () -> second.claim("inspect"));
        assertTrue(e.getMessage().contains("run run-a") && e.getMessage().contains("in use"), e.getMessage());
        assertTrue(e.getMessage().contains(OutputStore.CLAIM), "says which file to delete: " + e.getMessage());
        second.release();
        assertTrue(Files.exists(out.resolve(OutputStore.CLAIM)), "a refused run leaves the other's claim alone");
        first.release();
        assertEquals(List.of(), names(out), "released: nothing left");
        second.claim("inspect");
        second.release();
    }

    @Test
    void aClaimLeftByAProcessThatIsGoneIsTakenOver(@TempDir Path tmp) throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        String host = java.net.InetAddress.getLocalHost().getHostName();
        Files.writeString(tmp.resolve(OutputStore.CLAIM), "{\"run_id\": \"dead\", \"command\": \"train\", \"host\": \""
                + host + "\", \"pid\": " + p.pid() + ", \"started\": \"2026-01-01T00:00:00Z\"}\n");
        OutputStore store = new OutputStore(tmp.toString(), new Configuration(), "alive");
        store.claim("train");
        assertTrue(Files.readString(tmp.resolve(OutputStore.CLAIM)).contains("\"alive\""));
        store.release();
    }

    @Test
    void anOutputThatIsAFileIsAUserErrorBeforeAnyWork(@TempDir Path tmp) throws IOException {
        Path file = Files.writeString(tmp.resolve("out.txt"), "x");
        OutputStore store = new OutputStore(file.toString(), new Configuration(), "r");
        UserException e = assertThrows(UserException.class, () -> store.claim("inspect"));
        assertTrue(e.getMessage().contains("is a file"), e.getMessage());
    }

    @Test
    void temporaryNamesCarryTheRunIdAndAreRemovedOnRelease(@TempDir Path tmp) throws IOException {
        OutputStore store = new OutputStore(tmp.toString(), new Configuration(), "r1");
        store.claim("search");
        String target = store.folderTarget("outcomes");
        assertTrue(target.endsWith(".outcomes.r1.tmp"), target);
        // What a Spark write that failed half-way leaves behind.
        Files.createDirectories(Path.of(target).resolve("_temporary/0"));
        store.release();
        assertEquals(List.of(), names(tmp));
    }

    @Test
    void aReadOnlyOutputIsAUserErrorBeforeAnyWork(@TempDir Path tmp) throws Exception {
        Path mount = Files.createDirectories(tmp.resolve("ro"));
        assumeTrue(mount(mount, "ro,size=64k"), "needs root to mount a tmpfs");
        try {
            OutputStore store = new OutputStore(mount.resolve("o").toString(), new Configuration(), "r");
            UserException e = assertThrows(UserException.class, () -> store.claim("inspect"));
            assertTrue(e.getMessage().contains("Cannot write to --output"), e.getMessage());
        } finally {
            umount(mount);
        }
    }

    @Test
    void aFullDiskLeavesNoTemporaryBehind(@TempDir Path tmp) throws Exception {
        Path mount = Files.createDirectories(tmp.resolve("full"));
        assumeTrue(mount(mount, "size=64k"), "needs root to mount a tmpfs");
        try {
            OutputStore store = new OutputStore(mount.toString(), new Configuration(), "r");
            store.claim("train");
            Throwable e = assertThrows(Throwable.class, () -> store.write("model.zip", o -> {
                byte[] chunk = new byte[1 << 16];
                for (int i = 0; i < 16; i++) {
                    o.write(chunk);
                }
            }));
            assertTrue(String.valueOf(e.getMessage()).contains("No space left"), e.toString());
            store.writeText("run-report.json", "{}"); // small files still fit once the temporary is gone
            store.release();
            assertEquals(List.of("run-report.json"), names(mount), "no temporary, no partial model");
        } finally {
            umount(mount);
        }
    }

    static boolean mount(Path dir, String options) throws InterruptedException {
        try {
            Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", options, "tmpfs", dir.toString())
                    .redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0;
        } catch (IOException e) {
            return false;
        }
    }

    static void umount(Path dir) throws IOException, InterruptedException {
        new ProcessBuilder("umount", dir.toString()).inheritIO().start().waitFor();
    }

    @Test
    void nothingIsWrittenWhenTheBodyFails(@TempDir Path tmp) throws IOException {
        OutputStore store = new OutputStore(tmp.toString(), new Configuration(), "r");
        assertThrows(IllegalStateException.class, () -> store.write("a.json", o -> {
            o.write(1);
            throw new IllegalStateException("boom");
        }));
        assertFalse(Files.exists(tmp.resolve("a.json")));
        assertEquals(List.of(), names(tmp));
    }

    @Test
    void aReplacedFileIsNeverMissingForAReader(@TempDir Path tmp) throws Exception {
        // The registry's "current" pointer is replaced while servers read it: the old delete-then-rename left a
        // moment without the file.
        OutputStore store = new OutputStore(tmp.toString(), new Configuration(), "r");
        store.writeText("current", "v0000");
        Path current = tmp.resolve("current");
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicInteger missing = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger reads = new java.util.concurrent.atomic.AtomicInteger();
        Thread reader = new Thread(() -> {
            while (!done.get()) {
                try {
                    String v = Files.readString(current);
                    assertTrue(v.matches("v\\d{4}"), v);
                    reads.incrementAndGet();
                } catch (IOException e) {
                    missing.incrementAndGet();
                }
            }
        });
        reader.start();
        for (int i = 1; i <= 500; i++) {
            store.writeText("current", String.format(java.util.Locale.ROOT, "v%04d", i));
        }
        done.set(true);
        reader.join();
        assertEquals("v0500", Files.readString(current));
        assertTrue(reads.get() > 0);
        assertEquals(0, missing.get(), "reads that found no file, of " + reads.get());
    }
}
