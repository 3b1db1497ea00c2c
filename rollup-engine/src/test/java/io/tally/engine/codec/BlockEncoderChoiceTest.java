package io.tally.engine.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The encoder picks the encodings it was designed to pick; each test also round-trips its block. */
class BlockEncoderChoiceTest {
    private static final int CONST = 1;
    private static final int DECIMAL = 2;
    private static final int XOR = 3;

    /**
     * Value mode, whether the block is rational, and for plain decimal blocks with every slot present: scale,
     * difference order and integer coder.
     */
    private record Plan(int mode, boolean rational, int scale, int order, int coder) {
    }

    private static Plan plan(double[] values) throws CorruptBlockException {
        byte[] block = BlockCodecRoundTripTest.assertRoundTrip(values, values.length);
        int flags = block[1] & 0xFF;
        int mode = (flags >>> 1) & 3;
        boolean rational = (flags & 0x10) != 0;
        if (mode != DECIMAL || (flags & 0x39) != 0) {
            return new Plan(mode, rational, 0, -1, -1);
        }
        int p = 2;
        while (block[p] < 0) {
            p++;
        }
        BitReader r = new BitReader(block, p + 1, block.length);
        int scale = (int) r.read(6) - 32;
        return new Plan(mode, false, scale, (int) r.read(2), (int) r.read(2));
    }

    private static double[] fill(int n, java.util.function.IntToDoubleFunction f) {
        double[] v = new double[n];
        Arrays.setAll(v, f);
        return v;
    }

    @Test
    void constantBlocksUseConst() throws Exception {
        assertThat(plan(fill(720, i -> 0.25)).mode()).isEqualTo(CONST);
        assertThat(plan(fill(720, i -> Double.NEGATIVE_INFINITY)).mode()).isEqualTo(CONST);
    }

    @Test
    void singleDecimalIsADecimalConstant() throws Exception {
        assertThat(plan(new double[] {12.34})).isEqualTo(new Plan(CONST, true, 0, -1, -1));
        byte[] block = BlockCodec.encode(new double[] {12.34}, 1);
        assertThat(block.length).isLessThan(3 + 8);
    }

    @Test
    void constantsStoreADecimalWhenItIsShorterThanTheirBits() throws Exception {
        // 6 bits of scale, 7 of length, then the zigzag mantissa: 18 bits for 8, 15 for 10^6 (scale -6, mantissa 1)
        assertThat(plan(fill(100, i -> 8))).isEqualTo(new Plan(CONST, true, 0, -1, -1));
        assertThat(BlockCodec.encode(fill(100, i -> 8), 100)).hasSize(3 + 3);
        assertThat(plan(fill(100, i -> 1_000_000))).isEqualTo(new Plan(CONST, true, 0, -1, -1));
        assertThat(BlockCodec.encode(fill(100, i -> 1_000_000), 100)).hasSize(3 + 2);
        assertThat(plan(fill(100, i -> 17_179_869_184.0)).rational()).isTrue();
        assertThat(BlockCodec.encode(fill(100, i -> 17_179_869_184.0), 100).length).isLessThan(3 + 8);
        // no decimal at all, or one longer than the raw bits: the 64 bits
        for (double v : new double[] {-0.0, Double.POSITIVE_INFINITY, 1.0 / 3, Math.PI, 1e300, Double.MIN_VALUE}) {
            assertThat(plan(fill(100, i -> v))).as("%s", v).isEqualTo(new Plan(CONST, false, 0, -1, -1));
            assertThat(BlockCodec.encode(fill(100, i -> v), 100)).as("%s", v).hasSize(3 + 8);
        }
    }

    @Test
    void onePresentRunIsStoredAsARange() throws Exception {
        int n = 1024;
        double[] tail = fill(n, i -> i >= 974 ? 5 : Double.NaN);
        double[] head = fill(n, i -> i < 50 ? 5 : Double.NaN);
        double[] middle = fill(n, i -> i >= 300 && i < 400 ? 5 : Double.NaN);
        double[] twoRuns = fill(n, i -> (i >= 300 && i < 400) || i == 500 ? 5 : Double.NaN);
        for (double[] v : new double[][] {tail, head, middle}) {
            byte[] block = BlockCodecRoundTripTest.assertRoundTrip(v, n);
            assertThat(block[1] & 0x21).isEqualTo(0x20);
        }
        byte[] block = BlockCodecRoundTripTest.assertRoundTrip(twoRuns, n);
        assertThat(block[1] & 0x21).isEqualTo(0x01);
        // version, flags, slot count (2 bytes), then 1 + 10 + 1 bits of range and 18 of a decimal constant: 4 bytes
        assertThat(BlockCodec.encode(tail, n)).hasSize(4 + 4);
        // both edges inside the block: 1 + 10 + 1 + 10 bits of range
        assertThat(BlockCodec.encode(middle, n)).hasSize(4 + 5);
        // all present, or none: no range
        assertThat(BlockCodecRoundTripTest.assertRoundTrip(fill(n, i -> 5), n)[1] & 0x21).isZero();
        assertThat(BlockCodecRoundTripTest.assertRoundTrip(fill(n, i -> Double.NaN), n)[1] & 0x21).isEqualTo(1);
    }

    @Test
    void decimalsUseTheSmallestExactScale() throws Exception {
        assertThat(plan(new double[] {12.34, 12.3, 12.0}).scale()).isEqualTo(2);
        assertThat(plan(new double[] {1.5, 2.5, 3.0}).scale()).isEqualTo(1);
        assertThat(plan(new double[] {0.001234, 0.001236}).scale()).isEqualTo(6);
        assertThat(plan(new double[] {7, 9, 3}).scale()).isEqualTo(0);
        assertThat(plan(new double[] {3e20, 1e20, 7.5e20}).scale()).isEqualTo(-19);
    }

    @Test
    void steadyCountersUseSecondDifferences() throws Exception {
        Plan p = plan(fill(720, i -> 1_000_000 + 60.0 * i));
        assertThat(p.order()).isEqualTo(2);
        assertThat(BlockCodec.encode(fill(720, i -> 1_000_000 + 60.0 * i), 720).length).isLessThan(30);
    }

    @Test
    void uniformIncrementCountersUseFirstDifferencesBitPacked() throws Exception {
        Random rnd = new Random(5);
        long[] c = {0};
        Plan p = plan(fill(720, i -> c[0] += 500 + rnd.nextInt(128)));
        assertThat(p.order()).isEqualTo(1);
        assertThat(p.coder()).isEqualTo(0);
    }

    @Test
    void gaussianIncrementCountersUseCenteredRice() throws Exception {
        Random rnd = new Random(5);
        long[] c = {0};
        Plan p = plan(fill(720, i -> c[0] += Math.round(1000 + 100 * rnd.nextGaussian())));
        assertThat(p.coder()).isEqualTo(1);
        assertThat(BlockCodec.encode(fill(720, i -> c[0] += Math.round(1000 + 100 * rnd.nextGaussian())), 720))
                .hasSizeLessThan(720 * 9 / 8);
    }

    @Test
    void peakedStepsUseRice() throws Exception {
        Random rnd = new Random(6);
        long[] m = {5000};
        Plan p = plan(fill(720, i -> (m[0] += (long) (Math.signum(rnd.nextGaussian())
                * Math.floor(-Math.log(1 - rnd.nextDouble()) * 20))) / 100.0));
        assertThat(p.order()).isEqualTo(1);
        assertThat(p.coder()).isEqualTo(1);
    }

    @Test
    void rarelyChangingValuesUseZeroRuns() throws Exception {
        Plan p = plan(fill(720, i -> (i / 97) % 4));
        assertThat(p.coder()).isEqualTo(2);
        assertThat(BlockCodec.encode(fill(720, i -> (i / 97) % 4), 720).length).isLessThan(40);
    }

    @Test
    void uncorrelatedDecimalsUseRawMantissas() throws Exception {
        Random rnd = new Random(8);
        assertThat(plan(fill(720, i -> rnd.nextInt(5000) / 10.0)).order()).isEqualTo(0);
    }

    @Test
    void fullPrecisionAndSpecialValuesUseXor() throws Exception {
        Random rnd = new Random(9);
        assertThat(plan(fill(720, i -> rnd.nextDouble())).mode()).isEqualTo(XOR);
        // special values never fit plain DECIMAL; a rational block may carry them as residuals
        for (double special : new double[] {-0.0, Double.POSITIVE_INFINITY}) {
            Plan p = plan(new double[] {1.5, special, 2.5});
            assertThat(p.mode() == XOR || p.rational()).as("%s", special).isTrue();
        }
    }

    @Test
    void wholeAveragesOfIntegersAreRationalWithoutResiduals() throws Exception {
        Random rnd = new Random(12);
        long[] c = {1_000_000_000_000L};
        double[] v = fill(1024, i -> {
            long sum = 0;
            for (int j = 0; j < 6; j++) {
                c[0] += rnd.nextInt(500_000);
                sum += c[0];
            }
            return (double) sum / 6;
        });
        Plan p = plan(v);
        assertThat(p.mode()).isEqualTo(DECIMAL);
        assertThat(p.rational()).isTrue();
        byte[] block = BlockCodec.encode(v, v.length);
        // divisor 6 = EG0(5) = 00110, then residual flag 0
        int p0 = 4;
        assertThat((block[p0] & 0xFC) >>> 2).isEqualTo(0b001100);
        assertThat(block.length).isLessThan(1024 * 4);
    }

    @Test
    void rationalDetectsTheDenominator() {
        assertThat(BlockEncoder.denominator(7.0)).isEqualTo(1);
        assertThat(BlockEncoder.denominator(1234567.0 / 6)).isEqualTo(6);
        assertThat(BlockEncoder.denominator(1234568.0 / 6)).isEqualTo(3);
        assertThat(BlockEncoder.denominator(4_000_000_000_001.0 / 6)).isEqualTo(6);
        assertThat(BlockEncoder.denominator(12.34)).isEqualTo(50);
        assertThat(BlockEncoder.denominator(1237.0 / 600)).isEqualTo(600);
        assertThat(BlockEncoder.denominator(Math.PI)).isZero();
        assertThat(BlockEncoder.denominator(Double.POSITIVE_INFINITY)).isZero();
    }

    @Test
    void worstCaseBodiesStayWithinTheBoundDecodersEnforce() {
        Random rnd = new Random(11);
        try (BlockEncoder plain = new BlockEncoder(false)) {
            for (int n : new int[] {1, 2, 3, 100, 4096}) {
                // runs of 1 and 2 slots in random order, random bit patterns as values
                double[] v = new double[n];
                int i = 0;
                boolean present = true;
                while (i < n) {
                    int len = Math.min(n - i, 1 + rnd.nextInt(2));
                    for (int j = i; j < i + len; j++) {
                        v[j] = present ? Double.longBitsToDouble(rnd.nextLong() & 0x7FEF_FFFF_FFFF_FFFFL) : Double.NaN;
                    }
                    i += len;
                    present = !present;
                }
                int headerBytes = n < 128 ? 3 : 4;
                assertThat(plain.encode(v, n).length - headerBytes).isLessThanOrEqualTo(BlockFormat.maxBodyBytes(n));
            }
        }
    }

    @Test
    void xorNeverCostsMuchMoreThanRawDoubles() {
        Random rnd = new Random(10);
        double[] v = fill(4096, i -> Double.longBitsToDouble(rnd.nextLong() & 0x7FEF_FFFF_FFFF_FFFFL));
        try (BlockEncoder plain = new BlockEncoder(false)) {
            assertThat(plain.encode(v, 4096).length).isLessThan((int) (4096 * 8 * 1.04));
        }
    }
}
