package io.tally.engine.storage;

import io.tally.engine.codec.BlockEncoder;
import io.tally.engine.codec.GrowableBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HeadChunksTest {
    @Test
    void aChunkKeepsItsStartAndDirtyFlagExactlyWhateverItsValues() {
        for (long start : new long[] {0, 160, -160, -1_000_000_000L * 16, 1_795_323_600L, 1L << 50, -(1L << 50)}) {
            double[] c = HeadChunks.newChunk(16, start, true);
            assertThat(c).hasSize(17);
            assertThat(HeadChunks.start(c)).as("start %d", start).isEqualTo(start);
            assertThat(HeadChunks.dirty(c)).isTrue();
            c[15] = 42; // the last value slot is not the metadata
            HeadChunks.setDirty(c, false);
            assertThat(HeadChunks.start(c)).isEqualTo(start);
            assertThat(HeadChunks.dirty(c)).isFalse();
            assertThat(HeadChunks.copyValues(c, 16)).hasSize(16).endsWith(42.0);
            assertThat(Double.isNaN(c[0])).isTrue();
        }
    }

    @Test
    void aSealedChunkKeepsValuesStartAndFlagAndOpensAgain() {
        BlockEncoder enc = new BlockEncoder(false);
        GrowableBuffer buf = new GrowableBuffer();
        double[] c = HeadChunks.newChunk(16, -320, true);
        for (int i = 0; i < 16; i += 2) {
            c[i] = i * 1.5;
        }
        c[15] = Double.POSITIVE_INFINITY;
        byte[] sealed = HeadChunks.seal(c, enc, buf);
        assertThat(HeadChunks.heapBytes(sealed)).isLessThan(HeadChunks.heapBytes(c));
        assertThat(HeadChunks.isOpen(sealed)).isFalse();
        assertThat(HeadChunks.start(sealed)).isEqualTo(-320);
        assertThat(HeadChunks.dirty(sealed)).isTrue();
        HeadChunks.setDirty(sealed, false);
        assertThat(HeadChunks.dirty(sealed)).isFalse();
        assertThat(HeadChunks.start(sealed)).isEqualTo(-320);
        assertThat(HeadChunks.copyValues(sealed, 16)).containsExactly(HeadChunks.copyValues(c, 16));
        double[] reopened = HeadChunks.open(sealed, 16);
        assertThat(reopened).hasSize(17);
        assertThat(HeadChunks.copyValues(reopened, 16)).containsExactly(HeadChunks.copyValues(c, 16));
        assertThat(HeadChunks.start(reopened)).isEqualTo(-320);
        assertThat(HeadChunks.dirty(reopened)).isFalse();
        Object head = HeadChunks.insert(HeadChunks.insert(null, sealed), HeadChunks.newChunk(16, -160, true));
        assertThat(HeadChunks.find(head, -320)).isSameAs(sealed);
        assertThat(HeadChunks.replace(head, 0, reopened)).isSameAs(head);
        assertThat(HeadChunks.find(head, -320)).isSameAs(reopened);
    }

    @Test
    void chunksInsertedInAnyOrderAreFoundAndKeptSorted() {
        Random rnd = new Random(7);
        List<Long> starts = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            starts.add(i * 160L);
        }
        Collections.shuffle(starts, rnd);
        Object head = null;
        for (long s : starts) {
            assertThat(HeadChunks.find(head, s)).isNull();
            head = HeadChunks.insert(head, HeadChunks.newChunk(16, s, false));
            assertThat(HeadChunks.find(head, s)).isNotNull();
        }
        assertThat(HeadChunks.count(head)).isEqualTo(40);
        for (int i = 0; i < 40; i++) {
            assertThat(HeadChunks.start(HeadChunks.at(head, i))).isEqualTo(i * 160L);
            assertThat(HeadChunks.start(HeadChunks.find(head, i * 160L))).isEqualTo(i * 160L);
        }
        assertThat(HeadChunks.find(head, 80)).as("not a chunk start").isNull();
        assertThat(HeadChunks.find(head, 40 * 160L)).isNull();
        assertThat(HeadChunks.find(head, -160)).isNull();
        Object same = head;
        assertThatThrownBy(() -> HeadChunks.insert(same, HeadChunks.newChunk(16, 320, true)))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void retainShrinksToTheCompactFormAndNullWhenEmpty() {
        Object head = null;
        for (long s = 0; s < 3 * 160; s += 160) {
            head = HeadChunks.insert(head, HeadChunks.newChunk(16, s, s == 320));
        }
        assertThat(head).isInstanceOf(Object[].class);
        Object one = HeadChunks.retain(head, HeadChunks::dirty);
        assertThat(one).as("a single chunk is held without an array around it").isInstanceOf(double[].class);
        assertThat(HeadChunks.start((double[]) one)).isEqualTo(320);
        assertThat(HeadChunks.retain(head, c -> true)).isSameAs(head);
        assertThat(HeadChunks.retain(head, c -> false)).isNull();
        assertThat(HeadChunks.retain(null, c -> true)).isNull();
        assertThat(HeadChunks.count(null)).isZero();
    }

    @Test
    void theNewestChunkIsTheLastInStartOrder() {
        assertThat(HeadChunks.newest(null)).isNull();
        double[] a = HeadChunks.newChunk(16, 160, false);
        double[] b = HeadChunks.newChunk(16, 320, false);
        assertThat(HeadChunks.newest(a)).isSameAs(a);
        assertThat(HeadChunks.newest(HeadChunks.insert(b, a))).isSameAs(b);
        assertThat(HeadChunks.newest(HeadChunks.insert(a, b))).isSameAs(b);
    }
}
