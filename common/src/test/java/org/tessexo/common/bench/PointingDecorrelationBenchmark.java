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
import org.tessexo.common.photometry.PointingDecorrelation;

import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * One star's pointing decorrelation (what the corner turn does to every light curve after sorting it): a sector of
 * 30-minute cadences (two orbits with the mid-sector gap) of a star whose aperture flux follows the pointing's
 * jitter and momentum dumps, with photon noise and a slow trend. Microseconds per light curve; divided by the
 * cadences, the photometry bench's corner turn per star and cadence is made of it. Run: {@code java -cp <common test
 * classpath> org.openjdk.jmh.Main PointingDecorrelationBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgs = {"-Xmx1g"})
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 6, time = 1)
public class PointingDecorrelationBenchmark {
    @Param({"1300"})
    public int cadences;

    private double[] time;
    private double[] flux;
    private double[] dx;
    private double[] dy;
    private boolean[] use;

    @Setup
    public void setUp() {
        Random rnd = new Random(11);
        time = new double[cadences];
        flux = new double[cadences];
        dx = new double[cadences];
        dy = new double[cadences];
        use = new boolean[cadences];
        double gap = 1.0;
        for (int i = 0; i < cadences; i++) {
            time[i] = 1325.3 + i / 48.0 + (i >= cadences / 2 ? gap : 0);
            double dump = (i % 150) / 150.0; // the pointing drifts between momentum dumps
            dx[i] = 0.02 * rnd.nextGaussian() + 0.05 * dump;
            dy[i] = 0.02 * rnd.nextGaussian() - 0.03 * dump;
            double trend = 1 + 0.002 * Math.sin(i / 200.0);
            flux[i] = 10000 * trend * (1 - 0.4 * dx[i] + 0.3 * dy[i] - 2 * dx[i] * dx[i]) + 30 * rnd.nextGaussian();
            use[i] = i % 150 != 0;
        }
    }

    @Benchmark
    public double[] correct() {
        return PointingDecorrelation.correct(time, flux, dx, dy, use);
    }
}
