package io.tally.engine.storage;

import io.tally.engine.config.AggregationMethod;

import java.nio.charset.StandardCharsets;

/**
 * One series: identity, the archives and rollup policy fixed at creation (as whisper fixes them in the file
 * header), and the head of each archive. Owned by one shard; see {@link Shard} for threading.
 */
final class Series {
    final int id;
    final byte[] nameBytes;
    /** {@link NameHash#hash} of the name bytes: decides the shard and the slot in the shard's table. */
    final int hash;
    final int[] steps;
    final int[] points;
    final AggregationMethod method;
    final double xff;
    /**
     * Per archive, its head chunks: null, one chunk or several (see {@link HeadChunks}). Changed under the shard's
     * write lock only (by its writer, and by the seal pass swapping chunks for their sealed form); read under the
     * read lock.
     */
    final Object[] heads;
    /**
     * Per archive, the end of the newest chunk that may exist only in segments (evicted, or stored before a restart).
     * Chunks starting at or after it were never written to disk without also being in the head, so looking them up in
     * segments is skipped: the common case of a brand-new chunk costs no segment lookup.
     */
    final long[] diskHorizons;
    /** Archive and aligned time of the last write whose rollup propagation is still pending; -1 when none. */
    int pendingArchive = -1;
    long pendingTs;

    /**
     * {@code steps} and {@code points} are kept as they are, not copied: pass arrays shared by all series of the
     * same retentions ({@link #intern}), which never change.
     */
    Series(int id, String name, int[] steps, int[] points, AggregationMethod method, double xff) {
        this.id = id;
        this.nameBytes = name.getBytes(StandardCharsets.UTF_8);
        this.hash = NameHash.hash(nameBytes, 0, nameBytes.length);
        this.steps = steps;
        this.points = points;
        this.method = method;
        this.xff = xff;
        this.heads = new Object[steps.length];
        this.diskHorizons = new long[steps.length];
        java.util.Arrays.fill(diskHorizons, Long.MIN_VALUE);
    }

    private static final java.util.concurrent.ConcurrentHashMap<String, int[]> SHARED = new java.util.concurrent.ConcurrentHashMap<>();

    /** The one array of {@code a}'s contents that series share (there are few distinct schemas, many series). */
    static int[] intern(int[] a) {
        return SHARED.computeIfAbsent(java.util.Arrays.toString(a), k -> a);
    }

    /** Marks that segments may hold data of the archive with {@code step} up to {@code end} (recovery). */
    void raiseDiskHorizon(int step, long end) {
        for (int i = 0; i < steps.length; i++) {
            if (steps[i] == step) {
                diskHorizons[i] = Math.max(diskHorizons[i], end);
            }
        }
    }

    /** The canonical name (decoded on demand: the series keeps only its UTF-8 bytes). */
    String name() {
        return new String(nameBytes, StandardCharsets.UTF_8);
    }

    long retention(int archive) {
        return (long) steps[archive] * points[archive];
    }

    long maxRetention() {
        return retention(steps.length - 1);
    }

    /** whisper's routing: the first archive whose retention covers {@code age}; -1 when none does. */
    int archiveForAge(long age) {
        for (int i = 0; i < steps.length; i++) {
            if (age <= retention(i)) {
                return i;
            }
        }
        return -1;
    }

    /** whisper's read-side choice: the first archive whose retention is at least {@code diff}, else the coarsest. */
    int archiveForRead(long diff) {
        for (int i = 0; i < steps.length; i++) {
            if (retention(i) >= diff) {
                return i;
            }
        }
        return steps.length - 1;
    }
}
