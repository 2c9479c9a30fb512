package org.tessexo.common.fits;

import nom.tam.image.compression.hdu.CompressedImageHDU;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tessexo.common.testing.Allocation;
import org.tessexo.common.testing.FitsFixtures;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.tessexo.common.testing.FitsFixtures.bytes;
import static org.tessexo.common.testing.FitsFixtures.emptyPrimary;
import static org.tessexo.common.testing.FitsFixtures.image;
import static org.tessexo.common.testing.FitsFixtures.ramp;
import static org.tessexo.common.testing.FitsFixtures.table;

/**
 * Mutates valid files (bit flips, truncations, header edits, inserted and deleted bytes; a fixed seed) and checks
 * that the decoder always returns a result: no exception escapes, no case takes longer than a bound, and none
 * allocates more than a bound tied to {@code max-image-bytes}. {@code -Dtess.fuzz.cases=N} changes the count.
 */
class FitsFuzzTest {
    private static final long SEED = 20261124L;
    private static final int CASES = Integer.getInteger("tess.fuzz.cases", 5000);
    private static final long MAX_IMAGE_BYTES = 4L << 20;
    /** Decoded floats plus raw bytes of one limit-sized image, plus nom-tam-fits' tile buffers: a generous bound. */
    private static final long MAX_ALLOCATION = 8 * MAX_IMAGE_BYTES + (16L << 20);
    /**
     * nom-tam-fits' HCOMPRESS decoder can spin for seconds on a corrupt tile (its loops trust the stream): about 5 s
     * of CPU idle, many times that in wall time on a loaded 2-core machine. The bound is on the decoding thread's
     * CPU time, which load does not stretch; the wall-clock wait is only a backstop against a hang.
     */
    private static final long CPU_SECONDS_PER_CASE = 60;
    private static final long WALL_SECONDS_BACKSTOP = 900;
    private static final java.lang.management.ThreadMXBean THREADS =
            java.lang.management.ManagementFactory.getThreadMXBean();
    private static final String[] STRUCTURAL = {"BITPIX", "NAXIS", "NAXIS1", "NAXIS2", "NAXIS3", "PCOUNT", "GCOUNT",
        "ZNAXIS", "ZNAXIS1", "ZNAXIS2", "ZTILE1", "ZTILE2", "ZBITPIX", "ZCMPTYPE", "TFORM1", "TFIELDS", "THEAP",
        "XTENSION", "ZIMAGE", "BSCALE", "BZERO", "BLANK", "END", "ZQUANTIZ", "ZVAL1", "ZVAL2", "ZSCALE", "ZZERO"};
    private static final String[] VALUES = {"0", "-1", "1", "2", "3", "7", "2147483647", "-2147483648",
        "99999999999999999999", "'garbage'", "''", "T", "F", "1.5E300", "NaN", "'RICE_1'", "'HCOMPRESS_1'",
        "'PLIO_1'", "'GZIP_2'", "'BINTABLE'", "'IMAGE'", "'1PB(100000000)'", "'1QJ(5)'"};

    private static ExecutorService worker;
    /** nom-tam-fits logs a warning for most damaged files; thousands of them would bury the build log. */
    private static final java.util.logging.Logger NOM_TAM = java.util.logging.Logger.getLogger("nom.tam");

    @BeforeAll
    static void start() {
        NOM_TAM.setLevel(java.util.logging.Level.OFF);
        worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fuzz-decoder");
            t.setDaemon(true); // a hung case must not keep the test JVM alive
            return t;
        });
    }

    @AfterAll
    static void stop() {
        worker.shutdownNow();
        NOM_TAM.setLevel(null);
    }

    private static List<byte[]> seeds() throws Exception {
        List<byte[]> seeds = new ArrayList<>();
        seeds.add(undated(bytes(image(ramp(48, 40), null, null))));
        short[][] s = new short[40][40];
        s[3][3] = 7;
        seeds.add(undated(bytes(emptyPrimary(), table("LIGHTCURVE"), image(s, "CAL", h -> {
            h.getHeader().addValue("BZERO", 32768.0, null);
            h.getHeader().addValue("BLANK", 7, null);
        }))));
        for (String algo : new String[] {"RICE_1", "GZIP_1", "HCOMPRESS_1", "PLIO_1"}) {
            int[][] data = new int[40][48];
            for (int[] row : data) {
                Arrays.fill(row, 5);
            }
            data[7][9] = 300;
            CompressedImageHDU c = CompressedImageHDU.fromImageHDU(image(data, "Z", null), 48, 8);
            c.setCompressAlgorithm(algo);
            c.compress();
            seeds.add(undated(bytes(emptyPrimary(), c)));
        }
        seeds.add(undated(bytes(image(new float[3][40][40], null, null))));
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(seeds.get(1));
        }
        seeds.add(gz.toByteArray());
        for (String r : new String[] {"ramp-i16.h.fits.fz", "sky-f32.rice.fits.fz", "ramp-i16.p.fits.fz"}) {
            try (InputStream in = FitsFuzzTest.class.getResourceAsStream("/fits/" + r)) {
                seeds.add(in.readAllBytes());
            }
        }
        seeds.add(Files.readAllBytes(FitsFixtures.realData().resolve("test-tpf-tesscut_1x1.fits")));
        return seeds;
    }

    /**
     * nom-tam-fits stamps "Java FITS: <date>" into headers: fixed here, so that the same seed mutates the same bytes
     * into the same files on every run (a flipped bit in a date digit can make a control character).
     */
    private static byte[] undated(byte[] fits) {
        String text = new String(fits, StandardCharsets.ISO_8859_1);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("Java FITS: [A-Z][a-z]{2} [A-Z][a-z]{2} [ 0-9]{2}"
                + " \\d{2}:\\d{2}:\\d{2} [A-Z]{2,5} \\d{4}").matcher(text);
        byte[] out = fits.clone();
        while (m.find()) {
            String fixed = String.format("%-" + (m.end() - m.start()) + "s", "Java FITS: Mon Jan 01 00:00:00 UTC 2030");
            System.arraycopy(fixed.getBytes(StandardCharsets.ISO_8859_1), 0, out, m.start(), m.end() - m.start());
        }
        return out;
    }

    @Test
    void mutatedFilesNeverEscapeHangOrExhaustMemory() throws Exception {
        List<byte[]> seeds = seeds();
        FitsImageDecoder decoder = new FitsImageDecoder(new DecoderSettings("auto", 8, MAX_IMAGE_BYTES, 0));
        Random rnd = new Random(SEED);
        Map<String, Integer> byOutcome = new TreeMap<>();
        long maxAllocated = 0;
        long maxNanos = 0;
        String slowest = "";
        for (int i = 0; i < CASES; i++) {
            byte[] seed = seeds.get(rnd.nextInt(seeds.size()));
            StringBuilder how = new StringBuilder("case " + i + " (seed file " + seeds.indexOf(seed) + "):");
            byte[] mutated = mutate(seed, rnd, how);
            if (rnd.nextInt(4) == 0) {
                mutated = mutate(mutated, rnd, how);
            }
            boolean knownLength = rnd.nextBoolean();
            byte[] input = mutated;
            Future<long[]> f = worker.submit(() -> {
                long a0 = Allocation.allocatedByThisThread();
                long t0 = THREADS.getCurrentThreadCpuTime();
                DecodeResult r = decoder.decode(new ByteArrayInputStream(input), knownLength ? input.length : -1);
                long nanos = THREADS.getCurrentThreadCpuTime() - t0;
                long allocated = Allocation.allocatedByThisThread() - a0;
                check(r, how);
                byOutcome.merge(r.outcome() + " / " + r.reason(), 1, Integer::sum);
                return new long[] {allocated, nanos};
            });
            long[] stats;
            try {
                stats = f.get(WALL_SECONDS_BACKSTOP, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                fail("no result within " + WALL_SECONDS_BACKSTOP + " s (a hang): " + how);
                return;
            } catch (java.util.concurrent.ExecutionException e) {
                throw new AssertionError("escaped: " + how + " " + e.getCause(), e.getCause());
            }
            assertTrue(stats[0] < MAX_ALLOCATION, how + " allocated " + stats[0] + " bytes");
            assertTrue(stats[1] < CPU_SECONDS_PER_CASE * 1_000_000_000L, how + " took " + stats[1] / 1e9
                    + " s of CPU");
            maxAllocated = Math.max(maxAllocated, stats[0]);
            if (stats[1] > maxNanos) {
                maxNanos = stats[1];
                slowest = how.toString();
            }
        }
        int total = byOutcome.values().stream().mapToInt(Integer::intValue).sum();
        assertEquals(CASES, total);
        System.out.printf("Fuzz: %d cases (seed %d), max %.1f MB allocated, slowest %.1f ms (%s); outcomes %s%n",
                CASES, SEED, maxAllocated / 1e6, maxNanos / 1e6, slowest, byOutcome);
        assertTrue(byOutcome.keySet().stream().anyMatch(k -> k.startsWith("IMAGE")), "some mutations stay valid");
        assertTrue(byOutcome.keySet().stream().filter(k -> k.startsWith("FAILED")).count() >= 4,
                "the mutations reach several failure reasons: " + byOutcome);
    }

    private static void check(DecodeResult r, StringBuilder how) {
        if (r == null || r.outcome() == null) {
            throw new AssertionError("no outcome: " + how);
        }
        if (r.outcome() == Outcome.IMAGE) {
            if (r.image().pixels().length != r.height() * r.width()) {
                throw new AssertionError("pixel count does not match the shape: " + how);
            }
        } else if (r.reason() == null || r.reason().isEmpty() || r.image() != null) {
            throw new AssertionError("a non-image without a reason: " + how + " " + r);
        }
    }

    static byte[] mutate(byte[] in, Random rnd, StringBuilder how) {
        byte[] b = in.clone();
        switch (rnd.nextInt(6)) {
            case 0 -> { // bit flips anywhere
                int n = 1 + rnd.nextInt(16);
                for (int k = 0; k < n && b.length > 0; k++) {
                    int pos = rnd.nextInt(b.length);
                    b[pos] ^= (byte) (1 << rnd.nextInt(8));
                }
                how.append(" flip ").append(n).append(" bits;");
            }
            case 1 -> { // bit flips in the headers (the first blocks), where structure lives
                int n = 1 + rnd.nextInt(8);
                int span = Math.min(b.length, 2880 * 4);
                for (int k = 0; k < n && span > 0; k++) {
                    b[rnd.nextInt(span)] ^= (byte) (1 << rnd.nextInt(8));
                }
                how.append(" flip ").append(n).append(" header bits;");
            }
            case 2 -> { // truncate
                int len = rnd.nextInt(b.length + 1);
                b = Arrays.copyOf(b, len);
                how.append(" truncate to ").append(len).append(';');
            }
            case 3, 4 -> { // header edit: a structural keyword gets a hostile value
                String key = STRUCTURAL[rnd.nextInt(STRUCTURAL.length)];
                String value = VALUES[rnd.nextInt(VALUES.length)];
                editCard(b, key, value, rnd);
                how.append(' ').append(key).append(" = ").append(value).append(';');
            }
            default -> { // insert or delete a run of bytes
                int pos = b.length == 0 ? 0 : rnd.nextInt(b.length);
                int n = 1 + rnd.nextInt(200);
                if (rnd.nextBoolean()) {
                    byte[] extra = new byte[n];
                    rnd.nextBytes(extra);
                    byte[] out = new byte[b.length + n];
                    System.arraycopy(b, 0, out, 0, pos);
                    System.arraycopy(extra, 0, out, pos, n);
                    System.arraycopy(b, pos, out, pos + n, b.length - pos);
                    b = out;
                    how.append(" insert ").append(n).append(" at ").append(pos).append(';');
                } else {
                    int end = Math.min(b.length, pos + n);
                    byte[] out = new byte[b.length - (end - pos)];
                    System.arraycopy(b, 0, out, 0, pos);
                    System.arraycopy(b, end, out, pos, b.length - end);
                    b = out;
                    how.append(" delete ").append(end - pos).append(" at ").append(pos).append(';');
                }
            }
        }
        return b;
    }

    /** Rewrites the value of one occurrence of {@code key} (a card at an 80-byte boundary) in place. */
    private static void editCard(byte[] b, String key, String value, Random rnd) {
        String k8 = String.format("%-8s", key);
        List<Integer> hits = new ArrayList<>();
        for (int off = 0; off + 80 <= b.length; off += 80) {
            if (new String(b, off, 8, StandardCharsets.US_ASCII).equals(k8)) {
                hits.add(off);
            }
        }
        if (hits.isEmpty()) {
            return;
        }
        int off = hits.get(rnd.nextInt(hits.size()));
        String card = key.equals("END") ? String.format("%-80s", value)
                : String.format("%-80s", String.format("%-8s= %20s", key, value));
        System.arraycopy(card.getBytes(StandardCharsets.US_ASCII), 0, b, off, 80);
    }

    @Test
    void theMutatorIsDeterministic() throws IOException {
        byte[] seed = bytes(image(ramp(40, 40), null, null));
        byte[] a = mutate(seed, new Random(5), new StringBuilder());
        byte[] b = mutate(seed, new Random(5), new StringBuilder());
        assertTrue(Arrays.equals(a, b));
    }
}
