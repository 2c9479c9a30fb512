package org.tessexo.spark.transforms;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tessexo.common.fits.ScienceRegion;
import org.tessexo.common.photometry.FramePhotometry;
import org.tessexo.common.photometry.Star;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A frame's plane read from its mapped file: the pixels at the plane's offset, big-endian; a file shorter than its
 * plane (cut after it was listed) is an IOException, which the photometry reports as that frame not measured.
 */
class MappedFrameTest {
    private static final int H = 32;
    private static final int W = 40;

    @TempDir
    Path tmp;

    private static FramePhotometry wholeFrame() {
        // stars everywhere: their pixels cover more than half the frame, which is then read whole
        List<Star> stars = new java.util.ArrayList<>();
        for (int y = 8; y < H - 8; y += 4) {
            for (int x = 8; x < W - 8; x += 4) {
                stars.add(new Star("s" + x + "-" + y, 0, 0, 0, x, y, Double.NaN, 0, 2));
            }
        }
        return new FramePhotometry(stars, H, W, new ScienceRegion(1, W, 1, H), 2, 4);
    }

    @Test
    void thePlaneIsReadFromItsOffsetInTheFile() throws IOException {
        float[] pixels = new float[H * W];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = i * 0.5f - 100;
        }
        ByteBuffer file = ByteBuffer.allocate(2880 + 4 * pixels.length);
        file.position(2880);
        file.asFloatBuffer().put(pixels);
        Path f = tmp.resolve("frame.fits");
        Files.write(f, file.array());
        float[] into = new float[H * W];
        PhotometryFn.gatherMapped(f, 2880, H, W, wholeFrame(), into);
        assertArrayEquals(pixels, into);
    }

    @Test
    void aFileShorterThanItsPlaneIsAnIoException() throws IOException {
        Path f = tmp.resolve("cut.fits");
        Files.write(f, new byte[2880 + 100]);
        assertThrows(IOException.class, () -> PhotometryFn.gatherMapped(f, 2880, H, W, wholeFrame(), new float[H * W]));
    }
}
