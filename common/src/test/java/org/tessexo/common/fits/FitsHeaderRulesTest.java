package org.tessexo.common.fits;

import nom.tam.fits.ImageHDU;
import nom.tam.fits.utilities.FitsCheckSum;
import org.junit.jupiter.api.Test;
import org.tessexo.common.image.PreprocessSettings;
import org.tessexo.common.image.Preprocessor;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tessexo.common.testing.FitsFixtures.bytes;
import static org.tessexo.common.testing.FitsFixtures.emptyPrimary;
import static org.tessexo.common.testing.FitsFixtures.image;
import static org.tessexo.common.testing.FitsFixtures.ramp;

/** Headers that say one thing twice, say it with the wrong type, run long, or carry a checksum. */
class FitsHeaderRulesTest {
    private final FitsImageDecoder auto = new FitsImageDecoder(DecoderSettings.defaults());

    private static String card(String key, Object value) {
        return String.format("%-8s= %20s", key, value);
    }

    /** A primary image header of the given cards (and blank cards to fill {@code blocks} blocks), then data. */
    private static byte[] file(int blocks, int dataBytes, String... cards) {
        StringBuilder sb = new StringBuilder();
        for (String c : cards) {
            sb.append(String.format("%-80s", c));
        }
        while (sb.length() < (blocks * 2880L) - 80) {
            sb.append(String.format("%-80s", "COMMENT   a long but legal header"));
        }
        sb.append(String.format("%-80s", "END"));
        while (sb.length() % 2880 != 0) {
            sb.append(' ');
        }
        byte[] header = sb.toString().getBytes(StandardCharsets.US_ASCII);
        int padded = (dataBytes + 2879) / 2880 * 2880;
        return Arrays.copyOf(header, header.length + padded);
    }

    @Test
    void aStructuralKeywordGivenTwiceIsAnInvalidHeader() {
        byte[] f = file(1, 40 * 40 * 4, "SIMPLE  =                    T", card("BITPIX", -32), card("NAXIS", 2),
                card("NAXIS1", 40), card("NAXIS2", 40), card("NAXIS1", 50));
        DecodeResult r = auto.decode(f);
        assertEquals(Outcome.FAILED, r.outcome());
        assertEquals(FitsImageDecoder.BAD_HEADER, r.reason(), r.fullReason());
        assertTrue(r.detail().contains("NAXIS1 appears twice (40, then 50)"), r.detail());
    }

    @Test
    void aScalingCardThatIsNotANumberIsAnInvalidHeader() {
        for (String bad : new String[] {card("BSCALE", "'abc'"), card("BZERO", "'1.0'"), card("BLANK", 1.5)}) {
            byte[] f = file(1, 40 * 40 * 2, "SIMPLE  =                    T", card("BITPIX", 16), card("NAXIS", 2),
                    card("NAXIS1", 40), card("NAXIS2", 40), bad);
            DecodeResult r = auto.decode(f);
            assertEquals(FitsImageDecoder.BAD_HEADER, r.reason(), bad + ": " + r.fullReason());
            assertTrue(r.detail().contains("is not"), r.detail());
        }
        byte[] fine = file(1, 40 * 40 * 2, "SIMPLE  =                    T", card("BITPIX", 16), card("NAXIS", 2),
                card("NAXIS1", 40), card("NAXIS2", 40), card("BSCALE", "2.0D0"), card("BZERO", 32768));
        assertEquals(Outcome.IMAGE, auto.decode(fine).outcome(), auto.decode(fine).fullReason());
    }

    @Test
    void aLongLegalHeaderIsReadAndTheLimitIsASettingThatSaysSo() {
        byte[] f = file(1100, 40 * 40 * 4, "SIMPLE  =                    T", card("BITPIX", -32), card("NAXIS", 2),
                card("NAXIS1", 40), card("NAXIS2", 40));
        DecodeResult r = auto.decode(f);
        assertEquals(Outcome.IMAGE, r.outcome(), r.fullReason());
        FitsImageDecoder strict = new FitsImageDecoder(new DecoderSettings("auto", 32, 256L << 20, 0, 1000, "off"));
        DecodeResult limited = strict.decode(f);
        assertEquals(Outcome.SKIPPED, limited.outcome());
        assertEquals(FitsImageDecoder.HEADER_TOO_LARGE, limited.reason());
        assertTrue(limited.detail().contains("fits.max-header-blocks"), limited.detail());
    }

    private static byte[] withDatasum() throws Exception {
        ImageHDU img = image(ramp(60, 50), "CAL", null);
        FitsCheckSum.setChecksum(img);
        return bytes(emptyPrimary(), img);
    }

    private static FitsImageDecoder verifying(String mode, int chunk) {
        DecoderSettings s = new DecoderSettings("auto", 32, 256L << 20, 0, 0, mode);
        return chunk == 0 ? new FitsImageDecoder(s) : FitsImageDecoder.streaming(s, chunk);
    }

    /** DATASUM as nom-tam-fits writes it (an independent implementation) matches ours; a flipped bit does not. */
    @Test
    void theDataChecksumIsVerifiedWhileTheImageIsRead() throws Exception {
        byte[] good = withDatasum();
        byte[] flipped = good.clone();
        flipped[2880 * 2 + 2880 + 100] ^= 0x10; // a data byte of the image HDU (primary 1 block, header 1 block)
        assertEquals("", verifying("fail", 0).decode(good).detail());
        DecodeResult bad = verifying("fail", 0).decode(flipped);
        assertEquals(Outcome.FAILED, bad.outcome(), bad.fullReason());
        assertEquals(FitsImageDecoder.CHECKSUM, bad.reason());
        DecodeResult warned = verifying("warn", 0).decode(flipped);
        assertEquals(Outcome.IMAGE, warned.outcome());
        assertTrue(warned.detail().startsWith(FitsImageDecoder.CHECKSUM), warned.detail());
        assertEquals(Outcome.IMAGE, verifying("off", 0).decode(flipped).outcome());
        assertEquals("", verifying("off", 0).decode(flipped).detail(), "off: not checked");
    }

    /** Streamed: rows preprocessing skips are still summed, in chunks of any size, with no second pass. */
    @Test
    void aStreamedImageIsCheckedWhenItsRowsHaveBeenUsed() throws Exception {
        byte[] good = withDatasum();
        byte[] flipped = good.clone();
        flipped[good.length - 2880 + 10] ^= 0x01; // the image's last data block: rows never asked for
        Preprocessor pre = new Preprocessor(new PreprocessSettings(PreprocessSettings.Trim.parse("none"), 8, 8, 5));
        for (int chunk : new int[] {7, 200, 4096, Integer.MAX_VALUE}) {
            for (byte[] f : new byte[][] {good, flipped}) {
                FitsImageDecoder d = verifying("fail", chunk);
                DecodeResult r = d.decode(new ByteArrayInputStream(f), f.length);
                assertEquals(Outcome.IMAGE, r.outcome());
                pre.apply(r.image());
                String mismatch = d.finishChecksum();
                if (f == good) {
                    assertNull(mismatch, "chunk " + chunk);
                } else {
                    assertTrue(mismatch != null && mismatch.contains("DATASUM"), "chunk " + chunk + ": " + mismatch);
                }
            }
        }
    }

    /** The sum against a real SPOC file's DATASUM (its light-curve table, which astropy verifies too). */
    @Test
    void theSumMatchesARealTessFilesDatasum() throws Exception {
        byte[] f = java.nio.file.Files.readAllBytes(org.tessexo.common.testing.FitsFixtures.realData()
                .resolve("test-lc-tess-pimen-100-cadences.fits"));
        FitsBlockReader r = FitsBlockReader.open(new ByteArrayInputStream(f), f.length);
        HduHeader primary = HduHeader.parse(0, r.readHeader(0));
        r.skip(primary.paddedDataBytes());
        HduHeader table = HduHeader.parse(1, r.readHeader(1));
        FitsBlockReader.DataSum sum = r.startSum();
        r.skip(table.dataBytes);
        assertEquals(Long.parseLong(table.header.getStringValue("DATASUM").trim()), sum.value());
    }

    @Test
    void theSumFoldsCarriesAsTheStandardSays() throws IOException {
        FitsBlockReader.DataSum s = new FitsBlockReader.DataSum();
        byte[] ff = {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0, 0, 0, 2};
        s.add(ff, 0, 3);
        s.add(ff, 3, 5);
        assertEquals(2L, s.value(), "0xFFFFFFFF + 2 in ones' complement is 2");
    }
}
