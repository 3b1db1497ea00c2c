package io.tally.engine.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Reads a most-significant-bit-first bit stream from {@code data[start, end)}.
 *
 * <p>Design: random access by bit position. {@link #peek()} loads the 8 bytes that hold the current position with
 * one big-endian long read and shifts, so at least 57 upcoming bits are available without a loop. Near the end of
 * the range the bytes are assembled one by one and anything past {@code end} reads as zero: the reader never
 * touches memory outside its range and never throws. Callers bound every loop by counts they validated, cap every
 * prefix code, and call {@link #overrun()} / {@link #checkEnd()} to turn reading past the end into a
 * {@link CorruptBlockException}. Not thread-safe.
 */
final class BitReader {
    private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private final byte[] data;
    private final int start;
    private final int end;
    private final long limitBits;
    private long pos;

    BitReader(byte[] data, int start, int end) {
        this.data = data;
        this.start = start;
        this.end = end;
        this.limitBits = 8L * (end - start);
    }

    long position() {
        return pos;
    }

    void seek(long bitPosition) {
        pos = bitPosition;
    }

    /** The next bits, left-aligned; the top 57 of them are valid (past the end they are zero). */
    long peek() {
        long p = pos;
        if (p >= limitBits) {
            return 0;
        }
        int byteIndex = start + (int) (p >>> 3);
        long w;
        if (byteIndex <= end - 8) {
            w = (long) LONG_BE.get(data, byteIndex);
        } else {
            w = 0;
            for (int i = 0; i < 8; i++) {
                int b = byteIndex + i < end ? data[byteIndex + i] & 0xFF : 0;
                w = (w << 8) | b;
            }
        }
        return w << (p & 7);
    }

    void skip(int bits) {
        pos += bits;
    }

    /** Reads {@code width} bits, {@code 0 <= width <= 57}. */
    long read(int width) {
        if (width == 0) {
            return 0;
        }
        long v = peek() >>> (64 - width);
        pos += width;
        return v;
    }

    /** Reads {@code width} bits, {@code 0 <= width <= 64}. */
    long readLong(int width) {
        if (width <= 57) {
            return read(width);
        }
        long hi = read(width - 32);
        return (hi << 32) | read(32);
    }

    /** True if more bits were consumed than the range holds. */
    boolean overrun() {
        return pos > limitBits;
    }

    /**
     * Checks that the stream ended exactly in its last byte: nothing read past the end, no whole unread byte,
     * and zero padding bits.
     */
    void checkEnd() throws CorruptBlockException {
        if (pos > limitBits) {
            throw new CorruptBlockException("block truncated: needs " + ((pos + 7) >>> 3) + " body bytes, has "
                    + (end - start));
        }
        long rest = limitBits - pos;
        if (rest >= 8) {
            throw new CorruptBlockException("block has " + (rest >>> 3) + " unexpected trailing bytes");
        }
        if (rest > 0 && read((int) rest) != 0) {
            throw new CorruptBlockException("block padding bits are not zero");
        }
    }
}
