package io.tally.engine.storage;

/**
 * Fixed geometry of stored data. Time is cut per archive step into partitions of {@link #PARTITION_SLOTS} slots
 * (epoch-aligned: partition {@code p} of step {@code s} covers {@code [p*s*1024, (p+1)*s*1024)}); a partition is the
 * unit of on-disk files and of retention expiry. In memory, the head keeps chunks of {@link #CHUNK_SLOTS} slots;
 * a chunk never straddles a partition.
 */
final class Layout {
    static final int PARTITION_SLOTS = 1024;
    static final int CHUNK_SLOTS = 32;
    static final int CHUNKS_PER_PARTITION = PARTITION_SLOTS / CHUNK_SLOTS;

    private Layout() {
    }

    static long partitionSpan(int step) {
        return (long) step * PARTITION_SLOTS;
    }

    static long partitionOf(long alignedTs, int step) {
        return Math.floorDiv(alignedTs, partitionSpan(step));
    }

    static long partitionStart(long partition, int step) {
        return partition * partitionSpan(step);
    }

    static long chunkSpan(int step) {
        return (long) step * CHUNK_SLOTS;
    }

    static long chunkStartOf(long alignedTs, int step) {
        long span = chunkSpan(step);
        return Math.floorDiv(alignedTs, span) * span;
    }

    static long align(long ts, int step) {
        return ts - Math.floorMod(ts, step);
    }
}
