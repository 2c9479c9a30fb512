package org.tessexo.spark;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Opens a search's {@code report.html} in a real headless browser (Debian's chromium; {@code .ci/run} installs it):
 * the page renders (a screenshot is kept under {@code target/report-screenshots/}), its table holds every candidate
 * row with its image loaded from the output folder, nothing is fetched from the network (the browser runs with
 * networking off), and its script sorts the table ({@code #sort=N}).
 */
final class ReportPageCheck {
    private ReportPageCheck() {
    }

    static String browser() {
        for (String b : new String[] {"/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"}) {
            if (Files.isExecutable(Path.of(b))) {
                return b;
            }
        }
        return null;
    }

    static void inBrowser(Path page, int rows) throws IOException {
        String browser = browser();
        assumeTrue(browser != null, "no headless browser (apt-get install chromium): report.html not opened");
        Path shots = Path.of("target", "report-screenshots");
        Files.createDirectories(shots);
        Path shot = shots.resolve("report-" + System.nanoTime() + ".png");
        run(browser, "--screenshot=" + shot.toAbsolutePath(), "--window-size=1400,1200", page.toUri().toString());
        byte[] png = Files.readAllBytes(shot);
        assertTrue(png.length > 20_000 && png[1] == 'P', "a screenshot of the page: " + png.length + " bytes");

        // The DOM after the script ran, sorted by SDE (column 9), ascending
        String dom = run(browser, "--dump-dom", page.toUri() + "#sort=9");
        Matcher row = Pattern.compile("<tr><td>(\\d+)</td>").matcher(dom);
        List<Integer> order = new ArrayList<>();
        while (row.find()) {
            order.add(Integer.parseInt(row.group(1)));
        }
        assertEquals(rows, order.size(), "every candidate has its row");
        Matcher sde = Pattern.compile("<td>([0-9.]+)</td><td class=\"t\">[^<]*</td><td class=\"t\">(?:<a|</td>)")
                .matcher(dom);
        List<Double> values = new ArrayList<>();
        while (sde.find()) {
            values.add(Double.parseDouble(sde.group(1)));
        }
        assertEquals(rows, values.size(), "an SDE per row");
        for (int i = 1; i < values.size(); i++) {
            assertTrue(values.get(i) >= values.get(i - 1), "sorted by SDE: " + values);
        }
        assertTrue(dom.contains("<img"), "figures are shown");
        for (Matcher img = Pattern.compile("src=\"([^\"]+)\"").matcher(dom); img.find(); ) {
            assertTrue(Files.exists(page.getParent().resolve(img.group(1))), img.group(1) + " is in the output");
        }
        assertTrue(!dom.contains("http://") && !dom.contains("https://"), "nothing from the network");
    }

    private static String run(String browser, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(browser, "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--no-first-run", "--proxy-server=127.0.0.1:9",
                "--user-data-dir=" + Files.createTempDirectory("chromium-")));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the browser finished");
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        } finally {
            p.destroyForcibly();
        }
    }
}
