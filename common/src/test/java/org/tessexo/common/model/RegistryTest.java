package org.tessexo.common.model;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RegistryTest {
    @Test
    void versionsAreNumberedPastTheHighestCompleteOne() {
        assertEquals("v0001", Registry.nextVersion(List.of()));
        assertEquals("v0004", Registry.nextVersion(List.of("v0001", "v0003", "candidates", ".v0009.run.tmp")));
        assertEquals(Optional.of(12), Registry.versionNumber("v0012"));
        assertEquals(Optional.empty(), Registry.versionNumber("v12"));
        assertEquals(Optional.empty(), Registry.versionNumber("current"));
        assertEquals("v10000", Registry.nextVersion(List.of("v9999")));
    }

    @Test
    void manifestsRoundTripWithCommasInNames() {
        List<Registry.Entry> e = List.of(new Registry.Entry("s3a://b/s1/a.fits", 34_000_000L, 1),
                new Registry.Entry("file:/x/odd,name \"q\".fits", 10, 0));
        assertEquals(e, Registry.fromCsv(Registry.toCsv(e)));
        assertThrows(IllegalArgumentException.class, () -> Registry.fromCsv("file,size,label\nno-numbers\n"));
        assertThrows(IllegalArgumentException.class, () -> Registry.fromCsv("file,size,label\na,b,c\n"));
    }

    @Test
    void theFingerprintIsTheSetNotTheOrder() {
        Registry.Entry a = new Registry.Entry("a", 1, 0);
        Registry.Entry b = new Registry.Entry("b", 2, 1);
        assertEquals(Registry.fingerprint(List.of(a, b)), Registry.fingerprint(List.of(b, a)));
        assertNotEquals(Registry.fingerprint(List.of(a, b)), Registry.fingerprint(List.of(a,
                new Registry.Entry("b", 2, 0))), "a changed label changes it");
        assertTrue(Registry.fingerprint(List.of(a)).startsWith("sha256:"));
    }

    @Test
    void promotionRule() {
        Registry.Metrics current = new Registry.Metrics(0.95, 0.20);
        assertTrue(Registry.Decision.of(null, new Registry.Metrics(0.9, 0.3), 0.02, 0.1).promote(), "the first");
        assertTrue(Registry.Decision.of(current, new Registry.Metrics(0.94, 0.25), 0.02, 0.1).promote(),
                "within both margins");
        assertTrue(Registry.Decision.of(current, new Registry.Metrics(0.97, 0.10), 0.02, 0.1).promote(), "better");
        Registry.Decision worse = Registry.Decision.of(current, new Registry.Metrics(0.90, 0.20), 0.02, 0.1);
        assertFalse(worse.promote());
        assertTrue(worse.reason().contains("AUC fell") && worse.reason().contains("0.9500"), worse.reason());
        Registry.Decision unsure = Registry.Decision.of(current, new Registry.Metrics(1.0, 0.45), 0.02, 0.1);
        assertFalse(unsure.promote(), "right ranking, wrong probabilities: " + unsure.reason());
        assertTrue(unsure.reason().contains("log loss rose"), unsure.reason());
        assertFalse(Registry.Decision.of(current, new Registry.Metrics(Double.NaN, 0.1), 0.02, 0.1).promote(),
                "no metric is no evidence");
        assertFalse(Registry.Decision.of(current, new Registry.Metrics(null, null), 0.02, 0.1).promote());
    }
}
