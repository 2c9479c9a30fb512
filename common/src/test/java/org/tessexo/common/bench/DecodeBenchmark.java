package org.tessexo.common.bench;

import nom.tam.fits.Fits;
import nom.tam.fits.ImageData;
import nom.tam.fits.ImageHDU;
import nom.tam.fits.NullDataHDU;
import nom.tam.util.FitsOutputStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.tessexo.common.fits.DecodeResult;
import org.tessexo.common.fits.DecoderSettings;
import org.tessexo.common.fits.FitsImageDecoder;
import org.tessexo.common.fits.Outcome;
import org.tessexo.common.image.PreprocessSettings;
import org.tessexo.common.image.Preprocessor;

import java.io.FileInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Decoding one full-size FFI against the limit: a plain read of its image HDU's bytes into memory. All three read
 * the same file from the page cache, in one thread.
 * <ul>
 *   <li>{@code plainRead}: skip to the image data and read its 17.75 MB into a reused array; no decoding.</li>
 *   <li>{@code streamedDecodePreprocess}: what an executor does with a local file: headers, then the rows streamed in
 *   256 KB chunks into the fused byte swap, trim and area-averaging reduction to 128 x 128, then normalization.</li>
 *   <li>{@code wholePlaneDecodePreprocess}: the same, reading the whole plane first (what an object store's one
 *   ranged GET gives).</li>
 * </ul>
 * Run by {@code bench/run.sh} (or: {@code java -cp <common test classpath> org.openjdk.jmh.Main DecodeBenchmark
 * -p file=FFI.fits}); with no file it writes a TESS-like FFI of its own (header-only primary, 2136 x 2078 float32
 * image, uncertainty image).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgs = {"-Xmx2g"})
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 8, time = 1)
public class DecodeBenchmark {
    @Param("")
    public String file;

    private Path path;
    private Path written;
    private long length;
    private long dataOffset;
    private byte[] plain;
    private FitsImageDecoder streamed;
    private FitsImageDecoder wholePlane;
    private Preprocessor preprocessor;

    @Setup
    public void setUp() throws Exception {
        if (file == null || file.isEmpty()) {
            written = Files.createTempFile("tess-bench-ffi", ".fits");
            writeFfi(written);
            path = written;
        } else {
            path = Path.of(file);
        }
        length = Files.size(path);
        streamed = FitsImageDecoder.streaming(DecoderSettings.defaults(), FitsImageDecoder.LOCAL_CHUNK_BYTES);
        wholePlane = FitsImageDecoder.streaming(DecoderSettings.defaults(), Integer.MAX_VALUE);
        preprocessor = new Preprocessor(new PreprocessSettings(PreprocessSettings.Trim.AUTO, 128, 128, 5.0));
        // Where the image data starts: what the decoder reads before the first row is asked for.
        long[] read = new long[1];
        try (InputStream in = new FilterInputStream(new FileInputStream(path.toFile())) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                read[0] += Math.max(0, n);
                return n;
            }
        }) {
            DecodeResult r = streamed.decode(in, length);
            if (r.outcome() != Outcome.IMAGE) {
                throw new IllegalStateException(path + " has no image: " + r.fullReason());
            }
            dataOffset = read[0];
            plain = new byte[r.height() * r.width() * 4];
        }
    }

    @TearDown
    public void tearDown() throws IOException {
        if (written != null) {
            Files.deleteIfExists(written);
        }
    }

    @Benchmark
    public byte plainRead() throws IOException {
        try (FileInputStream in = new FileInputStream(path.toFile())) {
            in.skipNBytes(dataOffset);
            if (in.readNBytes(plain, 0, plain.length) != plain.length) {
                throw new IllegalStateException("short read");
            }
        }
        return plain[plain.length - 1];
    }

    @Benchmark
    public float[] streamedDecodePreprocess() throws IOException {
        return decodePreprocess(streamed);
    }

    @Benchmark
    public float[] wholePlaneDecodePreprocess() throws IOException {
        return decodePreprocess(wholePlane);
    }

    private float[] decodePreprocess(FitsImageDecoder decoder) throws IOException {
        try (FileInputStream in = new FileInputStream(path.toFile())) {
            Preprocessor.Result r = preprocessor.apply(decoder.decode(in, length).image());
            if (!r.ok()) {
                throw new IllegalStateException(r.reason());
            }
            return r.values();
        }
    }

    /** A TESS-like calibrated FFI: sky noise, a few stars, the 44 + 44 virtual columns and 30 virtual rows. */
    static void writeFfi(Path out) throws Exception {
        int h = 2078;
        int w = 2136;
        Random rnd = new Random(1);
        float[][] image = new float[h][w];
        for (float[] row : image) {
            for (int x = 0; x < w; x++) {
                row[x] = (float) (100 + 10 * rnd.nextGaussian());
            }
        }
        for (int s = 0; s < 2000; s++) {
            image[rnd.nextInt(h)][rnd.nextInt(w)] += 5000 * rnd.nextFloat();
        }
        try (Fits f = new Fits(); FitsOutputStream o = new FitsOutputStream(Files.newOutputStream(out))) {
            f.addHDU(new NullDataHDU());
            ImageHDU cal = ImageData.from(image).toHDU();
            cal.getHeader().addValue("EXTNAME", "CAL", null);
            f.addHDU(cal);
            ImageHDU uncert = ImageData.from(image).toHDU();
            uncert.getHeader().addValue("EXTNAME", "UNCERT", null);
            f.addHDU(uncert);
            f.write(o);
        }
    }
}
