package io.tally.server;

import io.tally.engine.api.FindNode;
import io.tally.engine.api.PointBatch;
import io.tally.engine.api.SeriesData;
import io.tally.engine.api.StorageEngine;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A storage engine that records what it is given and when it is closed. */
final class FakeEngine implements StorageEngine {
    record Point(String name, long timestamp, double value) {
    }

    final List<Point> points = new CopyOnWriteArrayList<>();
    final List<String> events;
    final int batchBytes;
    int batches;
    volatile boolean closed;

    FakeEngine(List<String> events, int batchBytes) {
        this.events = events;
        this.batchBytes = batchBytes;
    }

    FakeEngine() {
        this(new CopyOnWriteArrayList<>(), 64 << 10);
    }

    @Override
    public PointBatch newBatch() {
        return new PointBatch(batchBytes);
    }

    @Override
    public boolean offer(PointBatch batch) {
        batches++;
        batch.forEach((buf, off, len, ts, v) ->
                points.add(new Point(new String(buf, off, len, StandardCharsets.UTF_8), ts, v)));
        return true;
    }

    @Override
    public void whenWritable(Runnable callback) {
        callback.run();
    }

    @Override
    public void sync() {
        events.add("engine.sync");
    }

    @Override
    public long backlogBytes() {
        return 0;
    }

    @Override
    public void close() {
        closed = true;
        events.add("engine.close");
    }

    @Override
    public List<FindNode> find(String pattern, int limit) {
        return List.of();
    }

    @Override
    public List<String> findByTags(List<String> expressions, int limit) {
        return List.of();
    }

    @Override
    public List<String> tagNames(String prefix, List<String> expressions, int limit) {
        return List.of();
    }

    @Override
    public List<String> tagValues(String tag, String prefix, List<String> expressions, int limit) {
        return List.of();
    }

    @Override
    public SeriesData fetch(String name, long from, long until, long now) {
        return null;
    }

    @Override
    public int seriesCount() {
        return 0;
    }
}
