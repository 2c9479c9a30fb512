package org.tessexo.common.lightcurve;

import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.IntervalMarker;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.geom.Ellipse2D;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;

/**
 * A candidate's figure as PNG bytes (JFreeChart, headless). On top the detrended light curve, raw and binned (a
 * shallow transit shows only binned), the signal's transits shaded, time in plain BTJD numbers. In the middle the
 * periodogram of the first search with the signal's period and its aliases (half and twice) marked, and the light
 * curve folded on the period around the transit, binned, with the box model. Below, when the vetter's views are
 * given: the global view, and the local views of the transit, the odd and the even transits and phase 0.5 (a
 * secondary eclipse) on the transit's scale.
 */
public final class TransitFigure {
    private static final Color POINTS = new Color(90, 90, 90, 90);
    private static final Color BINS = new Color(20, 80, 200);
    private static final Color MODEL = new Color(220, 60, 30);
    private static final Color TRANSIT = new Color(255, 170, 0, 70);

    private TransitFigure() {
    }

    public static byte[] png(LightCurve detrended, TransitSearch.Signal s, String title, int width, int height) {
        return png(detrended, null, s, null, null, null, title, width, height);
    }

    /**
     * @param periodogram {periods, power} of the search that found the first signal, or null
     * @param global      the vetter's global view, or null (then no view panels)
     * @param local       the local views: transit, odd, even, secondary; or null
     */
    public static byte[] png(LightCurve detrended, double[][] periodogram, TransitSearch.Signal s, double[] global,
                             double[][] local, String note, String title, int width, int height) {
        System.setProperty("java.awt.headless", "true");
        double[] t = detrended.time();
        double[] f = detrended.flux();

        XYSeries all = new XYSeries("flux", false, true);
        for (int i = 0; i < t.length; i++) {
            all.add(t[i], f[i]);
        }
        XYSeriesCollection lc = new XYSeriesCollection(all);
        lc.addSeries(binnedInTime(t, f, Math.max(1.0 / 24, 3 * cadence(t))));
        XYPlot top = scatter(lc, "BTJD = BJD - 2457000 (days)", "detrended flux");
        ((NumberAxis) top.getDomainAxis()).setNumberFormatOverride(new java.text.DecimalFormat("0.#"));
        XYLineAndShapeRenderer tr = (XYLineAndShapeRenderer) top.getRenderer();
        tr.setSeriesShape(1, new Ellipse2D.Double(-2, -2, 4, 4));
        tr.setSeriesPaint(1, BINS);
        double first = s.epoch() + Math.ceil((t[0] - s.epoch()) / s.period()) * s.period();
        for (double c = first; c <= t[t.length - 1]; c += s.period()) {
            top.addDomainMarker(new IntervalMarker(c - s.duration() / 2, c + s.duration() / 2, TRANSIT));
        }

        // Folded, in hours from mid-transit, within 3 durations (at least 6 hours) each side.
        double half = Math.max(3 * s.duration(), 0.25);
        XYSeries folded = new XYSeries("folded", false, true);
        int nbins = 60;
        double[] sum = new double[nbins];
        int[] count = new int[nbins];
        for (int i = 0; i < t.length; i++) {
            double ph = TransitSearch.phase(t[i], s.period(), s.epoch());
            if (Math.abs(ph) < half) {
                folded.add(ph * 24, f[i]);
                int b = (int) ((ph + half) / (2 * half) * nbins);
                if (b >= 0 && b < nbins) {
                    sum[b] += f[i];
                    count[b]++;
                }
            }
        }
        XYSeries binned = new XYSeries("binned", false, true);
        for (int b = 0; b < nbins; b++) {
            if (count[b] > 0) {
                binned.add((-half + (b + 0.5) * 2 * half / nbins) * 24, sum[b] / count[b]);
            }
        }
        XYSeries model = new XYSeries("box", false, true);
        // The box: the mean flux out of transit, and depth below it in transit.
        double outSum = 0;
        int outN = 0;
        for (int i = 0; i < t.length; i++) {
            if (Math.abs(TransitSearch.phase(t[i], s.period(), s.epoch())) > s.duration() / 2) {
                outSum += f[i];
                outN++;
            }
        }
        double level = outN > 0 ? outSum / outN : 1;
        double dh = s.duration() / 2 * 24;
        model.add(-half * 24, level);
        model.add(-dh, level);
        model.add(-dh, level - s.depth());
        model.add(dh, level - s.depth());
        model.add(dh, level);
        model.add(half * 24, level);
        XYSeriesCollection fold = new XYSeriesCollection();
        fold.addSeries(folded);
        fold.addSeries(binned);
        fold.addSeries(model);
        XYPlot bottom = scatter(fold, "hours from mid-transit", "folded flux");
        XYLineAndShapeRenderer r = (XYLineAndShapeRenderer) bottom.getRenderer();
        r.setSeriesLinesVisible(1, false);
        r.setSeriesShapesVisible(1, true);
        r.setSeriesShape(1, new Ellipse2D.Double(-3, -3, 6, 6));
        r.setSeriesPaint(1, BINS);
        r.setSeriesLinesVisible(2, true);
        r.setSeriesShapesVisible(2, false);
        r.setSeriesPaint(2, MODEL);
        r.setSeriesStroke(2, new BasicStroke(2f));
        bottom.addDomainMarker(new ValueMarker(0, new Color(0, 0, 0, 60), new BasicStroke(1f)));

        // Panels with their own x axes (a combined plot shares x), drawn into one image.
        JFreeChart upper = chart(top, title, Font.BOLD, 14);
        JFreeChart lower = chart(bottom, String.format(Locale.ROOT,
                "P = %.5f d, T0 = %.4f BTJD, %.2f h, %.0f ppm, SNR %.1f, SDE %.1f, %d transits%s", s.period(),
                s.epoch(), s.duration() * 24, s.depth() * 1e6, s.snr(), s.sde(), s.transitsObserved(),
                note == null || note.isEmpty() ? "" : "; " + note), Font.PLAIN, 12);
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(width, height,
                java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        boolean views = global != null && local != null;
        double h1 = views ? 0.3 : 0.45;
        double h2 = views ? 0.35 : 0.55;
        upper.draw(g, new java.awt.geom.Rectangle2D.Double(0, 0, width, height * h1));
        if (periodogram != null) {
            chart(periodogramPlot(periodogram, s.period()), "BLS periodogram (first search)", Font.PLAIN, 12)
                    .draw(g, new java.awt.geom.Rectangle2D.Double(0, height * h1, width * 0.4, height * h2));
            lower.draw(g, new java.awt.geom.Rectangle2D.Double(width * 0.4, height * h1, width * 0.6, height * h2));
        } else {
            lower.draw(g, new java.awt.geom.Rectangle2D.Double(0, height * h1, width, height * h2));
        }
        if (views) {
            double y = height * (h1 + h2);
            double h = height - y;
            chart(viewPlot(new double[][] {global}, new String[] {"global"}, -0.5, 0.5, "phase (orbits)"),
                    "vetter's global view", Font.PLAIN, 12)
                    .draw(g, new java.awt.geom.Rectangle2D.Double(0, y, width * 0.4, h));
            chart(viewPlot(local, new String[] {"transit", "odd", "even", "phase 0.5"}, -2, 2,
                    "durations from mid-transit"), "local views (transit depth = -1)", Font.PLAIN, 12, true)
                    .draw(g, new java.awt.geom.Rectangle2D.Double(width * 0.4, y, width * 0.6, h));
        }
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ChartUtils.writeBufferedImageAsPNG(out, img);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static JFreeChart chart(XYPlot plot, String title, int style, int size) {
        return chart(plot, title, style, size, false);
    }

    private static JFreeChart chart(XYPlot plot, String title, int style, int size, boolean legend) {
        JFreeChart c = new JFreeChart(null, JFreeChart.DEFAULT_TITLE_FONT, plot, legend);
        c.setTitle(new TextTitle(title, new Font(Font.SANS_SERIF, style, size)));
        c.setBackgroundPaint(Color.WHITE);
        return c;
    }

    private static double cadence(double[] t) {
        if (t.length < 2) {
            return 1.0 / 48;
        }
        double[] d = new double[t.length - 1];
        for (int i = 1; i < t.length; i++) {
            d[i - 1] = t[i] - t[i - 1];
        }
        java.util.Arrays.sort(d);
        return d[d.length / 2];
    }

    /** Means in bins of {@code width} days (empty bins left out). */
    static XYSeries binnedInTime(double[] t, double[] f, double width) {
        XYSeries out = new XYSeries("binned", false, true);
        int i = 0;
        while (i < t.length) {
            double start = t[i];
            double sum = 0;
            int n = 0;
            double tsum = 0;
            while (i < t.length && t[i] < start + width) {
                sum += f[i];
                tsum += t[i];
                n++;
                i++;
            }
            out.add(tsum / n, sum / n);
        }
        return out;
    }

    private static XYPlot periodogramPlot(double[][] pg, double period) {
        XYSeries power = new XYSeries("power", false, true);
        for (int i = 0; i < pg[0].length; i++) {
            power.add(pg[0][i], pg[1][i]);
        }
        NumberAxis x = new NumberAxis("period (days)");
        x.setAutoRangeIncludesZero(false);
        NumberAxis y = new NumberAxis("power");
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, false);
        r.setSeriesPaint(0, new Color(40, 40, 40));
        XYPlot p = new XYPlot(new XYSeriesCollection(power), x, y, r);
        p.setBackgroundPaint(Color.WHITE);
        p.addDomainMarker(new ValueMarker(period, MODEL, new BasicStroke(2f)));
        BasicStroke dashed = new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                new float[] {4f, 4f}, 0f);
        p.addDomainMarker(new ValueMarker(period / 2, Color.GRAY, dashed));
        p.addDomainMarker(new ValueMarker(period * 2, Color.GRAY, dashed));
        return p;
    }

    private static final Color[] VIEW_COLORS = {BINS, new Color(0, 150, 60), new Color(170, 0, 170),
        new Color(230, 120, 0)};

    private static XYPlot viewPlot(double[][] views, String[] names, double from, double to, String xLabel) {
        XYSeriesCollection data = new XYSeriesCollection();
        for (int k = 0; k < views.length; k++) {
            XYSeries s = new XYSeries(names[k], false, true);
            double[] v = views[k];
            for (int i = 0; i < v.length; i++) {
                s.add(from + (i + 0.5) * (to - from) / v.length, v[i]);
            }
            data.addSeries(s);
        }
        NumberAxis x = new NumberAxis(xLabel);
        x.setRange(from, to);
        NumberAxis y = new NumberAxis("normalized flux");
        y.setAutoRangeIncludesZero(false);
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, false);
        for (int k = 0; k < views.length; k++) {
            r.setSeriesPaint(k, VIEW_COLORS[k % VIEW_COLORS.length]);
            r.setSeriesStroke(k, new BasicStroke(k == 0 ? 2f : 1.3f));
        }
        XYPlot p = new XYPlot(data, x, y, r);
        p.setBackgroundPaint(Color.WHITE);
        p.setDomainGridlinePaint(new Color(220, 220, 220));
        p.setRangeGridlinePaint(new Color(220, 220, 220));
        return p;
    }

    private static XYPlot scatter(XYSeriesCollection data, String x, String y) {
        NumberAxis xAxis = new NumberAxis(x);
        xAxis.setAutoRangeIncludesZero(false);
        NumberAxis yAxis = new NumberAxis(y);
        yAxis.setAutoRangeIncludesZero(false);
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(false, true);
        r.setSeriesShape(0, new Ellipse2D.Double(-1, -1, 2, 2));
        r.setSeriesPaint(0, POINTS);
        XYPlot p = new XYPlot(data, xAxis, yAxis, r);
        p.setBackgroundPaint(Color.WHITE);
        p.setDomainGridlinePaint(new Color(220, 220, 220));
        p.setRangeGridlinePaint(new Color(220, 220, 220));
        return p;
    }

}
