package org.tessexo.spark.transforms;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

class LightCurveRowsTest {

    /** A block whose cadence i has time t[i] and every other field derived from it, to follow it through. */
    private static CadenceBlock block(double... t) {
        CadenceBlock b = new CadenceBlock(t.length);
        for (int i = 0; i < t.length; i++) {
            b.time[i] = t[i];
            b.flux[i] = (float) (10 * t[i]);
            b.error[i] = (float) (t[i] + 0.5);
            b.background[i] = (float) -t[i];
            b.centroidX[i] = (float) (t[i] / 2);
            b.centroidY[i] = (float) (t[i] / 4);
            b.pointingX[i] = (float) (t[i] * 3);
            b.pointingY[i] = (float) (t[i] * 5);
            b.quality[i] = (int) (t[i] * 10);
        }
        return b;
    }

    private static void assertFollowsTime(CadenceBlock all, double... expected) {
        assertArrayEquals(expected, all.time, 0.0);
        CadenceBlock want = block(expected);
        assertArrayEquals(want.flux, all.flux, 0f);
        assertArrayEquals(want.error, all.error, 0f);
        assertArrayEquals(want.background, all.background, 0f);
        assertArrayEquals(want.centroidX, all.centroidX, 0f);
        assertArrayEquals(want.centroidY, all.centroidY, 0f);
        assertArrayEquals(want.pointingX, all.pointingX, 0f);
        assertArrayEquals(want.pointingY, all.pointingY, 0f);
        assertArrayEquals(want.quality, all.quality);
    }

    @Test
    void blocksArriveInAnyOrderAndAreLaidEndToEnd() {
        CadenceBlock all = LightCurveRows.inTimeOrder(List.of(block(4.1, 5.2), block(), block(1.1, 2.2, 3.3)));
        assertFollowsTime(all, 1.1, 2.2, 3.3, 4.1, 5.2);
    }

    @Test
    void blocksThatOverlapInTimeAreSortedCadenceByCadence() {
        // two tasks' frames interleaved in time, and one task's frames not in time order
        CadenceBlock all = LightCurveRows.inTimeOrder(List.of(block(1.1, 3.3, 5.5), block(2.2, 6.6, 4.4)));
        assertFollowsTime(all, 1.1, 2.2, 3.3, 4.4, 5.5, 6.6);
    }
}
