package org.tessexo.common.lightcurve;

import nom.tam.fits.BinaryTable;
import nom.tam.fits.BinaryTableHDU;
import nom.tam.fits.Header;
import org.junit.jupiter.api.Test;
import org.tessexo.common.testing.FitsFixtures;

import java.util.Random;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Light curves a real run meets: long gaps, short spans, unsorted or empty tables, full BJD times. */
class SearchBoundsTest {
    private static final double PERIOD = 3.3;
    private static final double EPOCH = 1326.1;

    /** 30-minute cadences over {@code days} from {@code start} BTJD, white noise and a 1% box transit. */
    private static double[][] synthetic(double start, double days, long seed) {
        int n = (int) (days * 48);
        double[] t = new double[n];
        double[] f = new double[n];
        Random r = new Random(seed);
        for (int i = 0; i < n; i++) {
            t[i] = start + i / 48.0;
            f[i] = 1000 * (1 + 0.001 * r.nextGaussian());
            if (Math.abs(TransitSearch.phase(t[i], PERIOD, EPOCH)) < 0.06) {
                f[i] *= 0.99;
            }
        }
        return new double[][] {t, f};
    }

    private static LightCurve lc(double[] t, double[] f) {
        double[] e = LightCurveReader.nanArray(t.length);
        return new LightCurve(t, f, e, new int[t.length], new LightCurve.Target(1, 1, 1, 1, "PDCSAP_FLUX"));
    }

    private static TransitSearch search(int maxPeriods, double budget, int signals) {
        TransitSearch.Settings d = TransitSearch.Settings.defaults();
        return new TransitSearch(d.toBuilder().maxSignals(signals).maxPeriods(maxPeriods).timeBudget(budget).build());
    }

    @Test
    void twoStretchesFarApartAreSearchedOnACappedGridThatTheOutcomeNames() {
        double[][] a = synthetic(1325, 27, 1);
        double[][] b = synthetic(1625, 27, 2);
        double[] t = new double[a[0].length + b[0].length];
        double[] f = new double[t.length];
        System.arraycopy(a[0], 0, t, 0, a[0].length);
        System.arraycopy(b[0], 0, t, a[0].length, b[0].length);
        System.arraycopy(a[1], 0, f, 0, a[1].length);
        System.arraycopy(b[1], 0, f, a[1].length, b[1].length);
        TransitSearch s = search(20_000, 120, 1);
        PeriodGrid uncapped = search(Integer.MAX_VALUE, 120, 1).grid(t[t.length - 1] - t[0]);
        // The drift rule grows with the baseline (not its square, as a uniform frequency grid: 5 million here)
        assertTrue(uncapped.periods().length > 100_000, "the rule asks for " + uncapped.periods().length);
        TransitSearch.Result r = s.search(lc(t, f));
        assertTrue(r.ok(), r.reason());
        assertTrue(r.notes().contains("period grid capped at 20000 periods"), r.notes());
        assertEquals(20_000, s.grid(t[t.length - 1] - t[0]).periods().length);
    }

    @Test
    void theTimeBudgetEndsTheSearchAfterTheFirstSignalAndSaysSo() {
        double[][] a = synthetic(1325, 27, 3);
        TransitSearch.Result r = search(300_000, 1e-9, 3).search(lc(a[0], a[1]));
        assertTrue(r.ok());
        assertEquals(1, r.signals().size());
        assertEquals(PERIOD, r.signals().get(0).period(), 0.02);
        assertTrue(r.notes().contains("time budget reached after 1 signal"), r.notes());
    }

    @Test
    void aShortValidLightCurveIsSkippedNotFailed() {
        double[] t = new double[150];
        double[] f = new double[150];
        for (int i = 0; i < t.length; i++) {
            t[i] = 1325 + i / 150.0; // one day
            f[i] = 1000 + (i % 7);
        }
        TransitSearch.Result r = new TransitSearch(TransitSearch.Settings.defaults()).search(lc(t, f));
        assertFalse(r.ok());
        assertEquals(TransitSearch.TOO_SHORT, r.reason());
        assertTrue(r.notes().contains("hold no two transits"), r.notes());
    }

    @Test
    void unsortedTimesAreSortedAndFindTheSameSignal() {
        double[][] a = synthetic(1325, 27, 4);
        TransitSearch s = search(TransitSearch.Settings.DEFAULT_MAX_PERIODS, 120, 1);
        TransitSearch.Signal sorted = s.search(lc(a[0], a[1])).signals().get(0);
        int n = a[0].length;
        double[] t = new double[n];
        double[] f = new double[n];
        for (int i = 0; i < n; i++) { // the two halves swapped, as a concatenation in the wrong order gives
            int j = (i + n / 2) % n;
            t[i] = a[0][j];
            f[i] = a[1][j];
        }
        TransitSearch.Result r = s.search(lc(t, f));
        assertTrue(r.ok(), r.reason());
        assertTrue(r.notes().contains("sorted"), r.notes());
        assertEquals(sorted.period(), r.signals().get(0).period(), 1e-9);
        assertEquals(sorted.epoch(), r.signals().get(0).epoch(), 1e-9);
    }

    private static byte[] spocLike(double[] t, double[] f, Consumer<Header> cards) throws Exception {
        BinaryTable table = new BinaryTable();
        table.addColumn(t);
        table.addColumn(f);
        BinaryTableHDU hdu = table.toHDU();
        Header h = hdu.getHeader();
        h.addValue("TTYPE1", "TIME", null);
        h.addValue("TTYPE2", "PDCSAP_FLUX", null);
        h.addValue("EXTNAME", "LIGHTCURVE", null);
        cards.accept(h);
        return FitsFixtures.bytes(FitsFixtures.emptyPrimary(), hdu);
    }

    @Test
    void timesAreMadeBtjdFromTheHeaderOrTheValues() throws Exception {
        double[][] a = synthetic(1325, 2, 5);
        LightCurveReader reader = new LightCurveReader("PDCSAP_FLUX");
        double[] bjd = a[0].clone();
        for (int i = 0; i < bjd.length; i++) {
            bjd[i] += 2457000;
        }
        LightCurveReader.Result full = reader.read(spocLike(bjd, a[1], h -> { }));
        assertTrue(full.ok(), full.reason());
        assertEquals(a[0][0], full.lightCurve().time()[0], 1e-6);
        assertTrue(full.detail().contains("full BJD"), full.detail());

        double[] bkjd = a[0].clone(); // the same instants in Kepler's BJD - 2454833
        for (int i = 0; i < bkjd.length; i++) {
            bkjd[i] += 2457000 - 2454833;
        }
        LightCurveReader.Result kepler = reader.read(spocLike(bkjd, a[1], h -> {
            h.addValue("BJDREFI", 2454833, null);
            h.addValue("BJDREFF", 0.0, null);
            h.addValue("TIMEUNIT", "d", null);
        }));
        assertEquals(a[0][0], kepler.lightCurve().time()[0], 1e-6);
        assertTrue(kepler.detail().contains("BTJD"), kepler.detail());

        LightCurveReader.Result btjd = reader.read(spocLike(a[0], a[1], h -> h.addValue("BJDREFI", 2457000, null)));
        assertEquals(a[0][0], btjd.lightCurve().time()[0], 0);
        assertEquals("", btjd.detail());

        LightCurveReader.Result seconds = reader.read(spocLike(a[0], a[1], h -> h.addValue("TIMEUNIT", "s", null)));
        assertEquals(LightCurveReader.BAD_TIME, seconds.reason());
    }

    @Test
    void aLightCurveTableWithoutRowsHasNoCadences() throws Exception {
        LightCurveReader.Result r = new LightCurveReader("PDCSAP_FLUX").read(spocLike(new double[0], new double[0],
                h -> { }));
        assertFalse(r.ok());
        assertEquals(LightCurveReader.NO_CADENCES, r.reason(), r.detail());
    }
}
