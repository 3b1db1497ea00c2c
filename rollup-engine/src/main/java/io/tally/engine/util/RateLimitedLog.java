package io.tally.engine.util;

import org.slf4j.Logger;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Logs at most {@code perInterval} messages per interval and then one summary of how many were suppressed, so bad
 * input from one noisy client cannot flood the log or slow the hot path. Lock-free; cheap when suppressed.
 */
public final class RateLimitedLog {
    private final Logger log;
    private final long intervalMillis;
    private final int perInterval;
    private final Clock clock;
    private final AtomicLong windowStart = new AtomicLong();
    private final AtomicLong inWindow = new AtomicLong();
    private final AtomicLong suppressed = new AtomicLong();

    public RateLimitedLog(Logger log, int perInterval, long intervalMillis, Clock clock) {
        this.log = log;
        this.perInterval = perInterval;
        this.intervalMillis = intervalMillis;
        this.clock = clock;
    }

    public RateLimitedLog(Logger log) {
        this(log, 10, 10_000, Clock.SYSTEM);
    }

    /** True if a message may be written now; callers build the message only then. */
    public boolean permit() {
        long now = clock.currentTimeMillis();
        long start = windowStart.get();
        if (now - start >= intervalMillis && windowStart.compareAndSet(start, now)) {
            long s = suppressed.getAndSet(0);
            inWindow.set(0);
            if (s > 0) {
                log.warn("{} similar messages suppressed in the last {} s", s, (now - start) / 1000);
            }
        }
        if (inWindow.incrementAndGet() <= perInterval) {
            return true;
        }
        suppressed.incrementAndGet();
        return false;
    }

    public void warn(String format, Object... args) {
        if (permit()) {
            log.warn(format, args);
        }
    }
}
