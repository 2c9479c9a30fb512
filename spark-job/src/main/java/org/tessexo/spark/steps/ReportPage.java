package org.tessexo.spark.steps;

import org.tessexo.common.lightcurve.TransitSearch;
import org.tessexo.common.vetting.Verdict;
import org.tessexo.spark.io.OutputStore;
import org.tessexo.spark.transforms.Figures;
import org.tessexo.spark.transforms.SearchRow;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;

/**
 * {@code report.html}: the best candidates of a search, sorted by planet score, with their figures (which show the
 * vetter's views), in one self-contained page: no script, style or font from the network, so it opens offline and
 * from an object store alike. A click on a column header sorts by it (a few lines of inline script);
 * {@code report.html#sort=N} opens it sorted by column N.
 */
public final class ReportPage {
    private ReportPage() {
    }

    public static void write(OutputStore out, String name, List<SearchRow> best, List<String> figures,
                             long candidates, String vetter) {
        String html = html(best, figures, candidates, vetter);
        try {
            out.writeText(name, html);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + out.uri(name) + ": " + e.getMessage(), e);
        }
    }

    static String html(List<SearchRow> best, List<String> figures, long candidates, String vetter) {
        StringBuilder sb = new StringBuilder();
        sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
                .append("<title>Transit candidates</title>\n<style>\n")
                .append("body{font-family:sans-serif;margin:1.5em;color:#222}")
                .append("table{border-collapse:collapse;font-size:14px}")
                .append("th,td{border-bottom:1px solid #ddd;padding:4px 8px;text-align:right;vertical-align:top}")
                .append("th{cursor:pointer;background:#f3f3f3;position:sticky;top:0}")
                .append("td.t,th.t{text-align:left}")
                .append(".planet{color:#06610b;font-weight:bold}.binary{color:#8a4b00}.alarm{color:#777}")
                .append("img{width:360px}\n</style></head><body>\n")
                .append("<h1>Transit candidates</h1>\n<p id=\"summary\">")
                .append(best.size()).append(" best of ").append(candidates)
                .append(" candidate signals, by planet score (the full table: <a href=\"candidates.csv\">")
                .append("candidates.csv</a>). Vetter: ").append(esc(vetter))
                .append(". Epochs in BTJD = BJD - 2457000; click a column to sort.</p>\n")
                .append("<table id=\"candidates\"><thead><tr>");
        String[] heads = {"#", "target", "planet score", "disposition", "period (d)", "epoch (BTJD)",
            "duration (h)", "depth (ppm)", "SNR", "SDE", "flags", "figure"};
        for (int i = 0; i < heads.length; i++) {
            boolean text = i == 1 || i == 3 || i == 10 || i == 11;
            sb.append("<th").append(text ? " class=\"t\"" : "").append(" data-kind=\"").append(text ? "t" : "n")
                    .append("\">").append(esc(heads[i])).append("</th>");
        }
        sb.append("</tr></thead>\n<tbody>\n");
        int n = 0;
        for (SearchRow r : best) {
            TransitSearch.Signal g = r.signals().get(0);
            Verdict v = r.verdict(0);
            String file = new org.apache.hadoop.fs.Path(r.path()).getName();
            String figure = "figures/" + Figures.figureName(file, g.rank());
            String disposition = v == null || v.disposition().isEmpty() ? "not vetted" : v.disposition();
            String css = disposition.startsWith("planet") ? "planet" : disposition.startsWith("eclipsing")
                    ? "binary" : "alarm";
            n++;
            sb.append("<tr><td>").append(n).append("</td><td class=\"t\">")
                    .append(esc(r.target().name().isEmpty() ? file : r.target().name()))
                    .append("<br><small>").append(esc(file)).append(" #").append(g.rank()).append("</small></td><td>")
                    .append(v == null || Double.isNaN(v.planetScore()) ? "" : fmt("%.3f", v.planetScore()))
                    .append("</td><td class=\"t ").append(css).append("\">").append(esc(disposition))
                    .append("</td><td>").append(fmt("%.5f", g.period())).append("</td><td>")
                    .append(fmt("%.4f", g.epoch())).append("</td><td>").append(fmt("%.2f", g.duration() * 24))
                    .append("</td><td>").append(fmt("%.0f", g.depth() * 1e6)).append("</td><td>")
                    .append(fmt("%.1f", g.snr())).append("</td><td>").append(fmt("%.1f", g.sde()))
                    .append("</td><td class=\"t\">").append(esc(Verdict.flags(g, v, " ")))
                    .append("</td><td class=\"t\">");
            if (figures.contains(figure)) {
                sb.append("<a href=\"").append(esc(figure)).append("\"><img alt=\"figure of ").append(esc(file))
                        .append("\" src=\"").append(esc(figure)).append("\"></a>");
            }
            sb.append("</td></tr>\n");
        }
        sb.append("</tbody></table>\n<script>\n")
                .append("document.querySelectorAll('#candidates th').forEach(function(th,col){")
                .append("th.addEventListener('click',function(){")
                .append("var body=document.querySelector('#candidates tbody');")
                .append("var rows=Array.from(body.rows);var asc=th.dataset.dir!=='asc';")
                .append("th.dataset.dir=asc?'asc':'desc';")
                .append("rows.sort(function(a,b){var x=a.cells[col].innerText,y=b.cells[col].innerText;")
                .append("if(th.dataset.kind==='n'){x=parseFloat(x);y=parseFloat(y);x=isNaN(x)?-1e300:x;")
                .append("y=isNaN(y)?-1e300:y;return asc?x-y:y-x;}return asc?x.localeCompare(y):y.localeCompare(x);});")
                .append("rows.forEach(function(r){body.appendChild(r);});});});\n")
                // report.html#sort=N opens sorted by column N (a link to share; the browser test uses it)
                .append("var m=/sort=(\\d+)/.exec(location.hash);")
                .append("if(m){document.querySelectorAll('#candidates th')[+m[1]].click();}\n")
                .append("</script>\n</body></html>\n");
        return sb.toString();
    }

    private static String fmt(String f, double x) {
        return Double.isFinite(x) ? String.format(Locale.ROOT, f, x) : "";
    }

    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
