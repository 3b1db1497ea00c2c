package io.tally.ingest;

import io.tally.engine.api.IngestSink;
import io.tally.engine.api.PointBatch;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A test sink that decodes every offered batch into {@code "name ts value"} strings. It can pretend to be full:
 * offers still accept the batch but answer false, and {@link #whenWritable} callbacks wait for {@link #setFull}.
 */
final class CollectingSink implements IngestSink {
    private final int batchBytes;
    private final List<String> points = new ArrayList<>();
    private final List<Runnable> waiting = new ArrayList<>();
    private boolean full;
    private int offers;

    CollectingSink(int batchBytes) {
        this.batchBytes = batchBytes;
    }

    CollectingSink() {
        this(64 * 1024);
    }

    @Override
    public PointBatch newBatch() {
        return new PointBatch(batchBytes);
    }

    @Override
    public synchronized boolean offer(PointBatch batch) {
        batch.forEach((buf, off, len, ts, v) ->
                points.add(new String(buf, off, len, StandardCharsets.UTF_8) + " " + ts + " " + v));
        offers++;
        notifyAll();
        return !full;
    }

    @Override
    public void whenWritable(Runnable callback) {
        synchronized (this) {
            if (full) {
                waiting.add(callback);
                notifyAll();
                return;
            }
        }
        callback.run();
    }

    void setFull(boolean isFull) {
        List<Runnable> run;
        synchronized (this) {
            full = isFull;
            if (isFull) {
                return;
            }
            run = new ArrayList<>(waiting);
            waiting.clear();
        }
        run.forEach(Runnable::run);
    }

    synchronized List<String> points() {
        return new ArrayList<>(points);
    }

    synchronized int offers() {
        return offers;
    }

    synchronized int waiting() {
        return waiting.size();
    }

    /** Waits (without sleeping blindly) until at least {@code n} points arrived; returns them. */
    synchronized List<String> awaitPoints(int n, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (points.size() < n) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("timed out waiting for " + n + " points, have " + points.size() + ": "
                        + points);
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return new ArrayList<>(points);
    }

    /** Waits until somebody registered a whenWritable callback (the receiver paused). */
    synchronized void awaitWaiter(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (waiting.isEmpty()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("nobody paused");
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }
}
