package io.tally.query.federation;

import io.tally.engine.util.Clock;

/**
 * Skips a failing peer for a while, then probes it (graphite-web's {@code REMOTE_RETRY_DELAY}, with a threshold).
 *
 * <p>States: <em>closed</em> (calls allowed; consecutive failures counted), <em>open</em> after
 * {@code failureThreshold} consecutive failures (calls refused until {@code openMillis} have passed), then
 * <em>half-open</em>: exactly one probe call is allowed; its success closes the breaker, its failure opens it again
 * for another {@code openMillis}. Any success resets the count. Time comes from the injected {@link Clock}.
 * Thread-safe (a monitor: a few field updates per peer call).
 */
public final class CircuitBreaker {
    public enum State { CLOSED, OPEN, HALF_OPEN }

    private final Clock clock;
    private final int failureThreshold;
    private final long openMillis;
    private State state = State.CLOSED;
    private int failures;
    private long openUntil;
    private boolean probing;

    public CircuitBreaker(Clock clock, int failureThreshold, long openMillis) {
        if (failureThreshold < 1 || openMillis < 0) {
            throw new IllegalArgumentException("failureThreshold must be positive, openMillis not negative");
        }
        this.clock = clock;
        this.failureThreshold = failureThreshold;
        this.openMillis = openMillis;
    }

    /** True when a call may go out now; in half-open state only the first caller gets true (the probe). */
    public synchronized boolean allow() {
        switch (state) {
            case CLOSED:
                return true;
            case OPEN:
                if (clock.currentTimeMillis() < openUntil) {
                    return false;
                }
                state = State.HALF_OPEN;
                probing = true;
                return true;
            default:
                if (probing) {
                    return false;
                }
                probing = true;
                return true;
        }
    }

    public synchronized void success() {
        state = State.CLOSED;
        failures = 0;
        probing = false;
    }

    public synchronized void failure() {
        failures++;
        if (state == State.HALF_OPEN || failures >= failureThreshold) {
            state = State.OPEN;
            openUntil = clock.currentTimeMillis() + openMillis;
            probing = false;
        }
    }

    public synchronized State state() {
        return state;
    }
}
