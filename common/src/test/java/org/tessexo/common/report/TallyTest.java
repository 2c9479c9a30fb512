package org.tessexo.common.report;

import org.junit.jupiter.api.Test;
import org.tessexo.common.errors.NoValidDataException;
import org.tessexo.common.fits.FitsImageDecoder;
import org.tessexo.common.fits.Outcome;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TallyTest {

    @Test
    void groupsAddUpByOutcomeAndReasonCommonestFirst() {
        // The same (outcome, reason) may arrive in several groups (reducers); they add up.
        Tally t = Tally.of(12, List.of(
                new Tally.Group(Outcome.IMAGE, "", 5, 500),
                new Tally.Group(Outcome.IMAGE, "no label", 1, 100),
                new Tally.Group(Outcome.SKIPPED, FitsImageDecoder.TABLES_ONLY, 2, 20),
                new Tally.Group(Outcome.FAILED, FitsImageDecoder.TRUNCATED, 1, 10),
                new Tally.Group(Outcome.FAILED, FitsImageDecoder.TRUNCATED, 2, 30),
                new Tally.Group(Outcome.FAILED, FitsImageDecoder.NOT_FITS, 1, 0)), List.of());
        assertEquals(12, t.listed());
        assertEquals(6, t.used());
        assertEquals(2, t.skipped());
        assertEquals(4, t.failed());
        assertEquals(660, t.bytesRead());
        assertEquals(1, t.usedWithReason());
        assertEquals(6, t.problemsTotal());
        assertEquals(List.of(FitsImageDecoder.TRUNCATED, FitsImageDecoder.TABLES_ONLY, "no label",
                FitsImageDecoder.NOT_FITS), List.copyOf(t.reasons().keySet()));
        assertEquals(Map.of(FitsImageDecoder.TRUNCATED, 3L, FitsImageDecoder.NOT_FITS, 1L), t.failedReasons());
        assertEquals("3 x truncated, 2 x table HDUs only, 1 x no label, 1 x not a FITS file", t.reasonsLine());
        assertEquals(FitsImageDecoder.TRUNCATED, t.commonest().getKey());
    }

    @Test
    void searchedLightCurvesAreUsedFiles() {
        Tally t = Tally.of(3, List.of(new Tally.Group(Outcome.SEARCHED, "", 2, 0),
                new Tally.Group(Outcome.SKIPPED, "too few cadences", 1, 0)), List.of());
        assertEquals(2, t.used());
        assertEquals(0, t.usedWithReason());
        assertTrue(Outcome.SEARCHED.used());
        assertEquals("searched", Outcome.SEARCHED.label());
    }

    @Test
    void mostlyUnusedInputWarnsOrWithStrictStops() {
        Tally t = Tally.of(4, List.of(new Tally.Group(Outcome.IMAGE, "", 1, 0),
                new Tally.Group(Outcome.SKIPPED, FitsImageDecoder.TABLES_ONLY, 3, 0)), List.of());
        List<String> warnings = InputAdvice.checkMostUsed(t, "in/", "inspect", "images", false);
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0).contains("1 of 4 listed files gave images"), warnings.get(0));
        assertTrue(warnings.get(0).contains("./submit.sh search"), "the advice for tables: " + warnings.get(0));
        assertThrows(NoValidDataException.class, () -> InputAdvice.checkMostUsed(t, "in/", "inspect", "images", true));
        Tally half = Tally.of(2, List.of(new Tally.Group(Outcome.IMAGE, "", 1, 0),
                new Tally.Group(Outcome.FAILED, FitsImageDecoder.TRUNCATED, 1, 0)), List.of());
        assertEquals(List.of(), InputAdvice.checkMostUsed(half, "in/", "inspect", "images", true));
        assertNull(Tally.listed(7).commonest());
        // Equally common reasons: the line names one there is advice for.
        Tally tie = Tally.of(4, List.of(new Tally.Group(Outcome.FAILED, FitsImageDecoder.NOT_FITS, 2, 0),
                new Tally.Group(Outcome.SKIPPED, FitsImageDecoder.TABLES_ONLY, 2, 0)), List.of());
        assertEquals(FitsImageDecoder.NOT_FITS, tie.commonest().getKey(), "alphabetical among ties");
        assertTrue(InputAdvice.commonestLine(tie, "inspect").startsWith("commonest reason: 'table HDUs only'"),
                InputAdvice.commonestLine(tie, "inspect"));
    }
}
