package org.tessexo.spark.transforms;

import org.junit.jupiter.api.Test;
import org.tessexo.common.fits.ScienceRegion;
import org.tessexo.common.photometry.FramePhotometry;
import org.tessexo.common.photometry.Star;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

/** A CCD's photometry plan is built once per broadcast and group, and an earlier broadcast's plans are dropped. */
class PhotometryPlansTest {
    @Test
    void builtOncePerBroadcastAndGroup() {
        AtomicInteger built = new AtomicInteger();
        Supplier<FramePhotometry> make = () -> {
            built.incrementAndGet();
            return new FramePhotometry(List.of(new Star("a", 0, 0, 0, 10, 10, 10, 1, 2)), 32, 32,
                    new ScienceRegion(1, 32, 1, 32), 2, 4);
        };
        FramePhotometry first = PhotometryPlans.get(-7001, "s0001-1-1", make);
        assertSame(first, PhotometryPlans.get(-7001, "s0001-1-1", make));
        FramePhotometry other = PhotometryPlans.get(-7001, "s0001-1-2", make);
        assertNotSame(first, other);
        assertEquals(2, built.get());
        assertEquals(2, PhotometryPlans.size());
        // the next job's broadcast: its own plans, the earlier ones gone
        FramePhotometry next = PhotometryPlans.get(-7002, "s0001-1-1", make);
        assertNotSame(first, next);
        assertEquals(3, built.get());
        assertEquals(1, PhotometryPlans.size());
    }
}
