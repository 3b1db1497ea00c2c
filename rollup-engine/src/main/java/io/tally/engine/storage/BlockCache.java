package io.tally.engine.storage;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import java.io.IOException;

/**
 * Segment blocks as stored (encoded, CRC already verified), shared by all readers (Caffeine, bounded by bytes).
 * A hit saves the positioned read and the checksum; the block is decoded on every read, into the reader's own
 * scratch array. Encoded blocks are 10–60 times smaller than decoded ones (a 1,024-slot block decodes to 8 KiB),
 * so the same budget holds that many more series: a wildcard over 100k series stays cached in about 15 MB instead of
 * evicting itself. Segments are immutable, so a block read once is valid for as long as its segment file object
 * lives; a compaction or expiry replaces the file object, so stale entries are never asked for again, and the
 * shard drops them ({@link #invalidate}) instead of letting them hold heap until the cache is full.
 * Writers (checkpoint, compaction, late-write reloads) read segments directly and do not go through the cache.
 */
final class BlockCache {
    private record Key(SegmentFile file, int seriesId) {
    }

    /** Entry overhead beyond the bytes: key record, array header, Caffeine node. */
    private static final int ENTRY_OVERHEAD = 96;

    private final Cache<Key, byte[]> cache;

    BlockCache(long maxBytes) {
        this.cache = Caffeine.newBuilder()
                .maximumWeight(Math.max(0, maxBytes))
                .weigher((Key k, byte[] v) -> ENTRY_OVERHEAD + v.length)
                .recordStats()
                .build();
    }

    /**
     * Decodes the block of {@code seriesId} in {@code f} into {@code out[0, PARTITION_SLOTS)} (NaN where absent);
     * false when {@code f} holds no block for the series ({@code out} is then untouched).
     */
    boolean decode(SegmentFile f, int seriesId, double[] out) throws IOException {
        Key key = new Key(f, seriesId);
        byte[] block = cache.getIfPresent(key);
        if (block == null) {
            block = f.readBlock(seriesId);
            if (block == null) {
                return false;
            }
            cache.put(key, block);
        }
        f.decodeBlock(seriesId, block, out);
        return true;
    }

    /** Drops the blocks of segment files that were merged or expired (checkpointer thread; walks the cache). */
    void invalidate(java.util.Collection<SegmentFile> dropped) {
        if (dropped.isEmpty()) {
            return;
        }
        java.util.Set<SegmentFile> gone = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        gone.addAll(dropped);
        cache.asMap().keySet().removeIf(k -> gone.contains(k.file()));
    }

    /** Cached blocks (tests and gauges). */
    long size() {
        return cache.estimatedSize();
    }

    double hitRate() {
        return cache.stats().hitRate();
    }
}
