package io.tally.engine.storage;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Decoded segment blocks, shared by all readers (Caffeine, bounded by bytes). Segments are immutable, so a block
 * decoded once is valid for as long as its segment file object lives; a compaction replaces the file object, so
 * stale entries are simply never asked for again and age out. Values are never mutated after insertion.
 * Writers (checkpoint, late-write reloads) read segments directly and do not go through the cache.
 */
final class BlockCache {
    private record Key(SegmentFile file, int seriesId) {
    }

    private final Cache<Key, double[]> cache;

    BlockCache(long maxBytes) {
        this.cache = Caffeine.newBuilder()
                .maximumWeight(Math.max(0, maxBytes))
                .weigher((Key k, double[] v) -> 16 + v.length * 8 + 32)
                .recordStats()
                .build();
    }

    /** The decoded block of {@code seriesId} in {@code f} (all 1024 slots, NaN where absent). */
    double[] get(SegmentFile f, int seriesId) throws Bytes.CorruptDataException {
        try {
            return cache.get(new Key(f, seriesId), k -> {
                double[] block = new double[Layout.PARTITION_SLOTS];
                try {
                    if (!f.read(seriesId, block)) {
                        java.util.Arrays.fill(block, Double.NaN);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                return block;
            });
        } catch (UncheckedIOException e) {
            if (e.getCause() instanceof Bytes.CorruptDataException c) {
                throw c;
            }
            throw new Bytes.CorruptDataException(f.path.getFileName() + ": " + e.getCause().getMessage());
        }
    }

    double hitRate() {
        return cache.stats().hitRate();
    }
}
