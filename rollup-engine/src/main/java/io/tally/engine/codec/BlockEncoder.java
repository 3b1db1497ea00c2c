package io.tally.engine.codec;

import static io.tally.engine.codec.BlockFormat.CODER_PACKED;
import static io.tally.engine.codec.BlockFormat.CODER_RICE;
import static io.tally.engine.codec.BlockFormat.CODER_ZERO_RUNS;
import static io.tally.engine.codec.BlockFormat.FLAG_DEFLATED;
import static io.tally.engine.codec.BlockFormat.FLAG_PRESENCE_RUNS;
import static io.tally.engine.codec.BlockFormat.FRAME;
import static io.tally.engine.codec.BlockFormat.MAX_SCALE;
import static io.tally.engine.codec.BlockFormat.MAX_SLOTS;
import static io.tally.engine.codec.BlockFormat.MIN_SCALE;
import static io.tally.engine.codec.BlockFormat.MODE_CONST;
import static io.tally.engine.codec.BlockFormat.MODE_DECIMAL;
import static io.tally.engine.codec.BlockFormat.MODE_NONE;
import static io.tally.engine.codec.BlockFormat.MODE_XOR;
import static io.tally.engine.codec.BlockFormat.RICE_ESCAPE;
import static io.tally.engine.codec.BlockFormat.SCALE_BIAS;
import static io.tally.engine.codec.BlockFormat.VALUE_MODE_SHIFT;
import static io.tally.engine.codec.BlockFormat.VERSION;
import static io.tally.engine.codec.BlockFormat.bitLength;
import static io.tally.engine.codec.BlockFormat.expGolombBits;
import static io.tally.engine.codec.BlockFormat.riceBits;
import static io.tally.engine.codec.BlockFormat.signedBits;
import static io.tally.engine.codec.BlockFormat.zigzag;

import java.util.Arrays;
import java.util.zip.Deflater;

/**
 * Encodes blocks (see {@code docs/FORMAT-BLOCK.md}), reusing its scratch arrays from one block to the next.
 *
 * <p>Design: the encoder measures instead of guessing. For the presence map and for every value encoding it can
 * use, it computes the exact size in bits from the same integer codes the writers use (an assertion checks that
 * the size model and the bits written agree), then writes only the smallest. Value encodings: CONST (every present
 * value has the same bits), DECIMAL (every value is {@code mantissa / 10^scale} bit-exactly; mantissas as raw,
 * first- or second-difference sequences, each coded by frame bit-packing, centered Rice or zero-run Rice) and XOR
 * (Gorilla-style, takes anything). A raw-deflate pass over the body is tried only when a cheap match probe sees
 * repeats in it, and kept only when it saves bytes.
 *
 * <p>Cost: a few passes over the present values per candidate order, about 10-30 us per 720-slot block; the
 * deflate attempt, when the probe allows it, adds 20-30 us.
 *
 * <p>Not thread-safe: use one encoder per thread (a shard writer or checkpointer keeps its own). After warm-up an
 * encode into a reused {@link GrowableBuffer} allocates nothing. {@link #close()} frees the native deflater.
 */
public final class BlockEncoder implements AutoCloseable {
    /** Bodies smaller than this are not worth a deflate attempt (deflate cannot win on them). */
    private static final int DEFLATE_MIN_BODY = 48;
    private static final int PROBE_BITS = 11;

    private final boolean tryDeflate;
    private final BitWriter bits = new BitWriter();

    private double[] present = new double[0];
    private long[] mantissas = new long[0];
    private long[] seq = new long[0];
    private int[] runs = new int[0];
    private int[] zeroRuns = new int[0];
    private long[] frameMax = new long[0];
    private final int[] probe = new int[1 << PROBE_BITS];
    private Deflater deflater;
    private byte[] deflated = new byte[0];

    // the chosen decimal plan, filled by chooseMode / planDecimal
    private int planScale;
    private int planOrder;
    private int planCoder;
    private int planK;
    private int planKz;
    private long planCenter;
    // parameters found by the last bestRice / zeroRunsPlan
    private int riceK;
    private int zeroRunK;

    /** An encoder that also tries a final deflate pass. */
    public BlockEncoder() {
        this(true);
    }

    /** @param tryDeflate whether to try a final deflate pass on bodies of 48 bytes or more */
    public BlockEncoder(boolean tryDeflate) {
        this.tryDeflate = tryDeflate;
    }

    /** Encodes {@code values[0, n)} (NaN = absent slot) into a new array. */
    public byte[] encode(double[] values, int n) {
        GrowableBuffer out = new GrowableBuffer(16 + n);
        encode(values, n, out);
        return out.toByteArray();
    }

    /**
     * Appends the block for {@code values[0, n)} (any NaN = absent slot) to {@code out} and returns its length.
     *
     * @throws IllegalArgumentException if n is outside {@code [1, 65536]} or larger than {@code values.length}
     */
    public int encode(double[] values, int n, GrowableBuffer out) {
        if (n < 1 || n > MAX_SLOTS) {
            throw new IllegalArgumentException("slot count " + n + " outside [1, " + MAX_SLOTS + "]");
        }
        if (n > values.length) {
            throw new IllegalArgumentException("slot count " + n + " exceeds values.length " + values.length);
        }
        ensureScratch(n);
        int m = 0;
        int runCount = 0;
        boolean inPresent = true;
        int runLength = 0;
        for (int i = 0; i < n; i++) {
            double v = values[i];
            boolean p = v == v;
            if (p) {
                present[m++] = v;
            }
            if (p == inPresent) {
                runLength++;
            } else {
                runs[runCount++] = runLength;
                inPresent = p;
                runLength = 1;
            }
        }
        runs[runCount++] = runLength;

        int start = out.size();
        out.put((byte) VERSION);
        int flagsAt = out.size();
        out.put((byte) 0);
        putVarint(out, n);
        int bodyStart = out.size();
        bits.start(out);

        int flags = 0;
        long predicted = 0;
        if (m < n) {
            flags |= FLAG_PRESENCE_RUNS;
            predicted += writeRuns(runCount);
        }
        int mode = m == 0 ? MODE_NONE : chooseMode(m);
        flags |= mode << VALUE_MODE_SHIFT;
        predicted += switch (mode) {
            case MODE_CONST -> {
                bits.write(Double.doubleToRawLongBits(present[0]), 64);
                yield 64;
            }
            case MODE_DECIMAL -> writeDecimal(m);
            case MODE_XOR -> writeXor(m);
            default -> 0;
        };
        assert bits.bitsWritten() == predicted : "size model " + predicted + " != written " + bits.bitsWritten();
        bits.finish();

        if (tryDeflate && out.size() - bodyStart >= DEFLATE_MIN_BODY
                && hasRepeats(out.array(), bodyStart, out.size()) && deflateBody(out, bodyStart)) {
            flags |= FLAG_DEFLATED;
        }
        out.set(flagsAt, (byte) flags);
        return out.size() - start;
    }

    /** Frees the native deflater; the encoder stays usable (a new deflater is made on demand). */
    @Override
    public void close() {
        if (deflater != null) {
            deflater.end();
            deflater = null;
        }
    }

    private void ensureScratch(int n) {
        if (present.length < n) {
            present = new double[n];
            mantissas = new long[n];
            seq = new long[n];
            runs = new int[n + 1];
            zeroRuns = new int[n + 1];
            frameMax = new long[n / FRAME + 1];
        }
    }

    static void putVarint(GrowableBuffer out, int v) {
        int x = v;
        while ((x & ~0x7F) != 0) {
            out.put((byte) ((x & 0x7F) | 0x80));
            x >>>= 7;
        }
        out.put((byte) x);
    }

    // ---------------------------------------------------------------- presence

    /** Run i is a present run for even i, an absent run for odd i; run 0 may be empty, the others may not. */
    private static long runValue(int[] runs, int i) {
        return i == 0 ? runs[0] : runs[i] - 1;
    }

    private int bestRunOrder(int runCount, int first) {
        int best = 0;
        long bestBits = Long.MAX_VALUE;
        for (int k = 0; k < 16; k++) {
            long b = 0;
            for (int i = first; i < runCount; i += 2) {
                b += expGolombBits(runValue(runs, i), k);
            }
            if (b < bestBits) {
                bestBits = b;
                best = k;
            }
        }
        return best;
    }

    private long writeRuns(int runCount) {
        int kp = bestRunOrder(runCount, 0);
        int ka = bestRunOrder(runCount, 1);
        bits.write(kp, 4);
        bits.write(ka, 4);
        long written = 8;
        for (int i = 0; i < runCount; i++) {
            written += writeExpGolomb(runValue(runs, i), (i & 1) == 0 ? kp : ka);
        }
        return written;
    }

    private int writeExpGolomb(long v, int k) {
        long hi = (v >>> k) + 1;
        int len = bitLength(hi);
        bits.write(hi, 2 * len - 1);
        bits.write(v, k);
        return 2 * len - 1 + k;
    }

    private int writeRice(long u, int k) {
        long q = u >>> k;
        int size;
        if (q < RICE_ESCAPE) {
            bits.write(((1L << q) - 1) << 1, (int) q + 1);
            size = (int) q + 1;
        } else {
            long rest = q - RICE_ESCAPE;
            int len = bitLength(rest);
            bits.ones(RICE_ESCAPE);
            bits.write(len, 7);
            bits.write(rest, len);
            size = RICE_ESCAPE + 7 + len;
        }
        bits.write(u, k);
        return size + k;
    }

    private int writeSigned(long x) {
        long u = zigzag(x);
        int len = bitLength(u);
        bits.write(len, 7);
        bits.write(u, len);
        return 7 + len;
    }

    // ---------------------------------------------------------------- value mode choice

    /** The smallest of CONST (64 bits), DECIMAL and XOR for the present values; ties go to the simpler. */
    private int chooseMode(int m) {
        long firstBits = Double.doubleToRawLongBits(present[0]);
        boolean constant = true;
        for (int i = 1; i < m && constant; i++) {
            constant = Double.doubleToRawLongBits(present[i]) == firstBits;
        }
        if (constant && m > 1) {
            return MODE_CONST;
        }
        int mode = constant ? MODE_CONST : MODE_NONE;
        long best = constant ? 64 : Long.MAX_VALUE;
        int scale = findScale(m);
        if (scale != Integer.MIN_VALUE) {
            long decimal = planDecimal(m);
            if (decimal < best) {
                planScale = scale;
                mode = MODE_DECIMAL;
                best = decimal;
            }
        }
        if (xorBits(m, best) < best) {
            mode = MODE_XOR;
        }
        return mode;
    }

    // ---------------------------------------------------------------- decimal

    /**
     * The smallest scale at which every present value round-trips bit-exactly, with the mantissas left in
     * {@link #mantissas}; {@link Integer#MIN_VALUE} if there is none (e.g. -0.0, infinities, full-precision noise).
     * One pass: when a value needs a larger scale, the scale goes up and the pass restarts (at most 44 times).
     */
    private int findScale(int m) {
        int scale = MIN_SCALE;
        int i = 0;
        while (i < m) {
            double v = present[i];
            long mant = BlockFormat.mantissa(v, scale);
            if (Double.doubleToRawLongBits(BlockFormat.decimal(mant, scale)) == Double.doubleToRawLongBits(v)) {
                mantissas[i++] = mant;
                continue;
            }
            do {
                if (++scale > MAX_SCALE) {
                    return Integer.MIN_VALUE;
                }
            } while (!BlockFormat.fitsScale(v, scale));
            i = 0;
        }
        return scale;
    }

    /** Fills {@link #seq} with the order-th differences of the mantissas (wrapping); returns their count. */
    private int fillSequence(int m, int order) {
        long[] mt = mantissas;
        switch (order) {
            case 0 -> System.arraycopy(mt, 0, seq, 0, m);
            case 1 -> {
                for (int i = 1; i < m; i++) {
                    seq[i - 1] = mt[i] - mt[i - 1];
                }
            }
            default -> {
                for (int i = 2; i < m; i++) {
                    seq[i - 2] = (mt[i] - mt[i - 1]) - (mt[i - 1] - mt[i - 2]);
                }
            }
        }
        return m - order;
    }

    /** Picks order, coder and parameters; returns the size of the decimal value section in bits. */
    private long planDecimal(int m) {
        long best = Long.MAX_VALUE;
        int maxOrder = Math.min(2, m - 1);
        for (int order = 0; order <= maxOrder; order++) {
            int c = fillSequence(m, order);
            long head = 6 + 2 + 2;
            if (order >= 1) {
                head += signedBits(mantissas[0]);
            }
            if (order == 2) {
                head += signedBits(mantissas[1] - mantissas[0]);
            }
            // one pass of statistics: minimum, frame maxima, zeros, mean and spread (of s - s0, for precision)
            long min = c == 0 ? 0 : Long.MAX_VALUE;
            long s0 = c == 0 ? 0 : seq[0];
            int zeros = 0;
            double sum = 0;
            double sumSq = 0;
            for (int f = 0; f < c; f += FRAME) {
                int end = Math.min(c, f + FRAME);
                long max = Long.MIN_VALUE;
                for (int i = f; i < end; i++) {
                    long s = seq[i];
                    min = Math.min(min, s);
                    max = Math.max(max, s);
                    if (s == 0) {
                        zeros++;
                    }
                    double t = s - s0;
                    sum += t;
                    sumSq += t * t;
                }
                frameMax[f / FRAME] = max;
            }
            long packed = head + signedBits(min);
            for (int f = 0; f < c; f += FRAME) {
                packed += 7 + (long) bitLength(frameMax[f / FRAME] - min) * (Math.min(c, f + FRAME) - f);
            }
            if (packed < best) {
                best = packed;
                planOrder = order;
                planCoder = CODER_PACKED;
            }
            double mean = c == 0 ? 0 : sum / c;
            long center = s0 + Math.round(mean);
            // zigzag of a roughly symmetric value averages about 1.5 standard deviations
            double spread = c == 0 ? 0 : 1.5 * Math.sqrt(Math.max(0, sumSq / c - mean * mean));
            long rice = head + signedBits(center) + 6 + bestRice(c, spread, center, false);
            if (rice < best) {
                best = rice;
                planOrder = order;
                planCoder = CODER_RICE;
                planK = riceK;
                planCenter = center;
            }
            // zero runs only pay off when zeros are common
            if (zeros >= 2 && zeros * 8 >= c) {
                long zr = head + zeroRunsPlan(c, zeros);
                if (zr < best) {
                    best = zr;
                    planOrder = order;
                    planCoder = CODER_ZERO_RUNS;
                    planK = riceK;
                    planKz = zeroRunK;
                }
            }
        }
        return best;
    }

    private static double unsignedToDouble(long u) {
        return u >= 0 ? u : (u >>> 1) * 2.0;
    }

    /** Rice parameter guess for values of the given mean: about log2 of the mean. */
    private static int riceGuess(double mean) {
        return mean < 2 ? 0 : Math.min(63, Math.getExponent(mean));
    }

    /**
     * Exact Rice size (without its parameters) of zigzag(s - center) over the sequence, or of zigzag(s) - 1 over
     * its non-zero elements, for the best of four parameters around the guess from the mean coded value; leaves
     * that parameter in {@link #riceK}.
     */
    private long bestRice(int c, double meanCoded, long center, boolean nonZeroOnly) {
        int k0 = Math.max(0, Math.min(60, riceGuess(meanCoded) - 2));
        long b0 = 0;
        long b1 = 0;
        long b2 = 0;
        long b3 = 0;
        for (int i = 0; i < c; i++) {
            long s = seq[i];
            long u;
            if (nonZeroOnly) {
                if (s == 0) {
                    continue;
                }
                u = zigzag(s) - 1;
            } else {
                u = zigzag(s - center);
            }
            b0 += riceBits(u, k0);
            b1 += riceBits(u, k0 + 1);
            b2 += riceBits(u, k0 + 2);
            b3 += riceBits(u, k0 + 3);
        }
        long best = Math.min(Math.min(b0, b1), Math.min(b2, b3));
        riceK = best == b0 ? k0 : best == b1 ? k0 + 1 : best == b2 ? k0 + 2 : k0 + 3;
        return best;
    }

    /**
     * Zero-run coding: a run of zeros (Exp-Golomb, order kz), then one non-zero value (Rice of zigzag - 1), and so
     * on; a run closes the sequence only if it ends with zeros. Returns its size, parameters in {@link #riceK} and
     * {@link #zeroRunK}.
     */
    private long zeroRunsPlan(int c, int zeros) {
        int runCount = 0;
        int current = 0;
        double sum = 0;
        for (int i = 0; i < c; i++) {
            long s = seq[i];
            if (s == 0) {
                current++;
            } else {
                zeroRuns[runCount++] = current;
                current = 0;
                sum += unsignedToDouble(zigzag(s) - 1);
            }
        }
        if (current > 0) {
            zeroRuns[runCount++] = current;
        }
        int k0 = Math.max(0, Math.min(13, riceGuess((double) zeros / runCount) - 1));
        long b0 = 0;
        long b1 = 0;
        long b2 = 0;
        for (int i = 0; i < runCount; i++) {
            int z = zeroRuns[i];
            b0 += expGolombBits(z, k0);
            b1 += expGolombBits(z, k0 + 1);
            b2 += expGolombBits(z, k0 + 2);
        }
        long runs;
        if (b0 <= b1 && b0 <= b2) {
            zeroRunK = k0;
            runs = b0;
        } else {
            zeroRunK = b1 <= b2 ? k0 + 1 : k0 + 2;
            runs = Math.min(b1, b2);
        }
        int nonZero = c - zeros;
        return 4 + 6 + runs + bestRice(c, nonZero == 0 ? 0 : sum / nonZero, 0, true);
    }

    private long writeDecimal(int m) {
        int scale = planScale;
        int order = planOrder;
        int c = fillSequence(m, order);
        long written = 10;
        bits.write(scale + SCALE_BIAS, 6);
        bits.write(order, 2);
        bits.write(planCoder, 2);
        if (order >= 1) {
            written += writeSigned(mantissas[0]);
        }
        if (order == 2) {
            written += writeSigned(mantissas[1] - mantissas[0]);
        }
        switch (planCoder) {
            case CODER_PACKED -> written += writePacked(c);
            case CODER_RICE -> {
                long center = planCenter;
                written += writeSigned(center);
                bits.write(planK, 6);
                written += 6;
                for (int i = 0; i < c; i++) {
                    written += writeRice(zigzag(seq[i] - center), planK);
                }
            }
            default -> written += writeZeroRuns(c);
        }
        return written;
    }

    private long writePacked(int c) {
        long base = c == 0 ? 0 : seq[0];
        for (int i = 1; i < c; i++) {
            base = Math.min(base, seq[i]);
        }
        long written = writeSigned(base);
        for (int f = 0; f < c; f += FRAME) {
            int end = Math.min(c, f + FRAME);
            long or = 0;
            for (int i = f; i < end; i++) {
                or |= seq[i] - base;
            }
            int width = bitLength(or);
            bits.write(width, 7);
            for (int i = f; i < end; i++) {
                bits.write(seq[i] - base, width);
            }
            written += 7 + (long) width * (end - f);
        }
        return written;
    }

    private long writeZeroRuns(int c) {
        int kz = planKz;
        int k = planK;
        bits.write(kz, 4);
        bits.write(k, 6);
        long written = 10;
        int i = 0;
        while (i < c) {
            int run = 0;
            while (i < c && seq[i] == 0) {
                run++;
                i++;
            }
            written += writeExpGolomb(run, kz);
            if (i < c) {
                written += writeRice(zigzag(seq[i]) - 1, k);
                i++;
            }
        }
        return written;
    }

    // ---------------------------------------------------------------- XOR

    /**
     * Size of the XOR encoding, or any value at least {@code limit} once it is known to reach it.
     * Gorilla-style: first value raw; then per value '0' if unchanged, '10' + bits inside the previous window,
     * or '11' + 6-bit leading zero count + 6-bit (length - 1) + the meaningful bits. A new window is opened only
     * when it saves more than its 12 bits of description.
     */
    private long xorBits(int m, long limit) {
        long prev = Double.doubleToRawLongBits(present[0]);
        long total = 64;
        int lead = 0;
        int len = 0;
        for (int i = 1; i < m; i++) {
            long cur = Double.doubleToRawLongBits(present[i]);
            long x = cur ^ prev;
            prev = cur;
            if (x == 0) {
                total += 1;
                continue;
            }
            int lz = Long.numberOfLeadingZeros(x);
            int tz = Long.numberOfTrailingZeros(x);
            int newLen = 64 - lz - tz;
            if (len > 0 && lz >= lead && tz >= 64 - lead - len && newLen + 12 >= len) {
                total += 2 + len;
            } else {
                total += 14 + newLen;
                lead = lz;
                len = newLen;
            }
            if (total >= limit) {
                return total;
            }
        }
        return total;
    }

    private long writeXor(int m) {
        long prev = Double.doubleToRawLongBits(present[0]);
        bits.write(prev, 64);
        long written = 64;
        int lead = 0;
        int len = 0;
        for (int i = 1; i < m; i++) {
            long cur = Double.doubleToRawLongBits(present[i]);
            long x = cur ^ prev;
            prev = cur;
            if (x == 0) {
                bits.write(0, 1);
                written += 1;
                continue;
            }
            int lz = Long.numberOfLeadingZeros(x);
            int tz = Long.numberOfTrailingZeros(x);
            int newLen = 64 - lz - tz;
            if (len > 0 && lz >= lead && tz >= 64 - lead - len && newLen + 12 >= len) {
                bits.write(0b10, 2);
                bits.write(x >>> (64 - lead - len), len);
                written += 2 + len;
            } else {
                lead = lz;
                len = newLen;
                bits.write(0b11, 2);
                bits.write(lead, 6);
                bits.write(len - 1, 6);
                bits.write(x >>> tz, len);
                written += 14 + len;
            }
        }
        return written;
    }

    // ---------------------------------------------------------------- deflate

    /** Replaces the body with [varint length][raw deflate] if that is smaller; returns whether it did. */
    private boolean deflateBody(GrowableBuffer out, int bodyStart) {
        int bodyLength = out.size() - bodyStart;
        int budget = bodyLength - varintSize(bodyLength) - 1;
        if (deflater == null) {
            deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
        }
        if (deflated.length < budget + 1) {
            deflated = new byte[Math.max(budget + 1, 2 * deflated.length)];
        }
        deflater.reset();
        deflater.setInput(out.array(), bodyStart, bodyLength);
        deflater.finish();
        int size = deflater.deflate(deflated, 0, budget + 1);
        if (!deflater.finished() || size > budget) {
            return false;
        }
        out.truncate(bodyStart);
        putVarint(out, bodyLength);
        out.put(deflated, 0, size);
        return true;
    }

    /**
     * A quick match probe (a hash of 4-byte sequences, greedy like deflate's own match finder): true if at least
     * 1/8 of the body is covered by repeats. Bit-packed bodies of ordinary series have none, so deflate, which
     * costs tens of microseconds, is tried only on the few (periodic patterns, average quotients) it may shrink.
     */
    private boolean hasRepeats(byte[] b, int from, int to) {
        int[] table = probe;
        Arrays.fill(table, -1);
        int covered = 0;
        int i = from;
        while (i + 4 <= to) {
            int x = (b[i] & 0xFF) | (b[i + 1] & 0xFF) << 8 | (b[i + 2] & 0xFF) << 16 | b[i + 3] << 24;
            int h = (x * 0x9E3779B1) >>> (32 - PROBE_BITS);
            int candidate = table[h];
            table[h] = i;
            if (candidate >= 0 && b[candidate] == b[i] && b[candidate + 1] == b[i + 1]
                    && b[candidate + 2] == b[i + 2] && b[candidate + 3] == b[i + 3]) {
                int len = 4;
                while (i + len < to && b[candidate + len] == b[i + len]) {
                    len++;
                }
                covered += len;
                i += len;
            } else {
                i++;
            }
        }
        return covered * 8 >= to - from;
    }

    private static int varintSize(int v) {
        return v < 1 << 7 ? 1 : v < 1 << 14 ? 2 : v < 1 << 21 ? 3 : v < 1 << 28 ? 4 : 5;
    }
}
