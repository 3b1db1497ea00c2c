package io.tally.engine.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Malformed input must fail with {@link CorruptBlockException} and nothing else (no CRC protects a block here;
 * the file layer adds one). Seeded; {@code -Dtally.long=true} multiplies the iterations.
 */
class BlockCodecCorruptionTest {
    private static final int SCALE = Boolean.getBoolean("tally.long") ? 50 : 1;
    private static final List<byte[]> VALID = new ArrayList<>();
    /** Shared output (tests of this class run one at a time); sized for any header. */
    private static final double[] OUT = new double[BlockCodec.MAX_SLOTS];

    @BeforeAll
    static void encodeSamples() {
        for (BlockShapes.Shape shape : BlockShapes.ALL) {
            for (int n : new int[] {1, 9, 200, 720}) {
                VALID.add(BlockCodec.encode(shape.generate(n, n), n));
            }
        }
        Random rnd = new Random(99);
        double[] specials = new double[300];
        for (int i = 0; i < specials.length; i++) {
            specials[i] = switch (rnd.nextInt(4)) {
                case 0 -> Double.NaN;
                case 1 -> -0.0;
                case 2 -> Double.POSITIVE_INFINITY;
                default -> Double.longBitsToDouble(rnd.nextLong() & 0x7FEF_FFFF_FFFF_FFFFL);
            };
        }
        VALID.add(BlockCodec.encode(specials, specials.length));
        // rational blocks: whole averages with gaps, averages with residuals, a special value as a residual
        double[] averages = new double[300];
        double[] gauges = new double[300];
        long sum = 123_456_789;
        for (int i = 0; i < averages.length; i++) {
            sum += rnd.nextInt(6000);
            averages[i] = rnd.nextInt(10) == 0 ? Double.NaN : sum / 6.0;
            double s = 0;
            for (int j = 0; j < 6; j++) {
                s += (5000 + rnd.nextInt(200)) / 100.0;
            }
            gauges[i] = s / 6;
        }
        gauges[17] = -0.0;
        // one present range (with a run of gauge values, and with a decimal constant), edges inside the block
        double[] range = new double[400];
        double[] constRange = new double[400];
        for (int i = 0; i < range.length; i++) {
            boolean in = i >= 37 && i < 290;
            range[i] = in ? 40 + rnd.nextInt(1000) / 100.0 : Double.NaN;
            constRange[i] = i >= 120 ? 17_179_869_184.0 : Double.NaN;
        }
        for (double[] v : new double[][] {range, constRange}) {
            byte[] block = BlockCodec.encode(v, v.length);
            assertThat(block[1] & 0x21).as("range sample").isEqualTo(0x20);
            VALID.add(block);
        }
        for (double[] v : new double[][] {averages, gauges}) {
            byte[] block = BlockCodec.encode(v, v.length);
            assertThat(block[1] & 0x10).as("rational sample").isNotZero();
            VALID.add(block);
        }
        assertThat(VALID.stream().anyMatch(b -> (b[1] & 0x08) != 0)).as("some sample is deflated").isTrue();
    }

    /** Runs all three entry points; anything but success or CorruptBlockException fails the test. */
    private static boolean decodesOrRejects(byte[] data, int off, int len) {
        boolean ok = true;
        try {
            int n = BlockCodec.decode(data, off, len, OUT);
            assertThat(n).isBetween(1, BlockCodec.MAX_SLOTS);
        } catch (CorruptBlockException expected) {
            ok = false;
        } catch (RuntimeException | Error e) {
            fail("decode threw " + e + " for " + hex(data, off, len), e);
        }
        try {
            BlockCodec.slotCount(data, off, len);
            BlockCodec.presentCount(data, off, len);
        } catch (CorruptBlockException expected) {
            ok = false;
        } catch (RuntimeException | Error e) {
            fail("slotCount/presentCount threw " + e + " for " + hex(data, off, len), e);
        }
        return ok;
    }

    private static String hex(byte[] data, int off, int len) {
        StringBuilder sb = new StringBuilder();
        for (int i = off; i < off + Math.min(len, 64); i++) {
            sb.append(String.format("%02x", data[i]));
        }
        return sb.toString();
    }

    @Test
    void everyTruncationIsRejected() {
        for (byte[] block : VALID) {
            for (int len = 0; len < block.length; len++) {
                int cut = len;
                assertThatThrownBy(() -> BlockCodec.decode(block, 0, cut, OUT))
                        .as("block %s cut to %d bytes", hex(block, 0, block.length), cut)
                        .isInstanceOf(CorruptBlockException.class);
            }
        }
    }

    @Test
    void trailingBytesAreRejected() {
        for (byte[] block : VALID) {
            byte[] longer = Arrays.copyOf(block, block.length + 1);
            assertThatThrownBy(() -> BlockCodec.decode(longer, 0, longer.length, OUT))
                    .isInstanceOf(CorruptBlockException.class);
        }
    }

    @Test
    void truncatedBlockInsideALargerArrayDoesNotReadItsNeighbour() {
        for (byte[] block : VALID) {
            byte[] padded = Arrays.copyOf(block, block.length + 16);
            Arrays.fill(padded, block.length, padded.length, (byte) 0xFF);
            for (int len = 0; len < block.length; len++) {
                int cut = len;
                assertThatThrownBy(() -> BlockCodec.decode(padded, 0, cut, OUT))
                        .isInstanceOf(CorruptBlockException.class);
            }
        }
    }

    @Test
    void singleAndMultiBitFlipsFailCleanly() {
        Random rnd = new Random(1);
        int decoded = 0;
        int rejected = 0;
        for (byte[] block : VALID) {
            // every bit of small blocks, a sample of the bits of large ones
            int bits = block.length * 8;
            int singles = bits <= 2048 * SCALE ? bits : 2048 * SCALE;
            for (int s = 0; s < singles; s++) {
                int bit = singles == bits ? s : rnd.nextInt(bits);
                byte[] copy = block.clone();
                copy[bit >>> 3] ^= (byte) (0x80 >>> (bit & 7));
                if (decodesOrRejects(copy, 0, copy.length)) {
                    decoded++;
                } else {
                    rejected++;
                }
            }
            for (int i = 0; i < 200 * SCALE; i++) {
                byte[] copy = block.clone();
                int flips = 2 + rnd.nextInt(6);
                for (int f = 0; f < flips; f++) {
                    copy[rnd.nextInt(copy.length)] ^= (byte) (1 << rnd.nextInt(8));
                }
                if (decodesOrRejects(copy, 0, copy.length)) {
                    decoded++;
                } else {
                    rejected++;
                }
            }
        }
        assertThat(rejected).isPositive();
        assertThat(decoded + rejected).isPositive();
    }

    @Test
    void randomBytesFailCleanly() {
        Random rnd = new Random(2);
        for (int i = 0; i < 20_000 * SCALE; i++) {
            byte[] data = new byte[rnd.nextInt(300)];
            rnd.nextBytes(data);
            if (data.length > 2 && rnd.nextBoolean()) {
                // a plausible header, so that the body decoders get exercised
                data[0] = 1;
                data[1] = (byte) (data[1] & 0x1F);
            }
            int off = data.length == 0 ? 0 : rnd.nextInt(Math.min(3, data.length));
            decodesOrRejects(data, off, data.length - off);
        }
    }

    @Test
    void randomBodiesBehindValidHeadersFailCleanly() {
        Random rnd = new Random(3);
        for (int i = 0; i < 20_000 * SCALE; i++) {
            byte[] source = VALID.get(rnd.nextInt(VALID.size()));
            int keep = Math.min(source.length, 2 + rnd.nextInt(6));
            byte[] data = Arrays.copyOf(source, keep + rnd.nextInt(2 * source.length + 1));
            for (int j = keep; j < data.length; j++) {
                data[j] = (byte) rnd.nextInt(256);
            }
            decodesOrRejects(data, 0, data.length);
        }
    }

    @Test
    void headerFieldsAreChecked() {
        byte[] good = BlockCodec.encode(new double[] {1, 2, 3}, 3);
        double[] out = new double[100];
        assertThatThrownBy(() -> BlockCodec.decode(new byte[] {2, 0, 3, 0}, 0, 4, out))
                .isInstanceOf(CorruptBlockException.class).hasMessageContaining("version 2");
        byte[] reserved = good.clone();
        reserved[1] |= (byte) 0x40;
        assertThatThrownBy(() -> BlockCodec.decode(reserved, 0, reserved.length, out))
                .isInstanceOf(CorruptBlockException.class).hasMessageContaining("reserved");
        assertThatThrownBy(() -> BlockCodec.decode(new byte[] {1, 0, 0, 0}, 0, 4, out))
                .isInstanceOf(CorruptBlockException.class).hasMessageContaining("slot count 0");
        byte[] huge = {1, 0, (byte) 0x81, (byte) 0x80, 0x05};
        assertThatThrownBy(() -> BlockCodec.slotCount(huge, 0, huge.length))
                .isInstanceOf(CorruptBlockException.class).hasMessageContaining("outside");
        byte[] longVarint = {1, 0, (byte) 0x81, (byte) 0x80, (byte) 0x80, 0x00};
        assertThatThrownBy(() -> BlockCodec.slotCount(longVarint, 0, longVarint.length))
                .isInstanceOf(CorruptBlockException.class);
        byte[] bigInflated = {1, 0x08, 3, (byte) 0xFF, (byte) 0xFF, 0x7F, 0};
        assertThatThrownBy(() -> BlockCodec.decode(bigInflated, 0, bigInflated.length, out))
                .isInstanceOf(CorruptBlockException.class).hasMessageContaining("deflated body length");
        byte[] rationalXor = good.clone();
        rationalXor[1] = (byte) (0x10 | 3 << 1);
        assertThatThrownBy(() -> BlockCodec.decode(rationalXor, 0, rationalXor.length, out))
                .isInstanceOf(CorruptBlockException.class).hasMessageContaining("rational");
        // rational DECIMAL, 1 slot, divisor EG0 with 17 leading zeros: 2^17 + ... > 65536
        byte[] bigDivisor = {1, 0x14, 1, 0, 0, 0x40, 0, 0, 0, 0, 0};
        assertThatThrownBy(() -> BlockCodec.decode(bigDivisor, 0, bigDivisor.length, out))
                .isInstanceOf(CorruptBlockException.class).hasMessageContaining("divisor");
        byte[] badDeflate = {1, 0x08, 3, 10, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF};
        assertThatThrownBy(() -> BlockCodec.decode(badDeflate, 0, badDeflate.length, out))
                .isInstanceOf(CorruptBlockException.class).hasMessageContaining("deflate");
    }

    @Test
    void presenceRangesAndDecimalConstantsAreChecked() {
        double[] out = new double[100];
        // flags 0x22: presence range, CONST; n = 8 gives 3-bit slot fields
        assertRejected(new byte[] {1, 0x23, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0}, out, "both presence forms");
        assertRejected(new byte[] {1, 0x22, 8, (byte) 0xC0, 0, 0, 0, 0, 0, 0, 0, 0}, out, "covers every slot");
        assertRejected(new byte[] {1, 0x22, 8, 0x00, 0, 0, 0, 0, 0, 0, 0, 0}, out, "first slot 0");
        assertRejected(new byte[] {1, 0x22, 6, 0x70, 0, 0, 0, 0, 0, 0, 0, 0}, out, "first slot 7");
        // first 4, then 4 more slots: past the end of 8
        assertRejected(new byte[] {1, 0x22, 8, 0x43, 0, 0, 0, 0, 0, 0, 0, 0}, out, "does not end inside");
        assertRejected(new byte[] {1, 0x22, 1, (byte) 0x80, 0, 0, 0, 0, 0, 0, 0, 0}, out, "block of 1 slot");
        // a decimal constant (flags 0x12) with scale 63 - 32 = 31
        assertRejected(new byte[] {1, 0x12, 2, (byte) 0xFC, 0}, out, "decimal scale 31");
        // and a good one: range [4, 8) of n = 8 (bits 0 100 1), decimal constant scale 0, mantissa 3 (zigzag 6)
        byte[] good = {1, 0x32, 8, 0x4C, 0x00, (byte) 0xF0};
        assertThat(catchThrowable(() -> BlockCodec.decode(good, 0, good.length, out))).isNull();
        assertThat(Arrays.copyOf(out, 8)).containsExactly(Double.NaN, Double.NaN, Double.NaN, Double.NaN, 3, 3, 3, 3);
    }

    private static void assertRejected(byte[] block, double[] out, String message) {
        assertThatThrownBy(() -> BlockCodec.decode(block, 0, block.length, out))
                .isInstanceOf(CorruptBlockException.class).hasMessageContaining(message);
    }

    @Test
    void presentValuesNeverDecodeToNaN() {
        // CONST mode with a NaN constant: flags = value mode 1, all present
        byte[] nanConst = {1, 0x02, 2, 0x7F, (byte) 0xF8, 0, 0, 0, 0, 0, 0};
        assertThatThrownBy(() -> BlockCodec.decode(nanConst, 0, nanConst.length, new double[2]))
                .isInstanceOf(CorruptBlockException.class).hasMessageContaining("NaN");
        // value mode NONE although every slot is present
        byte[] noneButPresent = {1, 0x00, 2};
        assertThatThrownBy(() -> BlockCodec.decode(noneButPresent, 0, noneButPresent.length, new double[2]))
                .isInstanceOf(CorruptBlockException.class).hasMessageContaining("value mode");
    }
}
