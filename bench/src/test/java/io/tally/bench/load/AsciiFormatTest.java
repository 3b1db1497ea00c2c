package io.tally.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

class AsciiFormatTest {

    private static String longText(long v) {
        byte[] buf = new byte[AsciiFormat.MAX_NUMBER_BYTES];
        int end = AsciiFormat.writeLong(buf, 0, v);
        return new String(buf, 0, end, StandardCharsets.US_ASCII);
    }

    private static String fixedText(long scaled, int decimals) {
        byte[] buf = new byte[AsciiFormat.MAX_NUMBER_BYTES + 2];
        buf[0] = 'x';
        int end = AsciiFormat.writeFixed(buf, 1, scaled, decimals);
        assertThat(buf[0]).as("writes only from pos on").isEqualTo((byte) 'x');
        return new String(buf, 1, end - 1, StandardCharsets.US_ASCII);
    }

    @Test
    void writesEdgeLongs() {
        for (long v : new long[] {0, 1, -1, 9, 10, 99, 100, Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1}) {
            assertThat(longText(v)).isEqualTo(Long.toString(v));
        }
    }

    @RepeatedTest(20)
    void writesRandomLongsLikeLongToString(RepetitionInfo info) {
        Random random = new Random(1000 + info.getCurrentRepetition());
        for (int i = 0; i < 1000; i++) {
            long v = random.nextLong() >> random.nextInt(64);
            assertThat(longText(v)).isEqualTo(Long.toString(v));
        }
    }

    @Test
    void dropsTrailingFractionZeros() {
        assertThat(fixedText(4270, 2)).isEqualTo("42.7");
        assertThat(fixedText(4200, 2)).isEqualTo("42");
        assertThat(fixedText(5, 2)).isEqualTo("0.05");
        assertThat(fixedText(-5, 1)).isEqualTo("-0.5");
        assertThat(fixedText(0, 2)).isEqualTo("0");
    }

    @RepeatedTest(20)
    void writesRandomFixedLikeBigDecimal(RepetitionInfo info) {
        Random random = new Random(2000 + info.getCurrentRepetition());
        for (int i = 0; i < 1000; i++) {
            int decimals = random.nextInt(7);
            long scaled = random.nextLong() >> random.nextInt(64);
            if (scaled == Long.MIN_VALUE) {
                continue;
            }
            String expected = BigDecimal.valueOf(scaled, decimals).stripTrailingZeros().toPlainString();
            assertThat(fixedText(scaled, decimals)).isEqualTo(expected);
        }
    }
}
