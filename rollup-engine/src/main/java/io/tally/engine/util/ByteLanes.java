package io.tally.engine.util;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Byte tests eight at a time in a {@code long} (SIMD within a register), for the scans of the ingest path. A word is
 * read little-endian, so byte {@code k} of the word is {@code array[p + k]} and the lowest set bit of a mask names
 * the first matching byte. Every mask has only the high bit of each byte set, and is exact: no carry or borrow
 * crosses from one byte to the next, so bytes after a match are judged on their own too.
 */
public final class ByteLanes {
    /** Eight bytes little-endian from a {@code byte[]}: {@code (long) WORDS.get(array, p)}. */
    public static final VarHandle WORDS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    /** The high bit of every byte. */
    public static final long HIGH = 0x8080808080808080L;
    private static final long ONES = 0x0101010101010101L;
    private static final long LOW7 = 0x7F7F7F7F7F7F7F7FL;

    private ByteLanes() {
    }

    /** {@code b} in each of the eight bytes. */
    public static long broadcast(int b) {
        return (b & 0xFFL) * ONES;
    }

    /** The bytes of {@code x} that are zero. */
    public static long zero(long x) {
        return ~(((x & LOW7) + LOW7) | x | LOW7);
    }

    /** The bytes of {@code x} equal to {@code pattern}'s (a {@link #broadcast}). */
    public static long equal(long x, long pattern) {
        return zero(x ^ pattern);
    }

    /** The bytes of {@code x} that are at most 0x20 unsigned: space, the whitespace and the control characters. */
    public static long atMostSpace(long x) {
        return ~((x & LOW7) + 0x5F * ONES) & ~x & HIGH;
    }

    /** The bytes of {@code x} that are 0x7F or above unsigned: DEL and everything outside ASCII. */
    public static long delOrAbove(long x) {
        return (((x & LOW7) + ONES) | x) & HIGH;
    }

    /** The index (0-7) of the first byte a non-zero mask marks. */
    public static int first(long mask) {
        return Long.numberOfTrailingZeros(mask) >>> 3;
    }

    /** The bytes of a word below index {@code k} (0-7): a mask to keep them. */
    public static long below(int k) {
        return (1L << (k << 3)) - 1;
    }
}
