package io.tally.engine.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

class BitStreamTest {
    @RepeatedTest(20)
    void fieldsOfEveryWidthRoundTrip(RepetitionInfo info) throws Exception {
        Random rnd = new Random(info.getCurrentRepetition());
        int count = 1 + rnd.nextInt(2000);
        int[] widths = new int[count];
        long[] values = new long[count];
        GrowableBuffer buf = new GrowableBuffer(1);
        buf.put((byte) 0x77);
        BitWriter w = new BitWriter();
        w.start(buf);
        long total = 0;
        for (int i = 0; i < count; i++) {
            widths[i] = rnd.nextInt(65);
            values[i] = widths[i] == 0 ? 0 : rnd.nextLong() >>> (64 - widths[i]);
            // bits above the width must be ignored by the writer
            long garbage = widths[i] == 64 ? 0 : rnd.nextLong() << widths[i];
            w.write(values[i] | garbage, widths[i]);
            total += widths[i];
        }
        assertThat(w.bitsWritten()).isEqualTo(total);
        w.finish();
        assertThat(buf.size()).isEqualTo(1 + (int) ((total + 7) / 8));
        BitReader r = new BitReader(buf.array(), 1, buf.size());
        for (int i = 0; i < count; i++) {
            assertThat(r.readLong(widths[i])).as("field %d of %d bits", i, widths[i]).isEqualTo(values[i]);
        }
        r.checkEnd();
    }

    @Test
    void readingPastTheEndYieldsZerosAndIsReported() {
        byte[] data = {(byte) 0xFF, (byte) 0xFF, (byte) 0xAB};
        BitReader r = new BitReader(data, 0, 2);
        assertThat(r.read(12)).isEqualTo(0xFFF);
        assertThat(r.read(8)).isEqualTo(0xF0);
        assertThat(r.overrun()).isTrue();
        assertThat(r.peek()).isZero();
        assertThatThrownBy(r::checkEnd).isInstanceOf(CorruptBlockException.class).hasMessageContaining("truncated");
    }

    @Test
    void unreadBytesAndNonZeroPaddingAreReported() {
        byte[] data = {(byte) 0x80, 0x00};
        BitReader r = new BitReader(data, 0, 2);
        r.read(1);
        assertThatThrownBy(r::checkEnd).isInstanceOf(CorruptBlockException.class).hasMessageContaining("trailing");
        BitReader padded = new BitReader(new byte[] {(byte) 0x81}, 0, 1);
        padded.read(1);
        assertThatThrownBy(padded::checkEnd).isInstanceOf(CorruptBlockException.class)
                .hasMessageContaining("padding");
    }

    @Test
    void onesWritesRunsLongerThanAWord() throws Exception {
        GrowableBuffer buf = new GrowableBuffer();
        BitWriter w = new BitWriter();
        w.start(buf);
        w.ones(70);
        w.write(0, 2);
        w.finish();
        BitReader r = new BitReader(buf.array(), 0, buf.size());
        assertThat(r.readLong(64)).isEqualTo(-1L);
        assertThat(r.read(8)).isEqualTo(0b1111_1100);
        r.checkEnd();
    }

    @Test
    void growableBufferGrowsTruncatesAndCopies() {
        GrowableBuffer buf = new GrowableBuffer(0);
        for (int i = 0; i < 100; i++) {
            buf.put((byte) i);
        }
        buf.put(new byte[] {1, 2, 3}, 1, 2);
        assertThat(buf.size()).isEqualTo(102);
        buf.set(0, (byte) 9);
        buf.truncate(3);
        assertThat(buf.toByteArray()).containsExactly(9, 1, 2);
        assertThat(buf.copyFrom(1)).containsExactly(1, 2);
        assertThatThrownBy(() -> buf.truncate(4)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> buf.set(3, (byte) 0)).isInstanceOf(IndexOutOfBoundsException.class);
        buf.clear();
        assertThat(buf.size()).isZero();
    }
}
