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
        int h = NameHash.hash(buf, off, len);
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
