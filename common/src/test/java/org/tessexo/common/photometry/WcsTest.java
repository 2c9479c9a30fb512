package org.tessexo.common.photometry;

import nom.tam.fits.Header;
import nom.tam.fits.HeaderCard;
import org.junit.jupiter.api.Test;
import org.tessexo.common.testing.FitsFixtures;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** TAN-SIP against astropy 6 on a real SPOC FFI header (tess-ffi-wcs-header-s0011.txt, 30 reference points). */
class WcsTest {

    static Header realHeader() throws Exception {
        String text = Files.readString(FitsFixtures.realData().resolve("tess-ffi-wcs-header-s0011.txt"),
                StandardCharsets.US_ASCII);
        Header h = new Header();
        for (int i = 0; i + 80 <= text.length(); i += 80) {
            String card = text.substring(i, i + 80);
            if (card.startsWith("END ")) {
                break;
            }
            if (!card.isBlank()) {
                h.addLine(HeaderCard.create(card));
            }
        }
        return h;
    }

    static List<double[]> reference() throws Exception {
        Path csv = FitsFixtures.realData().resolve("tess-ffi-wcs-reference.csv");
        return Files.readAllLines(csv).stream().skip(1).filter(l -> !l.isBlank())
                .map(l -> java.util.Arrays.stream(l.split(",")).mapToDouble(Double::parseDouble).toArray()).toList();
    }

    @Test
    void pixelToSkyMatchesAstropyOnARealFfiHeader() throws Exception {
        Wcs wcs = Wcs.of(realHeader());
        List<double[]> ref = reference();
        assertEquals(30, ref.size());
        double worst = 0;
        for (double[] r : ref) {
            double[] sky = wcs.pixelToSky(r[0], r[1]);
            double dra = (sky[0] - r[2]) * Math.cos(Math.toRadians(r[3]));
            worst = Math.max(worst, Math.hypot(dra, sky[1] - r[3]) * 3600);
        }
        // astropy prints 10 decimals of a degree (0.36 mas); the agreement is at that rounding
        assertTrue(worst < 1e-3, "worst separation " + worst + " arcsec");
    }

    @Test
    void skyToPixelInvertsAstropyToAThousandthOfAPixel() throws Exception {
        Wcs wcs = Wcs.of(realHeader());
        double worst = 0;
        for (double[] r : reference()) {
            double[] p = wcs.skyToPixel(r[2], r[3]);
            worst = Math.max(worst, Math.hypot(p[0] - r[0], p[1] - r[1]));
        }
        assertTrue(worst < 1e-3, "worst " + worst + " px");
        // and our own round trip is exact far beyond the catalog's rounding
        double[] sky = wcs.pixelToSky(2000.25, 13.75);
        double[] back = wcs.skyToPixel(sky[0], sky[1]);
        assertEquals(2000.25, back[0], 1e-8);
        assertEquals(13.75, back[1], 1e-8);
    }

    @Test
    void sipMattersAtTheCorners() throws Exception {
        Header h = realHeader();
        Wcs sip = Wcs.of(h);
        h.addValue("CTYPE1", "RA---TAN", "");
        h.addValue("CTYPE2", "DEC--TAN", "");
        Wcs plain = Wcs.of(h);
        double[] a = sip.pixelToSky(0, 0);
        double[] b = plain.pixelToSky(0, 0);
        double arcsec = Math.hypot((a[0] - b[0]) * Math.cos(Math.toRadians(a[1])), a[1] - b[1]) * 3600;
        assertTrue(arcsec > 21, "SIP moves the corner by " + arcsec + " arcsec (more than a 21\" TESS pixel)");
        assertEquals(21.0, sip.pixelScaleArcsec(), 0.7); // TESS: 21" per pixel
    }

    @Test
    void writtenCardsReadBackAndMissingOnesAreNamed() throws Exception {
        Wcs w = Wcs.tan(50.5, 40.5, 120.0, -60.0, new double[] {-0.0058, 0.0002, 0.0001, 0.0058});
        Header h = new Header();
        w.writeTo(h);
        Wcs back = Wcs.of(h);
        double[] s = back.pixelToSky(10, 70);
        double[] t = w.pixelToSky(10, 70);
        assertEquals(t[0], s[0], 1e-12);
        assertEquals(t[1], s[1], 1e-12);
        double[] p = w.skyToPixel(120.0, -60.0);
        assertEquals(49.5, p[0], 1e-9);
        assertEquals(39.5, p[1], 1e-9);
        Header none = new Header();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Wcs.of(none));
        assertTrue(e.getMessage().contains("CTYPE1"), e.getMessage());
        h.addValue("CTYPE1", "RA---SIN", "");
        e = assertThrows(IllegalArgumentException.class, () -> Wcs.of(h));
        assertTrue(e.getMessage().contains("RA---SIN"), e.getMessage());
    }
}
