package io.tally.engine.storage;

/**
 * Fixed geometry of stored data. Time is cut per archive step into partitions of {@link #PARTITION_SLOTS} slots
 * (epoch-aligned: partition {@code p} of step {@code s} covers {@code [p*s*1024, (p+1)*s*1024)}); a partition is the
 * unit of on-disk files and of retention expiry. In memory, the head keeps chunks of {@link #chunkSlots} slots
 * (16 for steps under a minute, 8 for coarser archives, which fill slowly); a chunk never straddles a partition.
 */
final class Layout {
    static final int PARTITION_SLOTS = 1024;
    static final int MAX_CHUNKS_PER_PARTITION = PARTITION_SLOTS / 8;

    static int chunkSlots(int step) {
        return step < 60 ? 16 : 8;
    }

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
        return (long) step * chunkSlots(step);
    }

    static long chunkStartOf(long alignedTs, int step) {
        long span = chunkSpan(step);
        return Math.floorDiv(alignedTs, span) * span;
    }

    static long align(long ts, int step) {
        return ts - Math.floorMod(ts, step);
    }
}
