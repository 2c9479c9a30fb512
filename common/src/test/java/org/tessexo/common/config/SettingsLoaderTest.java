package org.tessexo.common.config;

import org.junit.jupiter.api.Test;
import org.tessexo.common.errors.UserException;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SettingsLoaderTest {

    @Test
    void defaultsMatchTheProofOfConcept() {
        PipelineSettings s = SettingsLoader.load(null, null, List.of());
        assertEquals("s3a://stpubdata/tess/public/ffi/s0001/2018/206/1-1/", s.input());
        assertEquals(10, s.training().epochs());
        assertEquals(32, s.training().batchSizePerWorker());
        assertEquals(128, s.preprocess().height());
        assertEquals("org.apache.hadoop.fs.s3a.AnonymousAWSCredentialsProvider", s.s3a().credentialsProvider());
        assertEquals("auto", s.fits().hdu());
        assertEquals("", s.labels());
    }

    @Test
    void overridesWinOverTheFileWhichWinsOverDefaults() {
        String file = "tess { training { epochs = 4, batch-size-per-worker = 8 }, model.filters = [4, 8] }";
        PipelineSettings s = SettingsLoader.load(file, "test.conf", List.of("training.epochs=2",
                "tess.preprocess.height=64", "fits.hdu=CAL"));
        assertEquals(2, s.training().epochs());
        assertEquals(8, s.training().batchSizePerWorker());
        assertEquals(64, s.preprocess().height());
        assertEquals("CAL", s.fits().hdu());
        assertEquals(2, s.model().filters().length);
    }

    @Test
    void theVettersTrainingSearchIsTheSearchOnItsOwnGridWithEveryOtherSearchSettingKept() {
        PipelineSettings s = SettingsLoader.load(null, null, List.of("search.sde-kernel=151", "search.min-sde=8",
                "search.prewhiten=3", "search.red-noise-weighting=true", "search.shape=limb-darkened",
                "search.whiten-hours=6", "vetter.training-search.frequency-factor=2"));
        org.tessexo.common.lightcurve.TransitSearch.Settings search = s.search().transit();
        org.tessexo.common.lightcurve.TransitSearch.Settings train = s.vetting().trainSearch();
        assertEquals(151, search.sdeKernel());
        assertTrue(search.redNoiseWeighting());
        assertEquals(6.0, search.whitenHours());
        assertEquals(6.0, train.whitenHours());
        assertEquals(2.0, train.frequencyFactor());
        assertEquals(1, train.maxSignals());
        // the rest is the search's own, none reset to a default by the copy
        assertEquals(search.toBuilder().frequencyFactor(2.0).maxSignals(1).durations(train.durations())
                .oversample(train.oversample()).build(), train);
        assertEquals(search, search.toBuilder().build());
    }

    @Test
    void aKeyGivenTwiceTakesTheLaterValue() {
        // As on any command line: "./submit.sh train training.epochs=3 ... training.epochs=5" trains 5 epochs.
        PipelineSettings s = SettingsLoader.load(null, null, List.of("training.epochs=3", "fits.hdu=A",
                "tess.training.epochs=5", "fits.hdu=B"));
        assertEquals(5, s.training().epochs());
        assertEquals("B", s.fits().hdu());
    }

    @Test
    void unknownKeysAreRejectedWithTheirName() {
        UserException e = assertThrows(UserException.class,
                () -> SettingsLoader.load(null, null, List.of("training.epoch=3")));
        assertTrue(e.getMessage().contains("tess.training.epoch"), e.getMessage());
        assertTrue(e.getMessage().contains("epochs"), "the message lists the known keys: " + e.getMessage());
        UserException inFile = assertThrows(UserException.class,
                () -> SettingsLoader.load("tess.s3a.endpoitn = \"http://x\"", "f.conf", List.of()));
        assertTrue(inFile.getMessage().contains("tess.s3a.endpoitn"), inFile.getMessage());
    }

    @Test
    void wrongTypesAndValuesAreRejected() {
        UserException type = assertThrows(UserException.class,
                () -> SettingsLoader.load(null, null, List.of("training.epochs=ten")));
        assertTrue(type.getMessage().contains("epochs"), type.getMessage());
        assertThrows(UserException.class, () -> SettingsLoader.load(null, null, List.of("training.epochs=0")));
        assertThrows(UserException.class, () -> SettingsLoader.load(null, null, List.of("training.approach=fast")));
        assertThrows(UserException.class, () -> SettingsLoader.load(null, null, List.of("preprocess.trim=maybe")));
        assertThrows(UserException.class, () -> SettingsLoader.load(null, null, List.of("noequals")));
        UserException averaged = assertThrows(UserException.class,
                () -> SettingsLoader.load(null, null, List.of("vetter.averaged-epochs=-1")));
        assertTrue(averaged.getMessage().contains("0 = keep the best epoch"), averaged.getMessage());
        UserException shape = assertThrows(UserException.class,
                () -> SettingsLoader.load(null, null, List.of("search.shape=trapezoid")));
        assertTrue(shape.getMessage().contains("limb-darkened"), "names the choices: " + shape.getMessage());
        assertEquals(org.tessexo.common.lightcurve.BoxLeastSquares.Shape.LIMB_DARKENED, SettingsLoader.load(null, null,
                List.of("search.shape=limb-darkened")).search().transit().shape());
        assertThrows(UserException.class, () -> SettingsLoader.load("tess {", "broken.conf", List.of()));
        assertThrows(UserException.class, () -> SettingsLoader.load(null, null, List.of("failures.max-fraction=1.5")));
        assertThrows(UserException.class, () -> SettingsLoader.load(null, null, List.of("failures.max-count=-2")));
        assertThrows(UserException.class, () -> SettingsLoader.load(null, null,
                List.of("training.checkpoint.keep=0")));
        // A domain record's own invariant (ModelSettings.checkInput) reaches the user as a configuration error.
        UserException pooling = assertThrows(UserException.class, () -> SettingsLoader.load(null, null,
                List.of("model.filters=[4,4,4,4,4]", "preprocess.height=8", "preprocess.width=8")));
        assertTrue(pooling.getMessage().startsWith("Bad configuration: 5 pooling blocks"), pooling.getMessage());
        UserException hdu = assertThrows(UserException.class, () -> SettingsLoader.load(null, null,
                List.of("fits.hdu=\" \"")));
        assertTrue(hdu.getMessage().contains("tess.fits.hdu"), hdu.getMessage());
    }

    @Test
    void demoLayerSitsBetweenDefaultsAndTheUser() {
        PipelineSettings demo = SettingsLoader.load(null, null, List.of(), true);
        assertEquals(64, demo.preprocess().height());
        assertEquals(16, demo.training().batchSizePerWorker());
        PipelineSettings user = SettingsLoader.load(null, null, List.of("training.epochs=1"), true);
        assertEquals(1, user.training().epochs());
        assertEquals(64, user.preprocess().width());
    }

    @Test
    void settingsSurviveJavaSerialization() throws Exception {
        PipelineSettings s = SettingsLoader.load(null, null, List.of());
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
            out.writeObject(s.fits());
            out.writeObject(s.preprocess());
        }
        try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(
                new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
            assertEquals(s.fits(), in.readObject());
            assertEquals(s.preprocess(), in.readObject());
        }
    }

    @Test
    void failureLimits() {
        PipelineSettings.Failures f = SettingsLoader.load(null, null, List.of()).failures();
        assertEquals(0.1, f.maxFraction());
        org.junit.jupiter.api.Assertions.assertFalse(f.exceeded(10, 100), "10% is the limit, not past it");
        org.junit.jupiter.api.Assertions.assertTrue(f.exceeded(11, 100));
        PipelineSettings.Failures count = new PipelineSettings.Failures(1.0, 3);
        org.junit.jupiter.api.Assertions.assertFalse(count.exceeded(3, 4));
        org.junit.jupiter.api.Assertions.assertTrue(count.exceeded(4, 1000));
    }

    @Test
    void credentialsInUrisAreRefusedWithoutRepeatingThem() {
        PipelineSettings s = SettingsLoader.load(null, null, List.of());
        UserException e = assertThrows(UserException.class,
                () -> s.withInput("s3a://AKIAEXAMPLE:s3cr3t@bucket/prefix/").checkUris());
        assertTrue(e.getMessage().contains("s3a://***@bucket"), e.getMessage());
        org.junit.jupiter.api.Assertions.assertFalse(e.getMessage().contains("s3cr3t") || e.getMessage()
                .contains("AKIAEXAMPLE"), e.getMessage());
        s.withInput("s3a://bucket/a@b/").withLabels("file:///tmp/x@y.csv").checkUris(); // '@' in a path is fine
    }

    @Test
    void theSearchDefaultsOfReferenceConfAreTheDomainDefaults() {
        PipelineSettings s = SettingsLoader.load(null, null, java.util.List.of());
        assertEquals(org.tessexo.common.lightcurve.TransitSearch.Settings.defaults(), s.search().transit());
        assertEquals("PDCSAP_FLUX", s.search().fluxColumn());
        PipelineSettings median = SettingsLoader.load(null, null, java.util.List.of("search.detrend.method=median",
                "search.max-signals=1"));
        assertEquals(org.tessexo.common.lightcurve.Detrender.Method.MEDIAN, median.search().transit().method());
        assertEquals(1, median.search().transit().maxSignals());
        UserException bad = org.junit.jupiter.api.Assertions.assertThrows(UserException.class,
                () -> SettingsLoader.load(null, null, java.util.List.of("search.detrend.method=spline")));
        org.junit.jupiter.api.Assertions.assertTrue(bad.getMessage().contains("biweight or median"), bad.getMessage());
        UserException tooLong = org.junit.jupiter.api.Assertions.assertThrows(UserException.class,
                () -> SettingsLoader.load(null, null, java.util.List.of("search.duration.max-hours=20")));
        org.junit.jupiter.api.Assertions.assertTrue(tooLong.getMessage().contains("shorter than"),
                tooLong.getMessage());
    }
}
