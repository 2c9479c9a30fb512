package org.tessexo.common.demo;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Seeded light curves of quiet and active stars without transits, as a sector of 30-minute FFI photometry gives
 * them: two orbits of about 13 days with the downlink gap between, white noise of 200 to 1500 ppm, and for some
 * stars a rotation (a spotted star's quasi-sinusoid of 1 to 10 days) or slow drifts. Written as the plain-text
 * tables users keep ({@code time,flux,flux_err}, BTJD), they are the hosts {@code train-vetter} injects planets and
 * binaries into in tests.
 */
public final class LightCurveGenerator {
    private LightCurveGenerator() {
    }

    /** Writes {@code stars} files {@code star-NNN.csv} under {@code dir}; returns their paths. */
    public static List<Path> write(Path dir, int stars, long seed) throws IOException {
        Files.createDirectories(dir);
        List<Path> out = new ArrayList<>();
        for (int s = 0; s < stars; s++) {
            Random rnd = new Random(seed * 1_000_003L + s);
            Path file = dir.resolve(String.format(Locale.ROOT, "star-%03d.csv", s));
            double noise = 2e-4 + rnd.nextDouble() * 1.3e-3;
            double rotation = rnd.nextDouble() < 0.4 ? 1 + rnd.nextDouble() * 9 : 0;
            double amplitude = rotation > 0 ? noise * (1 + rnd.nextDouble() * 10) : 0;
            double drift = rnd.nextGaussian() * noise * 2;
            double phase = rnd.nextDouble() * 2 * Math.PI;
            try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                w.write("time,flux,flux_err\n");
                for (int i = 0; i < 1300; i++) {
                    double t = 1325.3 + i / 48.0;
                    if (t > 1338.5 && t < 1339.7) {
                        continue; // the mid-sector downlink
                    }
                    double x = (t - 1325.3) / 27.4;
                    double f = 1 + drift * x + (rotation > 0 ? amplitude * (Math.sin(2 * Math.PI * t / rotation
                            + phase) + 0.3 * Math.sin(4 * Math.PI * t / rotation)) : 0) + noise * rnd.nextGaussian();
                    w.write(String.format(Locale.ROOT, "%.6f,%.7f,%.7f%n", t, f, noise));
                }
            }
            out.add(file);
        }
        return out;
    }
}
