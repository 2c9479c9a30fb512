package org.tessexo.spark.io;

import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Parquet light-curve tables read star by star: the three-level lists Spark and Arrow write, two-level legacy lists,
 * null elements, ids and TICs; and the tables that are not light curves, damaged files and oversized row groups
 * each give one entry with its reason.
 */
class ParquetLightCurvesTest {
    private static final Configuration CONF = new Configuration();
    static final MessageType THREE_LEVEL = MessageTypeParser.parseMessageType("message spark_schema {"
            + " optional binary id (STRING); optional int64 tic; optional int32 sector;"
            + " optional group time (LIST) { repeated group list { optional double element; } }"
            + " optional group PDCSAP_FLUX (LIST) { repeated group list { optional float element; } }"
            + " optional group pdcsap_flux_err (LIST) { repeated group list { optional float element; } }"
            + " optional group quality (LIST) { repeated group list { optional int32 element; } } }");

    private static Path write(Path file, MessageType schema, long rowGroupBytes, List<Group> rows) throws IOException {
        try (ParquetWriter<Group> w = ExampleParquetWriter.builder(HadoopOutputFile.fromPath(
                new org.apache.hadoop.fs.Path(file.toUri()), CONF)).withType(schema).withConf(CONF)
                .withRowGroupSize(rowGroupBytes).build()) {
            for (Group g : rows) {
                w.write(g);
            }
        }
        return file;
    }

    private static Group star(SimpleGroupFactory f, String id, long tic, int n, boolean nullFluxAtOne) {
        Group g = f.newGroup().append("id", id).append("tic", tic).append("sector", 7);
        Group time = g.addGroup("time");
        Group flux = g.addGroup("PDCSAP_FLUX");
        Group err = g.addGroup("pdcsap_flux_err");
        Group q = g.addGroup("quality");
        for (int i = 0; i < n; i++) {
            time.addGroup("list").append("element", 1500 + i / 48.0);
            Group fl = flux.addGroup("list");
            if (!(nullFluxAtOne && i == 1)) {
                fl.append("element", 1000f + i);
            }
            err.addGroup("list").append("element", 2f);
            q.addGroup("list").append("element", i == 0 ? 128 : 0);
        }
        return g;
    }

    private static List<ParquetLightCurves.Star> all(Path file, String fluxColumn, long memory) {
        List<ParquetLightCurves.Star> out = new ArrayList<>();
        Iterator<ParquetLightCurves.Star> it = ParquetLightCurves.read(file.toUri().toString(), CONF, fluxColumn,
                memory);
        it.forEachRemaining(out::add);
        return out;
    }

    @Test
    void starsOfAThreeLevelListTableAreReadOneByOne(@TempDir Path tmp) throws IOException {
        SimpleGroupFactory f = new SimpleGroupFactory(THREE_LEVEL);
        Path file = write(tmp.resolve("lc.parquet"), THREE_LEVEL, 1L << 20, List.of(
                star(f, "TIC 261136679", 261136679L, 50, true), star(f, "TIC 42", 42L, 30, false)));
        List<ParquetLightCurves.Star> stars = all(file, "PDCSAP_FLUX", 1L << 30);
        assertEquals(2, stars.size());
        ParquetLightCurves.Star a = stars.get(0);
        assertTrue(a.path().endsWith("lc.parquet#TIC 261136679"), a.path());
        assertEquals(50, a.lightCurve().size());
        assertEquals(261136679L, a.lightCurve().target().tic());
        assertEquals(7, a.lightCurve().target().sector());
        assertEquals("TIC 261136679", a.lightCurve().target().name());
        assertEquals("PDCSAP_FLUX", a.lightCurve().target().fluxColumn());
        assertEquals(1500 + 3 / 48.0, a.lightCurve().time()[3], 1e-12);
        assertEquals(1003, a.lightCurve().flux()[3], 1e-9);
        assertTrue(Double.isNaN(a.lightCurve().flux()[1]), "a null element is a missing cadence");
        assertEquals(2, a.lightCurve().fluxErr()[3], 1e-9);
        assertEquals(128, a.lightCurve().quality()[0]);
        assertEquals("BTJD", a.lightCurve().target().timeSystem());
        assertEquals(30, stars.get(1).lightCurve().size());
        assertEquals(42L, stars.get(1).lightCurve().target().tic());
    }

    @Test
    void legacyTwoLevelListsAndAnyFluxColumnNameAreRead(@TempDir Path tmp) throws IOException {
        MessageType schema = MessageTypeParser.parseMessageType("message m { required int32 star_id;"
                + " optional group BTJD (LIST) { repeated double array; }"
                + " optional group Flux (LIST) { repeated double array; } }");
        SimpleGroupFactory f = new SimpleGroupFactory(schema);
        Group g = f.newGroup().append("star_id", 17);
        Group t = g.addGroup("BTJD");
        Group fl = g.addGroup("Flux");
        for (int i = 0; i < 20; i++) {
            t.append("array", 2000.0 + i);
            fl.append("array", 1.0 + i * 1e-4);
        }
        Path file = write(tmp.resolve("legacy.parquet"), schema, 1L << 20, List.of(g));
        List<ParquetLightCurves.Star> stars = all(file, "PDCSAP_FLUX", 1L << 30);
        assertEquals(1, stars.size());
        assertTrue(stars.get(0).path().endsWith("#17"), stars.get(0).path());
        assertEquals(20, stars.get(0).lightCurve().size());
        assertEquals(1.0019, stars.get(0).lightCurve().flux()[19], 1e-12);
        assertEquals("Flux", stars.get(0).lightCurve().target().fluxColumn());
        assertTrue(Double.isNaN(stars.get(0).lightCurve().fluxErr()[0]), "no error column: NaN errors");
    }

    @Test
    void aTableOfOneRowPerCadenceIsSkippedWithTheLayoutThatIsRead(@TempDir Path tmp) throws IOException {
        MessageType schema = MessageTypeParser.parseMessageType("message m { required binary id (STRING);"
                + " required double time; required double flux; }");
        SimpleGroupFactory f = new SimpleGroupFactory(schema);
        Path file = write(tmp.resolve("long.parquet"), schema, 1L << 20,
                List.of(f.newGroup().append("id", "a").append("time", 1.0).append("flux", 1.0)));
        List<ParquetLightCurves.Star> stars = all(file, "PDCSAP_FLUX", 1L << 30);
        assertEquals(1, stars.size());
        assertNull(stars.get(0).lightCurve());
        assertEquals(ParquetLightCurves.NOT_A_TABLE, stars.get(0).reason());
        assertTrue(stars.get(0).detail().contains("one row per star") && stars.get(0).detail().contains("time"),
                stars.get(0).detail());
    }

    @Test
    void arraysWithoutAFluxNameTheColumnsAndTheSetting(@TempDir Path tmp) throws IOException {
        MessageType schema = MessageTypeParser.parseMessageType("message m {"
                + " optional group time (LIST) { repeated group list { optional double element; } }"
                + " optional group counts (LIST) { repeated group list { optional double element; } } }");
        SimpleGroupFactory f = new SimpleGroupFactory(schema);
        Group g = f.newGroup();
        g.addGroup("time").addGroup("list").append("element", 1.0);
        g.addGroup("counts").addGroup("list").append("element", 1.0);
        Path file = write(tmp.resolve("counts.parquet"), schema, 1L << 20, List.of(g));
        ParquetLightCurves.Star s = all(file, "PDCSAP_FLUX", 1L << 30).get(0);
        assertEquals(ParquetLightCurves.NOT_A_TABLE, s.reason());
        assertTrue(s.detail().contains("counts") && s.detail().contains("tess.search.flux-column"), s.detail());
        // ... and the setting reads it
        ParquetLightCurves.Star read = all(file, "counts", 1L << 30).get(0);
        assertEquals(1, read.lightCurve().size());
    }

    @Test
    void damagedFilesAndOversizedRowGroupsAreOneEntryWithTheReason(@TempDir Path tmp) throws IOException {
        Path text = Files.writeString(tmp.resolve("notes.parquet"), "not Parquet at all");
        ParquetLightCurves.Star s = all(text, "PDCSAP_FLUX", 1L << 30).get(0);
        assertEquals(ParquetLightCurves.UNREADABLE, s.reason());
        assertTrue(s.path().endsWith("notes.parquet"), s.path());

        SimpleGroupFactory f = new SimpleGroupFactory(THREE_LEVEL);
        Path file = write(tmp.resolve("big.parquet"), THREE_LEVEL, 1L << 20, List.of(star(f, "TIC 1", 1, 5000,
                false)));
        List<ParquetLightCurves.Star> tooBig = all(file, "PDCSAP_FLUX", 1000);
        assertEquals(1, tooBig.size());
        assertEquals(ParquetLightCurves.TOO_LARGE, tooBig.get(0).reason());
        assertTrue(tooBig.get(0).detail().contains("parquet.block.size"), tooBig.get(0).detail());

        byte[] whole = Files.readAllBytes(file);
        Path cut = Files.write(tmp.resolve("cut.parquet"), java.util.Arrays.copyOf(whole, whole.length / 2));
        assertEquals(ParquetLightCurves.UNREADABLE, all(cut, "PDCSAP_FLUX", 1L << 30).get(0).reason());
    }
}
