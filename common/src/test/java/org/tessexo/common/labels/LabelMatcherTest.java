package org.tessexo.common.labels;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LabelMatcherTest {
    private static final String FILE = "tess2018206192942-s0001-1-1-0120-s_ffic.fits";
    private static final String LISTED = "s3a://stpubdata/tess/public/ffi/s0001/2018/206/1-1/" + FILE;

    @Test
    void fileNameKeyAndUriAllMatch() {
        assertTrue(LabelMatcher.matches(LISTED, "tess2018206192942-s0001-1-1-0120-s_ffic.fits"));
        assertTrue(LabelMatcher.matches(LISTED, "tess/public/ffi/s0001/2018/206/1-1/" + FILE));
        assertTrue(LabelMatcher.matches(LISTED, "s3://stpubdata/tess/public/ffi/s0001/2018/206/1-1/" + FILE));
        assertTrue(LabelMatcher.matches("file:/data/a.fits", "file:///data/a.fits"));
        assertTrue(LabelMatcher.matches("file:/data/a.fits", "/data/a.fits"));
    }

    @Test
    void differentFilesDoNotMatch() {
        assertFalse(LabelMatcher.matches(LISTED, "tess2018206192942-s0001-1-2-0120-s_ffic.fits"));
        assertFalse(LabelMatcher.matches(LISTED, "1-2/tess2018206192942-s0001-1-1-0120-s_ffic.fits"));
        assertFalse(LabelMatcher.matches(LISTED, "s3a://otherbucket/tess/public/ffi/s0001/2018/206/1-1/" + FILE));
        assertFalse(LabelMatcher.matches(LISTED, "_ffic.fits"));
        assertFalse(LabelMatcher.matches(LISTED, ""));
    }

    @Test
    void fileNameIsTheLastSegment() {
        assertEquals("x.fits", LabelMatcher.fileName("s3a://b/k/x.fits"));
        assertEquals("x.fits", LabelMatcher.fileName("x.fits"));
    }
}
