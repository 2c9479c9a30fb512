package org.tessexo.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import nom.tam.image.compression.hdu.CompressedImageHDU;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tessexo.common.fits.FitsImageDecoder;
import org.tessexo.common.labels.LabelValue;
import org.tessexo.common.testing.FitsFixtures;
import org.tessexo.spark.io.FitsLister;
import org.tessexo.spark.io.OutputStore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The command line (TessJob.run: arguments in, exit status out) against inputs and situations a real run meets:
 * two runs on one output, a folder with loops and dangling links, file names CSV must quote, a labels table that
 * contradicts itself, a small file that would decode to gigabytes, input that is mostly not what the command reads.
 */
class HostileInputsIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    static {
        SparkTestSupport.spark(); // TessJob uses the existing session and leaves it running
    }

    private static JsonNode report(Path out) throws IOException {
        return JSON.readTree(out.resolve("run-report.json").toFile());
    }

    private static void goodFits(Path file) throws IOException {
        FitsFixtures.write(file, FitsFixtures.emptyPrimary(),
                FitsFixtures.image(FitsFixtures.ramp(40, 40), "CAL", null));
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** outcomes/ read back by Python's csv module, the standard reader: path -> [outcome, reason]. */
    private static Map<String, List<String>> outcomesByPython(Path outcomes) throws Exception {
        Process p = new ProcessBuilder("/usr/bin/python3", "-c", String.join("\n",
                "import csv, glob, json, sys",
                "rows = {}",
                "for f in sorted(glob.glob(sys.argv[1] + '/*.csv')):",
                "    with open(f, newline='') as h:",
                "        for r in csv.DictReader(h):",
                "            rows[r['path']] = [r['outcome'], r['reason']]",
                "print(json.dumps(rows))"), outcomes.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        Map<String, List<String>> m = new TreeMap<>();
        JSON.readTree(out).fields().forEachRemaining(e -> m.put(e.getKey(),
                List.of(e.getValue().get(0).asText(), e.getValue().get(1).asText())));
        return m;
    }

    @Test
    void twoRunsOnOneOutputDoNotMixOneIsRefusedWithTheOthersId(@TempDir Path tmp) throws Exception {
        Path in = Files.createDirectories(tmp.resolve("in"));
        for (int i = 0; i < 30; i++) {
            goodFits(in.resolve("f" + i + ".fits"));
        }
        Path out = tmp.resolve("o");
        String[] inspect = {"inspect", "--input", in.toString(), "--output", out.toString()};
        ExecutorService two = Executors.newFixedThreadPool(2);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Integer>> runs = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            runs.add(two.submit(() -> {
                go.await();
                return TessJob.run(inspect);
            }));
        }
        go.countDown();
        int[] rc = {runs.get(0).get(), runs.get(1).get()};
        two.shutdown();
        Arrays.sort(rc);
        assertEquals("[0, 2]", Arrays.toString(rc), "one run wins, the other is refused (claimed, or results there)");
        JsonNode r = report(out);
        assertEquals("ok", r.get("status").asText());
        assertEquals(30, r.get("counts").get("images").asInt());
        assertEquals(List.of("outcomes", "run-report.json"), names(out), "no claim, no temporary left");

        // A claim held by a live run is named in the refusal, and nothing of the refused run is written.
        OutputStore other = new OutputStore(tmp.resolve("held").toString(), new org.apache.hadoop.conf.Configuration(),
                "the-other-run");
        other.claim("train");
        assertEquals(2, TessJob.run(new String[] {"inspect", "--input", in.toString(), "--output",
                tmp.resolve("held").toString()}));
        assertEquals(List.of(OutputStore.CLAIM), names(tmp.resolve("held")));
        other.release();
    }

    @Test
    void aFolderWithLoopsDanglingLinksHiddenAndQuotedNamesIsListedAndReportedWhole(@TempDir Path tmp)
            throws Exception {
        Path in = Files.createDirectories(tmp.resolve("in"));
        goodFits(in.resolve("good.fits"));
        goodFits(in.resolve("quote\"x.fits"));
        goodFits(in.resolve("comma,y.fits"));
        Path sub = Files.createDirectories(in.resolve("sub"));
        goodFits(sub.resolve("inner.fits"));
        Files.createSymbolicLink(in.resolve("sub-again"), sub);
        Files.createSymbolicLink(sub.resolve("loop"), in);
        Files.createSymbolicLink(in.resolve("dangling.fits"), tmp.resolve("nowhere.fits"));
        goodFits(in.resolve(".hidden.fits"));
        goodFits(in.resolve("_x.fits"));
        Path out = tmp.resolve("o");
        assertEquals(0, TessJob.run(new String[] {"inspect", "--input", in.toString(), "--output", out.toString(),
                "failures.max-fraction=0.5"}));
        JsonNode r = report(out);
        assertEquals(5, r.get("counts").get("listed").asInt(), r.toString());
        assertEquals(4, r.get("counts").get("images").asInt());
        assertEquals(1, r.get("reasons").get(FitsLister.NOT_FOUND).asInt());
        assertFalse(r.get("warnings").isEmpty(), "the loop or the second link is named: " + r.get("warnings"));

        Map<String, List<String>> rows = outcomesByPython(out.resolve("outcomes"));
        assertEquals(5, rows.size(), rows.toString());
        String quoted = in.resolve("quote\"x.fits").toUri().getPath();
        assertTrue(rows.keySet().stream().anyMatch(p -> p.endsWith("/quote\"x.fits")), "round trip: " + rows.keySet());
        assertTrue(rows.keySet().stream().anyMatch(p -> p.endsWith("/comma,y.fits")), rows.keySet().toString());
        assertTrue(quoted.endsWith("quote\"x.fits"));
        List<String> dangling = rows.entrySet().stream().filter(e -> e.getKey().endsWith("dangling.fits"))
                .findFirst().orElseThrow().getValue();
        assertEquals(List.of("failed", FitsLister.NOT_FOUND), dangling);
    }

    @Test
    void anOutputThatCannotBeWrittenStopsBeforeAnyWork(@TempDir Path tmp) throws IOException {
        Path in = Files.createDirectories(tmp.resolve("in"));
        goodFits(in.resolve("a.fits"));
        Path file = Files.writeString(tmp.resolve("not-a-folder"), "x");
        assertEquals(2, TessJob.run(new String[] {"inspect", "--input", in.toString(), "--output", file.toString()}));
        assertEquals("x", Files.readString(file));
    }

    @Test
    void labelsThatContradictOrAreNotIntegersAreReportedAndNotTrainedOn(@TempDir Path tmp) throws IOException {
        Path in = Files.createDirectories(tmp.resolve("in"));
        for (int i = 0; i < 8; i++) {
            goodFits(in.resolve("f" + i + ".fits"));
        }
        // As a spreadsheet saves it: a byte-order mark and CRLF line ends.
        Path labels = Files.writeString(tmp.resolve("labels.csv"), "\uFEFF" + String.join("\r\n", "file,label",
                "f0.fits,0", "f1.fits,1", "f2.fits,0", "f3.fits,1.0",
                "f4.fits,0", "f4.fits,1",         // conflict
                "f5.fits,0.9", "f6.fits,1.5",     // not integers
                "f7.fits,yes", ""));
        Path out = tmp.resolve("o");
        assertEquals(0, TessJob.run(new String[] {"train", "--input", in.toString(), "--output", out.toString(),
                "--labels", labels.toString(), "training.epochs=1", "preprocess.height=16", "preprocess.width=16",
                "training.test-fraction=0"}));
        JsonNode r = report(out);
        assertEquals(4, r.get("training").get("labelled").asInt(), r.get("training").toString());
        assertEquals(4, r.get("training").get("samples").asInt());
        assertEquals(1, r.get("reasons").get(LabelValue.CONFLICT).asInt(), r.get("reasons").toString());
        assertEquals(3, r.get("reasons").get(LabelValue.NOT_INTEGER).asInt());
        String examples = r.get("training").get("unlabelled_examples").toString();
        assertTrue(examples.contains("f4.fits: conflicting labels (the labels table gives [0, 1])"), examples);
        assertTrue(examples.contains("'yes' is not an integer"), examples);
    }

    @Test
    void aSmallFileThatWouldDecodeToGigabytesIsSkippedAndTheRunGoesOn(@TempDir Path tmp) throws Exception {
        Path in = Files.createDirectories(tmp.resolve("in"));
        goodFits(in.resolve("good.fits"));
        CompressedImageHDU c = CompressedImageHDU.fromImageHDU(FitsFixtures.image(new byte[64][64], "Z", null), 64, 16);
        c.setCompressAlgorithm("GZIP_1");
        c.compress();
        c.getHeader().addValue("ZNAXIS1", 16384, null);
        c.getHeader().addValue("ZNAXIS2", 16384, null);
        FitsFixtures.write(in.resolve("bomb.fits"), FitsFixtures.emptyPrimary(), c);
        Path out = tmp.resolve("o");
        assertEquals(0, TessJob.run(new String[] {"inspect", "--input", in.toString(), "--output", out.toString()}));
        JsonNode r = report(out);
        assertEquals(1, r.get("counts").get("images").asInt());
        assertEquals(1, r.get("reasons").get(FitsImageDecoder.TOO_LARGE).asInt(), r.get("reasons").toString());
    }

    @Test
    void inputThatIsMostlyNotWhatTheCommandReadsWarnsAndStrictStops(@TempDir Path tmp) throws IOException {
        Path in = Files.createDirectories(tmp.resolve("in"));
        goodFits(in.resolve("image.fits"));
        for (int i = 0; i < 3; i++) {
            FitsFixtures.write(in.resolve("table-" + i + ".fits"), FitsFixtures.emptyPrimary(),
                    FitsFixtures.table("LIGHTCURVE"));
        }
        Path out = tmp.resolve("o");
        assertEquals(0, TessJob.run(new String[] {"inspect", "--input", in.toString(), "--output", out.toString()}));
        String warning = report(out).get("warnings").toString();
        assertTrue(warning.contains("Most of the input was not used: 1 of 4") && warning.contains("search"), warning);
        assertEquals(3, TessJob.run(new String[] {"inspect", "--input", in.toString(), "--output",
                tmp.resolve("strict").toString(), "--strict"}));
        String error = report(tmp.resolve("strict")).get("error").asText();
        assertTrue(error.startsWith("No valid data loaded from ") && error.contains("failures.strict"), error);
    }
}
