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
 * A candidate's figure as PNG bytes (JFreeChart, headless): on top the detrended light curve with the signal's
 * transits shaded; below the light curve folded on the period around the transit, binned, with the box model.
 */
public final class TransitFigure {
    private static final Color POINTS = new Color(90, 90, 90, 90);
    private static final Color BINS = new Color(20, 80, 200);
    private static final Color MODEL = new Color(220, 60, 30);
    private static final Color TRANSIT = new Color(255, 170, 0, 70);

    private TransitFigure() {
    }

    public static byte[] png(LightCurve detrended, TransitSearch.Signal s, String title, int width, int height) {
        System.setProperty("java.awt.headless", "true");
        double[] t = detrended.time();
        double[] f = detrended.flux();

        XYSeries all = new XYSeries("flux", false, true);
        for (int i = 0; i < t.length; i++) {
            all.add(t[i], f[i]);
        }
        XYPlot top = scatter(new XYSeriesCollection(all), "BTJD (days)", "detrended flux");
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

        // Two panels with their own x axes: a combined plot shares x, so draw them one above the other instead.
        JFreeChart upper = new JFreeChart(null, JFreeChart.DEFAULT_TITLE_FONT, top, false);
        JFreeChart lower = new JFreeChart(null, JFreeChart.DEFAULT_TITLE_FONT, bottom, false);
        upper.setTitle(new TextTitle(title, new Font(Font.SANS_SERIF, Font.BOLD, 14)));
        lower.setTitle(new TextTitle(String.format(Locale.ROOT,
                "P = %.5f d, T0 = %.4f BTJD, duration %.2f h, depth %.0f ppm, SNR %.1f, SDE %.1f, %d transits",
                s.period(), s.epoch(), s.duration() * 24, s.depth() * 1e6, s.snr(), s.sde(), s.transitsObserved()),
                new Font(Font.SANS_SERIF, Font.PLAIN, 12)));
        upper.setBackgroundPaint(Color.WHITE);
        lower.setBackgroundPaint(Color.WHITE);
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(width, height,
                java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        upper.draw(g, new java.awt.geom.Rectangle2D.Double(0, 0, width, height * 0.45));
        lower.draw(g, new java.awt.geom.Rectangle2D.Double(0, height * 0.45, width, height * 0.55));
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ChartUtils.writeBufferedImageAsPNG(out, img);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
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
