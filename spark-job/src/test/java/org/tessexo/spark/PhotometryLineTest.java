package org.tessexo.spark;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The console's photometry line names the pixel cubes measured, not only the frames' stars (0 of both for cubes). */
class PhotometryLineTest {

    private static Map<String, Object> section(long stars, int ccds, long frames, long cubes) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ccds", ccds);
        m.put("stars", stars);
        m.put("pixel_cubes", cubes);
        m.put("frames_measured", frames);
        return m;
    }

    @Test
    void framesAloneAsBefore() {
        assertEquals("1000 stars on 1 CCDs measured on 48 frames", TessJob.photometryLine(section(1000, 1, 48, 0)));
    }

    @Test
    void pixelCubesAreCounted() {
        assertEquals("0 stars on 0 CCDs measured on 0 frames, and 2 pixel cubes (a light curve each)",
                TessJob.photometryLine(section(0, 0, 0, 2)));
        assertEquals("40 stars on 1 CCDs measured on 624 frames, and 1 pixel cube (a light curve each)",
                TessJob.photometryLine(section(40, 1, 624, 1)));
    }
}
