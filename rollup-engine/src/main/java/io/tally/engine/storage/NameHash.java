package io.tally.engine.storage;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The hash of a series name's bytes, which places the series in a shard and in its shard's table. It reads eight
 * bytes at a time (little-endian) and mixes with multiply-xorshift steps. It decides which shard directory holds a
 * series, so it is part of the on-disk format (docs/FORMAT.md) and must never change for format 1.
 */
final class NameHash {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.LITTLE_ENDIAN);

    private NameHash() {
    }

    static int hash(byte[] buf, int offset, int length) {
        long h = 0x9E3779B97F4A7C15L ^ length;
        int i = offset;
        int end = offset + length;
        for (; i + 8 <= end; i += 8) {
            h = (h ^ (long) LONGS.get(buf, i)) * 0xFF51AFD7ED558CCDL;
            h ^= h >>> 32;
        }
        long tail = 0;
        if (i + 8 <= buf.length) {
            // the last 0-7 bytes in one load: the array goes on (a name in a line or a batch usually has bytes after it)
            tail = (long) LONGS.get(buf, i) & ((1L << ((end - i) << 3)) - 1);
        } else {
            for (int shift = 0; i < end; i++, shift += 8) {
                tail |= (buf[i] & 0xFFL) << shift;
            }
        }
        h = (h ^ tail) * 0xC4CEB9FE1A85EC53L;
        h ^= h >>> 29;
        return (int) h ^ (int) (h >>> 32);
    }

    static int shardOf(int hash, int shards) {
        return Math.floorMod(hash ^ (hash >>> 16), shards);
    }
}
