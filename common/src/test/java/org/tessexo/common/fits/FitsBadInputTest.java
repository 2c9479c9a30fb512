package org.tessexo.common.fits;

import nom.tam.image.compression.hdu.CompressedImageHDU;
import org.junit.jupiter.api.Test;
import org.tessexo.common.testing.Allocation;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tessexo.common.testing.FitsFixtures.bytes;
import static org.tessexo.common.testing.FitsFixtures.emptyPrimary;
import static org.tessexo.common.testing.FitsFixtures.image;
import static org.tessexo.common.testing.FitsFixtures.ramp;
import static org.tessexo.common.testing.FitsFixtures.table;

/** Broken files: each fails (or is skipped) with its reason, and none makes the decoder allocate what it claims. */
class FitsBadInputTest {
    private static final long ONE_MB = 1 << 20;
    private final FitsImageDecoder auto = new FitsImageDecoder(DecoderSettings.defaults());
    private final byte[] good = bytes(emptyPrimary(), image(ramp(64, 64), "CAL", null));

    /** A FITS header of the given cards (END added), padded to 2880 bytes, followed by {@code dataBytes} zeros. */
    static byte[] craft(int dataBytes, String... cards) {
        StringBuilder sb = new StringBuilder();
        for (String c : cards) {
            sb.append(String.format("%-80s", c));
        }
        sb.append(String.format("%-80s", "END"));
        while (sb.length() % 2880 != 0) {
            sb.append(' ');
        }
        byte[] header = sb.toString().getBytes(StandardCharsets.US_ASCII);
        return Arrays.copyOf(header, header.length + dataBytes);
    }

    private static String card(String key, Object value) {
        return String.format("%-8s= %20s", key, value);
    }

    private DecodeResult decodeStream(FitsImageDecoder d, byte[] file, long length) throws IOException {
        return d.decode(new ByteArrayInputStream(file), length);
    }

    @Test
    void zeroBytes() {
        DecodeResult r = auto.decode(new byte[0]);
        assertEquals(Outcome.FAILED, r.outcome());
        assertEquals(FitsImageDecoder.EMPTY, r.reason());
    }

    @Test
    void randomBytesAreNotFits() {
        byte[] random = new byte[8192];
        new Random(3).nextBytes(random);
        DecodeResult r = auto.decode(random);
        assertEquals(Outcome.FAILED, r.outcome());
        assertEquals(FitsImageDecoder.NOT_FITS, r.reason());
        assertNull(r.image());
    }

    @Test
    void truncatedInTheHeader() {
        DecodeResult r = auto.decode(Arrays.copyOf(good, 1000));
        assertEquals(Outcome.FAILED, r.outcome());
        assertEquals(FitsImageDecoder.TRUNCATED, r.reason(), r.fullReason());
        DecodeResult second = auto.decode(Arrays.copyOf(good, 2880 + 100));
        assertEquals(FitsImageDecoder.TRUNCATED, second.reason(), second.fullReason());
        assertTrue(second.detail().contains("HDU 1"), second.detail());
    }

    @Test
    void truncatedInTheDataWithAndWithoutTheFileLength() throws IOException {
        byte[] cut = Arrays.copyOf(good, good.length - 5000);
        DecodeResult known = decodeStream(auto, cut, cut.length);
        assertEquals(FitsImageDecoder.TRUNCATED, known.reason(), known.fullReason());
        assertTrue(known.detail().contains("claims"), "caught from the header, before reading: " + known.detail());
        DecodeResult unknown = decodeStream(auto, cut, -1);
        assertEquals(Outcome.FAILED, unknown.outcome());
        assertEquals(FitsImageDecoder.TRUNCATED, unknown.reason(), unknown.fullReason());
    }

    @Test
    void headerWithoutEnd() {
        byte[] noEnd = good.clone();
        String text = new String(noEnd, 0, 2880, StandardCharsets.US_ASCII);
        int end = text.indexOf("END     ");
        assertTrue(end >= 0 && end % 80 == 0);
        System.arraycopy("XND".getBytes(StandardCharsets.US_ASCII), 0, noEnd, end, 3);
        DecodeResult r = auto.decode(noEnd);
        assertEquals(Outcome.FAILED, r.outcome());
        assertTrue(r.detail().contains("END"), r.fullReason());
    }

    @Test
    void aTwoKilobyteFileClaimingGigabytesIsRejectedBeforeAllocation() throws IOException {
        byte[] liar = craft(0, "SIMPLE  =                    T", card("BITPIX", -64), card("NAXIS", 2),
                card("NAXIS1", 100000), card("NAXIS2", 100000));
        long before = Allocation.allocatedByThisThread();
        DecodeResult known = decodeStream(auto, liar, liar.length);
        DecodeResult unknown = decodeStream(auto, liar, -1);
        long allocated = Allocation.allocatedByThisThread() - before;
        assertEquals(Outcome.FAILED, known.outcome());
        assertEquals(FitsImageDecoder.TRUNCATED, known.reason(), known.fullReason());
        assertTrue(known.detail().contains("80000000000"), known.detail());
        assertEquals(Outcome.SKIPPED, unknown.outcome(), "no length known: the limit still applies");
        assertEquals(FitsImageDecoder.TOO_LARGE, unknown.reason(), unknown.fullReason());
        assertTrue(allocated < ONE_MB, "allocated " + allocated + " bytes for a 2880-byte file");
    }

    @Test
    void claimsOverTheConfiguredLimitAreSkippedBeforeReading() throws IOException {
        FitsImageDecoder small = new FitsImageDecoder(new DecoderSettings("auto", 32, 8192, 0));
        DecodeResult r = small.decode(good);
        assertEquals(Outcome.SKIPPED, r.outcome());
        assertEquals(FitsImageDecoder.TOO_LARGE, r.reason());
        assertTrue(r.detail().contains("16384") && r.detail().contains("8192"), r.detail());
    }

    @Test
    void aGzipBombStopsAtTheLimit() throws IOException {
        byte[] claim = craft(0, "SIMPLE  =                    T", card("BITPIX", -32), card("NAXIS", 2),
                card("NAXIS1", 20000), card("NAXIS2", 20000)); // 1.6 GB of zeros claimed
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(claim);
            out.write(new byte[1 << 20]);
        }
        long before = Allocation.allocatedByThisThread();
        DecodeResult r = auto.decode(gz.toByteArray());
        assertEquals(FitsImageDecoder.TOO_LARGE, r.reason(), r.fullReason());
        assertTrue(Allocation.allocatedByThisThread() - before < 4 * ONE_MB);
    }

    @Test
    void compressedImagesClaimingTooMuchAreSkippedBeforeDecompression() throws Exception {
        CompressedImageHDU c = CompressedImageHDU.fromImageHDU(image(new int[64][64], "Z", null), 64, 16);
        c.setCompressAlgorithm("RICE_1");
        c.compress();
        c.getHeader().addValue("ZNAXIS1", 200000, null);
        c.getHeader().addValue("ZNAXIS2", 200000, null);
        long before = Allocation.allocatedByThisThread();
        DecodeResult r = auto.decode(bytes(emptyPrimary(), c));
        assertEquals(FitsImageDecoder.TOO_LARGE, r.reason(), r.fullReason());
        assertTrue(Allocation.allocatedByThisThread() - before < 4 * ONE_MB);
    }

    /** An 8-bit tile-compressed image of 16384 x 16384 is 256 MiB stored but 1 GiB as float32: the policy limit. */
    @Test
    void aSmallTileCompressedFileIsMeasuredByItsDecodedSize() throws Exception {
        CompressedImageHDU c = CompressedImageHDU.fromImageHDU(image(new byte[64][64], "Z", null), 64, 16);
        c.setCompressAlgorithm("GZIP_1");
        c.compress();
        c.getHeader().addValue("ZNAXIS1", 16384, null);
        c.getHeader().addValue("ZNAXIS2", 16384, null);
        long before = Allocation.allocatedByThisThread();
        DecodeResult r = auto.decode(bytes(emptyPrimary(), c));
        assertEquals(FitsImageDecoder.TOO_LARGE, r.reason(), r.fullReason());
        assertTrue(r.detail().contains("1073741824"), r.detail());
        assertTrue(Allocation.allocatedByThisThread() - before < 4 * ONE_MB);
    }

    /** Within the policy limit, but more than the executor's memory budget allows: skipped, nothing allocated. */
    @Test
    void theMemoryBudgetBoundsWhatADecodeAllocates() throws Exception {
        CompressedImageHDU c = CompressedImageHDU.fromImageHDU(image(new int[512][512], "Z", null), 512, 16);
        c.setCompressAlgorithm("RICE_1");
        c.compress();
        byte[] file = bytes(emptyPrimary(), c);
        FitsImageDecoder bounded = MemoryBudget.of(4 * ONE_MB, 2, 1)
                .apply(new FitsImageDecoder(DecoderSettings.defaults()));
        long before = Allocation.allocatedByThisThread();
        DecodeResult r = bounded.decode(file);
        assertTrue(Allocation.allocatedByThisThread() - before < ONE_MB);
        assertEquals(FitsImageDecoder.TOO_LARGE, r.reason(), r.fullReason());
        assertTrue(r.detail().contains("2 tasks x 1 files in flight"), r.detail());
        assertEquals(Outcome.IMAGE, auto.decode(file).outcome(), "the default budget decodes it");
    }

    /**
     * The budget check's estimate bounds what a tile-compressed decode really allocates: at the smallest budget
     * that lets the image through, the decode allocates no more than that budget (small objects aside).
     */
    @Test
    void theEstimateOfACompressedDecodeBoundsWhatItAllocates() throws Exception {
        short[][] pixels = new short[1024][1024];
        Random rnd = new Random(3);
        for (short[] row : pixels) {
            for (int x = 0; x < row.length; x++) {
                row[x] = (short) rnd.nextInt(4000);
            }
        }
        for (String algorithm : new String[] {"RICE_1", "GZIP_1"}) {
            CompressedImageHDU c = CompressedImageHDU.fromImageHDU(image(pixels, "Z", null), 1024, 16);
            c.setCompressAlgorithm(algorithm);
            c.compress();
            byte[] file = bytes(emptyPrimary(), c);
            long budget = ONE_MB;
            DecodeResult r;
            do {
                budget += ONE_MB / 4;
                r = MemoryBudget.of(4 * budget, 2, 1).apply(new FitsImageDecoder(DecoderSettings.defaults()))
                        .decode(file);
            } while (r.outcome() != Outcome.IMAGE && budget < 64 * ONE_MB);
            assertEquals(Outcome.IMAGE, r.outcome(), algorithm + ": " + r.fullReason());
            FitsImageDecoder d = MemoryBudget.of(4 * budget, 2, 1)
                    .apply(new FitsImageDecoder(DecoderSettings.defaults()));
            long before = Allocation.allocatedByThisThread();
            d.decode(file);
            long allocated = Allocation.allocatedByThisThread() - before;
            assertTrue(allocated <= budget + ONE_MB / 2, algorithm + ": allocated " + allocated
                    + " bytes with a budget of " + budget);
        }
    }

    /** A gzip whose header claims 244 MiB and holds 1 KB: the buffer grows with what arrives, then truncated. */
    @Test
    void aGzipThatClaimsMoreThanItHoldsAllocatesWhatItHolds() throws IOException {
        byte[] claim = craft(1024, "SIMPLE  =                    T", card("BITPIX", -32), card("NAXIS", 2),
                card("NAXIS1", 8000), card("NAXIS2", 8000));
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(claim);
        }
        for (FitsImageDecoder d : new FitsImageDecoder[] {auto,
                FitsImageDecoder.streaming(DecoderSettings.defaults(), FitsImageDecoder.LOCAL_CHUNK_BYTES)}) {
            long before = Allocation.allocatedByThisThread();
            DecodeResult r = d.decode(gz.toByteArray());
            long allocated = Allocation.allocatedByThisThread() - before;
            assertEquals(FitsImageDecoder.TRUNCATED, r.reason(), r.fullReason());
            assertTrue(allocated < 4 * ONE_MB, "allocated " + allocated + " bytes for 1 KB of data");
        }
    }

    @Test
    void invalidStructuralKeywords() {
        for (String[] cards : new String[][] {
                {card("BITPIX", 12), card("NAXIS", 2), card("NAXIS1", 40), card("NAXIS2", 40)},
                {card("BITPIX", 16), card("NAXIS", -3)},
                {card("BITPIX", 16), card("NAXIS", 2), card("NAXIS1", 40)},
                {card("BITPIX", 16), card("NAXIS", 2), card("NAXIS1", -40), card("NAXIS2", 40)},
                {card("BITPIX", "'sixteen'"), card("NAXIS", 0)}}) {
            String[] all = new String[cards.length + 1];
            all[0] = "SIMPLE  =                    T";
            System.arraycopy(cards, 0, all, 1, cards.length);
            DecodeResult r = auto.decode(craft(2880, all));
            assertEquals(Outcome.FAILED, r.outcome(), Arrays.toString(cards));
            assertEquals(FitsImageDecoder.BAD_HEADER, r.reason(), r.fullReason());
        }
    }

    @Test
    void unwantedDataIsSkippedNotRead() throws IOException {
        byte[] f = bytes(emptyPrimary(), table("T"), image(ramp(64, 64), "CAL", null),
                image(ramp(512, 512), "UNCERT", null));
        CountingStream in = new CountingStream(f);
        DecodeResult r = auto.decode(in, f.length);
        assertEquals(2, r.hdu());
        assertTrue(in.read < f.length - 512 * 512 * 4, "read " + in.read + " of " + f.length
                + " bytes: the 1 MB HDU after the image must not be read");
    }

    /** Counts the bytes actually read (skips do not count). */
    private static final class CountingStream extends ByteArrayInputStream {
        long read;

        CountingStream(byte[] b) {
            super(b);
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) {
            int n = super.read(b, off, len);
            read += Math.max(n, 0);
            return n;
        }
    }
}
