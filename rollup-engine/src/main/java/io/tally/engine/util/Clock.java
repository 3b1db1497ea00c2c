package io.tally.engine.util;

/** Injected time, so rollups, retention, recovery and alert state can be tested without sleeping. */
public interface Clock {
    long currentTimeMillis();

    default long nowSeconds() {
        return Math.floorDiv(currentTimeMillis(), 1000L);
    }

    Clock SYSTEM = System::currentTimeMillis;
}
