package io.tally.engine.codec;

/**
 * Constants and small arithmetic shared by {@link BlockEncoder} and {@link BlockCodec}'s decoder. The byte-level
 * layout they implement is specified in {@code docs/FORMAT-BLOCK.md}; change both together, and add a new
 * {@link #VERSION} rather than changing what version 1 means.
 */
final class BlockFormat {
    static final int VERSION = 1;

    /** Largest slot count a block may declare. */
    static final int MAX_SLOTS = 1 << 16;

    // flags byte
    static final int FLAG_PRESENCE_RUNS = 0x01;
    static final int VALUE_MODE_SHIFT = 1;
    static final int VALUE_MODE_MASK = 0x03;
    static final int FLAG_DEFLATED = 0x08;
    /**
     * With value mode DECIMAL: every value is a decimal divided by a block divisor, plus optional residuals. With
     * value mode CONST: the constant is stored as a decimal (scale and mantissa) instead of 64 raw bits. With any other
     * mode the block is corrupt.
     */
    static final int FLAG_RATIONAL = 0x10;
    /** Presence as one range of present slots (first slot and count) instead of runs; excludes FLAG_PRESENCE_RUNS. */
    static final int FLAG_PRESENCE_RANGE = 0x20;
    static final int FLAGS_RESERVED = 0xC0;

    // value modes
    static final int MODE_NONE = 0;
    static final int MODE_CONST = 1;
    static final int MODE_DECIMAL = 2;
    static final int MODE_XOR = 3;

    // decimal mode: integer-sequence coders
    static final int CODER_PACKED = 0;
    static final int CODER_RICE = 1;
    static final int CODER_ZERO_RUNS = 2;

    /** Decimal scales {@code s}: value = mantissa / 10^s (s >= 0) or mantissa * 10^-s (s < 0). */
    static final int MIN_SCALE = -22;
    static final int MAX_SCALE = 22;
    static final int SCALE_BIAS = 32;

    /** Largest divisor of a rational block. */
    static final int MAX_DIVISOR = 1 << 16;

    /** Values per bit-packed frame (each frame has its own bit width). */
    static final int FRAME = 64;

    /** Rice quotients at or above this use the escape form. */
    static final int RICE_ESCAPE = 16;

    /** Longest zero prefix of an Exp-Golomb code in a valid block (run lengths are at most MAX_SLOTS). */
    static final int MAX_EG_PREFIX = 17;

    /** All powers of ten up to 10^22 are exact doubles. */
    private static final double[] POW10 = new double[MAX_SCALE + 1];

    static {
        double p = 1;
        for (int i = 0; i <= MAX_SCALE; i++) {
            POW10[i] = p;
            p *= 10;
        }
    }

    private BlockFormat() {
    }

    static double pow10(int e) {
        return POW10[e];
    }

    /** The integer that {@code v} would be stored as at {@code scale} (verify with {@link #decimal}). */
    static long mantissa(double v, int scale) {
        return Math.round(scale >= 0 ? v * POW10[scale] : v / POW10[-scale]);
    }

    /** The value a mantissa decodes to; the decoder uses exactly this arithmetic. */
    static double decimal(long mantissa, int scale) {
        return scale >= 0 ? (double) mantissa / POW10[scale] : (double) mantissa * POW10[-scale];
    }

    /**
     * The value a rational block's mantissa decodes to before its residual: {@code decimal(mantissa, scale) / c},
     * two correctly rounded operations; the decoder uses exactly this arithmetic.
     */
    static double rational(long mantissa, int scale, double divisor) {
        return decimal(mantissa, scale) / divisor;
    }

    static boolean fitsScale(double v, int scale) {
        return Double.doubleToRawLongBits(decimal(mantissa(v, scale), scale)) == Double.doubleToRawLongBits(v);
    }

    static long zigzag(long x) {
        return (x << 1) ^ (x >> 63);
    }

    static long unzigzag(long u) {
        return (u >>> 1) ^ -(u & 1);
    }

    static int bitLength(long u) {
        return 64 - Long.numberOfLeadingZeros(u);
    }

    /** Size of a signed value written as a 7-bit length plus that many bits of its zigzag form. */
    static int signedBits(long x) {
        return 7 + bitLength(zigzag(x));
    }

    /** Size of the Exp-Golomb code of order k for {@code v >= 0}. */
    static int expGolombBits(long v, int k) {
        return 2 * bitLength((v >>> k) + 1) - 1 + k;
    }

    /** Size of the Rice code (with escape) of parameter k for unsigned {@code u}. */
    static int riceBits(long u, int k) {
        long q = u >>> k;
        int prefix = q < RICE_ESCAPE ? (int) q + 1 : RICE_ESCAPE + 7 + bitLength(q - RICE_ESCAPE);
        return prefix + k;
    }

    /**
     * An upper bound on the body of a valid block of n slots: presence at most 2 bits per slot plus 8 (an
     * Exp-Golomb-0 run of length L takes at most 2L - 1 bits) and values at most 78 bits each plus 64 (the
     * encoder never keeps a value encoding larger than the XOR one).
     */
    static int maxBodyBytes(int n) {
        return 10 * n + 64;
    }
}
