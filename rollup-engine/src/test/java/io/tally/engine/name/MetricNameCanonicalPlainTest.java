package io.tally.engine.name;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link MetricName#isCanonicalPlain}: true only for names that canonicalize leaves unchanged. */
class MetricNameCanonicalPlainTest {

    private static boolean plain(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return MetricName.isCanonicalPlain(b, 0, b.length);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "a.b.c", "app01.us-east.host042.cpu.user", "a-b_c:d~e\"f}", "x.y.z_9"})
    void acceptsCanonicalPlainNames(String name) {
        assertThat(plain(name)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".a", "a.", "a..b", "a;b=c", "a{b=\"c\"}", "a b", "a\tb", "caf\u00e9", "a\u007fb",
        "."})
    void refusesEverythingElse(String name) {
        assertThat(plain(name)).isFalse();
    }

    @Test
    void anOffsetSliceIsJudgedAlone() {
        byte[] b = "..a.b..".getBytes(StandardCharsets.US_ASCII);
        assertThat(MetricName.isCanonicalPlain(b, 2, 3)).isTrue();
        assertThat(MetricName.isCanonicalPlain(b, 1, 4)).isFalse();
    }

    @Test
    void acceptedNamesAreExactlyWhatCanonicalizeReturns() {
        Random r = new Random(20261122);
        byte[] alphabet = "ab.;{}=\"~ _-9".getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[64];
        int accepted = 0;
        for (int i = 0; i < 200_000; i++) {
            byte[] in = new byte[1 + r.nextInt(12)];
            for (int k = 0; k < in.length; k++) {
                in[k] = r.nextInt(20) == 0 ? (byte) (0x80 + r.nextInt(0x80)) : alphabet[r.nextInt(alphabet.length)];
            }
            if (MetricName.isCanonicalPlain(in, 0, in.length)) {
                accepted++;
                int n = MetricName.canonicalize(in, 0, in.length, out);
                assertThat(n).isEqualTo(in.length);
                assertThat(Arrays.copyOf(out, n)).isEqualTo(in);
            }
        }
        assertThat(accepted).isGreaterThan(1000);
    }

    /** The byte-at-a-time definition the eight-bytes-at-a-time check must agree with. */
    private static boolean plainOneByOne(byte[] in, int off, int len) {
        if (len == 0) {
            return false;
        }
        byte prev = '.';
        for (int p = off; p < off + len; p++) {
            byte c = in[p];
            if (c <= 0x20 || c >= 0x7F || c == ';' || c == '{' || (c == '.' && prev == '.')) {
                return false;
            }
            prev = c;
        }
        return prev != '.';
    }

    @Test
    void longNamesAtAnyOffsetAgreeWithTheOneByteAtATimeDefinition() {
        Random r = new Random(7);
        // the bytes at each edge of the accepted ranges, the special characters, and a dot's neighbours in ASCII
        byte[] edges = {0x00, 0x09, 0x1F, 0x20, 0x21, 0x2D, 0x2E, 0x2F, 0x3A, 0x3B, 0x3C, 0x7A, 0x7B, 0x7C, 0x7E, 0x7F,
            (byte) 0x80, (byte) 0xC3, (byte) 0xFF, 'a', 'z', '0'};
        int accepted = 0;
        int refused = 0;
        for (int i = 0; i < 300_000; i++) {
            int len = r.nextInt(41);
            int off = r.nextInt(9);
            byte[] in = new byte[off + len + r.nextInt(9)];
            for (int k = 0; k < in.length; k++) {
                in[k] = r.nextInt(4) == 0 ? (byte) '.' : r.nextInt(30) == 0 ? edges[r.nextInt(edges.length)]
                        : (byte) ('a' + r.nextInt(26));
            }
            boolean expected = plainOneByOne(in, off, len);
            assertThat(MetricName.isCanonicalPlain(in, off, len)).as("%s at %d+%d", Arrays.toString(in), off, len)
                    .isEqualTo(expected);
            if (expected) {
                accepted++;
            } else {
                refused++;
            }
        }
        assertThat(accepted).isGreaterThan(10_000);
        assertThat(refused).isGreaterThan(10_000);
    }

    @Test
    void eachDisqualifyingByteIsFoundInEveryPositionOfALongName() {
        byte[] bad = {0x00, 0x0A, 0x20, 0x7F, (byte) 0x80, (byte) 0xFF, ';', '{'};
        for (int len = 1; len <= 24; len++) {
            for (int at = 0; at < len; at++) {
                for (byte b : bad) {
                    byte[] in = new byte[len];
                    Arrays.fill(in, (byte) 'x');
                    in[at] = b;
                    assertThat(MetricName.isCanonicalPlain(in, 0, len)).as("0x%02x at %d of %d", b, at, len).isFalse();
                }
                if (at > 0) {
                    byte[] in = new byte[len];
                    Arrays.fill(in, (byte) 'x');
                    in[at - 1] = '.';
                    in[at] = '.';
                    assertThat(MetricName.isCanonicalPlain(in, 0, len)).as(".. at %d of %d", at - 1, len).isFalse();
                }
            }
        }
    }
}
