package org.tessexo.common.bench;

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
import org.openjdk.jmh.annotations.Warmup;
import org.tessexo.common.fits.ScienceRegion;
import org.tessexo.common.photometry.FramePhotometry;
import org.tessexo.common.photometry.Star;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * One full-size frame's photometry (what an executor does per frame once it is decoded): every star's annulus
 * median, aperture sum, error and centroid, and the frame's pointing offset. The frame is a TESS-sized sky (2078 x
 * 2136 float32, 17.7 MB: more than a core's caches hold) with Gaussian stars at random places, listed brightest
 * first as the photometry job lists them; apertures of 1 to 3.5 pixels by brightness, the default annulus (2 + 4
 * pixels). The per-star cost is what the photometry bench's "microseconds per star" is made of, without the read,
 * decode and corner turn around it. Run: {@code java -cp <common test classpath> org.openjdk.jmh.Main
 * FramePhotometryBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgs = {"-Xmx2g"})
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 6, time = 1)
public class FramePhotometryBenchmark {
    @Param({"1000", "10000"})
    public int stars;

    private float[] image;
    private FramePhotometry photometry;

    @Setup
    public void setUp() {
        int h = ScienceRegion.TESS_FFI_HEIGHT;
        int w = ScienceRegion.TESS_FFI_WIDTH;
        ScienceRegion region = ScienceRegion.TESS_FFI;
        Random rnd = new Random(7);
        image = new float[h * w];
        for (int i = 0; i < image.length; i++) {
            image[i] = (float) (100 + 3 * rnd.nextGaussian());
        }
        List<Star> list = new ArrayList<>();
        for (int i = 0; i < stars; i++) {
            double x = region.colStart() + 10 + rnd.nextDouble() * (region.width() - 20);
            double y = region.rowStart() + 10 + rnd.nextDouble() * (region.height() - 20);
            double flux = 200 * Math.pow(10, 3 * rnd.nextDouble()); // a 7.5-magnitude spread
            list.add(new Star("s" + i, 0, 0, 0, x, y, Double.NaN, flux, 1 + 0.5 * Math.floor(6 * Math.log10(flux
                    / 200) / 3.0001 * 5 / 6)));
            draw(image, w, x, y, flux, 0.9);
        }
        list.sort((a, b) -> Double.compare(b.flux(), a.flux()));
        photometry = new FramePhotometry(list, h, w, region, 2, 4).withReadVariance(100);
    }

    private static void draw(float[] img, int w, double cx, double cy, double flux, double sigma) {
        for (int y = (int) cy - 4; y <= (int) cy + 4; y++) {
            for (int x = (int) cx - 4; x <= (int) cx + 4; x++) {
                double d2 = (x - cx) * (x - cx) + (y - cy) * (y - cy);
                img[y * w + x] += (float) (flux * Math.exp(-d2 / (2 * sigma * sigma)) / (2 * Math.PI * sigma * sigma));
            }
        }
    }

    @Benchmark
    public FramePhotometry.Measures measure() {
        return photometry.measure(image, 1800);
    }
}
