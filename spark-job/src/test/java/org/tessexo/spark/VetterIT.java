package org.tessexo.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tessexo.common.demo.LightCurveGenerator;
import org.tessexo.common.vetting.Vetter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code train-vetter} through the Spark path (two workers, parameter averaging) on generated light curves: the
 * examples are made on the executors, the held-out stars score an AUC of at least 0.9 (a broken view, label or
 * averaging fails it), and the vetter it writes is the one {@code search --vetter} then scores with.
 */
class VetterIT {
    private static final SparkSession SPARK = SparkTestSupport.spark();

    @Test
    void aVetterTrainedWithTwoWorkersSeparatesPlanetsFromTheRest(@TempDir Path tmp) throws IOException {
        Path data = tmp.resolve("stars");
        LightCurveGenerator.write(data, 80, 5);
        Path out = tmp.resolve("vetter");
        assertEquals(0, TessJob.run(new String[] {"train-vetter", "--input", data.toString(), "--output",
                out.toString(), "vetter.epochs=20", "vetter.min-snr=12", "vetter.max-snr=40",
                "vetter.planets-per-star=3", "vetter.binaries-per-star=3", "vetter.test-fraction=0.25"}));
        JsonNode report = new ObjectMapper().readTree(out.resolve("run-report.json").toFile());
        assertEquals("ok", report.get("status").asText(), report.toString());
        assertEquals(80, report.get("counts").get("searched").asLong(), report.get("counts").toString());
        JsonNode vetting = report.get("vetting");
        assertEquals(2, vetting.get("workers").asInt());
        assertTrue(vetting.get("train_examples").asLong() > 150, vetting.toString());
        JsonNode eval = vetting.get("evaluation");
        assertTrue(eval.get("examples").asInt() > 30, eval.toString());
        double auc = eval.get("auc_planet_vs_not").asDouble();
        assertTrue(auc >= 0.9, "held-out AUC " + auc + ": " + eval);
        assertTrue(eval.get("by_injected_snr").size() >= 2, eval.toString());

        byte[] zip = Files.readAllBytes(out.resolve("vetter.zip"));
        Vetter v = Vetter.load(zip, false);
        assertEquals(auc, v.info().heldOutAuc(), 1e-9);
        assertTrue(Files.exists(out.resolve("examples/parquet")));
        assertEquals(eval.get("examples").asLong(), SPARK.read().parquet(out.resolve("examples/parquet").toString())
                .count());

        // search scores with it
        Path searched = tmp.resolve("search");
        assertEquals(0, TessJob.run(new String[] {"search", "--input", data.resolve("star-001.csv").toString(),
                "--output", searched.toString(), "--vetter", out.resolve("vetter.zip").toString()}));
        JsonNode sr = new ObjectMapper().readTree(searched.resolve("run-report.json").toFile());
        assertTrue(sr.get("vetting").get("vetter").asText().contains("vetter.zip"), sr.get("vetting").toString());
        // a wrong vetter file is the user's mistake, before any work
        assertEquals(2, TessJob.run(new String[] {"search", "--input", data.resolve("star-001.csv").toString(),
                "--output", tmp.resolve("wrong").toString(), "--vetter", data.resolve("star-002.csv").toString()}));
    }
}
