package org.tessexo.common.lightcurve;

import org.junit.jupiter.api.Test;
import org.tessexo.common.testing.FitsFixtures;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The whole search on the real full-sector light curves, against the TOI catalog of ../shared/data/tess. */
class RealPlanetsTest {

    /** (epoch BTJD, period d, duration h) of a TOI, read from the catalog shipped with the data. */
    static double[] toi(String toi) throws IOException {
        for (String line : Files.readAllLines(FitsFixtures.realData().resolve("csv-file-toi-catalog.csv"))) {
            String[] c = line.split(",");
            if (c.length > 17 && c[3].equals(toi)) {
                return new double[] {Double.parseDouble(c[13]), Double.parseDouble(c[15]), Double.parseDouble(c[17])};
            }
        }
        throw new IllegalStateException("TOI " + toi + " not in the catalog");
    }

    @Test
    void wasp126bIsTheStrongestSignal() throws IOException {
        LightCurve lc = LightCurveReaderTest.read("hlsp_tess-data-alerts_tess_phot_00025155310-s01_tess_v1_lc.fits");
        TransitSearch.Result r = new TransitSearch(TransitSearch.Settings.defaults()).search(lc);
        assertTrue(r.ok(), r.reason());
        TransitSearch.Signal b = r.signals().get(0);
        double[] known = toi("114.01"); // WASP-126 b
        assertEquals(known[1], b.period(), known[1] * 0.001, "period within 0.1%: " + b);
        double offsetDays = TransitSearch.phase(b.epoch(), known[1], known[0]);
        assertTrue(Math.abs(offsetDays) * 24 * 60 < 30, "epoch within 30 minutes: off by " + offsetDays * 1440
                + " min; " + b);
        assertTrue(b.sde() > 9 && b.snr() > 50, b.toString());
        assertEquals(known[2] / 24, b.duration(), 0.05, "duration " + b.duration() * 24 + " h");
        assertEquals(8, b.transitsObserved(), b.toString());
    }

    @Test
    void toi216ShowsTheDeepTransitOfCAndTheTransitsOfB() throws IOException {
        LightCurve lc = LightCurveReaderTest.read("hlsp_tess-data-alerts_tess_phot_00055652896-s01_tess_v1_lc.fits");
        TransitSearch.Result r = new TransitSearch(TransitSearch.Settings.defaults()).search(lc);
        assertTrue(r.ok(), r.reason());
        double cTransit = toi("216.01")[0]; // TOI-216 c: one transit in sector 1, at BTJD 1331.26
        List<TransitSearch.Signal> s = r.signals();
        boolean cCovered = s.stream().anyMatch(g -> Math.abs(TransitSearch.phase(cTransit, g.period(), g.epoch()))
                < g.duration());
        assertTrue(cCovered, "c's transit at " + cTransit + " lies in a found signal's transits: " + s);
        // The single-event list keeps each dip in view on its own, whatever the period search made of it.
        List<SingleEvents.Event> events = r.events();
        assertTrue(events.stream().anyMatch(e -> Math.abs(e.time() - cTransit) < 1.0 / 24 && e.depth() > 0.01
                && e.snr() > 30), "c's deep single transit: " + events);
        assertTrue(events.size() >= 2, "c's transit and at least one other dip: " + events);
    }

    @Test
    void wasp126bsEightTransitsAreEightSingleEvents() throws IOException {
        LightCurve lc = LightCurveReaderTest.read("hlsp_tess-data-alerts_tess_phot_00025155310-s01_tess_v1_lc.fits");
        TransitSearch.Result r = new TransitSearch(TransitSearch.Settings.defaults()).search(lc);
        double[] b = toi("114.01");
        assertEquals(8, r.events().size(), r.events().toString());
        for (SingleEvents.Event e : r.events()) {
            assertEquals(0, TransitSearch.phase(e.time(), b[1], b[0]) * 24, 0.5, "on b's ephemeris: " + e);
        }
    }

    @Test
    void aFigureIsAPngOfTheAskedSize() throws IOException {
        LightCurve lc = LightCurveReaderTest.read("hlsp_tess-data-alerts_tess_phot_00025155310-s01_tess_v1_lc.fits");
        TransitSearch.Result r = new TransitSearch(TransitSearch.Settings.defaults()).search(lc);
        byte[] png = TransitFigure.png(r.detrended(), r.signals().get(0), "WASP-126", 900, 600);
        java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(png));
        assertEquals(900, img.getWidth());
        assertEquals(600, img.getHeight());
        // something was drawn: far from a blank page
        java.util.Set<Integer> colours = new java.util.HashSet<>();
        for (int y = 0; y < 600; y += 7) {
            for (int x = 0; x < 900; x += 7) {
                colours.add(img.getRGB(x, y));
            }
        }
        assertTrue(colours.size() > 20, colours.size() + " colours");
    }
}
