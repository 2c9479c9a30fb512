package org.tessexo.spark.transforms;

import org.tessexo.common.fits.Outcome;
import org.tessexo.common.photometry.FrameInfo;

import java.io.Serializable;

/**
 * One listed file of {@code photometry} after its headers were read: a frame ({@code image}, with its
 * {@link FrameInfo}) or why it is none.
 *
 * @param length the file's size as listed (-1 when not known)
 */
public record FrameRow(String path, long length, Outcome outcome, String reason, String detail, long bytesRead,
                       int hdu, int height, int width, FrameInfo info) implements FileOutcome, Serializable {
    static FrameRow failed(String path, long length, Outcome outcome, String reason, String detail, long bytes) {
        return new FrameRow(path, length, outcome, reason, detail, bytes, -1, 0, 0, null);
    }
}
