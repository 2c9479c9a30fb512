package org.tessexo.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tessexo.common.testing.FitsFixtures;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The command line as users and scripts see it (TessJob.run: arguments in, exit status out) on the real TESS files
 * of ../shared/data/tess: light curves, target pixel files and cutouts are tables, so they are skipped with the
 * reason, their 11 x 11 APERTURE masks are not science images, and nothing usable means exit 3 with the counts.
 */
class RealFilesAndExitCodesIT {

    static {
        SparkTestSupport.spark(); // TessJob uses the existing session and leaves it running
    }

    @Test
    void realTessFilesAreSkippedAsTablesWithExit3(@TempDir Path tmp) throws IOException {
        Path out = tmp.resolve("inspect");
        int rc = TessJob.run(new String[] {"inspect", "--input", SparkTestSupport.realData().toString(),
                "--output", out.toString()});
        assertEquals(3, rc);
        JsonNode report = new ObjectMapper().readTree(out.resolve("run-report.json").toFile());
        assertEquals("failed", report.get("status").asText());
        assertTrue(report.get("error").asText().startsWith("No valid data loaded from "), report.get("error").asText());
        assertTrue(report.get("error").asText().contains("`./submit.sh search` reads them"),
                "light curves are tables: the message names the command that reads them: " + report.get("error"));
        int listed = report.get("counts").get("listed").asInt();
        long fitsFiles;
        try (Stream<Path> files = Files.list(SparkTestSupport.realData())) {
            fitsFiles = files.filter(p -> p.getFileName().toString().matches("(?i).*\\.(fits|fits\\.gz)")).count();
        }
        assertEquals(fitsFiles, listed, "the CSV, ZIP and Markdown files are not listed");
        assertEquals(0, report.get("counts").get("images").asInt());
        assertEquals(listed, report.get("counts").get("skipped").asInt());
        assertEquals(listed, report.get("reasons").get("table HDUs only").asInt());
        assertEquals(listed, report.get("problems").size());
        for (JsonNode p : report.get("problems")) {
            assertEquals("skipped", p.get("outcome").asText());
        }
        String lc = null;
        for (JsonNode p : report.get("problems")) {
            if (p.get("path").asText().endsWith("00025155310-s01_tess_v1_lc.fits")) {
                lc = p.get("reason").asText();
            }
        }
        assertTrue(lc != null && lc.contains("LIGHTCURVE") && lc.contains("APERTURE"), String.valueOf(lc));
        assertTrue(Files.exists(out.resolve("outcomes").resolve("_SUCCESS")));
    }

    @Test
    void inspectOfGoodFilesExits0AndSingleTrainsOnOneFile(@TempDir Path tmp) throws IOException {
        Path in = Files.createDirectories(tmp.resolve("in"));
        FitsFixtures.write(in.resolve("a.fits"), FitsFixtures.emptyPrimary(),
                FitsFixtures.image(FitsFixtures.ramp(64, 70), "CAL", null));
        Files.write(in.resolve("b.FITS"), new byte[] {1, 2, 3}); // any case counts as FITS; this one is corrupt
        Files.writeString(in.resolve("notes.txt"), "not listed");
        // One of two failed: over the default tess.failures.max-fraction of 0.1, so exit 1 with the reason.
        assertEquals(1, TessJob.run(new String[] {"inspect", "--input", in.toString(), "--output",
                tmp.resolve("o1").toString()}));
        JsonNode failed = new ObjectMapper().readTree(tmp.resolve("o1").resolve("run-report.json").toFile());
        assertEquals("failed", failed.get("status").asText());
        assertTrue(failed.get("error").asText().contains("1 x not a FITS file"), failed.get("error").asText());
        int rc = TessJob.run(new String[] {"inspect", "--input", in.toString(), "--output",
                tmp.resolve("o").toString(), "failures.max-fraction=0.5"});
        assertEquals(0, rc);
        JsonNode report = new ObjectMapper().readTree(tmp.resolve("o").resolve("run-report.json").toFile());
        assertEquals(2, report.get("counts").get("listed").asInt());
        assertEquals(1, report.get("counts").get("images").asInt());
        assertEquals(1, report.get("counts").get("failed").asInt());
        assertTrue(report.get("problems").get(0).get("path").asText().endsWith("b.FITS"));

        int single = TessJob.run(new String[] {"single", "--input", in.resolve("a.fits").toString(), "--output",
                tmp.resolve("s").toString(), "training.epochs=1", "preprocess.height=16", "preprocess.width=16"});
        assertEquals(0, single);
        assertTrue(Files.size(tmp.resolve("s").resolve("model.zip")) > 0);
        JsonNode sr = new ObjectMapper().readTree(tmp.resolve("s").resolve("run-report.json").toFile());
        assertEquals("dummy", sr.get("training").get("labels").asText());
        assertEquals(1, sr.get("training").get("samples").asInt());

        assertEquals(2, TessJob.run(new String[] {"single", "--input", in.toString(), "--output",
                tmp.resolve("s2").toString()}), "single needs exactly one file");
    }

    @Test
    void userMistakesExit2(@TempDir Path tmp) {
        assertEquals(2, TessJob.run(new String[] {"train", "training.epoch=3"}));
        assertEquals(2, TessJob.run(new String[] {"trian"}));
        assertEquals(2, TessJob.run(new String[] {"inspect", "--input", tmp.resolve("missing").toString(),
                "--output", tmp.resolve("o").toString()}));
        assertEquals(0, TessJob.run(new String[] {"--help"}));
    }
}
