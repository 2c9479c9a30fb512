package org.tessexo.common.photometry;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StarFinderTest {

    /** The cells keep exactly the peaks that a check against every brighter kept peak keeps. */
    @Test
    void theCellsKeepWhatEveryPairWouldKeep() {
        Random rnd = new Random(15);
        for (double minSep : new double[] {0, 0.4, 1, 2, 3.7}) {
            for (int cap : new int[] {5, 300, 100_000}) {
                List<StarFinder.Peak> peaks = new ArrayList<>();
                for (int i = 0; i < 3000; i++) {
                    // clusters (blends, a star's own noise peaks) and a field, on a 200 x 150 CCD corner
                    double cx = i % 3 == 0 ? 50 + 3 * rnd.nextGaussian() : 200 * rnd.nextDouble();
                    double cy = i % 3 == 0 ? 40 + 3 * rnd.nextGaussian() : 150 * rnd.nextDouble();
                    peaks.add(new StarFinder.Peak(Math.max(0, cx), Math.max(0, cy), rnd.nextDouble() * 1e4));
                }
                peaks.sort(Comparator.comparingDouble(StarFinder.Peak::flux).reversed());
                List<StarFinder.Peak> all = new ArrayList<>();
                for (StarFinder.Peak p : peaks) {
                    if (all.size() >= cap) {
                        break;
                    }
                    if (all.stream().noneMatch(k -> (k.x() - p.x()) * (k.x() - p.x())
                            + (k.y() - p.y()) * (k.y() - p.y()) < minSep * minSep)) {
                        all.add(p);
                    }
                }
                List<StarFinder.Peak> kept = StarFinder.separated(peaks, minSep, cap);
                assertEquals(all, kept, "minSeparation " + minSep + ", cap " + cap);
                assertTrue(kept.size() <= cap);
                if (minSep >= 2 && cap > 3000) {
                    assertTrue(kept.size() < 3000, "close peaks dropped: " + kept.size());
                }
            }
        }
    }
}
