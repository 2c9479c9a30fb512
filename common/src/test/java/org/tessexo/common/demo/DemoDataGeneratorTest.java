package org.tessexo.common.demo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tessexo.common.fits.DecodeResult;
import org.tessexo.common.fits.DecoderSettings;
import org.tessexo.common.fits.FitsImageDecoder;
import org.tessexo.common.fits.Outcome;
import org.tessexo.common.image.PreprocessSettings;
import org.tessexo.common.image.Preprocessor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DemoDataGeneratorTest {
    @Test
    void writesTessLikeFfisWhoseGlowSurvivesPreprocessing(@TempDir Path dir) throws Exception {
        DemoDataGenerator.Summary s = DemoDataGenerator.generate(dir, 30, 100, 110, 5);
        List<String> rows = Files.readAllLines(s.labels());
        assertEquals("file,label", rows.get(0));
        assertEquals(31, rows.size());
        assertTrue(s.positives() > 0 && s.positives() < 30);

        FitsImageDecoder decoder = new FitsImageDecoder(DecoderSettings.defaults());
        Preprocessor pre = new Preprocessor(new PreprocessSettings(PreprocessSettings.Trim.AUTO, 32, 32, 5));
        double[] edgeMean = new double[2];
        int[] n = new int[2];
        for (String row : rows.subList(1, rows.size())) {
            String[] f = row.split(",");
            DecodeResult d;
            d = decoder.decode(Files.readAllBytes(s.ffiDir().resolve(f[0])));
            assertEquals(Outcome.IMAGE, d.outcome(), d.fullReason());
            assertEquals(1, d.hdu(), "the calibrated image is HDU 1, after a header-only primary");
            assertEquals(100, d.height());
            assertEquals(110, d.width());
            assertEquals(Integer.parseInt(f[1]) == 1 ? 2048 : 0, d.image().quality());
            assertEquals(DemoDataGenerator.LEFT_VIRTUAL + 1, d.image().scienceRegion().colStart());
            float[] x = pre.apply(d.image()).values();
            // The brightest border of the normalized frame: high where scattered light rises from an edge.
            double best = -1e9;
            for (int side = 0; side < 4; side++) {
                double sum = 0;
                for (int i = 0; i < 32; i++) {
                    int idx = switch (side) {
                        case 0 -> i;
                        case 1 -> 31 * 32 + i;
                        case 2 -> i * 32;
                        default -> i * 32 + 31;
                    };
                    sum += x[idx];
                }
                best = Math.max(best, sum / 32);
            }
            int label = Integer.parseInt(f[1]);
            edgeMean[label] += best;
            n[label]++;
        }
        assertTrue(edgeMean[1] / n[1] > edgeMean[0] / n[0] + 0.2,
                "glowing frames have a brighter edge: " + edgeMean[1] / n[1] + " vs " + edgeMean[0] / n[0]);
    }

    @Test
    void ensureDoesNotRewriteAnExistingDataSet(@TempDir Path dir) throws Exception {
        DemoDataGenerator.Summary first = DemoDataGenerator.ensure(dir, 12, 80, 80, 1);
        long stamp = Files.getLastModifiedTime(first.labels()).toMillis();
        DemoDataGenerator.Summary again = DemoDataGenerator.ensure(dir, 12, 80, 80, 1);
        assertEquals(stamp, Files.getLastModifiedTime(again.labels()).toMillis());
        assertEquals(first.positives(), again.positives());
        assertEquals(12, again.files());
    }
}
