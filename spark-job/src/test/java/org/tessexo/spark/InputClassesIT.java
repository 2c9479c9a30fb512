package org.tessexo.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import nom.tam.image.compression.hdu.CompressedImageHDU;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tessexo.common.fits.FitsImageDecoder;
import org.tessexo.common.image.Preprocessor;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tessexo.common.testing.FitsFixtures.bytes;
import static org.tessexo.common.testing.FitsFixtures.emptyPrimary;
import static org.tessexo.common.testing.FitsFixtures.image;
import static org.tessexo.common.testing.FitsFixtures.ramp;
import static org.tessexo.common.testing.FitsFixtures.table;

/**
 * One folder with every class of input a user meets, through the whole job: each file gets exactly one outcome and
 * the expected reason in {@code outcomes/} and the report, the counts add up to the number listed, and names that
 * are not FITS are not listed at all.
 */
class InputClassesIT {

    static {
        SparkTestSupport.spark();
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = InputClassesIT.class.getResourceAsStream("/fits/" + name)) {
            return in.readAllBytes();
        }
    }

    private static byte[] gzip(byte[] b) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(b);
        }
        return out.toByteArray();
    }

    private static byte[] compressed(String algorithm) throws Exception {
        int[][] data = new int[48][48];
        for (int y = 0; y < 48; y++) {
            for (int x = 0; x < 48; x++) {
                data[y][x] = 10 + (y * 48 + x) % 97;
            }
        }
        CompressedImageHDU c = CompressedImageHDU.fromImageHDU(image(data, "SCI", null), 48, 8);
        c.setCompressAlgorithm(algorithm);
        c.compress();
        return bytes(emptyPrimary(), c);
    }

    @Test
    void everyInputClassGetsOneOutcomeAndItsReason(@TempDir Path tmp) throws Exception {
        Path in = Files.createDirectories(tmp.resolve("in"));
        Map<String, String> expected = new LinkedHashMap<>(); // file -> "outcome/reason"
        Map<String, byte[]> files = new LinkedHashMap<>();
        String image = "image/";
        byte[][] b8 = new byte[40][40];
        short[][] b16 = new short[40][40];
        int[][] b32 = new int[40][40];
        long[][] b64 = new long[40][40];
        double[][] d64 = new double[40][40];
        b8[3][3] = 9;
        b16[3][3] = 9;
        b32[3][3] = 9;
        b64[3][3] = 9;
        d64[3][3] = 9;
        files.put("bitpix8.fits", bytes(image(b8, null, null)));
        files.put("bitpix16.fits", bytes(image(b16, null, null)));
        files.put("bitpix32.fits", bytes(image(b32, null, null)));
        files.put("bitpix64.fits", bytes(image(b64, null, null)));
        files.put("bitpix-32.fits", bytes(image(ramp(40, 40), null, null)));
        files.put("bitpix-64.fits", bytes(image(d64, null, null)));
        short[][] u16 = new short[40][40];
        for (int y = 0; y < 40; y++) {
            for (int x = 0; x < 40; x++) {
                u16[y][x] = (short) (y * 40 + x - 32768);
            }
        }
        u16[1][1] = 7;
        files.put("uint16-bzero-blank.fits", bytes(emptyPrimary(), image(u16, "CAL", h -> {
            h.getHeader().addValue("BZERO", 32768.0, null);
            h.getHeader().addValue("BLANK", 7, null);
        })));
        files.put("after-tables.fits", bytes(emptyPrimary(), table("A"), table("B"), image(ramp(40, 40), "CAL", null)));
        // (PLIO: fpack's file below; nom-tam-fits cannot read back its own 32-bit PLIO tables)
        for (String algo : new String[] {"RICE_1", "GZIP_1", "GZIP_2", "HCOMPRESS_1"}) {
            files.put("nomtam-" + algo + ".fits", compressed(algo));
        }
        for (String fz : new String[] {"ramp-i16.r.fits.fz", "ramp-i16.g.fits.fz", "ramp-i16.h.fits.fz",
                "ramp-i16.p.fits.fz", "sky-f32.rice.fits.fz"}) {
            files.put(fz, resource(fz));
        }
        files.put("whole-file.fits.gz", gzip(bytes(emptyPrimary(), image(ramp(40, 40), "CAL", null))));
        files.put("cube.fits", bytes(image(new float[][][] {ramp(40, 40), ramp(40, 40)}, null, null)));
        float[][] some = ramp(40, 40);
        some[0][0] = Float.NaN;
        some[1][1] = Float.POSITIVE_INFINITY;
        some[2][2] = Float.NEGATIVE_INFINITY;
        files.put("nan-and-inf.fits", bytes(image(some, null, null)));
        for (String name : files.keySet()) {
            expected.put(name, image);
        }
        float[][] nan = new float[40][40];
        for (float[] row : nan) {
            Arrays.fill(row, Float.NaN);
        }
        put(files, expected, "all-nan.fits", bytes(image(nan, null, null)), "skipped/" + Preprocessor.ALL_NAN);
        put(files, expected, "spectrum-1d.fits", bytes(image(new float[500], null, null)),
                "skipped/" + FitsImageDecoder.ONE_D);
        put(files, expected, "lightcurve.fits", Files.readAllBytes(SparkTestSupport.realData()
                .resolve("hlsp_tess-data-alerts_tess_phot_00025155310-s01_tess_v1_lc.fits")),
                "skipped/" + FitsImageDecoder.TABLES_ONLY);
        put(files, expected, "tiny.fits", bytes(image(new float[8][8], null, null)),
                "skipped/" + FitsImageDecoder.TOO_SMALL);
        byte[] good = bytes(emptyPrimary(), image(ramp(64, 64), "CAL", null));
        put(files, expected, "truncated-data.fits", Arrays.copyOf(good, good.length - 4000),
                "failed/" + FitsImageDecoder.TRUNCATED);
        put(files, expected, "truncated-header.fits", Arrays.copyOf(good, 1500),
                "failed/" + FitsImageDecoder.TRUNCATED);
        byte[] random = new byte[6000];
        new java.util.Random(9).nextBytes(random);
        put(files, expected, "random.fits", random, "failed/" + FitsImageDecoder.NOT_FITS);
        put(files, expected, "zero.fits", new byte[0], "failed/" + FitsImageDecoder.EMPTY);
        byte[] noEnd = good.clone();
        int end = new String(noEnd, 0, 2880, StandardCharsets.US_ASCII).indexOf("END     ");
        noEnd[end] = 'X';
        put(files, expected, "no-end.fits", noEnd, "failed/" + FitsImageDecoder.BAD_HEADER);
        StringBuilder liar = new StringBuilder();
        for (String card : new String[] {"SIMPLE  =                    T", "BITPIX  =                  -64",
                "NAXIS   =                    2", "NAXIS1  =               100000", "NAXIS2  =               100000",
                "END"}) {
            liar.append(String.format("%-80s", card));
        }
        while (liar.length() < 2880) {
            liar.append(' ');
        }
        put(files, expected, "claims-80GB.fits", liar.toString().getBytes(StandardCharsets.US_ASCII),
                "failed/" + FitsImageDecoder.TRUNCATED);
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            Files.write(in.resolve(f.getKey()), f.getValue());
        }
        Files.writeString(in.resolve("README.txt"), "not listed");
        Files.writeString(in.resolve("catalog.csv"), "not listed");

        Path out = tmp.resolve("o");
        assertEquals(0, TessJob.run(new String[] {"inspect", "--input", in.toString(), "--output", out.toString(),
                "failures.max-fraction=1", "fits.min-image-size=32"}));
        Map<String, String> actual = new HashMap<>();
        for (String row : FailuresAndOutputIT.outcomeRows(out.resolve("outcomes"))) {
            List<String> cols = csv(row);
            String name = cols.get(0).substring(cols.get(0).lastIndexOf('/') + 1);
            assertTrue(actual.put(name, cols.get(1) + "/" + (cols.get(1).equals("image") ? "" : cols.get(2)))
                    == null, "one row per file: " + name);
        }
        assertEquals(new TreeMap<>(expected), new TreeMap<>(actual), "each file's outcome and reason");
        // Several files in flight per partition (as for S3): the same outcome for every file.
        Path out3 = tmp.resolve("o3");
        assertEquals(0, TessJob.run(new String[] {"inspect", "--input", in.toString(), "--output", out3.toString(),
                "failures.max-fraction=1", "fits.min-image-size=32", "listing.files-in-flight=3"}));
        Map<String, String> inFlight = new HashMap<>();
        for (String row : FailuresAndOutputIT.outcomeRows(out3.resolve("outcomes"))) {
            List<String> cols = csv(row);
            inFlight.put(cols.get(0).substring(cols.get(0).lastIndexOf('/') + 1),
                    cols.get(1) + "/" + (cols.get(1).equals("image") ? "" : cols.get(2)));
        }
        assertEquals(new TreeMap<>(actual), new TreeMap<>(inFlight), "files-in-flight=3 gives the same outcomes");
        JsonNode report = new ObjectMapper().readTree(out.resolve("run-report.json").toFile());
        JsonNode c = report.get("counts");
        assertEquals(files.size(), c.get("listed").asInt(), "README.txt and catalog.csv are not listed");
        assertEquals(c.get("listed").asInt(), c.get("images").asInt() + c.get("skipped").asInt()
                + c.get("failed").asInt(), "the counts add up");
        assertEquals(files.size() - c.get("images").asInt(), report.get("problems").size());
    }

    private static void put(Map<String, byte[]> files, Map<String, String> expected, String name, byte[] b,
                            String outcome) {
        files.put(name, b);
        expected.put(name, outcome);
    }

    /** One CSV row as Spark writes it (quotes around fields with commas or quotes). */
    private static List<String> csv(String row) {
        List<String> out = new java.util.ArrayList<>();
        StringBuilder f = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < row.length(); i++) {
            char ch = row.charAt(i);
            if (quoted) {
                if (ch == '\\' && i + 1 < row.length()) {
                    f.append(row.charAt(++i));
                } else if (ch == '"') {
                    quoted = false;
                } else {
                    f.append(ch);
                }
            } else if (ch == '"') {
                quoted = true;
            } else if (ch == ',') {
                out.add(f.toString());
                f.setLength(0);
            } else {
                f.append(ch);
            }
        }
        out.add(f.toString());
        return out;
    }
}
