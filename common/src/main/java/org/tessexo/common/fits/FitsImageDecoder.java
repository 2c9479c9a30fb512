package org.tessexo.common.fits;

import nom.tam.fits.BasicHDU;
import nom.tam.fits.Fits;
import nom.tam.fits.Header;
import nom.tam.fits.ImageHDU;
import nom.tam.image.compression.hdu.CompressedImageHDU;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Finds the image HDU of a FITS stream and decodes it into physical float values, following the rule of
 * CONTRACT.md: under {@code hdu = auto} the first HDU holding an image with at least two axes, each at least
 * {@code min-image-size} pixels (the primary HDU with data, an {@code XTENSION = 'IMAGE'} extension, or a
 * tile-compressed image); a number picks an HDU by index, any other word by EXTNAME.
 *
 * <p>Headers are parsed by nom-tam-fits; the walk over the file is ours, so that nothing is allocated or read on a
 * header's word alone: every HDU's data size is computed from its header (the FITS standard's formula, with
 * overflow checks) and checked against what is left in the file and against {@code max-image-bytes} before a byte
 * of it is read. The data of HDUs that are not wanted is skipped, not read into memory, and the walk stops at the
 * chosen image, so an uncertainty image or tables after it are never touched. Uncompressed images are converted in
 * bulk from big-endian bytes; tile-compressed images (RICE, GZIP, HCOMPRESS, PLIO) are decompressed by nom-tam-fits.
 * Whole-file gzip is recognised from the first bytes; fpack'd files are tile-compressed images.
 *
 * <p>BSCALE, BZERO and BLANK are applied (BLANK becomes NaN; BITPIX 8 is unsigned as FITS says). A data cube
 * (NAXIS 3 or more) gives the plane {@code cube-plane} along its third axis, the first along any higher one.
 *
 * <p>Bad data never throws: every problem becomes a {@link DecodeResult} with outcome {@code skipped} (valid FITS,
 * no usable image) or {@code failed} (not readable as FITS) and a reason. Errors of the stream itself (the network,
 * the disk) are thrown as {@link IOException} for the caller to report. It does not close the stream, and does not
 * remove NaN or Inf: that is preprocessing's job.
 */
public final class FitsImageDecoder {
    public static final String TABLES_ONLY = "table HDUs only";
    public static final String TOO_SMALL = "image smaller than fits.min-image-size";
    public static final String NO_DATA = "no image data";
    public static final String ONE_D = "1-D data, not an image";
    public static final String HDU_MISSING = "requested HDU not found";
    public static final String HDU_NOT_IMAGE = "requested HDU is not an image";
    public static final String CUBE_PLANE = "cube plane out of range";
    public static final String TOO_LARGE = "image larger than fits.max-image-bytes";
    public static final String EMPTY = "empty file";
    public static final String NOT_FITS = "not a FITS file";
    public static final String TRUNCATED = "truncated";
    public static final String BAD_HEADER = "invalid header";
    public static final String UNREADABLE = "unreadable FITS";
    public static final String HEADER_TOO_LARGE = "header larger than fits.max-header-blocks";
    public static final String CHECKSUM = "checksum mismatch";

    /** Chunk size of a {@link #streaming} decoder that reads a local file: a few hundred KB stay in L2 cache. */
    public static final int LOCAL_CHUNK_BYTES = 256 * 1024;

    private final DecoderSettings settings;
    /** 0: every image is read whole into its own array at decode; else the streaming chunk size. */
    private final int chunkBytes;
    private byte[] buffer = new byte[0];
    /** The most one decode may allocate (see {@link #withMemoryBudget}); by default the policy limit. */
    private long memoryBudget;
    private String budgetNote;
    /** The DATASUM check of the last streamed image, finished by {@link #finishChecksum}; null when none. */
    private PendingSum pending;

    private record PendingSum(FitsBlockReader reader, FitsBlockReader.DataSum sum, long end, long expected,
                              String hdu) {
    }

    public FitsImageDecoder(DecoderSettings settings) {
        this(settings, 0);
    }

    private FitsImageDecoder(DecoderSettings settings, int chunkBytes) {
        this.settings = settings;
        this.chunkBytes = chunkBytes;
        this.memoryBudget = settings.maxImageBytes() > Long.MAX_VALUE / 3 ? Long.MAX_VALUE
                : 3 * settings.maxImageBytes();
        this.budgetNote = "3 x fits.max-image-bytes: no executor budget given";
    }

    /**
     * Bounds what one decode may allocate, checked from the header before a byte of the image is read: an image
     * that would need more is skipped as {@link #TOO_LARGE} with both numbers, never an {@link OutOfMemoryError}.
     * See {@link MemoryBudget} for how an executor sizes it.
     *
     * @param note how the budget was derived, for the reason text
     */
    public FitsImageDecoder withMemoryBudget(long bytes, String note) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("memory budget must be positive, got " + bytes);
        }
        this.memoryBudget = bytes;
        this.budgetNote = note;
        return this;
    }

    /**
     * A decoder for a loop that preprocesses each image before decoding the next (an executor's partition). An
     * uncompressed image is not read at decode: its rows are read from the stream as the caller asks for them, in
     * order, {@code chunkBytes} at a time (at least one row) through one buffer the decoder keeps. Reading and
     * converting then make one pass, the bytes are converted while they are still in the CPU's cache, rows that
     * preprocessing trims away are never read, and no 17.75 MB array is allocated per FFI.
     *
     * <p>Each image is valid only until the next {@code decode} and while its stream is open; reading it may throw
     * {@link java.io.UncheckedIOException}. A stream of unknown length (a gzipped file) is read whole at decode, so
     * that a short file is still reported as truncated. {@code chunkBytes} of {@link Integer#MAX_VALUE} reads the
     * whole plane in one call at the first row, which an object store wants (one ranged GET per image). Not
     * thread-safe.
     */
    public static FitsImageDecoder streaming(DecoderSettings settings, int chunkBytes) {
        if (chunkBytes <= 0) {
            throw new IllegalArgumentException("chunkBytes must be positive, got " + chunkBytes);
        }
        return new FitsImageDecoder(settings, chunkBytes);
    }

    /** Decodes a whole file held in memory. */
    public DecodeResult decode(byte[] file) {
        try {
            return decode(new ByteArrayInputStream(file), file.length);
        } catch (IOException e) {
            throw new IllegalStateException("A byte array cannot fail to read", e);
        }
    }

    /**
     * @param in     the file from its first byte; read only as far as the chosen image, never closed
     * @param length the file's size in bytes when known (a listing gives it), else -1
     * @throws IOException when the stream itself fails (not for bad FITS, which is a result)
     */
    public DecodeResult decode(InputStream in, long length) throws IOException {
        HduSelection selection = new HduSelection(settings);
        HduHeader primary = null;
        int index = 0;
        try {
            pending = null;
            FitsBlockReader reader = FitsBlockReader.open(in, length).maxHeaderBlocks(settings.maxHeaderBlocks());
            byte[] raw;
            while ((raw = reader.readHeader(index)) != null) {
                HduHeader hdu = HduHeader.parse(index, raw);
                if (index == 0) {
                    primary = hdu;
                }
                long left = reader.remaining();
                if (left >= 0 && hdu.dataBytes > left) {
                    return DecodeResult.failed(TRUNCATED, "HDU " + hdu.describe() + " claims " + hdu.dataBytes
                            + " data bytes, the file holds " + left + " more");
                }
                switch (selection.consider(hdu)) {
                    case TAKE:
                        return toImage(reader, hdu, primary);
                    case REFUSE:
                        return HduSelection.refusal(hdu);
                    default:
                        reader.skip(hdu.paddedDataBytes());
                        index++;
                }
            }
        } catch (FitsBlockReader.FormatProblem e) {
            String where = index > 0 ? "at HDU " + index + ": " + e.getMessage() : e.getMessage();
            if (HEADER_TOO_LARGE.equals(e.reason)) { // valid FITS perhaps, beyond what this run reads
                return DecodeResult.skipped(e.reason, where, index, 0, 0);
            }
            return DecodeResult.failed(e.reason, where);
        } catch (EOFException e) {
            return DecodeResult.failed(TRUNCATED, "in HDU " + index + ": " + e.getMessage());
        } catch (RuntimeException e) {
            // nom-tam-fits' decompression of bad tiles, or anything else the bytes provoke: the file's fault
            return DecodeResult.failed(UNREADABLE, "at HDU " + index + ": " + messageChain(e));
        }
        return selection.noneTaken();
    }

    private DecodeResult toImage(FitsBlockReader reader, HduHeader hdu, HduHeader primary) throws IOException {
        int[] axes = hdu.axes;
        int h = hdu.height();
        int w = hdu.width();
        int planes = axes.length >= 3 ? axes[axes.length - 3] : 1;
        if (axes.length >= 3 && settings.cubePlane() >= planes) {
            return DecodeResult.skipped(CUBE_PLANE, "plane " + settings.cubePlane() + " asked, HDU "
                    + hdu.describe() + " has " + planes, hdu.index, h, w);
        }
        long planeBytes = (long) h * w * hdu.bytesPerPixel();
        // The image's size in the working type (float32), whatever the file stores or compresses: the policy limit.
        long decoded = (long) h * w * Float.BYTES;
        if (decoded > settings.maxImageBytes() || (long) h * w > Integer.MAX_VALUE - 16) {
            return DecodeResult.skipped(TOO_LARGE, "HDU " + hdu.describe() + " is " + decoded + " bytes as float32"
                    + " (max " + settings.maxImageBytes() + ")", hdu.index, h, w);
        }
        // What this decode will allocate, computed before anything is: the memory limit.
        long needs = allocation(hdu, planeBytes, decoded, reader.remaining() >= 0);
        if (needs > memoryBudget) {
            return DecodeResult.skipped(TOO_LARGE, "HDU " + hdu.describe() + " needs " + needs + " bytes of memory"
                    + " to decode, more than the " + memoryBudget + " one file may take here (" + budgetNote + ")",
                    hdu.index, h, w);
        }
        Header primaryHeader = primary == null || primary == hdu ? null : primary.header;
        ScienceRegion region = scienceRegion(hdu.header, primaryHeader);
        Long datasum = settings.verifies() ? datasum(hdu) : null;
        if (datasum != null) {
            pending = new PendingSum(reader, reader.startSum(), reader.position() + hdu.dataBytes, datasum,
                    hdu.describe());
        }
        Integer quality = quality(hdu.header, primaryHeader);
        if (hdu.kind != HduHeader.Kind.COMPRESSED) {
            // The plane's raw bytes, converted later row by row where they are used (no full-size float copy).
            reader.skip(settings.cubePlane() * planeBytes);
            ImageScaling scaling = ImageScaling.of(hdu.header);
            if (chunkBytes > 0 && reader.remaining() >= 0) {
                int rowBytes = w * hdu.bytesPerPixel();
                int rowsPerChunk = Math.max(1, Math.min(h, chunkBytes / rowBytes));
                StreamedRows rows = new StreamedRows(reader, buffer(rowsPerChunk * rowBytes), rowsPerChunk, h, w,
                        hdu.bitpix, scaling);
                // A DATASUM check, if any, is finished by the caller once the rows are used (verified).
                long offset = hdu.bitpix == -32 && scaling.identity() ? reader.position() : -1;
                return DecodeResult.image(DecodedImage.streamed(rows, h, w, hdu.index, hdu.extname, region,
                        quality).withHeaders(hdu.header, primaryHeader).withFloat32Offset(offset));
            }
            // Read whole (a gzip stream of unknown length, or an eager decoder): the buffer grows with the bytes that
            // arrive, so a header that claims more than the stream holds costs no more than what is there.
            byte[] data = reader.readGrowing(chunkBytes > 0 ? buffer : new byte[0], (int) planeBytes);
            if (chunkBytes > 0) {
                buffer = data;
            }
            return verified(DecodeResult.image(DecodedImage.ofRaw(data, hdu.bitpix, scaling, h, w, hdu.index,
                    hdu.extname, region, quality).withHeaders(hdu.header, primaryHeader)));
        }
        byte[] data = reader.readGrowing(new byte[0], Math.toIntExact(hdu.dataBytes));
        String mismatch = finishChecksum();
        if (mismatch != null && failsOnMismatch()) { // corrupt data is not decompressed
            return withChecksum(null, mismatch);
        }
        String problem = CompressedTableCheck.problem(hdu.header, data, settings.maxImageBytes());
        if (problem != null) {
            return DecodeResult.failed(UNREADABLE, "HDU " + hdu.describe() + ": " + problem);
        }
        ImageHDU image = decompress(hdu, data);
        ImageScaling scaling = ImageScaling.of(image.getHeader());
        Object plane = image.getData().getKernel();
        if (plane == null) {
            return DecodeResult.skipped(NO_DATA, "HDU " + hdu.describe(), hdu.index, h, w);
        }
        for (int level = 0; level < axes.length - 2; level++) {
            int pick = level == axes.length - 3 ? settings.cubePlane() : 0;
            plane = ((Object[]) plane)[pick];
        }
        Object[] rows = (Object[]) plane;
        if (rows.length != h) {
            return DecodeResult.failed(UNREADABLE, "HDU " + hdu.describe() + ": " + rows.length
                    + " rows decompressed, the header says " + h);
        }
        float[] pixels = new float[h * w];
        for (int r = 0; r < h; r++) {
            scaling.convertRow(rows[r], pixels, r * w, w);
        }
        return withChecksum(DecodeResult.image(new DecodedImage(pixels, h, w, hdu.index, hdu.extname, region,
                quality).withHeaders(hdu.header, primaryHeader)), mismatch);
    }

    /**
     * The image with its DATASUM check (if any) finished and fits.verify-checksum applied: a mismatch makes it
     * failed ({@code fail}) or says so in its detail ({@code warn}). Images read whole are checked in
     * {@link #decode} already; call this for a streamed one after its rows were used, while its stream is open.
     */
    public DecodeResult verified(DecodeResult image) throws IOException {
        return withChecksum(image, finishChecksum());
    }

    private boolean failsOnMismatch() {
        return settings.verifyChecksum().equals(DecoderSettings.CHECKSUM_FAIL);
    }

    private DecodeResult withChecksum(DecodeResult image, String mismatch) {
        if (mismatch == null) {
            return image;
        }
        return failsOnMismatch() ? DecodeResult.failed(CHECKSUM, mismatch)
                : image.withDetail(CHECKSUM + ": " + mismatch);
    }

    /**
     * Finishes the DATASUM check of the last image decoded (fits.verify-checksum warn or fail): the data bytes not
     * yet read are read and summed (no second pass over what was), and the sum compared with the header's. Call it
     * after a streamed image's rows were used, while its stream is open; images read whole are checked in
     * {@link #decode} already.
     *
     * @return null when the data matches, or no check was asked for or possible (no DATASUM); else the mismatch
     */
    public String finishChecksum() throws IOException {
        PendingSum p = pending;
        pending = null;
        if (p == null) {
            return null;
        }
        long left = p.end() - p.reader().position();
        if (left > 0) {
            p.reader().skip(left);
        }
        p.reader().stopSum();
        long got = p.sum().value();
        return got == p.expected() ? null : "HDU " + p.hdu() + ": DATASUM " + p.expected()
                + " in the header, the data sums to " + got;
    }

    /** The HDU's DATASUM as the unsigned 32-bit number it is, or null when absent or empty. */
    private static Long datasum(HduHeader hdu) throws FitsBlockReader.FormatProblem {
        if (!hdu.header.containsKey("DATASUM")) {
            return null;
        }
        String v = String.valueOf(hdu.header.findCard("DATASUM").getValue()).trim();
        if (v.isEmpty()) {
            return null;
        }
        try {
            long d = Long.parseLong(v);
            if (d < 0 || d > 0xFFFFFFFFL) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new FitsBlockReader.FormatProblem(BAD_HEADER, "HDU " + hdu.describe() + ": DATASUM = '" + v
                    + "' is not an unsigned 32-bit number");
        }
    }

    /**
     * Bytes a decode of this HDU allocates: a streamed plane only its chunk buffer; a plane read whole its raw
     * bytes. A tile-compressed image, fitted to measurements (RICE, GZIP_1/2 and HCOMPRESS; 16- and 32-bit and
     * float images of 512 to 2048 pixels a side), as an upper bound of all a decode allocates, garbage included
     * (so above its peak): five times the compressed data (our read, the copy behind a primary header,
     * nom-tam-fits' table and tile buffers), twice the decompressed image of every plane in ZBITPIX's type (its
     * buffer and its array), and 1.25 times the float32 plane, plus 2 MiB. FitsBadInputTest checks it.
     */
    private long allocation(HduHeader hdu, long planeBytes, long decoded, boolean lengthKnown) {
        if (hdu.kind == HduHeader.Kind.COMPRESSED) {
            long image = hdu.imageBytes();
            long sum = 2L << 20;
            for (long part : new long[] {image, image, decoded, decoded / 4, hdu.dataBytes, hdu.dataBytes,
                hdu.dataBytes, hdu.dataBytes, hdu.dataBytes}) {
                sum = sum > Long.MAX_VALUE - part ? Long.MAX_VALUE : sum + part;
            }
            return sum;
        }
        if (chunkBytes > 0 && lengthKnown) {
            return Math.min(planeBytes, Math.max(chunkBytes == Integer.MAX_VALUE ? planeBytes : chunkBytes,
                    (long) hdu.width() * hdu.bytesPerPixel()));
        }
        return planeBytes;
    }

    /** Hands one tile-compressed HDU (its header and data, behind a minimal primary) to nom-tam-fits. */
    private static ImageHDU decompress(HduHeader hdu, byte[] data) throws IOException {
        byte[] primary = minimalPrimary();
        long padded = hdu.paddedDataBytes();
        byte[] file = new byte[Math.toIntExact(primary.length + hdu.raw.length + padded)];
        System.arraycopy(primary, 0, file, 0, primary.length);
        System.arraycopy(hdu.raw, 0, file, primary.length, hdu.raw.length);
        System.arraycopy(data, 0, file, primary.length + hdu.raw.length, data.length);
        try (Fits fits = new Fits(new ByteArrayInputStream(file))) {
            fits.readHDU();
            BasicHDU<?> read = fits.readHDU();
            if (!(read instanceof CompressedImageHDU c)) {
                throw new FitsBlockReader.FormatProblem(UNREADABLE, "HDU " + hdu.describe()
                        + " is not a tile-compressed image nom-tam-fits can read");
            }
            return c.asImageHDU();
        }
    }

    private static byte[] minimalPrimary() {
        StringBuilder sb = new StringBuilder(FitsBlockReader.BLOCK);
        for (String card : new String[] {"SIMPLE  =                    T", "BITPIX  =                    8",
                "NAXIS   =                    0", "EXTEND  =                    T", "END"}) {
            sb.append(String.format(Locale.ROOT, "%-80s", card));
        }
        while (sb.length() < FitsBlockReader.BLOCK) {
            sb.append(' ');
        }
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    static String messageChain(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null && sb.length() < 400; c = c.getCause()) {
            String m = c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
            if (sb.indexOf(m) < 0) {
                if (sb.length() > 0) {
                    sb.append(" <- ");
                }
                sb.append(m);
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return sb.toString();
    }

    private static ScienceRegion scienceRegion(Header image, Header primary) {
        for (Header h : new Header[] {image, primary}) {
            if (h != null && h.containsKey("SCCSA") && h.containsKey("SCCED") && h.containsKey("SCIROWS")
                    && h.containsKey("SCIROWE")) {
                return new ScienceRegion(h.getIntValue("SCCSA"), h.getIntValue("SCCED"), h.getIntValue("SCIROWS"),
                        h.getIntValue("SCIROWE"));
            }
        }
        return null;
    }

    private static Integer quality(Header image, Header primary) {
        for (Header h : new Header[] {image, primary}) {
            if (h != null && h.containsKey("DQUALITY")) {
                return h.getIntValue("DQUALITY");
            }
        }
        return null;
    }

    /** The decoder's own buffer, grown to at least {@code size} bytes. */
    private byte[] buffer(int size) {
        if (buffer.length < size) {
            buffer = new byte[size];
        }
        return buffer;
    }

    /**
     * Rows of an uncompressed plane read from the stream as they are asked for: in order, a chunk of whole rows at
     * a time, skipping rows nobody asks for. The stream is positioned at the plane's first byte when this starts.
     */
    private static final class StreamedRows implements DecodedImage.RowSource {
        private final FitsBlockReader reader;
        private final byte[] chunk;
        private final int rowsPerChunk;
        private final int height;
        private final int width;
        private final int bitpix;
        private final int rowBytes;
        private final ImageScaling scaling;
        /** Rows {@code first .. first+count-1} are in {@link #chunk}. */
        private int first;
        private int count;
        /** The first row not yet read from the stream. */
        private int next;

        StreamedRows(FitsBlockReader reader, byte[] chunk, int rowsPerChunk, int height, int width, int bitpix,
                     ImageScaling scaling) {
            this.reader = reader;
            this.chunk = chunk;
            this.rowsPerChunk = rowsPerChunk;
            this.height = height;
            this.width = width;
            this.bitpix = bitpix;
            this.rowBytes = width * (Math.abs(bitpix) / 8);
            this.scaling = scaling;
        }

        @Override
        public void read(int y, int x0, int n, float[] dst, int off) {
            if (y < first) {
                throw new IllegalStateException("A streamed image gives its rows in order: row " + y
                        + " asked after row " + first);
            }
            if (y >= first + count) {
                try {
                    reader.skip((long) (y - next) * rowBytes);
                    int rows = Math.min(rowsPerChunk, height - y);
                    reader.readFully(chunk, 0, rows * rowBytes);
                    first = y;
                    count = rows;
                    next = y + rows;
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
            scaling.convert(chunk, bitpix, (y - first) * width + x0, n, dst, off);
        }
    }
}
