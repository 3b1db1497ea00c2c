package io.tally.engine.index;

import org.roaringbitmap.RoaringBitmap;

/**
 * Map from a string key (a node name at one depth, a tag value, a tagged series name) to the ids of the series
 * that carry it. Open addressing with linear probing over parallel arrays (load at most 0.6, backward-shift
 * deletion); a key held by one series stores its id inline instead of a {@link RoaringBitmap} (a one-element
 * bitmap costs ~130 bytes, and unique host names or ids are common). About 20 bytes per distinct key plus the
 * bitmap when shared. The stored key instance is returned by {@link #add} so callers can intern with it.
 *
 * <p>Slots are exposed ({@link #capacity()}, {@link #keyAt}) so scans need no iterator objects; a slot is empty
 * when its key is null. Bitmaps handed out are copies; internal ones never leave. Not thread-safe: the owning
 * {@link SeriesIndex} guards it.
 */
final class PostingDict {
    private String[] keys = new String[8];
    private RoaringBitmap[] bitmaps = new RoaringBitmap[8]; // null: the posting is the single id in singles[]
    private int[] singles = new int[8];
    private int size;
    private int hiddenKeys; // keys that are empty or start with '.', which wildcards never match

    int size() {
        return size;
    }

    int capacity() {
        return keys.length;
    }

    /** True when some key is empty or starts with a dot. */
    boolean hasHiddenKeys() {
        return hiddenKeys > 0;
    }

    String keyAt(int slot) {
        return keys[slot];
    }

    /** The slot of {@code key}, or -1. */
    int find(String key) {
        int mask = keys.length - 1;
        for (int i = Node.spread(key.hashCode()) & mask; ; i = (i + 1) & mask) {
            String k = keys[i];
            if (k == null) {
                return -1;
            }
            if (k.equals(key)) {
                return i;
            }
        }
    }

    /** Adds {@code id} to the posting of {@code key}; returns the stored key instance (for interning). */
    String add(String key, int id) {
        int slot = find(key);
        if (slot >= 0) {
            RoaringBitmap b = bitmaps[slot];
            if (b != null) {
                b.add(id);
            } else if (singles[slot] != id) {
                b = new RoaringBitmap();
                b.add(singles[slot]);
                b.add(id);
                bitmaps[slot] = b;
            }
            return keys[slot];
        }
        if ((size + 1) * 5 > keys.length * 3) {
            resize(keys.length * 2);
        }
        int mask = keys.length - 1;
        int i = Node.spread(key.hashCode()) & mask;
        while (keys[i] != null) {
            i = (i + 1) & mask;
        }
        keys[i] = key;
        singles[i] = id;
        size++;
        if (isHidden(key)) {
            hiddenKeys++;
        }
        return key;
    }

    /** Removes {@code id} from the posting of {@code key}; drops the key when its posting becomes empty. */
    void remove(String key, int id) {
        int slot = find(key);
        if (slot < 0) {
            return;
        }
        RoaringBitmap b = bitmaps[slot];
        if (b == null) {
            if (singles[slot] == id) {
                delete(slot);
            }
            return;
        }
        b.remove(id);
        if (b.getCardinality() == 1) {
            singles[slot] = b.first();
            bitmaps[slot] = null;
        }
    }

    int cardinalityAt(int slot) {
        RoaringBitmap b = bitmaps[slot];
        return b == null ? 1 : b.getCardinality();
    }

    /** Cardinality of the posting of {@code key} (0 when absent). */
    int cardinality(String key) {
        int slot = find(key);
        return slot < 0 ? 0 : cardinalityAt(slot);
    }

    /** The single id of the posting at {@code slot} when it has exactly one, else -1. */
    int singleAt(int slot) {
        return bitmaps[slot] == null ? singles[slot] : -1;
    }

    /** The single id stored for {@code key}, the first id when several, -1 when absent. */
    int firstId(String key) {
        int slot = find(key);
        if (slot < 0) {
            return -1;
        }
        RoaringBitmap b = bitmaps[slot];
        return b == null ? singles[slot] : b.first();
    }

    /** A fresh bitmap holding the posting at {@code slot}. */
    RoaringBitmap copyAt(int slot) {
        RoaringBitmap b = bitmaps[slot];
        return b == null ? RoaringBitmap.bitmapOf(singles[slot]) : b.clone();
    }

    /** A fresh bitmap holding the posting of {@code key} (empty when absent). */
    RoaringBitmap copy(String key) {
        int slot = find(key);
        return slot < 0 ? new RoaringBitmap() : copyAt(slot);
    }

    void orInto(int slot, RoaringBitmap target) {
        RoaringBitmap b = bitmaps[slot];
        if (b == null) {
            target.add(singles[slot]);
        } else {
            target.or(b);
        }
    }

    /** {@code target &= posting(slot)}. */
    void andInto(int slot, RoaringBitmap target) {
        RoaringBitmap b = bitmaps[slot];
        if (b != null) {
            target.and(b);
            return;
        }
        int id = singles[slot];
        boolean had = target.contains(id);
        target.clear();
        if (had) {
            target.add(id);
        }
    }

    boolean intersectsAt(int slot, RoaringBitmap other) {
        RoaringBitmap b = bitmaps[slot];
        return b == null ? other.contains(singles[slot]) : RoaringBitmap.intersects(b, other);
    }

    /** Approximate heap bytes of the dictionary and its bitmaps (keys not counted: they are shared). */
    long estimatedBytes() {
        long bytes = 16L + 3L * (16 + 4L * keys.length);
        for (RoaringBitmap b : bitmaps) {
            if (b != null) {
                bytes += b.getLongSizeInBytes() + 48;
            }
        }
        return bytes;
    }

    private static boolean isHidden(String key) {
        return key.isEmpty() || key.charAt(0) == '.';
    }

    private void delete(int slot) {
        if (isHidden(keys[slot])) {
            hiddenKeys--;
        }
        int mask = keys.length - 1;
        int hole = slot;
        for (int j = (hole + 1) & mask; keys[j] != null; j = (j + 1) & mask) {
            int home = Node.spread(keys[j].hashCode()) & mask;
            if (((j - home) & mask) >= ((j - hole) & mask)) {
                keys[hole] = keys[j];
                bitmaps[hole] = bitmaps[j];
                singles[hole] = singles[j];
                hole = j;
            }
        }
        keys[hole] = null;
        bitmaps[hole] = null;
        size--;
    }

    private void resize(int capacity) {
        String[] oldKeys = keys;
        RoaringBitmap[] oldBitmaps = bitmaps;
        int[] oldSingles = singles;
        keys = new String[capacity];
        bitmaps = new RoaringBitmap[capacity];
        singles = new int[capacity];
        int mask = capacity - 1;
        for (int s = 0; s < oldKeys.length; s++) {
            String k = oldKeys[s];
            if (k == null) {
                continue;
            }
            int i = Node.spread(k.hashCode()) & mask;
            while (keys[i] != null) {
                i = (i + 1) & mask;
            }
            keys[i] = k;
            bitmaps[i] = oldBitmaps[s];
            singles[i] = oldSingles[s];
        }
    }
}
