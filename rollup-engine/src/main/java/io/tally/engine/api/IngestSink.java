package io.tally.engine.api;

/**
 * The narrow seam between receivers and storage. Receivers (Netty servers, the self-metrics reporter, the
 * aggregator) fill {@link PointBatch}es and hand them over; storage (the local engine today, a Kafka producer in a
 * distributed deployment) takes ownership.
 *
 * <p>Backpressure contract: {@link #offer} always accepts the batch it is given (so a receiver never has to keep
 * or drop data), and answers whether there is still room. On {@code false} the receiver stops reading its
 * sockets and calls {@link #whenWritable}; the callback runs once, on an unspecified thread, when the backlog has
 * drained below the low-water mark. Memory is therefore bounded by the backlog limit plus one batch per receiver
 * (one per partition for receivers that partition, see {@link #partitions}).
 * Implementations must be safe for concurrent use by many receiver threads and must never block the caller.
 */
public interface IngestSink {
    /** A fresh (or recycled, cleared) batch sized for this sink. */
    PointBatch newBatch();

    /** Takes ownership of {@code batch}; returns false when the receiver should pause reading. */
    boolean offer(PointBatch batch);

    /** Runs {@code callback} once when the sink has room again (immediately if it has room now). */
    void whenWritable(Runnable callback);

    /**
     * How many partitions the sink splits points into (the storage engine: its shards). A receiver may keep one
     * batch per partition, filled through {@link #newBatch(int)} with only that partition's points, so that the
     * sink hands each batch on whole instead of copying its points apart. 1 (the default): no partitioning.
     */
    default int partitions() {
        return 1;
    }

    /** The partition of a canonical name, in {@code [0, partitions())}; only asked when {@code partitions() > 1}. */
    default int partitionOf(byte[] name, int off, int len) {
        return 0;
    }

    /**
     * A batch for points of {@code partition} only ({@link PointBatch#partition()} tells the sink); the caller must
     * add no point of another partition to it.
     */
    default PointBatch newBatch(int partition) {
        return newBatch();
    }
}
