package org.tessexo.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tessexo.common.testing.FitsFixtures;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The driver's memory does not grow with the data: 100,000 listed files (hard links to one small FFI-like file, so
 * the listing is real but costs no disk) go through {@code inspect} in a JVM of its own with a 1 GB heap, in
 * local[2] (the driver and the executors share that heap). Only keys, counts and a bounded list of problems reach
 * the driver; outcomes/ is written by the executors.
 */
class DriverScaleIT {
    private static final int FILES = Integer.getInteger("tess.scale.files", 100_000);

    @Test
    void aHundredThousandKeysFitInAOneGigabyteDriver(@TempDir Path tmp) throws Exception {
        Path one = FitsFixtures.write(tmp.resolve("one.fits"), FitsFixtures.emptyPrimary(),
                FitsFixtures.image(FitsFixtures.ramp(64, 64), "CAL", null));
        Path in = Files.createDirectories(tmp.resolve("in"));
        for (int d = 0; d < FILES / 1000; d++) {
            Path dir = Files.createDirectories(in.resolve(String.format("%03d", d)));
            // A file system allows about 65,000 links to one file: one copy per folder (not listed: no FITS suffix).
            Path source = Files.copy(one, dir.resolve("source.bin"));
            for (int i = 0; i < 1000; i++) {
                Files.createLink(dir.resolve(String.format("tess%06d-s0001-1-1-0120-s_ffic.fits", d * 1000 + i)),
                        source);
            }
        }
        Path out = tmp.resolve("out");
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(Files.readAllLines(projectRoot().resolve("conf/java17-opens.txt")));
        cmd.addAll(List.of("-Xmx1g", "-XX:+ExitOnOutOfMemoryError", "-cp", System.getProperty("java.class.path"),
                "org.tessexo.spark.TessJob", "inspect", "--master", "local[2]", "--input", in.toString(),
                "--output", out.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("driver.log").toFile()).start();
        assertTrue(p.waitFor(15, TimeUnit.MINUTES), "the run ends");
        String log = Files.readString(tmp.resolve("driver.log"));
        assertEquals(0, p.exitValue(), "exit status; the log ends: " + log.substring(Math.max(0, log.length() - 3000)));
        JsonNode r = new ObjectMapper().readTree(out.resolve("run-report.json").toFile());
        assertEquals(FILES, r.get("counts").get("listed").asInt());
        assertEquals(FILES, r.get("counts").get("images").asInt());
        System.out.printf("%d files in a 1 GB driver: list %.1f s, decode %.1f s, total %.1f s%n", FILES,
                r.get("timings_s").get("list").asDouble(), r.get("timings_s").get("decode").asDouble(),
                r.get("timings_s").get("total").asDouble());
    }

    private static Path projectRoot() throws IOException {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.exists(p.resolve("conf/java17-opens.txt"))) {
                return p;
            }
        }
        throw new IOException("conf/java17-opens.txt not found above " + Path.of("").toAbsolutePath());
    }
}
