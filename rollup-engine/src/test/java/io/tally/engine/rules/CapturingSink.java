package io.tally.engine.rules;

import io.tally.engine.api.IngestSink;
import io.tally.engine.api.PointBatch;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** An {@link IngestSink} that keeps every point offered, in order. Thread-safe. */
final class CapturingSink implements IngestSink {
    record Point(String name, long timestamp, double value) {
    }

    private final int batchBytes;
    private final List<Point> points = new ArrayList<>();
    private int batches;

    CapturingSink(int batchBytes) {
        this.batchBytes = batchBytes;
    }

    CapturingSink() {
        this(64 * 1024);
    }

    @Override
    public PointBatch newBatch() {
        return new PointBatch(batchBytes);
    }

    @Override
    public synchronized boolean offer(PointBatch batch) {
        batches++;
        batch.forEach((buf, off, len, ts, v) ->
                points.add(new Point(new String(buf, off, len, StandardCharsets.UTF_8), ts, v)));
        return true;
    }

    @Override
    public void whenWritable(Runnable callback) {
        callback.run();
    }

    /** Points received since the last call. */
    synchronized List<Point> take() {
        List<Point> out = List.copyOf(points);
        points.clear();
        return out;
    }

    synchronized int batches() {
        return batches;
    }
}
