package org.tessexo.spark.io;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PrefetchingTest {

    @Test
    void resultsComeBackInTheInputsOrderWhateverFinishesFirst() {
        List<Integer> in = IntStream.range(0, 40).boxed().toList();
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        Iterator<Integer> out = Prefetching.map(in.iterator(), 4, "test", i -> {
            most.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
                Thread.sleep((40 - i) % 7); // later items often finish before earlier ones
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            running.decrementAndGet();
            return i * 10;
        });
        List<Integer> got = new ArrayList<>();
        out.forEachRemaining(got::add);
        assertEquals(in.stream().map(i -> i * 10).toList(), got);
        assertTrue(most.get() <= 4, "never more than 4 in flight: " + most.get());
    }

    @Test
    void oneInFlightIsLazyAndInTheCallersThread() {
        AtomicInteger calls = new AtomicInteger();
        Thread caller = Thread.currentThread();
        Iterator<String> out = Prefetching.map(List.of("a", "b").iterator(), 1, "test", s -> {
            calls.incrementAndGet();
            assertEquals(caller, Thread.currentThread());
            return s.toUpperCase(java.util.Locale.ROOT);
        });
        assertEquals(0, calls.get(), "nothing read before it is asked for");
        assertEquals("A", out.next());
        assertEquals(1, calls.get());
        assertEquals("B", out.next());
        assertTrue(!out.hasNext());
    }
}
