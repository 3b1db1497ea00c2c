package io.tally.server;

import java.time.Duration;
import java.util.function.Predicate;

/** Test helper: polls a probe until its answer satisfies a condition or a deadline passes (never a fixed sleep). */
final class Await {
    /** Default deadline of the end-to-end tests. */
    static final Duration MAX = Duration.ofSeconds(30);

    private static final long POLL_MILLIS = 25;

    /** A probe that may fail (connection refused while a server starts, for example). */
    @FunctionalInterface
    interface Probe<T> {
        T get() throws Exception;
    }

    private Await() {
    }

    /**
     * Returns the first answer of {@code probe} that satisfies {@code done}; a probe that throws counts as not done.
     * After {@code max} an AssertionError names {@code what} with the last answer or exception.
     */
    static <T> T until(String what, Duration max, Probe<T> probe, Predicate<? super T> done) {
        long end = System.nanoTime() + max.toNanos();
        T last = null;
        Exception lastError = null;
        while (true) {
            try {
                last = probe.get();
                lastError = null;
                if (done.test(last)) {
                    return last;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what, e);
            } catch (Exception e) {
                lastError = e;
            }
            if (System.nanoTime() - end > 0) {
                AssertionError failure = new AssertionError("gave up after " + max.toSeconds() + " s waiting for "
                        + what + "; last answer: " + (lastError != null ? lastError : last));
                if (lastError != null) {
                    failure.initCause(lastError);
                }
                throw failure;
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what, e);
            }
        }
    }

    static <T> T until(String what, Probe<T> probe, Predicate<? super T> done) {
        return until(what, MAX, probe, done);
    }
}
