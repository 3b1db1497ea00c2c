package io.tally.engine.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BlockCodecRoundTripTest {
    private static final double NAN = Double.NaN;
    private static final double[] SPECIALS = {
        0.0, -0.0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.MIN_VALUE, -Double.MIN_VALUE,
        Double.MAX_VALUE, -Double.MAX_VALUE, Double.MIN_NORMAL, Double.MIN_NORMAL / 3, -Double.MIN_NORMAL / 7,
        Long.MAX_VALUE, (double) Long.MIN_VALUE, 9.007199254740993E15, 1e22, 1e23, 1e-22, 0.1, 0.3, 1.0 / 3,
        0.1 + 0.2, 123456789.123456789, -1.5, 2.5, 1e300, -1e-300
    };

    /** Encodes, decodes and checks every slot bit-exactly (NaN slots as NaN), plus the header accessors. */
    static byte[] assertRoundTrip(double[] values, int n) throws CorruptBlockException {
        byte[] block = BlockCodec.encode(values, n);
        double[] out = new double[n];
        assertThat(BlockCodec.decode(block, 0, block.length, out)).isEqualTo(n);
        int present = 0;
        for (int i = 0; i < n; i++) {
            if (Double.isNaN(values[i])) {
                assertThat(out[i]).as("slot %d", i).isNaN();
            } else {
                present++;
                assertThat(Double.doubleToRawLongBits(out[i])).as("slot %d: %s vs %s", i, values[i], out[i])
                        .isEqualTo(Double.doubleToRawLongBits(values[i]));
            }
        }
        assertThat(BlockCodec.slotCount(block, 0, block.length)).isEqualTo(n);
        assertThat(BlockCodec.presentCount(block, 0, block.length)).isEqualTo(present);
        return block;
    }

    static Stream<Arguments> shapesAndSizes() {
        List<Arguments> args = new ArrayList<>();
        int[] sizes = {1, 2, 3, 7, 63, 64, 65, 129, 720, 1000, 4096};
        for (BlockShapes.Shape shape : BlockShapes.ALL) {
            for (int n : sizes) {
                args.add(Arguments.of(shape, n));
            }
        }
        return args.stream();
    }

    @ParameterizedTest(name = "{0}, n={1}")
    @MethodSource("shapesAndSizes")
    void everyShapeRoundTripsAtEverySize(BlockShapes.Shape shape, int n) throws Exception {
        for (long seed = 0; seed < 3; seed++) {
            assertRoundTrip(shape.generate(seed * 31 + n, n), n);
        }
    }

    @ParameterizedTest(name = "{0}, negated")
    @MethodSource("shapesAndSizes")
    void negatedShapesRoundTrip(BlockShapes.Shape shape, int n) throws Exception {
        double[] v = shape.generate(n, n);
        for (int i = 0; i < n; i++) {
            v[i] = -v[i];
        }
        assertRoundTrip(v, n);
    }

    @RepeatedTest(300)
    void seededRandomDoublesWithSpecialsRoundTrip(RepetitionInfo info) throws Exception {
        Random rnd = new Random(info.getCurrentRepetition());
        int n = rnd.nextInt(4) == 0 ? 1 + rnd.nextInt(4096) : 1 + rnd.nextInt(100);
        double absent = rnd.nextInt(3) == 0 ? 0 : rnd.nextDouble();
        int flavour = rnd.nextInt(4);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            if (rnd.nextDouble() < absent) {
                v[i] = NAN;
                continue;
            }
            v[i] = switch (flavour) {
                case 0 -> randomNonNaN(rnd);
                case 1 -> SPECIALS[rnd.nextInt(SPECIALS.length)];
                case 2 -> rnd.nextInt(20) == 0 ? SPECIALS[rnd.nextInt(SPECIALS.length)]
                        : Math.round(rnd.nextGaussian() * 1e4) / 100.0;
                default -> rnd.nextInt(8) == 0 ? randomNonNaN(rnd) : (double) (rnd.nextLong() >> rnd.nextInt(64));
            };
        }
        assertRoundTrip(v, n);
    }

    private static double randomNonNaN(Random rnd) {
        double d;
        do {
            d = Double.longBitsToDouble(rnd.nextLong());
        } while (Double.isNaN(d));
        return d;
    }

    @Test
    void everySpecialAloneAndRepeatedRoundTrips() throws Exception {
        for (double s : SPECIALS) {
            assertRoundTrip(new double[] {s}, 1);
            double[] many = new double[100];
            Arrays.fill(many, s);
            assertRoundTrip(many, 100);
            many[50] = NAN;
            assertRoundTrip(many, 100);
        }
        assertRoundTrip(SPECIALS, SPECIALS.length);
    }

    @Test
    void negativeZeroStaysNegativeAmongDecimals() throws Exception {
        double[] v = {1.25, -0.0, 0.0, 2.5, -0.0};
        byte[] block = assertRoundTrip(v, v.length);
        double[] out = new double[5];
        BlockCodec.decode(block, 0, block.length, out);
        assertThat(Double.doubleToRawLongBits(out[1])).isEqualTo(Double.doubleToRawLongBits(-0.0));
    }

    @Test
    void allAbsentBlockRoundTrips() throws Exception {
        for (int n : new int[] {1, 5, 720, 4096}) {
            double[] v = new double[n];
            Arrays.fill(v, NAN);
            assertRoundTrip(v, n);
        }
    }

    @Test
    void everyNaNPayloadMeansAbsent() throws Exception {
        double odd = Double.longBitsToDouble(0x7FF0_0000_0000_0001L);
        double negative = Double.longBitsToDouble(0xFFF8_0000_0000_1234L);
        double[] v = {1, odd, 2, negative, 3};
        byte[] block = BlockCodec.encode(v, 5);
        double[] out = new double[5];
        BlockCodec.decode(block, 0, block.length, out);
        assertThat(out[1]).isNaN();
        assertThat(out[3]).isNaN();
        assertThat(BlockCodec.presentCount(block, 0, block.length)).isEqualTo(3);
    }

    @Test
    void alternatingPresenceAndLongHolesRoundTrip() throws Exception {
        double[] v = new double[4096];
        for (int i = 0; i < v.length; i++) {
            v[i] = (i & 1) == 0 ? i : NAN;
        }
        assertRoundTrip(v, v.length);
        Arrays.fill(v, 100, 4000, NAN);
        assertRoundTrip(v, v.length);
        Arrays.fill(v, NAN);
        v[0] = 1;
        v[4095] = 2;
        assertRoundTrip(v, v.length);
    }

    @Test
    void onlyTheFirstNSlotsAreEncoded() throws Exception {
        double[] v = {1, 2, 3, 4, 5};
        byte[] block = BlockCodec.encode(v, 3);
        double[] out = new double[] {9, 9, 9, 9};
        assertThat(BlockCodec.decode(block, 0, block.length, out)).isEqualTo(3);
        assertThat(out).containsExactly(1, 2, 3, 9);
    }

    @Test
    void encodeAppendsToABufferAndDecodesAtAnOffset() throws Exception {
        GrowableBuffer buf = new GrowableBuffer(4);
        buf.put((byte) 0x55);
        double[] a = BlockShapes.byName("gauge 2").generate(1, 720);
        double[] b = BlockShapes.byName("counter, busy").generate(2, 300);
        int lenA = BlockCodec.encode(a, 720, buf);
        int lenB = BlockCodec.encode(b, 300, buf);
        assertThat(buf.size()).isEqualTo(1 + lenA + lenB);
        double[] out = new double[720];
        BlockCodec.decode(buf.array(), 1, lenA, out);
        assertThat(out).containsExactly(a);
        BlockCodec.decode(buf.array(), 1 + lenA, lenB, out);
        assertThat(Arrays.copyOf(out, 300)).containsExactly(b);
    }

    @Test
    void aReusedEncoderWritesTheSameBytesAsAFreshOne() {
        try (BlockEncoder reused = new BlockEncoder()) {
            for (BlockShapes.Shape shape : BlockShapes.ALL) {
                for (int n : new int[] {4096, 7, 720}) {
                    double[] v = shape.generate(n, n);
                    assertThat(reused.encode(v, n)).as(shape.name()).isEqualTo(BlockCodec.encode(v, n));
                }
            }
        }
    }

    @Test
    void deflateIsKeptOnlyWhenItHelpsAndDecodes() throws Exception {
        double[] v = BlockShapes.byName("periodic").generate(3, 720);
        byte[] plain;
        try (BlockEncoder noDeflate = new BlockEncoder(false)) {
            plain = noDeflate.encode(v, 720);
        }
        byte[] block = assertRoundTrip(v, 720);
        assertThat(block[1] & 0x08).as("deflated flag").isNotZero();
        assertThat(block.length).isLessThan(plain.length);
        double[] out = new double[720];
        BlockCodec.decode(plain, 0, plain.length, out);
        assertThat(out).containsExactly(v);
    }

    @Test
    void rejectsBadArguments() {
        double[] v = new double[10];
        assertThatThrownBy(() -> BlockCodec.encode(v, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BlockCodec.encode(v, 11)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BlockCodec.encode(new double[70_000], 65_537))
                .isInstanceOf(IllegalArgumentException.class);
        byte[] block = BlockCodec.encode(v, 10);
        assertThatThrownBy(() -> BlockCodec.decode(block, 0, block.length, new double[9]))
                .isInstanceOf(CorruptBlockException.class).hasMessageContaining("10 slots");
        assertThatThrownBy(() -> BlockCodec.decode(block, 1, block.length, new double[10]))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void largestBlockRoundTrips() throws Exception {
        Random rnd = new Random(7);
        double[] v = new double[BlockCodec.MAX_SLOTS];
        for (int i = 0; i < v.length; i++) {
            v[i] = rnd.nextInt(10) == 0 ? NAN : randomNonNaN(rnd);
        }
        assertRoundTrip(v, v.length);
    }
}
