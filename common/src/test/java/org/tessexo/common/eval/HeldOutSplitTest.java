package org.tessexo.common.eval;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class HeldOutSplitTest {
    @Test
    void fractionIsRespectedAndStable() {
        int held = 0;
        int n = 20000;
        for (int i = 0; i < n; i++) {
            String p = "s3a://b/tess" + (2018206192942L + 3000L * i) + "-s0001-1-1-0120-s_ffic.fits";
            boolean h = HeldOutSplit.isHeldOut(p, 7, 0.2);
            assertEquals(h, HeldOutSplit.isHeldOut(p, 7, 0.2));
            held += h ? 1 : 0;
        }
        assertEquals(0.2, held / (double) n, 0.01);
        assertFalse(HeldOutSplit.isHeldOut("x", 7, 0));
    }

    @Test
    void seedChangesTheSplit() {
        int differ = 0;
        for (int i = 0; i < 1000; i++) {
            if (HeldOutSplit.isHeldOut("f" + i, 1, 0.5) != HeldOutSplit.isHeldOut("f" + i, 2, 0.5)) {
                differ++;
            }
        }
        assertNotEquals(0, differ);
    }

    @Test
    void foldsPartitionTheFilesEvenlyAndFoldZeroIsTheHeldOutSplit() {
        int[] count = new int[5];
        int n = 10000;
        for (int i = 0; i < n; i++) {
            String p = "tic" + (1000L + 37L * i);
            int k = HeldOutSplit.fold(p, 11, 5);
            count[k]++;
            assertEquals(k == 0, HeldOutSplit.isHeldOut(p, 11, 1.0 / 5), p);
            assertEquals(k, HeldOutSplit.fold(p, 11, 5));
        }
        for (int c : count) {
            assertEquals(0.2, c / (double) n, 0.015);
        }
    }
}
