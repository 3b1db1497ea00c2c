package io.tally.engine.storage;

import io.tally.engine.codec.BlockCodec;
import io.tally.engine.codec.BlockEncoder;
import io.tally.engine.codec.CorruptBlockException;
import io.tally.engine.codec.GrowableBuffer;

import java.util.Arrays;

/**
 * The in-memory, mutable part of one archive of one series ({@code Series.heads[archive]}): a short list of
 * chunks of {@link Layout#chunkSlots} slots each, sorted by start. Usually one to three are live: the one being
 * written and older ones waiting for the next checkpoint to make them durable and evictable.
 *
 * <p><b>Layout, chosen for heap per series.</b> An archive's head is one reference: {@code null} (no chunk), a
 * single chunk (the usual case) or an {@code Object[]} of chunks of exact length. A chunk has one of two forms:
 * <ul>
 *   <li><b>open</b>: a {@code double[slots + 1]}, the slot values (NaN = empty) and one trailing element holding
 *   {@code start * 2 + dirty} as an exact integer (timestamps are far below 2^52);</li>
 *   <li><b>sealed</b>: a {@code byte[]}, the same {@code start * 2 + dirty} as 8 big-endian bytes, then the values
 *   encoded with the segment block codec (a full 16-slot chunk of typical values takes 20–40 bytes instead of
 *   136). The shard's seal pass seals chunks that are no longer the newest ({@link #seal}); a late write turns a
 *   sealed chunk back into an open one.</li>
 * </ul>
 * Dirty means written since the last checkpoint snapshot. A series with one chunk per archive pays one array per
 * chunk and nothing else: no per-archive object, no parallel arrays of starts and flags.
 *
 * <p>Threading: changed under the shard's write lock only, by its writer thread and by the seal pass (which only
 * swaps an open chunk for its sealed form); readers copy values under the shard's read lock.
 */
final class HeadChunks {
    private static final int META_BYTES = 8;

    private HeadChunks() {
    }

    /** A new empty (all NaN) open chunk starting at {@code start}. */
    static double[] newChunk(int slots, long start, boolean dirty) {
        double[] c = new double[slots + 1];
        Arrays.fill(c, 0, slots, Double.NaN);
        c[slots] = meta(start, dirty);
        return c;
    }

    private static double meta(long start, boolean dirty) {
        return (double) (start * 2 + (dirty ? 1 : 0));
    }

    private static long metaOf(Object c) {
        if (c instanceof double[] d) {
            return (long) d[d.length - 1];
        }
        byte[] b = (byte[]) c;
        long m = 0;
        for (int i = 0; i < META_BYTES; i++) {
            m = (m << 8) | (b[i] & 0xff);
        }
        return m;
    }

    static long start(Object c) {
        return metaOf(c) >> 1;
    }

    static boolean dirty(Object c) {
        return (metaOf(c) & 1) != 0;
    }

    static void setDirty(Object c, boolean dirty) {
        if (c instanceof double[] d) {
            d[d.length - 1] = meta(start(d), dirty);
        } else {
            byte[] b = (byte[]) c;
            b[META_BYTES - 1] = (byte) ((b[META_BYTES - 1] & ~1) | (dirty ? 1 : 0));
        }
    }

    static boolean isOpen(Object c) {
        return c instanceof double[];
    }

    /**
     * The values of chunk {@code c} ({@code slots} of them): an open chunk itself (values in its first
     * {@code slots} elements), a sealed one decoded into {@code scratch}.
     */
    static double[] values(Object c, int slots, double[] scratch) {
        if (c instanceof double[] d) {
            return d;
        }
        byte[] b = (byte[]) c;
        try {
            int n = BlockCodec.decode(b, META_BYTES, b.length - META_BYTES, scratch);
            if (n != slots) {
                throw new IllegalStateException("sealed head chunk holds " + n + " slots, expected " + slots);
            }
        } catch (CorruptBlockException e) {
            throw new IllegalStateException("sealed head chunk does not decode", e); // written by this process
        }
        return scratch;
    }

    /** A fresh array of the chunk's slot values (what a reader or the checkpointer takes away). */
    static double[] copyValues(Object c, int slots) {
        if (c instanceof double[] d) {
            return Arrays.copyOf(d, slots);
        }
        double[] out = new double[slots];
        values(c, slots, out);
        return out;
    }

    /** The sealed form of open chunk {@code c} (same start and dirty flag), encoded with {@code enc}. */
    static byte[] seal(double[] c, BlockEncoder enc, GrowableBuffer buf) {
        long m = (long) c[c.length - 1];
        buf.clear();
        for (int i = META_BYTES - 1; i >= 0; i--) {
            buf.put((byte) (m >>> (8 * i)));
        }
        enc.encode(c, c.length - 1, buf);
        return buf.toByteArray();
    }

    /** The open form of sealed chunk {@code b}, with the same start and dirty flag. */
    static double[] open(byte[] b, int slots) {
        double[] c = new double[slots + 1];
        values(b, slots, c);
        c[slots] = (double) metaOf(b);
        return c;
    }

    /** Heap estimate of one head chunk: the array (object header, alignment) and a reference to it. */
    static long heapBytes(Object c) {
        int payload = c instanceof double[] d ? 8 * d.length : ((byte[]) c).length;
        return 16 + ((payload + 7) & ~7) + 4;
    }

    static int count(Object head) {
        if (head == null) {
            return 0;
        }
        return head instanceof Object[] cs ? cs.length : 1;
    }

    /** The newest chunk of {@code head} (most points of a series go there), or null when it has none. */
    static Object newest(Object head) {
        return head instanceof Object[] cs ? cs[cs.length - 1] : head;
    }

    /** Chunk {@code i} in start order. */
    static Object at(Object head, int i) {
        return head instanceof Object[] cs ? cs[i] : head;
    }

    /** The chunk starting at {@code start}, or null. */
    static Object find(Object head, long start) {
        if (head == null) {
            return null;
        }
        if (!(head instanceof Object[] cs)) {
            return start(head) == start ? head : null;
        }
        // writes and rollups mostly touch the newest chunk or the one before it
        int last = cs.length - 1;
        long ls = start(cs[last]);
        if (ls == start) {
            return cs[last];
        }
        if (start > ls) {
            return null;
        }
        int lo = 0;
        int hi = last - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            long ms = start(cs[mid]);
            if (ms < start) {
                lo = mid + 1;
            } else if (ms > start) {
                hi = mid - 1;
            } else {
                return cs[mid];
            }
        }
        return null;
    }

    /** {@code head} with {@code chunk} added (no chunk with its start may exist); returns the new head. */
    static Object insert(Object head, Object chunk) {
        if (head == null) {
            return chunk;
        }
        long s = start(chunk);
        Object[] cs = head instanceof Object[] a ? a : new Object[] {head};
        int at = cs.length;
        while (at > 0 && start(cs[at - 1]) > s) {
            at--;
        }
        if (at > 0 && start(cs[at - 1]) == s) {
            throw new IllegalStateException("chunk exists");
        }
        Object[] next = new Object[cs.length + 1];
        System.arraycopy(cs, 0, next, 0, at);
        next[at] = chunk;
        System.arraycopy(cs, at, next, at + 1, cs.length - at);
        return next;
    }

    /** {@code head} with chunk {@code i} replaced by {@code chunk} (same start); returns the new head. */
    static Object replace(Object head, int i, Object chunk) {
        if (head instanceof Object[] cs) {
            cs[i] = chunk;
            return cs;
        }
        return chunk;
    }

    /** {@code head} holding only the chunks {@code keep} accepts, in the most compact form. */
    static Object retain(Object head, ChunkFilter keep) {
        if (head == null) {
            return null;
        }
        if (!(head instanceof Object[] cs)) {
            return keep.keep(head) ? head : null;
        }
        int n = 0;
        for (Object c : cs) {
            if (keep.keep(c)) {
                n++;
            }
        }
        if (n == cs.length) {
            return cs;
        }
        if (n == 0) {
            return null;
        }
        Object[] next = new Object[n];
        int j = 0;
        for (Object c : cs) {
            if (keep.keep(c)) {
                next[j++] = c;
            }
        }
        return n == 1 ? next[0] : next;
    }

    @FunctionalInterface
    interface ChunkFilter {
        boolean keep(Object chunk);
    }
}
