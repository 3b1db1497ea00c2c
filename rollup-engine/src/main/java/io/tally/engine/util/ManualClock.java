package io.tally.engine.util;

import java.util.concurrent.atomic.AtomicLong;

/** A clock tests move by hand. */
public final class ManualClock implements Clock {
    private final AtomicLong millis;

    public ManualClock(long epochSeconds) {
        this.millis = new AtomicLong(epochSeconds * 1000L);
    }

    @Override
    public long currentTimeMillis() {
        return millis.get();
    }

    public void setSeconds(long epochSeconds) {
        millis.set(epochSeconds * 1000L);
    }

    public void advanceSeconds(long seconds) {
        millis.addAndGet(seconds * 1000L);
    }
}
