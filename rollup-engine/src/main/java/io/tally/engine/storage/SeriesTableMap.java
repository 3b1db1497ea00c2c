package io.tally.engine.storage;

import java.util.Arrays;

/**
 * A shard's series by name bytes: open addressing with linear probing (load factor at most 1/2) over two
 * parallel arrays, the name hashes and the series. A probe compares hashes in the {@code int[]} and touches a
 * series and its name bytes only on a hash match, so a lookup costs about one cache miss before the series
 * itself. Writer thread only; no removal (series are never deleted from a running shard).
 */
final class SeriesTableMap {
    private int[] hashes = new int[1024];
    private Series[] table = new Series[1024];
    private int size;

    Series get(byte[] buf, int off, int len) {
        return get(buf, off, len, NameHash.hash(buf, off, len));
    }

    /** {@link #get(byte[], int, int)} with the name's {@link NameHash#hash} already computed. */
    Series get(byte[] buf, int off, int len, int h) {
        int[] hs = hashes;
        Series[] t = table;
        int mask = t.length - 1;
        for (int i = mix(h) & mask; ; i = (i + 1) & mask) {
            if (hs[i] == h) {
                Series s = t[i];
                if (s == null) {
                    return null;
                }
                if (Arrays.equals(s.nameBytes, 0, s.nameBytes.length, buf, off, off + len)) {
                    return s;
                }
            } else if (hs[i] == 0 && t[i] == null) {
                return null;
            }
        }
    }

    /**
     * Hashes {@code n} names into {@code hashOut} and touches, in stages, the memory that looking each of them up and
     * then writing its point will read: the hash slot, the table slot, the series, its name bytes, its heads, the
     * newest chunk of its finest archive and that chunk's metadata (its last element, a cache line or two away from
     * the array's header). Within a stage the loads of different names do not depend on each other, so the
     * processor overlaps their cache misses instead of waiting for them one after another, as a lookup right before
     * each point's write must (see {@code Shard.applyBatch}); the lookups that follow then hit the cache. Only the
     * first probe of each name is touched (collisions are rare at a load factor of at most 1/2); its table index
     * goes to {@code slotOut}, so that no stage stores a reference (each reference store into a long-lived array
     * pays G1's write barrier). Returns a value computed from what was loaded, for the caller to keep, so that no
     * stage can be left out.
     */
    int warm(byte[] buf, int[] off, int[] len, int[] hashOut, int[] slotOut, int n) {
        int[] hs = hashes;
        Series[] t = table;
        int mask = t.length - 1;
        int sink = 0;
        for (int k = 0; k < n; k++) {
            int h = NameHash.hash(buf, off[k], len[k]);
            int slot = mix(h) & mask;
            hashOut[k] = h;
            slotOut[k] = slot;
            sink += hs[slot];
        }
        for (int k = 0; k < n; k++) {
            Series s = t[slotOut[k]];
            if (s != null) {
                sink += s.hash;
            }
        }
        for (int k = 0; k < n; k++) {
            Series s = t[slotOut[k]];
            if (s != null) {
                sink += s.nameBytes.length + s.heads.length;
            }
        }
        for (int k = 0; k < n; k++) {
            Series s = t[slotOut[k]];
            if (s != null && HeadChunks.newest(s.heads[0]) instanceof double[] c) {
                sink += c.length;
            }
        }
        for (int k = 0; k < n; k++) {
            Series s = t[slotOut[k]];
            if (s != null && HeadChunks.newest(s.heads[0]) instanceof double[] c) {
                sink += (int) Double.doubleToRawLongBits(c[c.length - 1]);
            }
        }
        return sink;
    }

    void put(Series s) {
        if ((size + 1) * 2 > table.length) {
            Series[] old = table;
            hashes = new int[old.length * 2];
            table = new Series[old.length * 2];
            for (Series o : old) {
                if (o != null) {
                    insert(o);
                }
            }
        }
        insert(s);
        size++;
    }

    private void insert(Series s) {
        int mask = table.length - 1;
        int i = mix(s.hash) & mask;
        while (table[i] != null) {
            i = (i + 1) & mask;
        }
        table[i] = s;
        hashes[i] = s.hash;
    }

    int size() {
        return size;
    }

    private static int mix(int h) {
        return h ^ (h >>> 15);
    }
}
