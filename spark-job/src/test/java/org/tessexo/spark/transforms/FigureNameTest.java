package org.tessexo.spark.transforms;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Figures are named after their files: a TIC ID is missing (0) in many files, and one star has many files. */
class FigureNameTest {
    @Test
    void namesComeFromTheFileWithoutItsFitsSuffix() {
        assertEquals("hlsp_tess_lc-1.png", Figures.figureName("hlsp_tess_lc.fits", 1));
        assertEquals("tess25155310-s01-first-cadences-2.png",
                Figures.figureName("tess25155310-s01-first-cadences.fits.gz", 2));
        assertEquals("a_b_c-3.png", Figures.figureName("a b\"c.FITS", 3));
        // a star of a Parquet light-curve table: its id, not the part file's name
        assertEquals("TIC_777-1.png", Figures.figureName("part-00000-1f2e.snappy.parquet#TIC 777", 1));
    }
}
