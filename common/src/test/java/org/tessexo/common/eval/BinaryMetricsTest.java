package org.tessexo.common.eval;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class BinaryMetricsTest {
    @Test
    void countsAtTheThresholdAndExactAuc() {
        double[] scores = {0.9, 0.8, 0.3, 0.6, 0.2, 0.1};
        int[] labels = {1, 1, 1, 0, 0, 0};
        BinaryMetrics m = BinaryMetrics.compute(scores, labels, 0.5);
        assertEquals(6, m.samples());
        assertEquals(4.0 / 6, m.accuracy(), 1e-12);
        assertEquals(2.0 / 3, m.precision(), 1e-12);
        assertEquals(2.0 / 3, m.recall(), 1e-12);
        // 9 positive-negative pairs, 8 ordered correctly (0.3 < 0.6 is the miss)
        assertEquals(8.0 / 9, m.auc(), 1e-12);
        // the definition (scikit-learn's log_loss): -mean(y ln p + (1 - y) ln(1 - p)) = 0.462879
        double expected = -(Math.log(0.9) + Math.log(0.8) + Math.log(0.3) + Math.log(0.4) + Math.log(0.8)
                + Math.log(0.9)) / 6;
        assertEquals(expected, m.logLoss(), 1e-12);
        assertEquals(0.462879, m.logLoss(), 1e-6);
    }

    @Test
    void tiesCountHalfAndSingleClassHasNoAuc() {
        assertEquals(0.5, BinaryMetrics.compute(new double[] {0.5, 0.5}, new int[] {1, 0}, 0.5).auc(), 1e-12);
        assertNull(BinaryMetrics.compute(new double[] {0.2, 0.4}, new int[] {0, 0}, 0.5).auc());
        assertNull(BinaryMetrics.compute(new double[] {0.2}, new int[] {0}, 0.5).precision());
        assertEquals(0, BinaryMetrics.compute(new double[0], new int[0], 0.5).samples());
    }
}
