package org.tessexo.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tessexo.common.demo.DemoDataGenerator;
import org.tessexo.common.testing.FitsFixtures;
import org.tessexo.spark.io.OutputStore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A failing run says why, and nothing is lost or half-written: the failed-files limit, an existing output, atomic
 * writes, hostile paths in a labels table, checkpoints and {@code --resume} after a run that died mid-training.
 */
class FailuresAndOutputIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    static {
        SparkTestSupport.spark(); // TessJob uses the existing session and leaves it running
    }

    private static JsonNode report(Path out) throws IOException {
        return JSON.readTree(out.resolve("run-report.json").toFile());
    }

    /** Good small FFIs plus {@code bad} broken ones of different kinds. */
    private static Path inputWith(Path tmp, int good, int bad) throws IOException {
        Path in = Files.createDirectories(tmp.resolve("in"));
        for (int i = 0; i < good; i++) {
            FitsFixtures.write(in.resolve("good-" + i + ".fits"), FitsFixtures.emptyPrimary(),
                    FitsFixtures.image(FitsFixtures.ramp(40, 40), "CAL", null));
        }
        byte[] valid = FitsFixtures.bytes(FitsFixtures.emptyPrimary(),
                FitsFixtures.image(FitsFixtures.ramp(40, 40), "CAL", null));
        for (int i = 0; i < bad; i++) {
            byte[] b = switch (i % 3) {
                case 0 -> Arrays.copyOf(valid, valid.length - 3000); // truncated in the data
                case 1 -> new byte[0];
                default -> "SIMPLE  = no".getBytes();
            };
            Files.write(in.resolve("bad-" + i + ".fits"), b);
        }
        return in;
    }

    @Test
    void pastTheFailureLimitTheRunStopsWithExit1AndTheCommonestReasons(@TempDir Path tmp) throws IOException {
        Path in = inputWith(tmp, 10, 4);
        Path out = tmp.resolve("o");
        assertEquals(1, TessJob.run(new String[] {"train", "--input", in.toString(), "--output", out.toString()}));
        JsonNode r = report(out);
        assertEquals("failed", r.get("status").asText());
        String error = r.get("error").asText();
        assertTrue(error.startsWith("4 of 14 listed files failed"), error);
        assertTrue(error.contains("3 x truncated") && error.contains("1 x empty file"), error);
        assertEquals(4, r.get("counts").get("failed").asInt());
        assertEquals(10, r.get("counts").get("images").asInt());
        assertEquals(14, outcomeRows(out.resolve("outcomes")).size(), "outcomes/ is written before stopping");
        assertFalse(Files.exists(out.resolve("model.zip")), "no training past the limit");

        // An absolute count works the same way; a generous limit lets the same data through.
        assertEquals(1, TessJob.run(new String[] {"inspect", "--input", in.toString(), "--output",
                tmp.resolve("o2").toString(), "failures.max-fraction=1", "failures.max-count=3"}));
        assertEquals(0, TessJob.run(new String[] {"inspect", "--input", in.toString(), "--output",
                tmp.resolve("o3").toString(), "failures.max-fraction=0.5"}));
        JsonNode ok = report(tmp.resolve("o3"));
        assertEquals(14, ok.get("counts").get("images").asInt() + ok.get("counts").get("skipped").asInt()
                + ok.get("counts").get("failed").asInt(), "the counts add up to the number listed");
    }

    static List<String> outcomeRows(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".csv")).flatMap(p -> {
                try {
                    return Files.readAllLines(p).stream().skip(1);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }).collect(Collectors.toList());
        }
    }

    @Test
    void anExistingOutputIsExit2UnlessOverwriteWhichKeepsTheUsersOwnFiles(@TempDir Path tmp) throws IOException {
        Path in = inputWith(tmp, 3, 0);
        Path out = tmp.resolve("o");
        String[] inspect = {"inspect", "--input", in.toString(), "--output", out.toString()};
        assertEquals(0, TessJob.run(inspect));
        Files.writeString(out.resolve("my-notes.txt"), "mine");
        String before = Files.readString(out.resolve("run-report.json"));
        assertEquals(2, TessJob.run(inspect));
        assertEquals(before, Files.readString(out.resolve("run-report.json")), "the earlier report is untouched");
        String[] overwrite = Arrays.copyOf(inspect, inspect.length + 1);
        overwrite[inspect.length] = "--overwrite";
        assertEquals(0, TessJob.run(overwrite));
        assertTrue(Files.exists(out.resolve("my-notes.txt")), "--overwrite replaces results, nothing else");
        try (Stream<Path> files = Files.list(out)) {
            Set<String> names = files.map(p -> p.getFileName().toString())
                    .collect(Collectors.toCollection(TreeSet::new));
            assertEquals(Set.of("my-notes.txt", "outcomes", "run-report.json"), names, "no temporary files left");
        }
    }

    @Test
    void aLabelsTableWithoutItsColumnsIsExit2NamingTheColumnsFound(@TempDir Path tmp) throws IOException {
        Path in = inputWith(tmp, 3, 0);
        Path noFile = tmp.resolve("no-file-column.csv");
        Files.writeString(noFile, "target,class\ngood-0.fits,1\n");
        Path noLabel = tmp.resolve("no-label-column.csv");
        Files.writeString(noLabel, "file,klass\ngood-0.fits,1\n");
        for (Path labels : new Path[] {noFile, noLabel}) {
            Path out = tmp.resolve("o-" + labels.getFileName());
            assertEquals(2, TessJob.run(new String[] {"train", "--input", in.toString(), "--output", out.toString(),
                "--labels", labels.toString()}), labels.getFileName().toString());
            assertFalse(Files.exists(out.resolve("model.zip")), "stopped before training");
            JsonNode r = report(out);
            assertEquals("failed", r.get("status").asText());
            String error = r.get("error").asText();
            assertTrue(error.contains("has no column") && error.contains("[file, klass]")
                    || error.contains("[target, class]"), error);
        }
    }

    @Test
    void aFailedWriteLeavesNothingThatLooksComplete(@TempDir Path tmp) throws IOException {
        OutputStore store = new OutputStore(tmp.toString(), new Configuration());
        store.writeText("model.zip", "the old model");
        IOException e = assertThrows(IOException.class, () -> store.write("model.zip", out -> {
            out.write(new byte[100_000]);
            throw new IOException("disk full (simulated)");
        }));
        assertEquals("disk full (simulated)", e.getMessage());
        assertEquals("the old model", Files.readString(tmp.resolve("model.zip")));
        assertThrows(IOException.class, () -> store.write("report.json", out -> {
            out.write('{');
            throw new IOException("crash");
        }));
        assertFalse(Files.exists(tmp.resolve("report.json")));
        try (Stream<Path> files = Files.list(tmp)) {
            assertEquals(List.of("model.zip"), files.map(p -> p.getFileName().toString()).sorted().toList(),
                    "no temporary or partial file remains");
        }
        for (String bad : new String[] {"../x", "/etc/passwd", "a/../../b", "s3a://other/x", "", "a//b"}) {
            assertThrows(IllegalArgumentException.class, () -> store.path(bad), bad);
        }
    }

    @Test
    void labelsTablePathsNeverWriteOutsideTheOutput(@TempDir Path tmp) throws IOException {
        Path in = inputWith(tmp, 6, 0);
        Path labels = tmp.resolve("labels.csv");
        StringBuilder csv = new StringBuilder("file,label\n");
        for (int i = 0; i < 6; i++) {
            csv.append("good-").append(i).append(".fits,").append(i % 2).append('\n');
        }
        Path victim = tmp.resolve("victim.txt");
        Files.writeString(victim, "keep me");
        csv.append("../victim.txt,1\n").append(victim).append(",0\n").append("/etc/passwd,1\n")
                .append("../../../../tmp/evil.fits,1\n");
        Files.writeString(labels, csv);
        Set<String> before = tree(tmp);
        Path out = tmp.resolve("o");
        assertEquals(0, TessJob.run(new String[] {"train", "--input", in.toString(), "--output", out.toString(),
                "--labels", labels.toString(), "training.epochs=1", "preprocess.height=16", "preprocess.width=16",
                "training.test-fraction=0"}));
        Set<String> after = tree(tmp);
        after.removeIf(p -> p.startsWith("o/") || p.equals("o"));
        assertEquals(before, after, "nothing written or removed outside the output folder");
        assertEquals("keep me", Files.readString(victim));
        assertFalse(Files.exists(Path.of("/tmp/evil.fits")));
        assertEquals(6, report(out).get("training").get("labelled").asInt());
    }

    private static Set<String> tree(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            return all.filter(p -> !p.equals(root)).map(p -> root.relativize(p).toString().replace('\\', '/'))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }

    @Test
    void aRunThatDiesMidTrainingResumesFromItsLastCheckpoint(@TempDir Path tmp) throws Exception {
        DemoDataGenerator.Summary demo = DemoDataGenerator.generate(tmp.resolve("demo"), 40, 96, 100, 5);
        Path out = tmp.resolve("o");
        String[] train = {"train", "--input", demo.ffiDir().toString(), "--labels", demo.labels().toString(),
            "--output", out.toString(), "training.epochs=4", "preprocess.height=24", "preprocess.width=24",
            "training.batch-size-per-worker=8", "training.checkpoint.keep=2"};
        SparkSession spark = SparkTestSupport.spark();
        // The "crash": once the first checkpoint exists, every Spark job is cancelled until the run gives up.
        Path state = out.resolve("checkpoints").resolve("state.json");
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        Thread killer = new Thread(() -> {
            try {
                while (!done.get()) {
                    if (Files.exists(state)) {
                        spark.sparkContext().cancelAllJobs();
                    }
                    Thread.sleep(10);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        killer.setDaemon(true);
        killer.start();
        int rc;
        try {
            rc = TessJob.run(train);
        } finally {
            done.set(true);
            killer.join(10_000);
        }
        assertEquals(1, rc, "the cancelled run fails");
        JsonNode dead = report(out);
        assertEquals("failed", dead.get("status").asText());
        assertNotNull(dead.get("error").asText());
        assertFalse(Files.exists(out.resolve("model.zip")));
        JsonNode st = JSON.readTree(state.toFile());
        int epochDone = st.get("epoch").asInt();
        assertTrue(epochDone >= 1 && epochDone < 4, "died after epoch " + epochDone);

        // Resuming with other settings is refused: the checkpoint belongs to the first run's data and settings.
        String[] other = Arrays.copyOf(train, train.length + 1);
        other[train.length] = "--resume";
        other[train.length - 2] = "training.batch-size-per-worker=4";
        assertEquals(2, TessJob.run(other));

        String[] resume = Arrays.copyOf(train, train.length + 1);
        resume[train.length] = "--resume";
        assertEquals(0, TessJob.run(resume));
        JsonNode r = report(out);
        assertEquals("ok", r.get("status").asText());
        assertEquals(epochDone, r.get("training").get("resumed").get("epoch").asInt());
        assertEquals(4, r.get("training").get("scores").size(), "the scores of both runs, one per epoch");
        for (int e = 0; e < epochDone; e++) {
            assertEquals(st.get("scores").get(e).asDouble(), r.get("training").get("scores").get(e).asDouble());
        }
        assertTrue(Files.size(out.resolve("model.zip")) > 0);
        try (Stream<Path> files = Files.list(out.resolve("checkpoints"))) {
            List<String> names = files.map(p -> p.getFileName().toString()).sorted().toList();
            assertEquals(List.of("epoch-0003.zip", "epoch-0004.zip", "state.json"), names, "the newest two are kept");
        }
    }
}
