package io.tally.bench.load;

/**
 * Writes numbers as ASCII digits straight into a byte array, the way a Graphite reporter prints them.
 *
 * <p>Used while pre-generating millions of plaintext lines, so it never allocates: each method writes at
 * {@code pos} and returns the position after the last byte written. The caller guarantees room
 * ({@link #MAX_NUMBER_BYTES} per number).
 */
final class AsciiFormat {

    /** Upper bound of bytes one formatted number takes: sign, 19 digits, decimal point. */
    static final int MAX_NUMBER_BYTES = 21;

    private static final long[] POWERS_OF_TEN = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000};

    private AsciiFormat() {
    }

    /** Writes {@code value} in decimal; {@link Long#MIN_VALUE} is written correctly too. */
    static int writeLong(byte[] buf, int pos, long value) {
        if (value < 0) {
            buf[pos++] = '-';
            if (value == Long.MIN_VALUE) {
                // -9223372036854775808 has no positive counterpart: peel off the last digit first.
                pos = writeLong(buf, pos, -(value / 10));
                buf[pos++] = (byte) ('0' + -(value % 10));
                return pos;
            }
            value = -value;
        }
        int digits = 1;
        for (long rest = value / 10; rest != 0; rest /= 10) {
            digits++;
        }
        int end = pos + digits;
        for (int i = end - 1; i >= pos; i--) {
            buf[i] = (byte) ('0' + (value % 10));
            value /= 10;
        }
        return end;
    }

    /**
     * Writes {@code scaled / 10^decimals} with at most {@code decimals} fractional digits and no trailing zeros
     * ({@code 4270, 2 -> "42.7"}, {@code 4200, 2 -> "42"}), as a reporter printing a rounded double would.
     */
    static int writeFixed(byte[] buf, int pos, long scaled, int decimals) {
        if (decimals < 0 || decimals >= POWERS_OF_TEN.length) {
            throw new IllegalArgumentException("decimals must be 0.." + (POWERS_OF_TEN.length - 1) + ": " + decimals);
        }
        if (scaled == Long.MIN_VALUE) {
            throw new IllegalArgumentException("scaled value out of range: " + scaled);
        }
        if (decimals == 0) {
            return writeLong(buf, pos, scaled);
        }
        long unit = POWERS_OF_TEN[decimals];
        long magnitude = Math.abs(scaled);
        long whole = magnitude / unit;
        long fraction = magnitude % unit;
        if (scaled < 0 && (whole != 0 || fraction != 0)) {
            buf[pos++] = '-';
        }
        pos = writeLong(buf, pos, whole);
        if (fraction == 0) {
            return pos;
        }
        int fractionDigits = decimals;
        while (fraction % 10 == 0) {
            fraction /= 10;
            fractionDigits--;
        }
        buf[pos++] = '.';
        int end = pos + fractionDigits;
        for (int i = end - 1; i >= pos; i--) {
            buf[i] = (byte) ('0' + (fraction % 10));
            fraction /= 10;
        }
        return end;
    }
}
