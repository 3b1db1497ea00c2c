package io.tally.engine.codec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link BlockCodec#stripHeader} and {@link BlockCodec#restoreHeader}: the stored form a container with a known slot
 * count keeps, and the whole block made back from it in place.
 */
class BlockHeaderStripTest {

    @ParameterizedTest
    @ValueSource(ints = {1, 127, 128, 1024, 16_383, 16_384, 65_536})
    void aStrippedBlockIsRestoredByteForByte(int n) {
        Random r = new Random(n);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextInt(5) == 0 ? Double.NaN : r.nextInt(3) == 0 ? r.nextGaussian() : r.nextInt(100) / 4.0;
        }
        byte[] whole = BlockCodec.encode(v, n);
        byte[] work = whole.clone();
        int from = BlockCodec.stripHeader(work, work.length, n);
        assertThat(from).isEqualTo(BlockCodec.impliedHeaderBytes(n));
        assertThat(work.length - from).isEqualTo(whole.length - from);

        byte[] stored = Arrays.copyOfRange(work, from, work.length);
        byte[] back = new byte[from + stored.length];
        System.arraycopy(stored, 0, back, from, stored.length);
        BlockCodec.restoreHeader(back, n);
        assertThat(back).isEqualTo(whole);
    }

    @Test
    void theImpliedBytesAreTheVersionAndTheSlotCount() {
        assertThat(BlockCodec.impliedHeaderBytes(1)).isEqualTo(2);
        assertThat(BlockCodec.impliedHeaderBytes(1024)).isEqualTo(3);
        assertThat(BlockCodec.impliedHeaderBytes(65_536)).isEqualTo(4);
    }

    @Test
    void aBlockOfAnotherSlotCountOrVersionIsNotStripped() {
        double[] v = new double[1024];
        byte[] whole = BlockCodec.encode(v, 1024);
        assertThatThrownBy(() -> BlockCodec.stripHeader(whole.clone(), whole.length, 1023))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1023 slots");
        byte[] other = whole.clone();
        other[0] = 2;
        assertThatThrownBy(() -> BlockCodec.stripHeader(other, other.length, 1024))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
