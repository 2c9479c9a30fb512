package org.tessexo.common.vetting;

import org.junit.jupiter.api.Test;
import org.tessexo.common.testing.FitsFixtures;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VetterLabelsTest {

    @Test
    void tessellatorsIndexGivesBinariesAndPlanets() throws IOException {
        Map<String, TrainingExamples.Known> m = VetterLabels.parse(Files.readString(
                FitsFixtures.realPhotometry().resolve("tessellator/INDEX.tsv")));
        long binaries = m.values().stream().filter(k -> k.kind() == Vetter.Kind.ECLIPSING_BINARY).count();
        long planets = m.values().stream().filter(k -> k.kind() == Vetter.Kind.PLANET).count();
        long alarms = m.values().stream().filter(k -> k.kind() == Vetter.Kind.FALSE_ALARM).count();
        // INDEX.tsv: 307 KEBC binaries (one also a FP TOI, one a KP, two PCs), a CP and a KP, two FAs
        assertEquals(306, binaries);
        assertEquals(2, planets);
        assertEquals(2, alarms);
        assertEquals(1.5102117, m.get("TIC120251815.fits").period(), 1e-9);
    }

    @Test
    void aPlainLabelTableAndItsMistakes() {
        Map<String, TrainingExamples.Known> m = VetterLabels.parse(
                "file,label,period_days\ns3a://b/a.fits,planet,3.5\nb.csv,EB,1.2\nc.fits,pc,2\n");
        assertEquals(new TrainingExamples.Known(Vetter.Kind.PLANET, 3.5), m.get("a.fits"));
        assertEquals(Vetter.Kind.ECLIPSING_BINARY, m.get("b.csv").kind());
        assertNull(m.get("c.fits"), "a candidate is not known");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> VetterLabels.parse("name,kind\nx,planet\n"));
        assertTrue(e.getMessage().contains("label column"), e.getMessage());
    }
}
