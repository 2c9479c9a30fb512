package org.tessexo.spark;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tessexo.common.demo.DemoDataGenerator;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Ctrl-C during {@code train}, as a user sends it: SIGINT to a job in its own JVM. The job exits 130 and says which
 * checkpoint exists and the command that resumes, instead of Spark's stack traces.
 */
class InterruptIT {

    @Test
    void ctrlCDuringTrainingSaysHowToResume(@TempDir Path tmp) throws Exception {
        DemoDataGenerator.Summary demo = DemoDataGenerator.generate(tmp.resolve("demo"), 40, 96, 100, 5);
        Path out = tmp.resolve("o");
        Path log = tmp.resolve("stderr.txt");
        Process p = SparkTestSupport.jobProcess(log, "train", "--input", demo.ffiDir().toString(), "--labels",
                demo.labels().toString(), "--output", out.toString(), "training.epochs=500", "preprocess.height=24",
                "preprocess.width=24", "training.batch-size-per-worker=8");
        Path state = out.resolve("checkpoints/state.json");
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (!Files.exists(state) && p.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertTrue(p.isAlive(), "training still runs when the first checkpoint exists:\n" + Files.readString(log));
        new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor();
        assertTrue(p.waitFor(3, TimeUnit.MINUTES), "the job ends after Ctrl-C");
        String text = Files.readString(log, StandardCharsets.UTF_8);
        assertEquals(TessJob.EXIT_INTERRUPTED, p.exitValue(), text);
        assertTrue(text.contains("Interrupted: train into"), text);
        assertTrue(text.contains("checkpoints/epoch-") && text.contains("--resume"), text);
        long traceLines = text.lines().filter(l -> l.startsWith("\tat ")).count();
        assertTrue(traceLines < 5, traceLines + " stack-trace lines:\n" + text);
    }
}
