package io.tally.ingest;

import io.tally.engine.api.IngestSink;
import io.tally.engine.api.PointBatch;
import io.tally.engine.name.MetricName;
import io.tally.engine.util.Clock;

import java.util.concurrent.atomic.LongAdder;

/**
 * The per-datapoint tail shared by every receiver (graphite-compat §1.7): timestamp finishing, name
 * canonicalisation into a scratch buffer, and batching into {@link PointBatch}es handed to the {@link IngestSink}.
 *
 * <p>When the sink is partitioned ({@link IngestSink#partitions()} > 1: the engine's shards) the writer keeps one
 * batch per partition, so the sink hands each batch to its shard whole instead of copying every point apart.
 *
 * <p>One instance per connection (or datagram channel), used by one event-loop thread. Batches are taken lazily when
 * a point arrives for them and handed over by {@link #flush()} (at the end of each socket read), so idle connections
 * hold no batch. When {@link IngestSink#offer} answers false the writer remembers it; the owner polls
 * {@link #takePauseRequest()} and stops reading.
 */
public final class PointWriter {
    /** Result of {@link #timestamp} for a timestamp Python could not turn into a storable integer. */
    public static final long BAD_TIMESTAMP = Long.MIN_VALUE;
    /** Result of {@link #add}: stored. */
    public static final int OK = 0;
    /** Result of {@link #add}: the name does not fit even an empty batch of this sink. */
    public static final int TOO_BIG_FOR_BATCH = -100;

    private final IngestSink sink;
    private final LongAdder pointsCounter;
    private final int partitions;
    /** The pending batch of each partition, null until a point arrives for it. */
    private final PointBatch[] batches;
    private byte[] name = new byte[256];
    private boolean pauseRequested;

    public PointWriter(IngestSink sink, LongAdder pointsCounter) {
        this.sink = sink;
        this.pointsCounter = pointsCounter;
        this.partitions = Math.max(1, sink.partitions());
        this.batches = new PointBatch[partitions];
    }

    /**
     * Carbon's timestamp rules: {@code int(ts) == -1} means arrival time, then {@code int(ts) // res * res}.
     * Returns {@link #BAD_TIMESTAMP} for NaN, infinities and values outside the long range.
     */
    public static long timestamp(double ts, Clock clock, int resolution) {
        if (!(ts > -9.2e18 && ts < 9.2e18)) {
            return BAD_TIMESTAMP;
        }
        long t = (long) ts; // truncates towards zero, like int()
        if (t == -1) {
            t = clock.nowSeconds();
        }
        return resolution > 1 ? Math.floorDiv(t, resolution) * resolution : t;
    }

    /**
     * Canonicalises {@code raw[off, off+len)} and adds the point. Returns {@link #OK}, a negative
     * {@link MetricName} error code, or {@link #TOO_BIG_FOR_BATCH}.
     */
    public int add(byte[] raw, int off, int len, long timestamp, double value) {
        byte[] src;
        int srcOff;
        int n;
        if (MetricName.isCanonicalPlain(raw, off, len)) {
            src = raw; // the usual name needs no rewriting: batch it straight from the input
            srcOff = off;
            n = len;
        } else {
            if (len > name.length && len <= MetricName.MAX_LENGTH) {
                name = new byte[Math.min(MetricName.MAX_LENGTH, Math.max(len, name.length * 2))];
            }
            n = MetricName.canonicalize(raw, off, len, name);
            if (n < 0) {
                return n;
            }
            src = name;
            srcOff = 0;
        }
        int p = partitions == 1 ? 0 : sink.partitionOf(src, srcOff, n);
        PointBatch batch = batches[p];
        if (batch == null) {
            batch = batches[p] = newBatch(p);
        }
        if (!batch.add(src, srcOff, n, timestamp, value)) {
            if (batch.isEmpty()) {
                return TOO_BIG_FOR_BATCH;
            }
            offer(batch);
            batch = batches[p] = newBatch(p);
            if (!batch.add(src, srcOff, n, timestamp, value)) {
                return TOO_BIG_FOR_BATCH;
            }
        }
        return OK;
    }

    /** Hands the non-empty pending batches to the sink. */
    public void flush() {
        for (int p = 0; p < partitions; p++) {
            PointBatch batch = batches[p];
            if (batch != null && !batch.isEmpty()) {
                offer(batch);
                batches[p] = null;
            }
        }
    }

    private PointBatch newBatch(int partition) {
        return partitions == 1 ? sink.newBatch() : sink.newBatch(partition);
    }

    /** True once after an offer was answered with "pause reading". */
    public boolean takePauseRequest() {
        boolean p = pauseRequested;
        pauseRequested = false;
        return p;
    }

    private void offer(PointBatch batch) {
        pointsCounter.add(batch.count()); // before the hand-over, so a consumer that sees the points sees the count
        if (!sink.offer(batch)) {
            pauseRequested = true;
        }
    }
}
