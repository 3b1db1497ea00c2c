package io.tally.engine.codec;

import static io.tally.engine.codec.BlockFormat.CODER_PACKED;
import static io.tally.engine.codec.BlockFormat.CODER_RICE;
import static io.tally.engine.codec.BlockFormat.CODER_ZERO_RUNS;
import static io.tally.engine.codec.BlockFormat.FLAGS_RESERVED;
import static io.tally.engine.codec.BlockFormat.FLAG_DEFLATED;
import static io.tally.engine.codec.BlockFormat.FLAG_PRESENCE_RANGE;
import static io.tally.engine.codec.BlockFormat.FLAG_PRESENCE_RUNS;
import static io.tally.engine.codec.BlockFormat.FLAG_RATIONAL;
import static io.tally.engine.codec.BlockFormat.MAX_DIVISOR;
import static io.tally.engine.codec.BlockFormat.FRAME;
import static io.tally.engine.codec.BlockFormat.MAX_EG_PREFIX;
import static io.tally.engine.codec.BlockFormat.MAX_SCALE;
import static io.tally.engine.codec.BlockFormat.MAX_SLOTS;
import static io.tally.engine.codec.BlockFormat.MIN_SCALE;
import static io.tally.engine.codec.BlockFormat.MODE_CONST;
import static io.tally.engine.codec.BlockFormat.MODE_DECIMAL;
import static io.tally.engine.codec.BlockFormat.MODE_NONE;
import static io.tally.engine.codec.BlockFormat.MODE_XOR;
import static io.tally.engine.codec.BlockFormat.RICE_ESCAPE;
import static io.tally.engine.codec.BlockFormat.SCALE_BIAS;
import static io.tally.engine.codec.BlockFormat.VALUE_MODE_MASK;
import static io.tally.engine.codec.BlockFormat.VALUE_MODE_SHIFT;
import static io.tally.engine.codec.BlockFormat.VERSION;
import static io.tally.engine.codec.BlockFormat.unzigzag;

import java.util.Arrays;
import java.util.Objects;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The compressed block of one series' slots in one time partition of one archive: which of the {@code n}
 * consecutive slots hold a value, and those values, bit-exactly (any double but NaN, including -0.0, infinities
 * and subnormals). Timestamps are implicit in the slot index. The byte layout is {@code docs/FORMAT-BLOCK.md}.
 *
 * <p>Encoding lives in {@link BlockEncoder} (reusable scratch, zero allocation once warm); the static
 * {@code encode} methods here make a throw-away encoder per call. Decoding is static, thread-safe, and allocates
 * three small objects per block (plus an inflater and a body copy for the rare deflated block); it costs about
 * 1-6 ns per slot depending on the encoding.
 *
 * <p>Decoding design: the presence map is read twice. A first pass counts the present slots {@code m} and
 * validates the runs; the values are then decoded into the tail {@code out[n - m, n)}; a second pass spreads
 * them forward to their slots, writing NaN into absent ones. Spreading forward in place is safe because the
 * write index never passes the read index (it trails it by the number of absent slots still to come). Every
 * loop is bounded by validated counts, every prefix code is capped, and reading past the end yields zeros that a
 * final check turns into a {@link CorruptBlockException}; no malformed input can raise anything else. A rational
 * block's residuals are added to the raw bits of the decoded tail before the spread, then checked for NaN.
 */
public final class BlockCodec {
    /** Largest slot count a block may hold. */
    public static final int MAX_SLOTS = BlockFormat.MAX_SLOTS;

    private BlockCodec() {
    }

    /**
     * Bytes a container may leave out of each block when it knows the slot count {@code n} of all its blocks: the
     * version byte and the varint slot count (docs/FORMAT.md, segment files). The rest, the <i>stored form</i>, is the
     * flags byte followed by everything after the slot count.
     */
    public static int impliedHeaderBytes(int n) {
        if (n < 1 || n > MAX_SLOTS) {
            throw new IllegalArgumentException("slot count " + n + " outside [1, " + MAX_SLOTS + "]");
        }
        return 1 + varintLength(n);
    }

    /**
     * Turns {@code block[0, len)}, a block of {@code n} slots, into its stored form in place; returns where the stored
     * form starts (it ends at {@code len}). Throws if the block does not begin with this version and {@code n}.
     */
    public static int stripHeader(byte[] block, int len, int n) {
        int implied = impliedHeaderBytes(n);
        if (len <= implied || block[0] != VERSION || !varintAt(block, 2, n)) {
            throw new IllegalArgumentException("not a version " + VERSION + " block of " + n + " slots");
        }
        block[implied] = block[1]; // the flags, right before what followed the slot count
        return implied;
    }

    /**
     * Makes a whole block in place from a stored form at {@code block[impliedHeaderBytes(n), ...)}: the version, the
     * flags and the slot count go in front of what followed it, which stays where it is.
     */
    public static void restoreHeader(byte[] block, int n) {
        int implied = impliedHeaderBytes(n);
        block[1] = block[implied];
        block[0] = (byte) VERSION;
        int p = 2;
        int v = n;
        while (v >= 0x80) {
            block[p++] = (byte) (v | 0x80);
            v >>>= 7;
        }
        block[p] = (byte) v;
    }

    private static int varintLength(int v) {
        int len = 1;
        while (v >= 0x80) {
            v >>>= 7;
            len++;
        }
        return len;
    }

    /** Whether the shortest varint of {@code v} starts at {@code b[p]}. */
    private static boolean varintAt(byte[] b, int p, int v) {
        while (v >= 0x80) {
            if (p >= b.length || b[p++] != (byte) (v | 0x80)) {
                return false;
            }
            v >>>= 7;
        }
        return p < b.length && b[p] == (byte) v;
    }

    /** Encodes {@code values[0, n)} (any NaN = absent slot) into a new array. */
    public static byte[] encode(double[] values, int n) {
        try (BlockEncoder encoder = new BlockEncoder()) {
            return encoder.encode(values, n);
        }
    }

    /**
     * Appends the block for {@code values[0, n)} to {@code out}; returns its length. For repeated use without
     * allocation keep a {@link BlockEncoder} instead.
     */
    public static int encode(double[] values, int n, GrowableBuffer out) {
        try (BlockEncoder encoder = new BlockEncoder()) {
            return encoder.encode(values, n, out);
        }
    }

    /** The number of slots {@code n} a block holds, from its header. */
    public static int slotCount(byte[] data, int off, int len) throws CorruptBlockException {
        Objects.checkFromIndexSize(off, len, data.length);
        return new Header(data, off, len).n;
    }

    /** The number of present (non-NaN) slots of a block. */
    public static int presentCount(byte[] data, int off, int len) throws CorruptBlockException {
        Objects.checkFromIndexSize(off, len, data.length);
        Header h = new Header(data, off, len);
        if ((h.flags & (FLAG_PRESENCE_RUNS | FLAG_PRESENCE_RANGE)) == 0) {
            return h.n;
        }
        BitReader r = body(h, data);
        return (h.flags & FLAG_PRESENCE_RANGE) != 0 ? (int) readRange(r, h.n) : countPresent(r, h.n);
    }

    /**
     * Decodes a block into {@code out[0, n)} (NaN for absent slots) and returns n. On failure the content of
     * {@code out} is unspecified.
     *
     * @throws CorruptBlockException if the block is malformed or declares more slots than {@code out} holds
     * @throws IndexOutOfBoundsException if {@code [off, off + len)} is not inside {@code data}
     */
    public static int decode(byte[] data, int off, int len, double[] out) throws CorruptBlockException {
        Objects.checkFromIndexSize(off, len, data.length);
        Header h = new Header(data, off, len);
        int n = h.n;
        if (n > out.length) {
            throw new CorruptBlockException("block declares " + n + " slots but the output holds " + out.length);
        }
        BitReader r = body(h, data);
        boolean runs = (h.flags & FLAG_PRESENCE_RUNS) != 0;
        long presenceStart = r.position();
        int m;
        int rangeFirst = 0;
        if ((h.flags & FLAG_PRESENCE_RANGE) != 0) {
            long range = readRange(r, n);
            m = (int) range;
            rangeFirst = (int) (range >>> 32);
        } else {
            m = runs ? countPresent(r, n) : n;
        }
        int mode = (h.flags >>> VALUE_MODE_SHIFT) & VALUE_MODE_MASK;
        if ((mode == MODE_NONE) != (m == 0)) {
            throw new CorruptBlockException("value mode " + mode + " does not fit " + m + " present slots");
        }
        boolean rational = (h.flags & FLAG_RATIONAL) != 0;
        if (rational && mode != MODE_DECIMAL && mode != MODE_CONST) {
            throw new CorruptBlockException("rational flag with value mode " + mode);
        }
        int base = n - m;
        switch (mode) {
            case MODE_CONST -> {
                double v = rational ? decodeDecimalConstant(r) : Double.longBitsToDouble(r.readLong(64));
                if (v != v) {
                    throw new CorruptBlockException("constant value is NaN");
                }
                Arrays.fill(out, base, n, v);
            }
            case MODE_DECIMAL -> {
                if (rational) {
                    decodeRational(r, out, base, m);
                } else {
                    decodeDecimal(r, out, base, m, 1);
                }
            }
            case MODE_XOR -> decodeXor(r, out, base, m);
            default -> {
            }
        }
        r.checkEnd();
        if (runs) {
            r.seek(presenceStart);
            spread(r, out, n, base);
        } else if (m < n) {
            // one range: move the values forward to it and blank both sides (copying first, as they may overlap)
            System.arraycopy(out, base, out, rangeFirst, m);
            Arrays.fill(out, 0, rangeFirst, Double.NaN);
            Arrays.fill(out, rangeFirst + m, n, Double.NaN);
        }
        return n;
    }

    /** A CONST block's value stored as a decimal: the scale, then the mantissa. */
    private static double decodeDecimalConstant(BitReader r) throws CorruptBlockException {
        int scale = (int) r.read(6) - SCALE_BIAS;
        if (scale < MIN_SCALE || scale > MAX_SCALE) {
            throw new CorruptBlockException("decimal scale " + scale + " outside [" + MIN_SCALE + ", " + MAX_SCALE
                    + "]");
        }
        return BlockFormat.decimal(readSigned(r), scale);
    }

    // ---------------------------------------------------------------- header and body

    /** The parsed byte header: version, flags, n, and where the body starts. */
    private static final class Header {
        final int flags;
        final int n;
        final int bodyOffset;
        final int end;
        final int inflatedLength;

        Header(byte[] data, int off, int len) throws CorruptBlockException {
            int end = off + len;
            if (len < 3) {
                throw new CorruptBlockException("block of " + len + " bytes is shorter than its header");
            }
            if (data[off] != VERSION) {
                throw new CorruptBlockException("unknown block version " + (data[off] & 0xFF) + " (expected "
                        + VERSION + ")");
            }
            int flags = data[off + 1] & 0xFF;
            if ((flags & FLAGS_RESERVED) != 0) {
                throw new CorruptBlockException("reserved block flag bits set: 0x" + Integer.toHexString(flags));
            }
            if ((flags & FLAG_PRESENCE_RUNS) != 0 && (flags & FLAG_PRESENCE_RANGE) != 0) {
                throw new CorruptBlockException("both presence forms flagged: 0x" + Integer.toHexString(flags));
            }
            int p = off + 2;
            long nAndPos = readVarint(data, p, end);
            int n = (int) nAndPos;
            p = (int) (nAndPos >>> 32);
            if (n < 1 || n > MAX_SLOTS) {
                throw new CorruptBlockException("block slot count " + n + " outside [1, " + MAX_SLOTS + "]");
            }
            int inflated = -1;
            if ((flags & FLAG_DEFLATED) != 0) {
                long lenAndPos = readVarint(data, p, end);
                inflated = (int) lenAndPos;
                p = (int) (lenAndPos >>> 32);
                if (inflated < 1 || inflated > BlockFormat.maxBodyBytes(n)) {
                    throw new CorruptBlockException("deflated body length " + inflated + " impossible for " + n
                            + " slots");
                }
            }
            this.flags = flags;
            this.n = n;
            this.bodyOffset = p;
            this.end = end;
            this.inflatedLength = inflated;
        }
    }

    /** Reads an unsigned LEB128 int of at most 3 bytes (values below 2^21); returns value | (next pos << 32). */
    private static long readVarint(byte[] data, int pos, int end) throws CorruptBlockException {
        int value = 0;
        int p = pos;
        for (int shift = 0; shift < 21; shift += 7) {
            if (p >= end) {
                throw new CorruptBlockException("block header truncated");
            }
            int b = data[p++];
            value |= (b & 0x7F) << shift;
            if (b >= 0) {
                return (value & 0xFFFFFFFFL) | ((long) p << 32);
            }
        }
        throw new CorruptBlockException("block header varint longer than 3 bytes");
    }

    private static BitReader body(Header h, byte[] data) throws CorruptBlockException {
        if (h.inflatedLength < 0) {
            return new BitReader(data, h.bodyOffset, h.end);
        }
        byte[] body = new byte[h.inflatedLength];
        Inflater inflater = new Inflater(true);
        try {
            inflater.setInput(data, h.bodyOffset, h.end - h.bodyOffset);
            int got = inflater.inflate(body);
            if (got != body.length || !inflater.finished() || inflater.getRemaining() != 0) {
                throw new CorruptBlockException("deflated body does not inflate to its declared " + body.length
                        + " bytes");
            }
        } catch (DataFormatException e) {
            throw new CorruptBlockException("deflated body is malformed: " + e.getMessage(), e);
        } finally {
            inflater.end();
        }
        return new BitReader(body, 0, body.length);
    }

    // ---------------------------------------------------------------- presence

    private static long readExpGolomb(BitReader r, int k) throws CorruptBlockException {
        long w = r.peek();
        int zeros = Long.numberOfLeadingZeros(w);
        if (zeros > MAX_EG_PREFIX) {
            throw new CorruptBlockException("run length code too long");
        }
        int prefix = 2 * zeros + 1;
        if (prefix + k <= 57) {
            long v = (w >>> (64 - prefix - k)) - (1L << k);
            r.skip(prefix + k);
            return v;
        }
        long hi = r.read(prefix);
        return ((hi - 1) << k) | r.read(k);
    }

    /**
     * Reads and validates the range form of the presence section: returns the present count in the low 32 bits and
     * the first present slot in the high ones. The count is at least 1 and leaves at least one slot absent.
     */
    private static long readRange(BitReader r, int n) throws CorruptBlockException {
        if (n < 2) {
            throw new CorruptBlockException("presence range in a block of " + n + " slot");
        }
        int width = BlockFormat.bitLength(n - 1);
        boolean fromStart = r.read(1) == 1;
        long first = fromStart ? 0 : r.read(width);
        if (!fromStart && (first == 0 || first >= n)) {
            throw new CorruptBlockException("presence range first slot " + first + " outside [1, " + n + ")");
        }
        boolean toEnd = r.read(1) == 1;
        long count = toEnd ? n - first : r.read(width) + 1;
        if (fromStart && toEnd) {
            throw new CorruptBlockException("presence range covers every slot");
        }
        if (!toEnd && first + count >= n) {
            throw new CorruptBlockException("presence range [" + first + ", " + (first + count)
                    + ") does not end inside the " + n + " slots");
        }
        if (r.overrun()) {
            throw new CorruptBlockException("block truncated inside the presence range");
        }
        return count | (first << 32);
    }

    /** First pass: validates the runs, leaves the reader after them, returns the number of present slots. */
    private static int countPresent(BitReader r, int n) throws CorruptBlockException {
        int kp = (int) r.read(4);
        int ka = (int) r.read(4);
        int slot = 0;
        int present = 0;
        boolean isPresent = true;
        boolean first = true;
        while (slot < n) {
            long len = readExpGolomb(r, isPresent ? kp : ka) + (first ? 0 : 1);
            if (len > n - slot) {
                throw new CorruptBlockException("presence runs exceed the " + n + " slots");
            }
            slot += (int) len;
            if (isPresent) {
                present += (int) len;
            }
            isPresent = !isPresent;
            first = false;
        }
        if (r.overrun()) {
            throw new CorruptBlockException("block truncated inside the presence map");
        }
        return present;
    }

    /** Second pass over runs already validated: moves out[base, n) forward to the present slots. */
    private static void spread(BitReader r, double[] out, int n, int base) throws CorruptBlockException {
        int kp = (int) r.read(4);
        int ka = (int) r.read(4);
        int slot = 0;
        int src = base;
        boolean isPresent = true;
        boolean first = true;
        while (slot < n) {
            int len = (int) (readExpGolomb(r, isPresent ? kp : ka) + (first ? 0 : 1));
            if (isPresent) {
                if (src != slot) {
                    if (len < 16) {
                        for (int i = 0; i < len; i++) {
                            out[slot + i] = out[src + i];
                        }
                    } else {
                        System.arraycopy(out, src, out, slot, len);
                    }
                }
                src += len;
            } else if (len < 16) {
                for (int i = slot; i < slot + len; i++) {
                    out[i] = Double.NaN;
                }
            } else {
                Arrays.fill(out, slot, slot + len, Double.NaN);
            }
            slot += len;
            isPresent = !isPresent;
            first = false;
        }
    }

    // ---------------------------------------------------------------- decimal

    /**
     * Rebuilds mantissas from their order-th differences and converts them to doubles (divided by a rational
     * block's divisor). With {@link #RESIDUALS} as its order it instead adds each value to the raw bits of the
     * next output slot: a rational block's residual pass.
     */
    private static final class DecimalSink {
        static final int RESIDUALS = 3;

        private final double[] out;
        private final int order;
        private final boolean integral;
        private final boolean divide;
        private final double pow;
        private final boolean rational;
        private final double divisor;
        private int pos;
        private long prev;
        private long delta;

        DecimalSink(double[] out, int pos, int order, int scale, int divisor) {
            this.out = out;
            this.pos = pos;
            this.order = order;
            this.integral = scale == 0;
            this.divide = scale >= 0;
            this.pow = BlockFormat.pow10(Math.abs(scale));
            this.rational = divisor != 1 || order == RESIDUALS;
            this.divisor = divisor;
        }

        void value(long mantissa) {
            double d = integral ? (double) mantissa : divide ? (double) mantissa / pow : (double) mantissa * pow;
            out[pos++] = rational ? d / divisor : d;
        }

        void start(long m0, long d1, boolean hasD1) {
            prev = m0;
            value(m0);
            if (hasD1) {
                delta = d1;
                prev = m0 + d1;
                value(prev);
            }
        }

        void next(long s) {
            long mantissa;
            if (order == 0) {
                mantissa = s;
            } else if (order == 1) {
                mantissa = prev + s;
            } else if (order == 2) {
                delta += s;
                mantissa = prev + delta;
            } else {
                out[pos] = Double.longBitsToDouble(Double.doubleToRawLongBits(out[pos]) + s);
                pos++;
                return;
            }
            prev = mantissa;
            value(mantissa);
        }
    }

    private static long readSigned(BitReader r) throws CorruptBlockException {
        int len = (int) r.read(7);
        if (len > 64) {
            throw new CorruptBlockException("integer field of " + len + " bits");
        }
        return unzigzag(r.readLong(len));
    }

    private static long readRice(BitReader r, int k) throws CorruptBlockException {
        long w = r.peek();
        int ones = Long.numberOfLeadingZeros(~w);
        if (ones < RICE_ESCAPE && ones + 1 + k <= 57) {
            // common case: prefix and remainder both inside the 57 bits just loaded
            int used = ones + 1 + k;
            r.skip(used);
            long low = k == 0 ? 0 : (w << (ones + 1)) >>> (64 - k);
            return ((long) ones << k) | low;
        }
        long q;
        if (ones < RICE_ESCAPE) {
            r.skip(ones + 1);
            q = ones;
        } else {
            r.skip(RICE_ESCAPE);
            int len = (int) r.read(7);
            if (len > 64) {
                throw new CorruptBlockException("escaped quotient of " + len + " bits");
            }
            q = RICE_ESCAPE + r.readLong(len);
        }
        return (q << k) | r.readLong(k);
    }

    /**
     * Rice values, decoded several per load: the 57 bits of one {@link BitReader#peek()} are consumed code by code
     * (shifting the word) until the next code might not fit; only then is the reader advanced and the word
     * reloaded. This keeps the memory load out of the per-value dependency chain.
     */
    private static void decodeRice(BitReader r, DecimalSink sink, int c, int k, long center)
            throws CorruptBlockException {
        long w = r.peek();
        int avail = 57;
        int i = 0;
        while (i < c) {
            int ones = Long.numberOfLeadingZeros(~w);
            int used = ones + 1 + k;
            if (ones < RICE_ESCAPE && used <= avail) {
                long low = k == 0 ? 0 : (w << (ones + 1)) >>> (64 - k);
                sink.next(center + unzigzag(((long) ones << k) | low));
                w <<= used;
                avail -= used;
                i++;
            } else {
                r.skip(57 - avail);
                if (ones >= RICE_ESCAPE || avail == 57) {
                    // an escape, or a code longer than one load: the general path
                    sink.next(center + unzigzag(readRice(r, k)));
                    i++;
                }
                w = r.peek();
                avail = 57;
            }
        }
        r.skip(57 - avail);
    }

    private static void decodeDecimal(BitReader r, double[] out, int base, int m, int divisor)
            throws CorruptBlockException {
        int scale = (int) r.read(6) - SCALE_BIAS;
        int order = (int) r.read(2);
        int coder = (int) r.read(2);
        if (scale < MIN_SCALE || scale > MAX_SCALE) {
            throw new CorruptBlockException("decimal scale " + scale + " outside [" + MIN_SCALE + ", " + MAX_SCALE
                    + "]");
        }
        if (order > 2 || order > m) {
            throw new CorruptBlockException("difference order " + order + " impossible for " + m + " values");
        }
        DecimalSink sink = new DecimalSink(out, base, order, scale, divisor);
        if (order >= 1) {
            long m0 = readSigned(r);
            long d1 = order == 2 ? readSigned(r) : 0;
            sink.start(m0, d1, order == 2);
        }
        decodeSequence(r, sink, coder, m - order);
    }

    /** Reads c integers coded by {@code coder} (parameters first) into the sink. */
    private static void decodeSequence(BitReader r, DecimalSink sink, int coder, int c)
            throws CorruptBlockException {
        switch (coder) {
            case CODER_PACKED -> {
                long min = readSigned(r);
                for (int f = 0; f < c; f += FRAME) {
                    int width = (int) r.read(7);
                    if (width > 64) {
                        throw new CorruptBlockException("frame bit width " + width);
                    }
                    int end = Math.min(c, f + FRAME);
                    if (width <= 57) {
                        for (int i = f; i < end; i++) {
                            sink.next(min + r.read(width));
                        }
                    } else {
                        for (int i = f; i < end; i++) {
                            sink.next(min + r.readLong(width));
                        }
                    }
                }
            }
            case CODER_RICE -> {
                long center = readSigned(r);
                int k = (int) r.read(6);
                decodeRice(r, sink, c, k, center);
            }
            case CODER_ZERO_RUNS -> {
                int kz = (int) r.read(4);
                int k = (int) r.read(6);
                int done = 0;
                while (done < c) {
                    long run = readExpGolomb(r, kz);
                    if (run > c - done) {
                        throw new CorruptBlockException("zero run passes the end of the values");
                    }
                    for (int i = 0; i < run; i++) {
                        sink.next(0);
                    }
                    done += (int) run;
                    if (done < c) {
                        sink.next(unzigzag(readRice(r, k) + 1));
                        done++;
                    }
                }
            }
            default -> throw new CorruptBlockException("unknown integer coder " + coder);
        }
    }

    /**
     * Rational DECIMAL: the divisor, the residual flag, a DECIMAL section whose values are divided by the
     * divisor, then (if flagged) one residual per value added to its raw bits.
     */
    private static void decodeRational(BitReader r, double[] out, int base, int m) throws CorruptBlockException {
        long divisor = readExpGolomb(r, 0) + 1;
        if (divisor > MAX_DIVISOR) {
            throw new CorruptBlockException("rational divisor " + divisor + " above " + MAX_DIVISOR);
        }
        boolean residuals = r.read(1) != 0;
        decodeDecimal(r, out, base, m, (int) divisor);
        if (residuals) {
            int coder = (int) r.read(2);
            decodeSequence(r, new DecimalSink(out, base, DecimalSink.RESIDUALS, 0, 1), coder, m);
            for (int i = base; i < base + m; i++) {
                double v = out[i];
                if (v != v) {
                    throw new CorruptBlockException("present value is NaN");
                }
            }
        }
    }

    // ---------------------------------------------------------------- XOR

    private static void decodeXor(BitReader r, double[] out, int base, int m) throws CorruptBlockException {
        long prev = r.readLong(64);
        int pos = base;
        out[pos++] = checked(prev);
        int lead = 0;
        int len = 0;
        for (int i = 1; i < m; i++) {
            long w = r.peek();
            if (w >= 0) {
                // '0': unchanged
                r.skip(1);
            } else if ((w << 1) >= 0) {
                // '10': inside the previous window
                if (len == 0) {
                    throw new CorruptBlockException("XOR value reuses a window before one was set");
                }
                if (len <= 55) {
                    r.skip(2 + len);
                    prev ^= ((w << 2) >>> (64 - len)) << (64 - lead - len);
                } else {
                    r.skip(2);
                    prev ^= r.readLong(len) << (64 - lead - len);
                }
            } else {
                // '11': new window
                lead = (int) ((w >>> 56) & 0x3F);
                len = (int) ((w >>> 50) & 0x3F) + 1;
                if (lead + len > 64) {
                    throw new CorruptBlockException("XOR window of " + lead + " + " + len + " bits");
                }
                if (len <= 43) {
                    r.skip(14 + len);
                    prev ^= ((w << 14) >>> (64 - len)) << (64 - lead - len);
                } else {
                    r.skip(14);
                    prev ^= r.readLong(len) << (64 - lead - len);
                }
            }
            out[pos++] = checked(prev);
        }
    }

    private static double checked(long bits) throws CorruptBlockException {
        double v = Double.longBitsToDouble(bits);
        if (v != v) {
            throw new CorruptBlockException("present value is NaN");
        }
        return v;
    }
}
