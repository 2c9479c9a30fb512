package org.tessexo.common.lightcurve;

import org.junit.jupiter.api.Test;
import org.tessexo.common.testing.FitsFixtures;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A binary that prewhitening takes out is reported first as it stands before prewhitening (the lead), also when the
 * search after prewhitening found its leftover at the same period below the threshold: the lead takes that one's
 * place rather than giving way to it.
 */
class BinaryLeadTest {

    /**
     * TIC 121274442 (Kepler EB catalog: 0.7359835 days, a contact binary) in TESSellator's sector 14: once a noise
     * "period" that one dip carried was no longer listed first, the binary's leftover (SDE 6.9, below the threshold)
     * was, and the lead before prewhitening (SDE 15) gave way to it: the binary came out as a weak, failed signal.
     */
    @Test
    void theLeadReplacesItsWeakLeftover() throws IOException {
        Path file = FitsFixtures.realPhotometry().resolve("tessellator").resolve("TIC121274442.fits");
        LightCurveReader.Result r = new LightCurveReader("PDCSAP_FLUX").read(Files.readAllBytes(file),
                file.getFileName().toString());
        assertTrue(r.ok(), r.reason());
        TransitSearch.Result result = new TransitSearch(TransitSearch.Settings.defaults()).search(r.lightCurve());
        TransitSearch.Signal first = result.signals().get(0);
        assertEquals(0.7359835, first.period(), 0.7359835 * 0.002, first.toString());
        assertTrue(first.beforePrewhitening() && first.passed(), first.toString());
        long atThePeriod = result.signals().stream()
                .filter(g -> Math.abs(g.period() / 0.7359835 - 1) < 0.002).count();
        assertEquals(1, atThePeriod, result.signals().toString());
    }

    @Test
    void theLeadComesFirstAndTheOthersAreRankedAgain() {
        TransitSearch.Signal lead = new TransitSearch.Signal(1, 0.736, 1.0, 0.1, 0.01, 50, 15, 100, 30);
        TransitSearch.Signal leftover = new TransitSearch.Signal(1, 0.7361, 1.0, 0.1, 0.001, 5, 6.9, 10, 30);
        TransitSearch.Signal other = new TransitSearch.Signal(2, 3.2, 1.5, 0.1, 0.001, 9, 9.5, 20, 8);
        List<TransitSearch.Signal> all = TransitSearch.withLead(lead, List.of(leftover, other));
        assertEquals(2, all.size(), all.toString());
        assertEquals(0.736, all.get(0).period());
        assertEquals(3.2, all.get(1).period());
        assertEquals(2, all.get(1).rank());
        List<TransitSearch.Signal> kept = TransitSearch.withLead(lead, List.of(other));
        assertEquals(List.of(1, 2), kept.stream().map(TransitSearch.Signal::rank).toList());
    }
}
