package org.tessexo.spark.io;

import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tessexo.common.errors.UserException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A listing survives any entry of a real local folder: loops, double links, dangling links, hidden and odd names. */
class FitsListerTest {
    private static final List<String> SUFFIXES = List.of(".fits", ".fits.gz");

    private static Map<String, ListedFile> byName(FitsLister.Listing l) {
        Map<String, ListedFile> m = new TreeMap<>();
        for (ListedFile f : l.files()) {
            ListedFile before = m.put(f.path().substring(f.path().lastIndexOf('/') + 1), f);
            assertNull(before, "listed twice: " + f);
        }
        return m;
    }

    @Test
    void noEntryStopsTheListingAndEachRealFileIsListedOnce(@TempDir Path tmp) throws Exception {
        Path in = Files.createDirectories(tmp.resolve("in"));
        Files.write(in.resolve("good.fits"), new byte[10]);
        Path data = Files.createDirectories(in.resolve("data"));
        Files.write(data.resolve("inside.fits"), new byte[20]);
        Files.createSymbolicLink(in.resolve("again"), data);          // a folder linked twice
        Files.createSymbolicLink(data.resolve("loop"), in);           // a loop back to the top
        Files.createSymbolicLink(in.resolve("dangling.fits"), tmp.resolve("gone.fits"));
        Files.write(in.resolve(".hidden.fits"), new byte[1]);
        Files.write(in.resolve("_x.fits"), new byte[1]);
        Files.createDirectories(in.resolve("_temporary"));
        Files.write(in.resolve("_temporary/part.fits"), new byte[1]);
        assertEquals(0, new ProcessBuilder("mkfifo", in.resolve("pipe.fits").toString()).start().waitFor());
        Files.createDirectories(in.resolve(".git"));
        Files.write(in.resolve(".git/obj.fits"), new byte[1]);

        FitsLister.Listing l = FitsLister.list(in.toString(), SUFFIXES, new Configuration());
        Map<String, ListedFile> files = byName(l);
        assertEquals(List.of("dangling.fits", "good.fits", "inside.fits", "pipe.fits"), List.copyOf(files.keySet()));
        assertEquals(FitsLister.NOT_REGULAR, files.get("pipe.fits").problem(), "a FIFO is never opened");
        assertNull(files.get("good.fits").problem());
        assertEquals(20, files.get("inside.fits").length());
        assertEquals(FitsLister.NOT_FOUND, files.get("dangling.fits").problem());
        assertTrue(files.get("dangling.fits").detail().contains("gone.fits"), files.get("dangling.fits").detail());
        assertTrue(String.join("\n", l.warnings()).contains("loop") || String.join("\n", l.warnings())
                .contains("already listed"), l.warnings().toString());
    }

    /** A name in Latin-1 bytes under a UTF-8 JVM: listed, and said to be an unreadable name (not "deleted"). */
    @Test
    void aNameInAnotherEncodingIsListedWithItsOwnReason(@TempDir Path tmp) throws Exception {
        Process p = new ProcessBuilder("/bin/sh", "-c", "touch \"$(printf 'caf\\351.fits')\"")
                .directory(tmp.toFile()).inheritIO().start();
        assertEquals(0, p.waitFor());
        Files.write(tmp.resolve("ok.fits"), new byte[3]);
        Map<String, ListedFile> files = byName(FitsLister.list(tmp.toString(), SUFFIXES, new Configuration()));
        assertEquals(2, files.size(), files.toString());
        ListedFile odd = files.values().stream().filter(f -> !f.path().endsWith("ok.fits")).findFirst().orElseThrow();
        if ("UTF-8".equalsIgnoreCase(System.getProperty("sun.jnu.encoding"))) {
            assertEquals(FitsLister.BAD_NAME, odd.problem(), odd.toString());
            assertTrue(odd.detail().contains("rename"), odd.detail());
        }
    }

    @Test
    void errorsFitTheFileSystemTheyCameFrom(@TempDir Path tmp) {
        UserException missing = assertThrows(UserException.class,
                () -> FitsLister.list(tmp.resolve("nope").toString(), SUFFIXES, new Configuration()));
        assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
        assertFalse(missing.getMessage().contains("S3") || missing.getMessage().contains("s3a"), missing.getMessage());
    }

    @Test
    void onlyHiddenFilesIsAnEmptyListing(@TempDir Path tmp) throws IOException {
        Files.write(tmp.resolve("_SUCCESS.fits"), new byte[1]);
        UserException e = assertThrows(UserException.class,
                () -> FitsLister.list(tmp.toString(), SUFFIXES, new Configuration()));
        assertTrue(e.getMessage().contains("not starting with . or _"), e.getMessage());
    }

    @Test
    void hiddenBelowLooksOnlyBelowTheInput() {
        assertFalse(FitsLister.hiddenBelow("/_data/in", "/_data/in/a/b.fits"));
        assertTrue(FitsLister.hiddenBelow("/data/in", "/data/in/_temporary/b.fits"));
        assertTrue(FitsLister.hiddenBelow("/data/in", "/data/in/a/.b.fits"));
    }
}
