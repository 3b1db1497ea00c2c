package io.tally.engine.index;

import java.util.function.Consumer;

/**
 * A node of the metric-path trie: one dot-separated name under its parent, a leaf id when a series ends here and
 * children when longer paths continue. 32 bytes with compressed oops; the name is shared (interned through the
 * per-depth posting dictionary).
 *
 * <p>Children: up to {@value #SMALL} in a dense array scanned linearly, beyond that an open-addressing table
 * (linear probing, load at most 0.6, backward-shift deletion) keyed by the name's {@link String#hashCode()}, so a
 * lookup of a region of a longer string ({@code "a.b.c"} from 2 to 3) allocates nothing. Not thread-safe: the
 * owning {@link SeriesIndex} guards it.
 */
final class Node {
    static final int SMALL = 8;
    private static final Node[] NONE = new Node[0];

    final String name;
    final Node parent;
    private Node[] kids = NONE;
    private int kidCount;
    /** Id of the series whose path ends here, or -1. */
    int leafId = -1;

    Node(String name, Node parent) {
        this.name = name;
        this.parent = parent;
    }

    int childCount() {
        return kidCount;
    }

    boolean hasChildren() {
        return kidCount > 0;
    }

    /** The child named {@code s[from, to)}, or null. */
    Node child(CharSequence s, int from, int to) {
        Node[] k = kids;
        int len = to - from;
        if (k.length <= SMALL) {
            for (int i = 0; i < kidCount; i++) {
                if (sameName(k[i].name, s, from, len)) {
                    return k[i];
                }
            }
            return null;
        }
        int mask = k.length - 1;
        for (int i = spread(regionHash(s, from, to)) & mask; ; i = (i + 1) & mask) {
            Node c = k[i];
            if (c == null) {
                return null;
            }
            if (sameName(c.name, s, from, len)) {
                return c;
            }
        }
    }

    Node child(String name) {
        return child(name, 0, name.length());
    }

    /** Adds a child; the caller has checked that no child has that name. */
    void addChild(Node c) {
        if (kids.length <= SMALL) {
            if (kidCount < kids.length) {
                kids[kidCount++] = c;
                return;
            }
            if (kids.length < SMALL) {
                Node[] grown = new Node[Math.max(2, kids.length * 2)];
                System.arraycopy(kids, 0, grown, 0, kidCount);
                kids = grown;
                kids[kidCount++] = c;
                return;
            }
            Node[] old = kids;
            kids = new Node[32];
            kidCount = 0;
            for (Node o : old) {
                insertHashed(o);
            }
            insertHashed(c);
            return;
        }
        if ((kidCount + 1) * 5 > kids.length * 3) {
            Node[] old = kids;
            kids = new Node[old.length * 2];
            kidCount = 0;
            for (Node o : old) {
                if (o != null) {
                    insertHashed(o);
                }
            }
        }
        insertHashed(c);
    }

    private void insertHashed(Node c) {
        int mask = kids.length - 1;
        int i = spread(c.name.hashCode()) & mask;
        while (kids[i] != null) {
            i = (i + 1) & mask;
        }
        kids[i] = c;
        kidCount++;
    }

    /** Removes the given child (by identity); no-op if absent. */
    void removeChild(Node c) {
        Node[] k = kids;
        if (k.length <= SMALL) {
            for (int i = 0; i < kidCount; i++) {
                if (k[i] == c) {
                    k[i] = k[--kidCount];
                    k[kidCount] = null;
                    return;
                }
            }
            return;
        }
        int mask = k.length - 1;
        int i = spread(c.name.hashCode()) & mask;
        while (k[i] != c) {
            if (k[i] == null) {
                return;
            }
            i = (i + 1) & mask;
        }
        // backward-shift deletion keeps probe chains unbroken without tombstones
        int hole = i;
        for (int j = (hole + 1) & mask; k[j] != null; j = (j + 1) & mask) {
            int home = spread(k[j].name.hashCode()) & mask;
            if (((j - home) & mask) >= ((j - hole) & mask)) {
                k[hole] = k[j];
                hole = j;
            }
        }
        k[hole] = null;
        kidCount--;
    }

    /** Calls {@code action} for every child, in no particular order. */
    void forEachChild(Consumer<Node> action) {
        Node[] k = kids;
        int n = k.length <= SMALL ? kidCount : k.length;
        for (int i = 0; i < n; i++) {
            if (k[i] != null) {
                action.accept(k[i]);
            }
        }
    }

    /** The children as an array snapshot (for loops that need to return early or recurse without lambdas). */
    Node[] children() {
        Node[] out = new Node[kidCount];
        int n = 0;
        Node[] k = kids;
        int limit = k.length <= SMALL ? kidCount : k.length;
        for (int i = 0; i < limit; i++) {
            if (k[i] != null) {
                out[n++] = k[i];
            }
        }
        return out;
    }

    private static boolean sameName(String name, CharSequence s, int from, int len) {
        if (name.length() != len) {
            return false;
        }
        if (s instanceof String str) {
            return str.regionMatches(from, name, 0, len);
        }
        for (int i = 0; i < len; i++) {
            if (name.charAt(i) != s.charAt(from + i)) {
                return false;
            }
        }
        return true;
    }

    /** {@link String#hashCode()} of {@code s[from, to)}. */
    static int regionHash(CharSequence s, int from, int to) {
        int h = 0;
        for (int i = from; i < to; i++) {
            h = 31 * h + s.charAt(i);
        }
        return h;
    }

    /** Mixes a hash so that its low bits (used as the slot) depend on all of its bits. */
    static int spread(int h) {
        int x = h * 0x9E3779B1;
        return x ^ (x >>> 16);
    }
}
