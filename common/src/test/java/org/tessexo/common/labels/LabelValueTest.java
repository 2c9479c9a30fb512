package org.tessexo.common.labels;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LabelValueTest {
    @Test
    void integersAreLabelsAndNothingElseIsChanged() {
        assertEquals(1, LabelValue.parse("1", 2).label());
        assertEquals(0, LabelValue.parse(" 0 ", 2).label());
        assertEquals(1, LabelValue.parse("1.0", 2).label(), "1.0 is the integer 1");
        for (String notInteger : new String[] {"0.9", "1.5", "yes", "1e-3", "NaN", "one"}) {
            LabelValue v = LabelValue.parse(notInteger, 2);
            assertEquals(LabelValue.NOT_INTEGER, v.problem(), notInteger);
            assertEquals(-1, v.label());
            assertTrue(v.detail(2).contains(notInteger), v.detail(2));
        }
        assertEquals(LabelValue.OUT_OF_RANGE, LabelValue.parse("2", 2).problem());
        assertEquals(LabelValue.OUT_OF_RANGE, LabelValue.parse("-1", 2).problem());
        assertEquals(LabelValue.EMPTY, LabelValue.parse("", 2).problem());
        assertEquals(LabelValue.EMPTY, LabelValue.parse(null, 2).problem());
    }
}
