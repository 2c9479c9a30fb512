package org.tessexo.common.fits;

import nom.tam.fits.ImageHDU;
import org.junit.jupiter.api.Test;
import org.tessexo.common.image.PreprocessSettings;
import org.tessexo.common.image.Preprocessor;
import org.tessexo.common.testing.FitsFixtures;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The streaming decoder reads rows as they are asked for, and gives exactly what the eager decoder gives. */
class StreamingDecoderTest {
    private static final int H = 70;
    private static final int W = 50;

    private static byte[] file(Object data) {
        return FitsFixtures.bytes(FitsFixtures.emptyPrimary(), FitsFixtures.table("FIRST"),
                FitsFixtures.image(data, "CAL", StreamingDecoderTest::scaled),
                FitsFixtures.image(FitsFixtures.ramp(H, W), "UNCERT", null));
    }

    private static void scaled(ImageHDU hdu) {
        try {
            hdu.getHeader().addValue("BSCALE", 2.5, null);
            hdu.getHeader().addValue("BZERO", -7.0, null);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static short[][] shorts() {
        short[][] s = new short[H][W];
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                s[y][x] = (short) (y * 300 - x * 17);
            }
        }
        return s;
    }

    /** Counts what is read. */
    private static final class Counting extends FilterInputStream {
        long count;

        Counting(InputStream in) {
            super(in);
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            count += Math.max(n, 0);
            return n;
        }

        @Override
        public int read() throws IOException {
            int n = super.read();
            count += n < 0 ? 0 : 1;
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            return super.skip(n); // skipped bytes are not read
        }
    }

    @Test
    void everyChunkSizeGivesTheEagerDecodersPixels() throws IOException {
        for (Object data : new Object[] {FitsFixtures.ramp(H, W), shorts()}) {
            byte[] bytes = file(data);
            float[] eager = new FitsImageDecoder(DecoderSettings.defaults()).decode(bytes).image().pixels();
            int rowBytes = W * (data instanceof short[][] ? 2 : 4);
            for (int chunk : new int[] {1, rowBytes, 3 * rowBytes + 7, 1 << 16, Integer.MAX_VALUE}) {
                FitsImageDecoder streaming = FitsImageDecoder.streaming(DecoderSettings.defaults(), chunk);
                DecodeResult r = streaming.decode(new ByteArrayInputStream(bytes), bytes.length);
                assertEquals(Outcome.IMAGE, r.outcome());
                assertEquals("CAL", r.image().extname());
                assertArrayEquals(eager, r.image().pixels(), "chunk " + chunk);
            }
        }
    }

    /**
     * An unscaled float32 plane streamed from its file says where it lies in the file (what the photometry maps):
     * the big-endian floats there are its pixels. A scaled or integer plane, or one read whole, says nothing.
     */
    @Test
    void aFloat32PlaneSaysWhereInItsFileItsPixelsAre() throws IOException {
        byte[] bytes = FitsFixtures.bytes(FitsFixtures.emptyPrimary(), FitsFixtures.table("FIRST"),
                FitsFixtures.image(FitsFixtures.ramp(H, W), "CAL", null),
                FitsFixtures.image(FitsFixtures.ramp(H, W), "UNCERT", null));
        float[] eager = new FitsImageDecoder(DecoderSettings.defaults()).decode(bytes).image().pixels();
        DecodedImage streamed = FitsImageDecoder.streaming(DecoderSettings.defaults(), 1 << 16)
                .decode(new ByteArrayInputStream(bytes), bytes.length).image();
        long offset = streamed.float32PlaneOffset();
        assertTrue(offset > 0 && offset % 2880 == 0, "the plane starts at a block: " + offset);
        float[] there = new float[H * W];
        java.nio.ByteBuffer.wrap(bytes, (int) offset, 4 * H * W).asFloatBuffer().get(there);
        assertArrayEquals(eager, there);
        assertEquals(-1, new FitsImageDecoder(DecoderSettings.defaults()).decode(bytes).image().float32PlaneOffset());
        for (Object data : new Object[] {FitsFixtures.ramp(H, W), shorts()}) { // scaled
            byte[] other = file(data);
            assertEquals(-1, FitsImageDecoder.streaming(DecoderSettings.defaults(), 1 << 16)
                    .decode(new ByteArrayInputStream(other), other.length).image().float32PlaneOffset());
        }
    }

    @Test
    void rowsNobodyAsksForAreNeverReadAndTheUncertaintyImageIsNeverTouched() throws IOException {
        byte[] bytes = file(FitsFixtures.ramp(H, W));
        FitsImageDecoder streaming = FitsImageDecoder.streaming(DecoderSettings.defaults(), 4 * W * 4);
        Counting in = new Counting(new ByteArrayInputStream(bytes));
        DecodeResult r = streaming.decode(in, bytes.length);
        long afterHeaders = in.count;
        assertTrue(afterHeaders % 2880 == 0, "only header blocks read at decode: " + afterHeaders);
        float[] row = new float[10];
        r.image().readRow(20, 5, 10, row, 0);
        r.image().readRow(21, 0, 10, new float[10], 0);
        assertEquals(afterHeaders + 4L * W * 4, in.count, "one chunk of 4 rows, the 20 rows before it skipped");
        float[] eager = new FitsImageDecoder(DecoderSettings.defaults()).decode(bytes).image().pixels();
        for (int i = 0; i < 10; i++) {
            assertEquals(eager[20 * W + 5 + i], row[i]);
        }
    }

    @Test
    void preprocessingAStreamedImageMatchesTheEagerOne() throws IOException {
        byte[] bytes = file(FitsFixtures.ramp(H, W));
        Preprocessor p = new Preprocessor(new PreprocessSettings(PreprocessSettings.Trim.AUTO, 16, 16, 5));
        float[] eager = p.apply(new FitsImageDecoder(DecoderSettings.defaults()).decode(bytes).image()).values();
        FitsImageDecoder streaming = FitsImageDecoder.streaming(DecoderSettings.defaults(), 500);
        for (int i = 0; i < 3; i++) { // the reused chunk carries nothing from one file to the next
            float[] streamed = p.apply(streaming.decode(new ByteArrayInputStream(bytes), bytes.length).image())
                    .values();
            assertArrayEquals(eager, streamed);
        }
    }

    @Test
    void rowsAreGivenInOrderOnly() throws IOException {
        byte[] bytes = file(FitsFixtures.ramp(H, W));
        DecodedImage image = FitsImageDecoder.streaming(DecoderSettings.defaults(), W * 4)
                .decode(new ByteArrayInputStream(bytes), bytes.length).image();
        image.readRow(10, 0, W, new float[W], 0);
        image.readRow(10, 0, W, new float[W], 0); // the same row again is fine: it is still in the chunk
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> image.readRow(3, 0, W, new float[W], 0));
        assertTrue(e.getMessage().contains("in order"), e.getMessage());
    }

    @Test
    void aFileCutShortAfterTheHeaderCheckFailsWhileReadingRows() throws IOException {
        byte[] bytes = file(FitsFixtures.ramp(H, W));
        byte[] cut = java.util.Arrays.copyOf(bytes, bytes.length / 2);
        // The listing said the file was whole; by the time it is read it is half.
        DecodedImage image = FitsImageDecoder.streaming(DecoderSettings.defaults(), W * 4)
                .decode(new ByteArrayInputStream(cut), bytes.length).image();
        UncheckedIOException e = assertThrows(UncheckedIOException.class, image::pixels);
        assertTrue(e.getCause() instanceof java.io.EOFException, e.toString());
    }

    @Test
    void aGzippedFileIsReadWholeAtDecodeSoThatTruncationIsStillAResult() throws IOException {
        byte[] bytes = file(FitsFixtures.ramp(H, W));
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(bytes);
        }
        FitsImageDecoder streaming = FitsImageDecoder.streaming(DecoderSettings.defaults(), W * 4);
        float[] eager = new FitsImageDecoder(DecoderSettings.defaults()).decode(bytes).image().pixels();
        InputStream whole = new ByteArrayInputStream(gz.toByteArray());
        DecodedImage image = streaming.decode(whole, gz.size()).image();
        whole.close();
        assertArrayEquals(eager, image.pixels());
        byte[] half = java.util.Arrays.copyOf(gz.toByteArray(), gz.size() * 3 / 4);
        DecodeResult cut = streaming.decode(new ByteArrayInputStream(half), half.length);
        assertEquals(FitsImageDecoder.TRUNCATED, cut.reason(), cut.fullReason());
    }
}
