package io.tally.engine.storage;

import java.util.Arrays;

/**
 * A shard's series by name bytes: open addressing with linear probing over a {@code Series[]} (load factor at
 * most 1/2), comparing the cached name hash first and the bytes only on a hash match. One array slot per series
 * instead of a map node and a key object, and one memory indirection less on the ingest hot path. Writer thread
 * only; no removal (series are never deleted from a running shard).
 */
final class SeriesTableMap {
    private Series[] table = new Series[1024];
    private int size;

    Series get(byte[] buf, int off, int len) {
        int h = NameHash.hash(buf, off, len);
        Series[] t = table;
        int mask = t.length - 1;
        for (int i = mix(h) & mask; ; i = (i + 1) & mask) {
            Series s = t[i];
            if (s == null) {
                return null;
            }
            if (s.hash == h && Arrays.equals(s.nameBytes, 0, s.nameBytes.length, buf, off, off + len)) {
                return s;
            }
        }
    }

    void put(Series s) {
        if ((size + 1) * 2 > table.length) {
            Series[] old = table;
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
    }

    int size() {
        return size;
    }

    private static int mix(int h) {
        return h ^ (h >>> 15);
    }
}
