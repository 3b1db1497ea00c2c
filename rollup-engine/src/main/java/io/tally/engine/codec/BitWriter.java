package io.tally.engine.codec;

/**
 * Writes a most-significant-bit-first bit stream into a {@link GrowableBuffer}.
 *
 * <p>Bits are gathered in a 64-bit accumulator and spilled byte by byte; at most 39 bits are pending at any time
 * (fewer than 8 left over plus at most 32 just added), so the accumulator never loses a pending bit.
 * {@link #finish()} pads the last byte with zero bits. Not thread-safe; reusable after {@link #start}.
 */
final class BitWriter {
    private GrowableBuffer out;
    private long acc;
    private int pending;
    private long written;

    void start(GrowableBuffer target) {
        this.out = target;
        this.acc = 0;
        this.pending = 0;
        this.written = 0;
    }

    /** Writes the low {@code width} bits of {@code value}, {@code 0 <= width <= 64}. */
    void write(long value, int width) {
        if (width > 32) {
            write32(value >>> 32, width - 32);
            write32(value, 32);
        } else {
            write32(value, width);
        }
    }

    private void write32(long value, int width) {
        if (width == 0) {
            return;
        }
        acc = (acc << width) | (value & (-1L >>> (64 - width)));
        pending += width;
        written += width;
        while (pending >= 8) {
            pending -= 8;
            out.put((byte) (acc >>> pending));
        }
    }

    /** Writes {@code count} one bits. */
    void ones(int count) {
        int left = count;
        while (left > 0) {
            int w = Math.min(left, 32);
            write32(-1L, w);
            left -= w;
        }
    }

    /** Bits written since {@link #start}. */
    long bitsWritten() {
        return written;
    }

    /** Pads the final partial byte with zeros and flushes it. */
    void finish() {
        if (pending > 0) {
            out.put((byte) (acc << (8 - pending)));
            pending = 0;
        }
        out = null;
    }
}
