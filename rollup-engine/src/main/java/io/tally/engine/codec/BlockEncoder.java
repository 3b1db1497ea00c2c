package io.tally.engine.codec;

import static io.tally.engine.codec.BlockFormat.CODER_PACKED;
import static io.tally.engine.codec.BlockFormat.CODER_RICE;
import static io.tally.engine.codec.BlockFormat.CODER_ZERO_RUNS;
import static io.tally.engine.codec.BlockFormat.FLAG_DEFLATED;
import static io.tally.engine.codec.BlockFormat.FLAG_PRESENCE_RANGE;
import static io.tally.engine.codec.BlockFormat.FLAG_PRESENCE_RUNS;
import static io.tally.engine.codec.BlockFormat.FLAG_RATIONAL;
import static io.tally.engine.codec.BlockFormat.MAX_DIVISOR;
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
 * the size model and the bits written agree), then writes only the smallest. The presence map is a single range
 * (first slot, count) when the present slots are one run, else alternating runs. Value encodings: CONST (every
 * present value has the same bits; stored as a decimal when that is shorter), DECIMAL (every value is
 * {@code mantissa / 10^scale} bit-exactly; mantissas as raw, first- or second-difference sequences, each coded by
 * frame bit-packing, centered Rice or zero-run Rice), rational DECIMAL (whisper averages: {@code decimal(M, s) / c}
 * for a block divisor c detected from the denominators of a sample of the values, plus per-value raw-bit residuals
 * for the slots that do not fit exactly) and XOR (Gorilla-style, takes anything). A raw-deflate pass over the body
 * is tried only when a cheap match probe sees repeats in it, and kept only when it saves bytes.
 *
 * <p>Cost: a few passes over the present values per candidate order, about 10-30 us per 720-slot block; the
 * rational attempt (only for values that are not short decimals) adds a sampled detection and one more DECIMAL
 * plan, and usually saves the XOR and deflate work it replaces; the deflate attempt, when the probe allows it,
 * adds 20-30 us.
 *
 * <p>Not thread-safe: use one encoder per thread (a shard writer or checkpointer keeps its own). After warm-up an
 * encode into a reused {@link GrowableBuffer} allocates nothing. {@link #close()} frees the native deflater.
 */
public final class BlockEncoder implements AutoCloseable {
    /** Bodies smaller than this are not worth a deflate attempt (deflate cannot win on them). */
    private static final int DEFLATE_MIN_BODY = 48;
    private static final int PROBE_BITS = 11;
    /** Values sampled to detect a rational block's common denominator. */
    private static final int RATIONAL_SAMPLES = 16;
    /** Blocks whose values are exact decimals at this scale or below never try the rational form. */
    private static final int RATIONAL_MIN_SCALE = 2;
    /** How far (in ulps of the value) a value may be from a fraction for that fraction's denominator to count. */
    private static final double DENOMINATOR_TOLERANCE_ULPS = 32;

    private final boolean tryDeflate;
    private final boolean tryRational;
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

    private long[] ratMantissas = new long[0];
    private long[] residuals = new long[0];

    // the chosen plans, filled by chooseMode
    private static final int NO_SCALE = Integer.MIN_VALUE;
    private int constScale = NO_SCALE;
    private long constMantissa;
    private int planScale;
    private final SeqPlan decimalPlan = new SeqPlan();
    private boolean useRational;
    private int ratDivisor;
    private int ratScale;
    private boolean ratResidual;
    private final SeqPlan rationalPlan = new SeqPlan();
    private final SeqPlan residualPlan = new SeqPlan();
    // parameters found by the last bestRice / zeroRunsPlan
    private int riceK;
    private int zeroRunK;

    /** How one integer sequence is coded: difference order, coder and its parameters, and the size in bits. */
    private static final class SeqPlan {
        int order;
        int coder;
        int k;
        int kz;
        long center;
        long bits;
    }

    /** An encoder that also tries a final deflate pass. */
    public BlockEncoder() {
        this(true);
    }

    /** @param tryDeflate whether to try a final deflate pass on bodies of 48 bytes or more */
    public BlockEncoder(boolean tryDeflate) {
        this(tryDeflate, true);
    }

    /** For measurements: an encoder that can be told not to try the rational form (the first encoder's output). */
    BlockEncoder(boolean tryDeflate, boolean tryRational) {
        this.tryDeflate = tryDeflate;
        this.tryRational = tryRational;
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
        int m = split(values, n);
        int runCount = splitRuns;

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
            int first = m == 0 ? -1 : singleRangeFirst(runCount);
            if (first >= 0 && rangeBits(n, first, m) <= runsBits(runCount)) {
                flags |= FLAG_PRESENCE_RANGE;
                predicted += writeRange(n, first, m);
            } else {
                flags |= FLAG_PRESENCE_RUNS;
                predicted += writeRuns(runCount);
            }
        }
        int mode = m == 0 ? MODE_NONE : chooseMode(m);
        flags |= mode << VALUE_MODE_SHIFT;
        if ((mode == MODE_DECIMAL && useRational) || (mode == MODE_CONST && constScale != NO_SCALE)) {
            flags |= FLAG_RATIONAL;
        }
        predicted += switch (mode) {
            case MODE_CONST -> {
                if (constScale == NO_SCALE) {
                    bits.write(Double.doubleToRawLongBits(present[0]), 64);
                    yield 64;
                }
                bits.write(constScale + SCALE_BIAS, 6);
                yield 6 + writeSigned(constMantissa);
            }
            case MODE_DECIMAL -> useRational ? writeRational(m) : writeDecimal(mantissas, m, planScale, decimalPlan);
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

    /** Run count of the last {@link #split}. */
    private int splitRuns;

    /**
     * Copies the known values of {@code values[0, n)} into {@link #present} and their presence runs (present first,
     * then absent, alternating) into {@link #runs}; returns how many are known, and leaves the run count in
     * {@link #splitRuns}. A method of its own, away from {@link #encode}: a checkpoint runs this loop often enough for
     * the JIT to compile an on-stack replacement of the method holding it, and one of all of {@code encode}, with the
     * coders it inlines, took 0.4-0.9 s of compiler time.
     */
    private int split(double[] values, int n) {
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
        splitRuns = runCount;
        return m;
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
            ratMantissas = new long[n];
            residuals = new long[n];
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

    private long runOrderBits(int runCount, int first, int k) {
        long b = 0;
        for (int i = first; i < runCount; i += 2) {
            b += expGolombBits(runValue(runs, i), k);
        }
        return b;
    }

    private int bestRunOrder(int runCount, int first) {
        int best = 0;
        long bestBits = Long.MAX_VALUE;
        for (int k = 0; k < 16; k++) {
            long b = runOrderBits(runCount, first, k);
            if (b < bestBits) {
                bestBits = b;
                best = k;
            }
        }
        return best;
    }

    /** Size of the run form of the presence section, as {@link #writeRuns} would write it. */
    private long runsBits(int runCount) {
        return 8 + runOrderBits(runCount, 0, bestRunOrder(runCount, 0))
                + runOrderBits(runCount, 1, bestRunOrder(runCount, 1));
    }

    /**
     * The first slot of the one run of present slots, when the present slots form exactly one run and some slot is
     * absent; -1 otherwise. (Runs alternate present, absent, ... from a possibly empty present run 0.)
     */
    private int singleRangeFirst(int runCount) {
        if (runCount == 2 && runs[0] > 0) {
            return 0;
        }
        if ((runCount == 3 || runCount == 4) && runs[0] == 0) {
            return runs[1];
        }
        return -1;
    }

    /** Size of the range form of the presence section: two flags, and a slot index for each edge off the block's. */
    private static long rangeBits(int n, int first, int count) {
        int width = bitLength(n - 1);
        return 2 + (first == 0 ? 0 : width) + (first + count == n ? 0 : width);
    }

    private long writeRange(int n, int first, int count) {
        int width = bitLength(n - 1);
        bits.write(first == 0 ? 1 : 0, 1);
        if (first != 0) {
            bits.write(first, width);
        }
        bits.write(first + count == n ? 1 : 0, 1);
        if (first + count != n) {
            bits.write(count - 1, width);
        }
        return rangeBits(n, first, count);
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

    /**
     * The smallest of CONST (64 raw bits or a decimal), DECIMAL, rational DECIMAL and XOR for the present values;
     * ties go to the simpler. Sets {@link #useRational} when the rational form wins.
     */
    private int chooseMode(int m) {
        useRational = false;
        long firstBits = Double.doubleToRawLongBits(present[0]);
        boolean constant = true;
        for (int i = 1; i < m && constant; i++) {
            constant = Double.doubleToRawLongBits(present[i]) == firstBits;
        }
        if (constant && m > 1) {
            constantBits();
            return MODE_CONST;
        }
        int mode = constant ? MODE_CONST : MODE_NONE;
        long best = constant ? constantBits() : Long.MAX_VALUE;
        int scale = findScale(m);
        if (scale != Integer.MIN_VALUE) {
            long decimal = planDecimal(mantissas, m, decimalPlan);
            if (decimal < best) {
                planScale = scale;
                mode = MODE_DECIMAL;
                best = decimal;
            }
        }
        // quotients either fail the decimal test or pass it only at long scales; short decimals never need this
        if (tryRational && m > 1 && (scale == Integer.MIN_VALUE || scale > RATIONAL_MIN_SCALE)) {
            long rational = planRational(m, scale);
            if (rational < best) {
                mode = MODE_DECIMAL;
                useRational = true;
                best = rational;
            }
        }
        if (xorBits(m, best) < best) {
            mode = MODE_XOR;
            useRational = false;
        }
        return mode;
    }

    /**
     * Size of CONST mode for {@code present[0]}: as a decimal (scale and mantissa, left in {@link #constScale} and
     * {@link #constMantissa}) when that is shorter than the 64 raw bits, else raw ({@link #constScale} = NO_SCALE).
     */
    private long constantBits() {
        constScale = NO_SCALE;
        int scale = findScale(1);
        if (scale != Integer.MIN_VALUE && 6 + signedBits(mantissas[0]) < 64) {
            constScale = scale;
            constMantissa = mantissas[0];
            return 6 + signedBits(constMantissa);
        }
        return 64;
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

    /** Fills {@link #seq} with the order-th differences of {@code mt[0, m)} (wrapping); returns their count. */
    private int fillSequence(long[] mt, int m, int order) {
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

    /**
     * Picks order, coder and parameters for the mantissas {@code mt[0, m)}; returns the size of the decimal
     * section (from the scale field on) in bits, also left in {@code plan.bits}.
     */
    private long planDecimal(long[] mt, int m, SeqPlan plan) {
        plan.bits = Long.MAX_VALUE;
        int maxOrder = Math.min(2, m - 1);
        for (int order = 0; order <= maxOrder; order++) {
            int c = fillSequence(mt, m, order);
            long head = 6 + 2 + 2;
            if (order >= 1) {
                head += signedBits(mt[0]);
            }
            if (order == 2) {
                head += signedBits(mt[1] - mt[0]);
            }
            planCoders(c, head, order, plan);
        }
        return plan.bits;
    }

    /**
     * Sizes every coder for {@code seq[0, c)} (plus {@code head} bits) and records in {@code plan} the first one
     * smaller than {@code plan.bits}.
     */
    private void planCoders(int c, long head, int order, SeqPlan plan) {
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
        if (packed < plan.bits) {
            plan.bits = packed;
            plan.order = order;
            plan.coder = CODER_PACKED;
        }
        double mean = c == 0 ? 0 : sum / c;
        long center = s0 + Math.round(mean);
        // zigzag of a roughly symmetric value averages about 1.5 standard deviations
        double spread = c == 0 ? 0 : 1.5 * Math.sqrt(Math.max(0, sumSq / c - mean * mean));
        long rice = head + signedBits(center) + 6 + bestRice(c, spread, center, false);
        if (rice < plan.bits) {
            plan.bits = rice;
            plan.order = order;
            plan.coder = CODER_RICE;
            plan.k = riceK;
            plan.center = center;
        }
        // zero runs only pay off when zeros are common
        if (zeros >= 2 && zeros * 8 >= c) {
            long zr = head + zeroRunsPlan(c, zeros);
            if (zr < plan.bits) {
                plan.bits = zr;
                plan.order = order;
                plan.coder = CODER_ZERO_RUNS;
                plan.k = riceK;
                plan.kz = zeroRunK;
            }
        }
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

    private long writeDecimal(long[] mt, int m, int scale, SeqPlan plan) {
        int order = plan.order;
        int c = fillSequence(mt, m, order);
        long written = 10;
        bits.write(scale + SCALE_BIAS, 6);
        bits.write(order, 2);
        bits.write(plan.coder, 2);
        if (order >= 1) {
            written += writeSigned(mt[0]);
        }
        if (order == 2) {
            written += writeSigned(mt[1] - mt[0]);
        }
        return written + writeSequence(c, plan);
    }

    /** Writes {@code seq[0, c)} with the plan's coder (its parameters, then the values; not the coder field). */
    private long writeSequence(int c, SeqPlan plan) {
        switch (plan.coder) {
            case CODER_PACKED -> {
                return writePacked(c);
            }
            case CODER_RICE -> {
                long center = plan.center;
                long written = writeSigned(center);
                bits.write(plan.k, 6);
                written += 6;
                for (int i = 0; i < c; i++) {
                    written += writeRice(zigzag(seq[i] - center), plan.k);
                }
                return written;
            }
            default -> {
                return writeZeroRuns(c, plan);
            }
        }
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

    private long writeZeroRuns(int c, SeqPlan plan) {
        int kz = plan.kz;
        int k = plan.k;
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

    // ---------------------------------------------------------------- rational

    /**
     * Plans the rational form: finds a divisor and scale from a sample of the values, computes every mantissa and
     * residual, and sizes the whole section. Returns its size in bits, or {@link Long#MAX_VALUE} when the sample
     * shows no small common denominator, or only a power of ten no larger than the scale at which plain DECIMAL
     * already fits ({@code decimalScale}, {@link Integer#MIN_VALUE} if it does not).
     */
    private long planRational(int m, int decimalScale) {
        long d = detectDenominator(m);
        if (d == 0 || (decimalScale != Integer.MIN_VALUE && powerOfTen(d) >= 0 && powerOfTen(d) >= decimalScale)) {
            return Long.MAX_VALUE;
        }
        // split d = divisor * 10^scale: the split whose sampled residuals are smallest (whisper divides an integer
        // sum by the count, so counters want scale 0; a sum of decimals is itself a decimal, so gauges want both)
        int samples = Math.min(m, RATIONAL_SAMPLES);
        long bestCost = Long.MAX_VALUE;
        for (int scale = 0; scale <= MAX_SCALE; scale++) {
            long p = (long) BlockFormat.pow10(scale);
            if (d % p != 0) {
                break;
            }
            int divisor = (int) (d / p);
            double mult = (double) divisor * BlockFormat.pow10(scale);
            long cost = 0;
            for (int j = 0; j < samples; j++) {
                double v = present[(int) ((long) j * m / samples)];
                cost += bitLength(zigzag(residual(v, Math.round(v * mult), scale, divisor)));
            }
            if (cost < bestCost) {
                bestCost = cost;
                ratDivisor = divisor;
                ratScale = scale;
            }
        }
        int divisor = ratDivisor;
        int scale = ratScale;
        double mult = (double) divisor * BlockFormat.pow10(scale);
        long any = 0;
        for (int i = 0; i < m; i++) {
            double v = present[i];
            long mant = Math.round(v * mult);
            long r = residual(v, mant, scale, divisor);
            ratMantissas[i] = mant;
            residuals[i] = r;
            any |= r;
        }
        ratResidual = any != 0;
        long total = expGolombBits(divisor - 1, 0) + 1 + planDecimal(ratMantissas, m, rationalPlan);
        if (ratResidual) {
            System.arraycopy(residuals, 0, seq, 0, m);
            residualPlan.bits = Long.MAX_VALUE;
            planCoders(m, 2, 0, residualPlan);
            total += residualPlan.bits;
        }
        return total;
    }

    /** Raw-bit distance from the value a mantissa decodes to (before residual) to the wanted value; wraps. */
    private static long residual(double v, long mant, int scale, int divisor) {
        return Double.doubleToRawLongBits(v)
                - Double.doubleToRawLongBits(BlockFormat.rational(mant, scale, divisor));
    }

    /**
     * The least common multiple of the denominators of up to {@link #RATIONAL_SAMPLES} values spread over the
     * block, or 0 if more than a quarter of them have none up to {@link BlockFormat#MAX_DIVISOR} or the multiple
     * passes it (the samples that fail are taken for exceptions the residuals will carry).
     */
    private long detectDenominator(int m) {
        int samples = Math.min(m, RATIONAL_SAMPLES);
        long d = 1;
        int failed = 0;
        for (int j = 0; j < samples; j++) {
            long q = denominator(present[(int) ((long) j * m / samples)]);
            long l = q == 0 ? 0 : d / gcd(d, q) * q;
            if (l == 0 || l > MAX_DIVISOR) {
                if (++failed * 4 > samples) {
                    return 0;
                }
            } else {
                d = l;
            }
        }
        return d;
    }

    /**
     * The denominator of the simplest fraction within a few ulps of |v| (continued-fraction convergents of its
     * fractional part), or 0 if there is none up to {@link BlockFormat#MAX_DIVISOR} or v is not finite. The
     * tolerance absorbs the rounding a whisper average carries (one rounded division, or a rounded sum of them).
     */
    static long denominator(double v) {
        double a = Math.abs(v);
        if (!(a < 0x1p52)) {
            return 0;
        }
        double tol = DENOMINATOR_TOLERANCE_ULPS * Math.ulp(a);
        double x = a - Math.floor(a);
        if (x <= tol || 1 - x <= tol) {
            return 1;
        }
        // convergents h/k of x = [0; a1, a2, ...]
        long h0 = 1;
        long k0 = 0;
        long h1 = 0;
        long k1 = 1;
        double y = x;
        for (int iter = 0; iter < 48; iter++) {
            double f = y - Math.floor(y);
            if (f == 0) {
                return 0;
            }
            y = 1 / f;
            long ai = (long) Math.floor(y);
            if (ai > MAX_DIVISOR) {
                return 0;
            }
            long h2 = ai * h1 + h0;
            long k2 = ai * k1 + k0;
            if (k2 > MAX_DIVISOR) {
                return 0;
            }
            if (Math.abs(x * k2 - h2) <= k2 * tol) {
                return k2;
            }
            h0 = h1;
            k0 = k1;
            h1 = h2;
            k1 = k2;
        }
        return 0;
    }

    private static long gcd(long a, long b) {
        long x = a;
        long y = b;
        while (y != 0) {
            long t = x % y;
            x = y;
            y = t;
        }
        return x;
    }

    /** e if d = 10^e, else -1. */
    private static int powerOfTen(long d) {
        long x = d;
        int e = 0;
        while (x % 10 == 0) {
            x /= 10;
            e++;
        }
        return x == 1 ? e : -1;
    }

    private long writeRational(int m) {
        long written = writeExpGolomb(ratDivisor - 1, 0) + 1;
        bits.write(ratResidual ? 1 : 0, 1);
        written += writeDecimal(ratMantissas, m, ratScale, rationalPlan);
        if (ratResidual) {
            System.arraycopy(residuals, 0, seq, 0, m);
            bits.write(residualPlan.coder, 2);
            written += 2 + writeSequence(m, residualPlan);
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
