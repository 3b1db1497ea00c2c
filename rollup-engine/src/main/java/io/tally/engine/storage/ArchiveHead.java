package io.tally.engine.storage;

import java.util.Arrays;

/**
 * The in-memory, mutable part of one archive of one series: a short, sorted list of chunks of
 * {@link Layout#chunkSlots} slots each (NaN = empty slot). Usually one or two chunks are live: the one being
 * written and the previous one waiting for the next checkpoint to make it durable and evictable.
 *
 * <p>Threading: mutated only by the owning shard's writer thread, under the shard's write lock; readers copy
 * values under the shard's read lock. Each chunk carries a dirty flag (written since the last checkpoint snapshot).
 */
final class ArchiveHead {
    private static final long[] NO_STARTS = new long[0];
    private static final double[][] NO_CHUNKS = new double[0][];

    long[] starts = NO_STARTS;
    double[][] chunks = NO_CHUNKS;
    private static final boolean[] NO_FLAGS = new boolean[0];

    boolean[] dirty = NO_FLAGS;
    int count;
    /**
     * End of the newest chunk that may exist only in segments (evicted, or stored before a restart). Chunks starting
     * at or after it were never written to disk without also being in the head, so looking them up in segments is
     * skipped: the common case of a brand-new chunk costs no segment lookup.
     */
    long diskHorizon = Long.MIN_VALUE;

    /** Index of the chunk starting at {@code start}, or {@code -(insertion point) - 1}. */
    int find(long start) {
        // writes and rollup reads walk chunks in time order: the last hit or its successor is the usual answer
        int h = hint;
        if (h < count && starts[h] == start) {
            return h;
        }
        if (h + 1 < count && starts[h + 1] == start) {
            hint = h + 1;
            return h + 1;
        }
        int last = count - 1;
        if (last < 0 || start > starts[last]) {
            return -count - 1; // a new newest chunk: the usual insert, no search needed
        }
        if (starts[last] == start) {
            hint = last;
            return last;
        }
        if (start < starts[0]) {
            return -1; // before the oldest chunk: a rollup reading an interval that began before the data
        }
        int i = Arrays.binarySearch(starts, 0, count, start);
        if (i >= 0) {
            hint = i;
        }
        return i;
    }

    /** Index of the last chunk found; only a guess (validated on use), so shifts by insert/remove are harmless. */
    private int hint;

    /** Inserts a chunk (must not exist) and returns its index. */
    int insert(long start, double[] values, boolean isDirty) {
        int i = find(start);
        if (i >= 0) {
            throw new IllegalStateException("chunk exists");
        }
        int at = -i - 1;
        if (count == starts.length) {
            int cap = Math.max(2, count * 2);
            starts = Arrays.copyOf(starts, cap);
            chunks = Arrays.copyOf(chunks, cap);
            dirty = Arrays.copyOf(dirty, cap);
        }
        System.arraycopy(starts, at, starts, at + 1, count - at);
        System.arraycopy(chunks, at, chunks, at + 1, count - at);
        System.arraycopy(dirty, at, dirty, at + 1, count - at);
        starts[at] = start;
        chunks[at] = values;
        dirty[at] = isDirty;
        count++;
        return at;
    }

    void removeAt(int i) {
        System.arraycopy(starts, i + 1, starts, i, count - i - 1);
        System.arraycopy(chunks, i + 1, chunks, i, count - i - 1);
        System.arraycopy(dirty, i + 1, dirty, i, count - i - 1);
        count--;
        chunks[count] = null;
        if (count == 0) {
            starts = NO_STARTS;
            chunks = NO_CHUNKS;
            dirty = NO_FLAGS;
        }
    }

    /** Releases spare capacity after evictions (heads of idle series should cost almost nothing). */
    void trim() {
        if (count == 0) {
            starts = NO_STARTS;
            chunks = NO_CHUNKS;
            dirty = NO_FLAGS;
        } else if (starts.length > count) {
            starts = Arrays.copyOf(starts, count);
            chunks = Arrays.copyOf(chunks, count);
            dirty = Arrays.copyOf(dirty, count);
        }
    }


}
