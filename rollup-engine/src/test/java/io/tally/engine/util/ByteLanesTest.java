package io.tally.engine.util;

import org.junit.jupiter.api.Test;

import java.util.Random;
import java.util.function.IntPredicate;
import java.util.function.LongUnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/** Each mask of {@link ByteLanes} marks exactly the bytes its definition names, whatever the other bytes hold. */
class ByteLanesTest {

    /** Every byte value in every lane, the other lanes random: the mask must equal the per-byte definition. */
    private static void agrees(LongUnaryOperator mask, IntPredicate definition) {
        Random r = new Random(5);
        byte[] b = new byte[8];
        for (int round = 0; round < 64; round++) {
            for (int lane = 0; lane < 8; lane++) {
                for (int v = 0; v < 256; v++) {
                    r.nextBytes(b);
                    b[lane] = (byte) v;
                    long x = (long) ByteLanes.WORDS.get(b, 0);
                    long expected = 0;
                    for (int k = 0; k < 8; k++) {
                        if (definition.test(b[k] & 0xFF)) {
                            expected |= 0x80L << (8 * k);
                        }
                    }
                    assertThat(mask.applyAsLong(x)).as("lane %d = 0x%02x in %016x", lane, v, x).isEqualTo(expected);
                }
            }
        }
    }

    @Test
    void zero() {
        agrees(ByteLanes::zero, c -> c == 0);
    }

    @Test
    void equal() {
        long dots = ByteLanes.broadcast('.');
        agrees(x -> ByteLanes.equal(x, dots), c -> c == '.');
    }

    @Test
    void atMostSpace() {
        agrees(ByteLanes::atMostSpace, c -> c <= 0x20);
    }

    @Test
    void delOrAbove() {
        agrees(ByteLanes::delOrAbove, c -> c >= 0x7F);
    }

    @Test
    void wordsAreLittleEndianSoTheLowestMarkIsTheFirstByte() {
        byte[] b = "abc\ndef\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        long nl = ByteLanes.equal((long) ByteLanes.WORDS.get(b, 0), ByteLanes.broadcast('\n'));
        assertThat(ByteLanes.first(nl)).isEqualTo(3);
        assertThat(ByteLanes.below(3)).isEqualTo(0xFFFFFFL);
        assertThat(ByteLanes.below(0)).isZero();
    }
}
