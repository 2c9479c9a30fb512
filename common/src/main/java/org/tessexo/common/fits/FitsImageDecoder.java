package org.tessexo.common.fits;

import nom.tam.fits.BasicHDU;
import nom.tam.fits.Fits;
import nom.tam.fits.Header;
import nom.tam.fits.ImageHDU;
import nom.tam.image.compression.hdu.CompressedImageHDU;
import nom.tam.util.FitsInputStream;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
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
        this.memoryBudget = settings.maxImageBytes() > Long.MAX_VALUE / 3 ? Long.MAX_VALUE : 3 * settings.maxImageBytes();
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
        List<String> passed = new ArrayList<>();
        boolean sawTable = false;
        boolean sawSmallImage = false;
        boolean sawOneD = false;
        int wantedIndex = settings.hduIndex();
        boolean byName = !settings.isAuto() && wantedIndex < 0;
        Hdu primary = null;
        int index = 0;
        try {
            pending = null;
            FitsBlockReader reader = FitsBlockReader.open(in, length).maxHeaderBlocks(settings.maxHeaderBlocks());
            byte[] raw;
            while ((raw = reader.readHeader(index)) != null) {
                Hdu hdu = Hdu.parse(index, raw);
                if (index == 0) {
                    primary = hdu;
                }
                long left = reader.remaining();
                if (left >= 0 && hdu.dataBytes > left) {
                    return DecodeResult.failed(TRUNCATED, "HDU " + hdu.describe() + " claims " + hdu.dataBytes
                            + " data bytes, the file holds " + left + " more");
                }
                boolean requested = !settings.isAuto()
                        && (byName ? settings.hdu().trim().equalsIgnoreCase(hdu.extname) : index == wantedIndex);
                if (requested) {
                    if (hdu.kind == Kind.TABLE || hdu.kind == Kind.OTHER) {
                        return DecodeResult.skipped(HDU_NOT_IMAGE, "HDU " + hdu.describe() + " is a "
                                + hdu.kind.word, index, 0, 0);
                    }
                    if (hdu.axes == null || hdu.axes.length < 2) {
                        return DecodeResult.skipped(hdu.axes == null ? NO_DATA : ONE_D, "HDU " + hdu.describe(),
                                index, 0, 0);
                    }
                    return toImage(reader, hdu, primary);
                }
                if (settings.isAuto() && hdu.isImage() && hdu.axes != null) {
                    if (hdu.axes.length >= 2 && hdu.height() >= settings.minImageSize()
                            && hdu.width() >= settings.minImageSize()) {
                        return toImage(reader, hdu, primary);
                    }
                    if (hdu.axes.length == 1) {
                        sawOneD = true;
                    } else {
                        sawSmallImage = true;
                    }
                }
                sawTable |= hdu.kind == Kind.TABLE;
                passed.add(hdu.describe());
                reader.skip(hdu.paddedDataBytes());
                index++;
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
        String seen = String.join("; ", passed);
        if (!settings.isAuto()) {
            return DecodeResult.skipped(HDU_MISSING, "no HDU " + (byName ? "with EXTNAME '" + settings.hdu().trim()
                    + "'" : "with index " + wantedIndex) + " (HDUs: " + seen + ")", -1, 0, 0);
        }
        if (sawTable) {
            return DecodeResult.skipped(TABLES_ONLY, seen, -1, 0, 0);
        }
        if (sawSmallImage) {
            return DecodeResult.skipped(TOO_SMALL, seen + " (min " + settings.minImageSize() + ")", -1, 0, 0);
        }
        if (sawOneD) {
            return DecodeResult.skipped(ONE_D, seen, -1, 0, 0);
        }
        return DecodeResult.skipped(NO_DATA, seen, -1, 0, 0);
    }

    private DecodeResult toImage(FitsBlockReader reader, Hdu hdu, Hdu primary) throws IOException {
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
        if (hdu.kind != Kind.COMPRESSED) {
            // The plane's raw bytes, converted later row by row where they are used (no full-size float copy).
            reader.skip(settings.cubePlane() * planeBytes);
            ImageScaling scaling = ImageScaling.of(hdu.header);
            if (chunkBytes > 0 && reader.remaining() >= 0) {
                int rowBytes = w * hdu.bytesPerPixel();
                int rowsPerChunk = Math.max(1, Math.min(h, chunkBytes / rowBytes));
                StreamedRows rows = new StreamedRows(reader, buffer(rowsPerChunk * rowBytes), rowsPerChunk, h, w,
                        hdu.bitpix, scaling);
                // A DATASUM check, if any, is finished by the caller once the rows are used (verified).
                return DecodeResult.image(DecodedImage.streamed(rows, h, w, hdu.index, hdu.extname, region,
                        quality));
            }
            // Read whole (a gzip stream of unknown length, or an eager decoder): the buffer grows with the bytes that
            // arrive, so a header that claims more than the stream holds costs no more than what is there.
            byte[] data = reader.readGrowing(chunkBytes > 0 ? buffer : new byte[0], (int) planeBytes);
            if (chunkBytes > 0) {
                buffer = data;
            }
            return verified(DecodeResult.image(DecodedImage.ofRaw(data, hdu.bitpix, scaling, h, w, hdu.index,
                    hdu.extname, region, quality)));
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
                quality)), mismatch);
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
    private static Long datasum(Hdu hdu) throws FitsBlockReader.FormatProblem {
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
    private long allocation(Hdu hdu, long planeBytes, long decoded, boolean lengthKnown) {
        if (hdu.kind == Kind.COMPRESSED) {
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
    private static ImageHDU decompress(Hdu hdu, byte[] data) throws IOException {
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

    enum Kind {
        IMAGE("image"), COMPRESSED("tile-compressed image"), TABLE("table"), OTHER("non-image HDU");

        final String word;

        Kind(String word) {
            this.word = word;
        }
    }

    /**
     * One HDU's header: what kind it is, its axes (Java order, last = NAXIS1) and the size of its data, all checked
     * so that no value from the file reaches an allocation unvalidated.
     */
    static final class Hdu {
        final int index;
        final byte[] raw;
        final Header header;
        final Kind kind;
        final String extname;
        final int bitpix;
        /** Image axes in Java order (NAXISn first, NAXIS1 last); for compressed images the ZNAXISn; null = no data. */
        final int[] axes;
        /** The data's size in bytes as the FITS standard computes it, without the padding to 2880. */
        final long dataBytes;

        private Hdu(int index, byte[] raw, Header header, Kind kind, String extname, int bitpix, int[] axes,
                    long dataBytes) {
            this.index = index;
            this.raw = raw;
            this.header = header;
            this.kind = kind;
            this.extname = extname;
            this.bitpix = bitpix;
            this.axes = axes;
            this.dataBytes = dataBytes;
        }

        static Hdu parse(int index, byte[] raw) throws IOException {
            Header h = new Header();
            try {
                h.read(new FitsInputStream(new ByteArrayInputStream(raw)));
            } catch (IOException | RuntimeException e) {
                throw new FitsBlockReader.FormatProblem(BAD_HEADER, "HDU " + index + ": " + messageChain(e));
            }
            duplicates(raw, index);
            int bitpix = required(h, "BITPIX", index);
            if (bitpix != 8 && bitpix != 16 && bitpix != 32 && bitpix != 64 && bitpix != -32 && bitpix != -64) {
                throw new FitsBlockReader.FormatProblem(BAD_HEADER, "HDU " + index + ": BITPIX " + bitpix
                        + " is not one of 8, 16, 32, 64, -32, -64");
            }
            int naxis = required(h, "NAXIS", index);
            if (naxis < 0 || naxis > 999) {
                throw new FitsBlockReader.FormatProblem(BAD_HEADER, "HDU " + index + ": NAXIS " + naxis);
            }
            int[] fitsAxes = new int[naxis];
            for (int i = 0; i < naxis; i++) {
                fitsAxes[i] = required(h, "NAXIS" + (i + 1), index);
                if (fitsAxes[i] < 0) {
                    throw new FitsBlockReader.FormatProblem(BAD_HEADER, "HDU " + index + ": NAXIS" + (i + 1) + " = "
                            + fitsAxes[i]);
                }
            }
            Kind kind;
            boolean groups = false;
            if (index == 0) {
                groups = h.getBooleanValue("GROUPS", false) && naxis > 0 && fitsAxes[0] == 0;
                kind = groups ? Kind.OTHER : Kind.IMAGE;
            } else {
                String xt = String.valueOf(h.getStringValue("XTENSION")).trim().toUpperCase(Locale.ROOT);
                if (xt.equals("IMAGE")) {
                    kind = Kind.IMAGE;
                } else if (xt.equals("BINTABLE") && h.getBooleanValue("ZIMAGE", false)) {
                    kind = Kind.COMPRESSED;
                } else if (xt.equals("BINTABLE") || xt.equals("TABLE")) {
                    kind = Kind.TABLE;
                } else {
                    kind = Kind.OTHER;
                }
            }
            long pcount = h.getLongValue("PCOUNT", 0);
            long gcount = h.getLongValue("GCOUNT", 1);
            if (pcount < 0 || gcount < 0) {
                throw new FitsBlockReader.FormatProblem(BAD_HEADER, "HDU " + index + ": PCOUNT " + pcount
                        + ", GCOUNT " + gcount);
            }
            long dataBytes;
            try {
                long product = naxis == 0 ? 0 : 1;
                for (int i = groups ? 1 : 0; i < naxis; i++) {
                    product = Math.multiplyExact(product, fitsAxes[i]);
                }
                long bits = Math.multiplyExact(Math.multiplyExact(Math.abs(bitpix), gcount),
                        Math.addExact(pcount, product));
                dataBytes = naxis == 0 ? 0 : bits / 8;
            } catch (ArithmeticException e) {
                throw new FitsBlockReader.FormatProblem(BAD_HEADER, "HDU " + index
                        + ": the header's data size overflows 64 bits");
            }
            int[] axes = null;
            if (kind == Kind.IMAGE && naxis > 0 && dataBytes > 0) {
                axes = reverse(fitsAxes);
            } else if (kind == Kind.COMPRESSED) {
                int zn = h.getIntValue("ZNAXIS", 0);
                if (zn < 0 || zn > 999) {
                    throw new FitsBlockReader.FormatProblem(BAD_HEADER, "HDU " + index + ": ZNAXIS " + zn);
                }
                int[] z = new int[zn];
                for (int i = 0; i < zn; i++) {
                    z[i] = h.getIntValue("ZNAXIS" + (i + 1), 0);
                }
                boolean any = zn > 0;
                for (int a : z) {
                    if (a <= 0) {
                        any = false;
                    }
                }
                int zbitpix = h.getIntValue("ZBITPIX", 0);
                if (any && zbitpix != 8 && zbitpix != 16 && zbitpix != 32 && zbitpix != 64 && zbitpix != -32
                        && zbitpix != -64) {
                    throw new FitsBlockReader.FormatProblem(BAD_HEADER, "HDU " + index + ": ZBITPIX " + zbitpix);
                }
                axes = any ? reverse(z) : null;
            }
            if (kind == Kind.IMAGE || kind == Kind.COMPRESSED) {
                for (String key : new String[] {"BSCALE", "BZERO", "BLANK"}) {
                    numeric(h, key, index, key.equals("BLANK"));
                }
            }
            String name = h.getStringValue("EXTNAME");
            return new Hdu(index, raw, h, kind, name == null ? "" : name.trim(), bitpix, axes, dataBytes);
        }

        /** Keywords that fix the data's layout or values: a second card of one is ambiguous, never last-wins. */
        private static final java.util.regex.Pattern STRUCTURAL = java.util.regex.Pattern.compile(
                "SIMPLE|XTENSION|BITPIX|NAXIS\\d*|PCOUNT|GCOUNT|GROUPS|TFIELDS|THEAP|TFORM\\d+|BSCALE|BZERO|BLANK"
                        + "|ZIMAGE|ZBITPIX|ZNAXIS\\d*|ZTILE\\d+|ZCMPTYPE|DATASUM|END");

        /** A structural keyword given twice (NAXIS1 = 40, then NAXIS1 = 50) is an invalid header. */
        private static void duplicates(byte[] raw, int index) throws FitsBlockReader.FormatProblem {
            java.util.Map<String, String> seen = new java.util.HashMap<>();
            for (int off = 0; off + FitsBlockReader.CARD <= raw.length; off += FitsBlockReader.CARD) {
                String card = new String(raw, off, FitsBlockReader.CARD, StandardCharsets.US_ASCII);
                String key = card.substring(0, 8).trim();
                if (key.equals("END")) {
                    return;
                }
                if (!card.startsWith("= ", 8) || !STRUCTURAL.matcher(key).matches()) {
                    continue;
                }
                String value = card.substring(10).split("/", 2)[0].trim();
                String before = seen.put(key, value);
                if (before != null) {
                    throw new FitsBlockReader.FormatProblem(BAD_HEADER, "HDU " + index + ": " + key
                            + " appears twice (" + before + ", then " + value + ")");
                }
            }
        }

        /** A scaling card, when present, must hold a number: BSCALE = 'abc' is not read as 1. */
        private static void numeric(Header h, String key, int index, boolean integer)
                throws FitsBlockReader.FormatProblem {
            if (!h.containsKey(key)) {
                return;
            }
            nom.tam.fits.HeaderCard c = h.findCard(key);
            String v = c.getValue() == null ? "" : c.getValue().trim();
            boolean ok = !c.isStringValue() && !v.isEmpty();
            if (ok) {
                try {
                    if (integer) {
                        Long.parseLong(v);
                    } else if (!Double.isFinite(Double.parseDouble(v.replace('D', 'E').replace('d', 'e')))) {
                        ok = false;
                    }
                } catch (NumberFormatException e) {
                    ok = false;
                }
            }
            if (!ok) {
                throw new FitsBlockReader.FormatProblem(BAD_HEADER, "HDU " + index + ": " + key + " = '" + v
                        + "' is not " + (integer ? "an integer" : "a number"));
            }
        }

        private static int required(Header h, String key, int index) throws FitsBlockReader.FormatProblem {
            if (!h.containsKey(key)) {
                throw new FitsBlockReader.FormatProblem(BAD_HEADER, "HDU " + index + ": no " + key + " card");
            }
            try {
                return Integer.parseInt(h.findCard(key).getValue().trim());
            } catch (RuntimeException e) {
                throw new FitsBlockReader.FormatProblem(BAD_HEADER, "HDU " + index + ": " + key + " = '"
                        + h.findCard(key).getValue() + "' is not an integer");
            }
        }

        private static int[] reverse(int[] a) {
            int[] r = new int[a.length];
            for (int i = 0; i < a.length; i++) {
                r[i] = a[a.length - 1 - i];
            }
            return r;
        }

        boolean isImage() {
            return kind == Kind.IMAGE || kind == Kind.COMPRESSED;
        }

        int height() {
            return axes[axes.length - 2];
        }

        int width() {
            return axes[axes.length - 1];
        }

        int bytesPerPixel() {
            return Math.abs(kind == Kind.COMPRESSED ? header.getIntValue("ZBITPIX", 32) : bitpix) / 8;
        }

        /** The whole (uncompressed) image's size in bytes. */
        long imageBytes() {
            long n = bytesPerPixel();
            for (int a : axes) {
                n = multiplySaturated(n, a);
            }
            return n;
        }

        private static long multiplySaturated(long a, long b) {
            long hi = Math.multiplyHigh(a, b);
            long lo = a * b;
            return (hi == 0 && lo >= 0) ? lo : Long.MAX_VALUE;
        }

        long paddedDataBytes() {
            long rem = dataBytes % FitsBlockReader.BLOCK;
            return rem == 0 ? dataBytes : dataBytes + FitsBlockReader.BLOCK - rem;
        }

        String describe() {
            StringBuilder sb = new StringBuilder().append(index);
            if (!extname.isEmpty()) {
                sb.append(' ').append(extname);
            }
            sb.append(" (").append(kind.word);
            if (axes == null) {
                if (kind != Kind.TABLE) {
                    sb.append(", no data");
                }
            } else {
                sb.append(' ');
                for (int i = axes.length - 1; i >= 0; i--) {
                    sb.append(axes[i]).append(i > 0 ? "x" : "");
                }
            }
            return sb.append(')').toString();
        }
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
