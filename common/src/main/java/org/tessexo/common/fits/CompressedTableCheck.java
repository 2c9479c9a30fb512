package org.tessexo.common.fits;

import nom.tam.fits.Header;

import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks a tile-compressed image's binary table before nom-tam-fits decompresses it, so that a damaged file cannot
 * make it allocate what a corrupt number claims: the columns must fill the row, every heap descriptor must point
 * inside the heap, and the tiles must be no larger than the limit. nom-tam-fits trusts these values (a descriptor
 * claiming 400 million elements is an {@code OutOfMemoryError} there).
 */
final class CompressedTableCheck {
    private static final Pattern TFORM = Pattern.compile(
            "\\s*(\\d*)\\s*([LXBIJKAEDCMPQ])\\s*([LXBIJKAEDCM]?)\\s*(\\(.*\\))?\\s*");

    private CompressedTableCheck() {
    }

    /** @return null when the table is sound, else what is wrong */
    static String problem(Header h, byte[] data, long maxBytes) {
        long rowBytes = h.getLongValue("NAXIS1", -1);
        long rows = h.getLongValue("NAXIS2", -1);
        long pcount = h.getLongValue("PCOUNT", 0);
        int fields = h.getIntValue("TFIELDS", -1);
        if (rowBytes < 0 || rows < 0 || fields < 0 || fields > 999) {
            return "NAXIS1 " + rowBytes + ", NAXIS2 " + rows + ", TFIELDS " + fields;
        }
        long tableBytes = rowBytes * rows;
        long heapStart = h.getLongValue("THEAP", tableBytes);
        long heapEnd = tableBytes + pcount;
        if (heapStart < tableBytes || heapStart > heapEnd || heapEnd > data.length) {
            return "THEAP " + heapStart + " outside the data (table " + tableBytes + ", PCOUNT " + pcount + ")";
        }
        long offset = 0;
        ByteBuffer bb = ByteBuffer.wrap(data);
        for (int c = 1; c <= fields; c++) {
            String form = h.getStringValue("TFORM" + c);
            Matcher m = form == null ? null : TFORM.matcher(form.toUpperCase(Locale.ROOT));
            if (m == null || !m.matches()) {
                return "TFORM" + c + " = '" + form + "'";
            }
            long repeat;
            try {
                repeat = m.group(1).isEmpty() ? 1 : Long.parseLong(m.group(1));
            } catch (NumberFormatException e) {
                return "TFORM" + c + " = '" + form + "'";
            }
            char type = m.group(2).charAt(0);
            long width = type == 'X' ? (repeat + 7) / 8 : repeat * width(type);
            if (width > rowBytes) {
                return "column " + c + " (" + form + ") is wider than the row (" + rowBytes + " bytes)";
            }
            if ((type == 'P' || type == 'Q') && repeat > 0) {
                if (m.group(3).isEmpty()) {
                    return "TFORM" + c + " = '" + form + "' has no element type";
                }
                char element = m.group(3).charAt(0);
                for (long r = 0; r < rows; r++) {
                    int at = Math.toIntExact(r * rowBytes + offset);
                    long count = type == 'P' ? bb.getInt(at) : bb.getLong(at);
                    long where = type == 'P' ? bb.getInt(at + 4) : bb.getLong(at + 8);
                    long bytes = element == 'X' ? (count + 7) / 8 : count * width(element);
                    if (count < 0 || where < 0 || bytes < 0 || bytes > maxBytes
                            || heapStart + where + bytes > heapEnd) {
                        return "row " + (r + 1) + " of column " + c + " points outside the heap (" + count
                                + " elements at " + where + ", heap " + (heapEnd - heapStart) + " bytes)";
                    }
                }
            }
            offset += width;
        }
        if (offset != rowBytes) {
            return "the columns take " + offset + " bytes, NAXIS1 says " + rowBytes;
        }
        long tile = Math.abs(h.getIntValue("ZBITPIX", 32)) / 8;
        int zn = h.getIntValue("ZNAXIS", 0);
        for (int i = 1; i <= zn; i++) {
            long t = h.getLongValue("ZTILE" + i, i == 1 ? h.getLongValue("ZNAXIS1", 0) : 1);
            if (t <= 0) {
                return "ZTILE" + i + " = " + t;
            }
            tile = Math.multiplyHigh(tile, t) != 0 ? Long.MAX_VALUE : tile * t;
        }
        if (tile > maxBytes) {
            return "tiles of " + tile + " bytes exceed the limit of " + maxBytes;
        }
        return null;
    }

    private static long width(char type) {
        return switch (type) {
            case 'L', 'B', 'A' -> 1;
            case 'I' -> 2;
            case 'J', 'E' -> 4;
            case 'K', 'D', 'C', 'P' -> 8;
            case 'M', 'Q' -> 16;
            default -> 1;
        };
    }
}
