package org.tessexo.common.model;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.tessexo.common.fits.DecoderSettings;
import org.tessexo.common.image.PreprocessSettings;
import org.tessexo.common.testing.FitsFixtures;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelPackageTest {
    @Test
    void savesLoadsAndScoresWithTheStoredPreprocessing(@TempDir Path dir) throws Exception {
        ModelSettings m = new ModelSettings(3, new int[] {4}, 8, 1e-2, 0, List.of("clean", "scattered-light"));
        PreprocessSettings pre = new PreprocessSettings(PreprocessSettings.Trim.AUTO, 16, 16, 5);
        MultiLayerNetwork net = CnnFactory.build(m, 16, 16);
        INDArray x = Nd4j.rand(DataType.FLOAT, 8, 1, 16, 16);
        INDArray y = Nd4j.zeros(DataType.FLOAT, 8, 2);
        for (int i = 0; i < 8; i++) {
            y.putScalar(i, i % 2, 1.0);
        }
        net.fit(x, y);
        ModelMetadata meta = new ModelMetadata(ModelMetadata.FORMAT_VERSION, "table", m.classes(),
                new int[] {1, 1, 16, 16}, new DecoderSettings("CAL", 32, 1L << 30, 0), pre, m, "file:/in/",
                "2026-11-24T00:00:00Z");
        Path file = dir.resolve("model.zip");
        ModelPackage.save(net, meta, file);

        ModelPackage.Loaded loaded = ModelPackage.load(file);
        assertEquals(net.params(), loaded.network().params());
        assertEquals("CAL", loaded.metadata().decoder().hdu());
        assertEquals(pre, loaded.metadata().preprocess());
        assertEquals(List.of("clean", "scattered-light"), loaded.metadata().classes());
        assertArrayEquals(new int[] {1, 1, 16, 16}, loaded.metadata().inputShape());
        // Plain DL4J still loads it.
        assertNotNull(ModelSerializer.restoreMultiLayerNetwork(file.toFile()));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary files left behind");
        }

        // Scoring decodes by the stored rule (EXTNAME CAL, not the first image) and preprocesses as stored.
        byte[] fits = FitsFixtures.bytes(FitsFixtures.image(FitsFixtures.ramp(40, 40), "OTHER", null),
                FitsFixtures.image(FitsFixtures.ramp(60, 50), "CAL", null));
        ImageScorer scorer = new ImageScorer(loaded);
        ImageScorer.Score s = scorer.score(fits);
        assertNull(s.reason());
        assertEquals(org.tessexo.common.fits.Outcome.IMAGE, s.outcome());
        assertEquals(1, s.hdu(), "the CAL HDU, second in the file");
        assertEquals(2, s.probabilities().length);
        assertEquals(1.0, s.probabilities()[0] + s.probabilities()[1], 1e-5);
        ImageScorer.Score none = scorer.score(
                FitsFixtures.bytes(FitsFixtures.emptyPrimary(), FitsFixtures.table("LIGHTCURVE")));
        assertNull(none.probabilities());
        assertEquals(-1, none.hdu());
        assertNotEquals(org.tessexo.common.fits.Outcome.IMAGE, none.outcome());
        assertTrue(none.reason().contains("CAL"), none.reason());
    }
}
