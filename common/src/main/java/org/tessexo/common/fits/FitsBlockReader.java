package org.tessexo.common.fits;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * The byte level of a FITS file for {@link FitsImageDecoder}: header blocks up to their END card, exact skips over
 * data that is not needed, exact reads of the data that is. It knows the file's length when the caller does (then a
 * header that claims more data than the file holds is caught before anything is allocated), and opens whole-file
 * gzip transparently (then the length is unknown).
 *
 * <p>I/O errors of the underlying stream propagate as {@link IOException}; a stream that ends early raises
 * {@link EOFException}; bytes that are not FITS raise {@link FormatProblem}.
 */
final class FitsBlockReader {
    static final int BLOCK = 2880;
    static final int CARD = 80;

    private static final byte[] SIMPLE = "SIMPLE  =".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] XTENSION = "XTENSION=".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "END     ".getBytes(StandardCharsets.US_ASCII);

    private final InputStream in;
    private final long length;
    private long position;
    private int maxHeaderBlocks = DecoderSettings.DEFAULT_HEADER_BLOCKS;
    /** The data checksum being summed (every data byte read or skipped while set), or null. */
    private DataSum sum;

    private FitsBlockReader(InputStream in, long length) {
        this.in = in;
        this.length = length;
    }

    FitsBlockReader maxHeaderBlocks(int blocks) {
        this.maxHeaderBlocks = blocks;
        return this;
    }

    /** From here on, every byte read or skipped is added to a FITS data checksum (skips then read). */
    DataSum startSum() {
        sum = new DataSum();
        return sum;
    }

    void stopSum() {
        sum = null;
    }

    /**
     * The FITS data checksum (the standard's Appendix J, as DATASUM holds it): the 32-bit ones' complement sum of
     * the data's big-endian 32-bit words. Bytes may arrive in any chunks.
     */
    static final class DataSum {
        private long total;
        private int word;
        private int phase;

        void add(byte[] b, int off, int len) {
            int i = off;
            int end = off + len;
            while (i < end && phase != 0) {
                word = (word << 8) | (b[i++] & 0xFF);
                if (++phase == 4) {
                    addWord();
                }
            }
            for (; i + 4 <= end; i += 4) {
                total += ((b[i] & 0xFFL) << 24) | ((b[i + 1] & 0xFFL) << 16) | ((b[i + 2] & 0xFFL) << 8)
                        | (b[i + 3] & 0xFFL);
                if (total >>> 40 != 0) {
                    fold();
                }
            }
            while (i < end) {
                word = (word << 8) | (b[i++] & 0xFF);
                if (++phase == 4) {
                    addWord();
                }
            }
        }

        private void addWord() {
            total += word & 0xFFFFFFFFL;
            word = 0;
            phase = 0;
            fold();
        }

        private void fold() {
            while (total >>> 32 != 0) {
                total = (total & 0xFFFFFFFFL) + (total >>> 32);
            }
        }

        /** The sum so far; a trailing partial word counts as if padded with zeros, as FITS padding is. */
        long value() {
            long t = total;
            if (phase != 0) {
                t += (word & 0xFFFFFFFFL) << (8 * (4 - phase));
            }
            while (t >>> 32 != 0) {
                t = (t & 0xFFFFFFFFL) + (t >>> 32);
            }
            return t;
        }
    }

    /** @param length the file's size in bytes, or -1 when unknown */
    static FitsBlockReader open(InputStream raw, long length) throws IOException {
        PushbackInputStream peek = new PushbackInputStream(raw, 2);
        byte[] magic = new byte[2];
        int n = peek.readNBytes(magic, 0, 2);
        if (n > 0) {
            peek.unread(magic, 0, n);
        }
        if (n == 2 && (magic[0] & 0xFF) == 0x1F && (magic[1] & 0xFF) == 0x8B) {
            try {
                return new FitsBlockReader(new GZIPInputStream(peek, 1 << 16), -1);
            } catch (ZipException e) {
                throw new FormatProblem(FitsImageDecoder.NOT_FITS, "corrupt gzip header: " + e.getMessage());
            }
        }
        return new FitsBlockReader(peek, length);
    }

    /** Bytes read or skipped so far. */
    long position() {
        return position;
    }

    /** Bytes left in the file, or -1 when unknown. */
    long remaining() {
        return length < 0 ? -1 : length - position;
    }

    /**
     * The raw header of the next HDU, whole blocks up to and including the one holding END. Returns null where no
     * further HDU starts (a clean end of file, or trailing bytes that do not begin with XTENSION, which FITS readers
     * ignore). The primary header must begin with SIMPLE.
     */
    byte[] readHeader(int index) throws IOException {
        byte[] first = new byte[BLOCK];
        int got = readUpTo(first);
        if (index > 0 && (got < XTENSION.length || !startsWith(first, 0, XTENSION))) {
            return null; // end of file, or padding/junk after the last HDU
        }
        if (index == 0) {
            if (got == 0) {
                throw new FormatProblem(FitsImageDecoder.EMPTY, "the file has no bytes");
            }
            if (got < SIMPLE.length || !startsWith(first, 0, SIMPLE)) {
                throw new FormatProblem(FitsImageDecoder.NOT_FITS, "does not start with SIMPLE =");
            }
        }
        if (got < BLOCK) {
            throw new FormatProblem(FitsImageDecoder.TRUNCATED, "header of HDU " + index + " ends after " + got
                    + " bytes of its first 2880-byte block (file ends at byte " + position + ")");
        }
        java.io.ByteArrayOutputStream header = new java.io.ByteArrayOutputStream(BLOCK * 2);
        byte[] block = first;
        for (int b = 0; ; b++) {
            header.write(block, 0, BLOCK);
            if (hasEnd(block)) {
                return header.toByteArray();
            }
            if (b + 1 >= maxHeaderBlocks) {
                throw new FormatProblem(FitsImageDecoder.HEADER_TOO_LARGE, "header of HDU " + index + " goes on"
                        + " past " + maxHeaderBlocks + " blocks without an END card (" + maxHeaderBlocks * 36L
                        + " cards); raise fits.max-header-blocks to read longer headers");
            }
            block = new byte[BLOCK];
            if (readUpTo(block) < BLOCK) {
                throw new FormatProblem(FitsImageDecoder.TRUNCATED, "header of HDU " + index
                        + " has no END card before the end of the file (byte " + position + ")");
            }
            if (startsWith(block, 0, XTENSION) || startsWith(block, 0, SIMPLE)) {
                throw new FormatProblem(FitsImageDecoder.BAD_HEADER, "header of HDU " + index
                        + " has no END card: another header starts at byte " + (position - BLOCK));
            }
        }
    }

    private static boolean hasEnd(byte[] block) {
        for (int off = 0; off < BLOCK; off += CARD) {
            if (startsWith(block, off, END)) {
                return true;
            }
        }
        return false;
    }

    private static boolean startsWith(byte[] b, int off, byte[] prefix) {
        for (int i = 0; i < prefix.length; i++) {
            if (b[off + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** Reads until {@code b} is full or the stream ends; returns the count. */
    private int readUpTo(byte[] b) throws IOException {
        return readUpTo(b, 0, b.length);
    }

    /** Reads until {@code len} bytes are at {@code off} or the stream ends; returns the count. */
    private int readUpTo(byte[] b, int off, int len) throws IOException {
        int n = 0;
        try {
            while (n < len) {
                int r = in.read(b, off + n, len - n);
                if (r < 0) {
                    break;
                }
                n += r;
            }
        } catch (ZipException e) {
            throw new FormatProblem(FitsImageDecoder.UNREADABLE, "corrupt gzip data: " + e.getMessage());
        } catch (EOFException e) {
            // GZIPInputStream's way of saying the compressed stream is cut short
        }
        position += n;
        return n;
    }

    void readFully(byte[] b, int off, int len) throws IOException {
        int n = 0;
        try {
            while (n < len) {
                int r = in.read(b, off + n, len - n);
                if (r < 0) {
                    break;
                }
                n += r;
            }
        } catch (ZipException e) {
            throw new FormatProblem(FitsImageDecoder.UNREADABLE, "corrupt gzip data: " + e.getMessage());
        } finally {
            position += n;
            if (sum != null) {
                sum.add(b, off, n);
            }
        }
        if (n < len) {
            throw new EOFException("file ends at byte " + position + ", " + (len - n) + " bytes short");
        }
    }

    /**
     * Reads {@code len} bytes into {@code reuse} when it is large enough, else into a buffer that grows with the
     * bytes that arrive (doubling from 1 MiB): where the length is unknown (gzip), a header claiming more than the
     * stream holds allocates at most about twice what is there before the {@link EOFException}. Where the length is
     * known the caller has checked {@code len} against what is left, and one array of {@code len} is made.
     *
     * @return the array holding the bytes at 0..len-1 (maybe longer)
     */
    byte[] readGrowing(byte[] reuse, int len) throws IOException {
        if (reuse.length >= len) {
            readFully(reuse, 0, len);
            return reuse;
        }
        if (remaining() >= 0) {
            byte[] b = new byte[len];
            readFully(b, 0, len);
            return b;
        }
        byte[] b = reuse.length > 0 ? reuse : new byte[Math.min(len, GROW_FROM)];
        int n = 0;
        while (n < len) {
            if (n == b.length) {
                b = java.util.Arrays.copyOf(b, (int) Math.min(len, 2L * b.length));
            }
            int want = b.length - n;
            int r = readUpTo(b, n, want);
            if (sum != null) {
                sum.add(b, n, r);
            }
            n += r;
            if (r < want) {
                throw new EOFException("file ends at byte " + position + ", " + (len - n) + " bytes short");
            }
        }
        return b;
    }

    /** The first allocation of {@link #readGrowing} for a stream of unknown length. */
    static final int GROW_FROM = 1 << 20;

    void skip(long count) throws IOException {
        if (sum != null && count > 0) { // a checksum sees every byte: read instead of skipping
            byte[] scratch = new byte[(int) Math.min(count, 1 << 16)];
            for (long left = count; left > 0; ) {
                int n = (int) Math.min(left, scratch.length);
                readFully(scratch, 0, n);
                left -= n;
            }
            return;
        }
        long left = count;
        byte[] scratch = null;
        try {
            while (left > 0) {
                long s = in.skip(left);
                if (s > 0) {
                    left -= s;
                    position += s;
                    continue;
                }
                // skip() may return 0 before the end: a read tells end of file from a slow stream
                if (scratch == null) {
                    scratch = new byte[(int) Math.min(left, 1 << 16)];
                }
                int r = in.read(scratch, 0, (int) Math.min(left, scratch.length));
                if (r < 0) {
                    throw new EOFException("file ends at byte " + position + ", " + left + " bytes short");
                }
                left -= r;
                position += r;
            }
        } catch (ZipException e) {
            throw new FormatProblem(FitsImageDecoder.UNREADABLE, "corrupt gzip data: " + e.getMessage());
        }
    }

    /** A file that is not valid FITS, with the reason category it is counted under. */
    static final class FormatProblem extends IOException {
        private static final long serialVersionUID = 1L;
        final String reason;

        FormatProblem(String reason, String detail) {
            super(detail);
            this.reason = reason;
        }
    }
}
