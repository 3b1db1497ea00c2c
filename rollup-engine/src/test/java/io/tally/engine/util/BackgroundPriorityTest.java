package io.tally.engine.util;

import org.junit.jupiter.api.Test;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class BackgroundPriorityTest {

    @Test
    void lowersOnlyTheThreadThatAsks() throws Exception {
        assumeTrue(System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux"));
        int before = BackgroundPriority.currentNiceness();
        assertTrue(before != Integer.MIN_VALUE, "getpriority is reachable on Linux");
        AtomicInteger lowered = new AtomicInteger(Integer.MIN_VALUE);
        AtomicInteger child = new AtomicInteger(Integer.MIN_VALUE);
        Thread t = new Thread(BackgroundPriority.lowered(() -> {
            lowered.set(BackgroundPriority.currentNiceness());
            Thread c = new Thread(() -> child.set(BackgroundPriority.currentNiceness()));
            c.start();
            try {
                c.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        t.start();
        t.join();
        assertEquals(Math.max(before, BackgroundPriority.DEFAULT_NICENESS), lowered.get(),
                "the background thread runs at the background nice value");
        assertEquals(lowered.get(), child.get(), "threads it starts inherit the value");
        assertEquals(before, BackgroundPriority.currentNiceness(), "the caller keeps its own priority");
    }
}
