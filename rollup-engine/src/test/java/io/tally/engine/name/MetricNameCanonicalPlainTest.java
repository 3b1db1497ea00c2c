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
}
