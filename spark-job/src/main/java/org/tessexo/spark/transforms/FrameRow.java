package org.tessexo.spark.transforms;

import org.tessexo.common.fits.Outcome;
import org.tessexo.common.photometry.FrameInfo;

import java.io.Serializable;

/**
 * One listed file of {@code photometry} after its headers were read: a frame ({@code image}, with its
 * {@link FrameInfo}), a pixel cube, or why it is neither.
 *
 * @param length the file's size as listed (-1 when not known)
 * @param cube   the file is a stack of pixels around one star (TESScut, target pixel file, TGLC), not a frame
 */
public record FrameRow(String path, long length, Outcome outcome, String reason, String detail, long bytesRead,
                       int hdu, int height, int width, FrameInfo info, boolean cube)
        implements FileOutcome, Serializable {
    static FrameRow failed(String path, long length, Outcome outcome, String reason, String detail, long bytes) {
        return new FrameRow(path, length, outcome, reason, detail, bytes, -1, 0, 0, null, false);
    }

    /** A frame of a CCD, measured with its group's stars. */
    public boolean isFrame() {
        return isUsed() && info != null;
    }
}
