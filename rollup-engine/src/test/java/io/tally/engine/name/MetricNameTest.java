package io.tally.engine.name;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

class MetricNameTest {

    private static Object fast(byte[] in, int outLen) {
        byte[] out = new byte[outLen];
        int n = MetricName.canonicalize(in, 0, in.length, out);
        return n < 0 ? (Object) n : new String(out, 0, n, StandardCharsets.UTF_8);
    }

    private static Object fast(String s) {
        byte[] in = s.getBytes(StandardCharsets.UTF_8);
        return fast(in, Math.max(1, in.length));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "a.b.c|a.b.c",
        "a..b|a.b",
        ".a.b.|a.b",
        "...a....b...|a.b",
        "~a.b|~a.b",
        "disk.used;rack=a1;datacenter=dc1;server=web01|disk.used;datacenter=dc1;rack=a1;server=web01",
        "a;a=1;a-b=1|a;a-b=1;a=1",
        "a;t=1;t=2|a;t=2",
        "a;t=2;u=x;t=1|a;t=1;u=x",
        "a;name=other;z=1|a;z=1",
        "~~a..b.;z=1|a.b;z=1",
        ".~.a;z=1|a;z=1",
        "a;t=x=y|a;t=x=y",
        "a;t=~x|" + MetricName.BAD_TAG_VALUE,
        "a;t|" + MetricName.BAD_TAG,
        "a;=v|" + MetricName.BAD_TAG,
        "a;t=|" + MetricName.BAD_TAG,
        "a;|" + MetricName.BAD_TAG,
        "a;t!=v|" + MetricName.BAD_TAG_NAME,
        "a;t^x=v|" + MetricName.BAD_TAG_NAME,
        ";t=v|" + MetricName.EMPTY,
        "~~;t=v|" + MetricName.EMPTY,
        "...|" + MetricName.EMPTY,
        "m{b=\"2\",a=\"1\"}|m;a=1;b=2",
        "m{a=\"x\\\"y\\\\z\"}|m;a=x\"y\\z",
        "m{a=\"1\":,b=\"2\"}|m;a=1;b=2",
        "m{a=\"1\",b=\"2\",}|m{a=\"1\",b=\"2\",}",
        "m{a=\"1\" ,b=\"2\"}|" + MetricName.BAD_CHAR,
        "m{a=\"\"}|" + MetricName.BAD_OPENMETRICS,
        "m{a=\"x\\n\"}|" + MetricName.BAD_OPENMETRICS,
        "m{a{=\"x\"}|" + MetricName.BAD_OPENMETRICS,
        "{a=\"x\"}|" + MetricName.EMPTY,
        "m;q=1{a=\"x\"}|" + MetricName.BAD_OPENMETRICS,
        "m{a=\"~x\"}|" + MetricName.BAD_TAG_VALUE,
        "m{a=\"x;y\"}|" + MetricName.BAD_TAG_VALUE,
        "a{\"}.|" + MetricName.BAD_OPENMETRICS,
    })
    void examples(String in, String expected) {
        Object got = fast(in);
        assertThat(String.valueOf(got)).isEqualTo(expected);
        assertThat(String.valueOf(ReferenceMetricName.canonical(in.getBytes(StandardCharsets.UTF_8))))
                .isEqualTo(expected);
    }

    @Test
    void rejectsBadUtf8AndControlCharacters() {
        assertThat(fast(new byte[] {'a', (byte) 0xC3}, 2)).isEqualTo(MetricName.BAD_UTF8);
        assertThat(fast(new byte[] {'a', (byte) 0xC0, (byte) 0x80}, 3)).isEqualTo(MetricName.BAD_UTF8);
        assertThat(fast(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, 3)).isEqualTo(MetricName.BAD_UTF8);
        assertThat(fast(new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, 4))
                .isEqualTo(MetricName.BAD_UTF8);
        assertThat(fast(new byte[] {'a', ' ', (byte) 0xFF}, 3)).isEqualTo(MetricName.BAD_UTF8);
        assertThat(fast("a\tb")).isEqualTo(MetricName.BAD_CHAR);
        assertThat(fast("a\u00a0b")).isEqualTo(MetricName.BAD_CHAR);
        assertThat(fast("a\u3000b")).isEqualTo(MetricName.BAD_CHAR);
        assertThat(fast("a\u0000b")).isEqualTo(MetricName.BAD_CHAR);
        assertThat(fast("caf\u00e9.\u20ac.\uD83D\uDE00")).isEqualTo("caf\u00e9.\u20ac.\uD83D\uDE00");
    }

    @Test
    void lengthLimits() {
        assertThat(fast(new byte[0], 1)).isEqualTo(MetricName.EMPTY);
        byte[] big = new byte[MetricName.MAX_LENGTH + 1];
        Arrays.fill(big, (byte) 'a');
        assertThat(fast(big, big.length)).isEqualTo(MetricName.TOO_LONG);
        byte[] max = Arrays.copyOf(big, MetricName.MAX_LENGTH);
        assertThat(fast(max, max.length)).isEqualTo(new String(max, StandardCharsets.US_ASCII));
    }

    @Test
    void worksOnASliceAndLeavesInputAlone() {
        byte[] in = "xxz.y;b=2;a=1yy".getBytes(StandardCharsets.US_ASCII);
        byte[] copy = in.clone();
        byte[] out = new byte[11];
        int n = MetricName.canonicalize(in, 2, 11, out);
        assertThat(new String(out, 0, n, StandardCharsets.US_ASCII)).isEqualTo("z.y;a=1;b=2");
        assertThat(in).isEqualTo(copy);
    }

    @Test
    void manyTagsAreSortedAndDeduplicated() {
        StringBuilder sb = new StringBuilder("m");
        StringBuilder expected = new StringBuilder("m");
        for (int i = 99; i >= 0; i--) {
            sb.append(";t").append(String.format("%02d", i)).append("=old");
        }
        for (int i = 99; i >= 0; i--) {
            sb.append(";t").append(String.format("%02d", i)).append("=v").append(i);
        }
        for (int i = 0; i < 100; i++) {
            expected.append(";t").append(String.format("%02d", i)).append("=v").append(i);
        }
        assertThat(fast(sb.toString())).isEqualTo(expected.toString());
    }

    @Test
    void stringHelpers() {
        assertThat(MetricName.canonicalize("a..b;z=1;y=2")).isEqualTo("a.b;y=2;z=1");
        assertThatThrownBy(() -> MetricName.canonicalize("a;b"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a;b")
                .hasMessageContaining("tag");
        assertThatThrownBy(() -> MetricName.canonicalize("a\uD800b"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("UTF-8");
        assertThat(MetricName.tags("disk.used;rack=a1;datacenter=dc1")).containsExactly(
                entry("name", "disk.used"), entry("datacenter", "dc1"), entry("rack", "a1"));
        assertThat(MetricName.tags("a.b")).containsExactly(entry("name", "a.b"));
        assertThat(MetricName.reason(MetricName.BAD_TAG_VALUE)).contains("start with '~'");
        assertThat(MetricName.reason(-99)).contains("-99");
    }

    // ---- differential tests against the reference ------------------------------------------------------------

    private static final String[] PIECES = {
        "a", "b", "cpu", "x", ".", ".", "..", ";", ";", "=", "=", "~", "{", "}", "\"", "\"}", "\\", "\\\"", ",",
        ":,", "!", "^", "-", "name", "name=", "\u00e9", "\u20ac", "\uD83D\uDE00", "\uE000", " ", "\t", "\u00a0",
    };
    private static final byte[][] RAW = {
        {(byte) 0xFF}, {(byte) 0xC0}, {(byte) 0x80}, {(byte) 0xE2, (byte) 0x82}, {(byte) 0xED, (byte) 0xB0,
        (byte) 0x80}, {0x7F}, {0x00},
    };

    private static byte[] randomName(Random r) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        switch (r.nextInt(4)) {
            case 0 -> { // soup of pieces
                int n = r.nextInt(12);
                for (int i = 0; i < n; i++) {
                    if (r.nextInt(40) == 0) {
                        b.writeBytes(RAW[r.nextInt(RAW.length)]);
                    } else {
                        b.writeBytes(PIECES[r.nextInt(PIECES.length)].getBytes(StandardCharsets.UTF_8));
                    }
                }
            }
            case 1 -> { // carbon tagged form, mostly valid
                b.writeBytes(word(r, ".~").getBytes(StandardCharsets.UTF_8));
                int n = r.nextInt(r.nextBoolean() ? 4 : 20);
                for (int i = 0; i < n; i++) {
                    b.write(';');
                    b.writeBytes(word(r, "-!").getBytes(StandardCharsets.UTF_8));
                    if (r.nextInt(30) != 0) {
                        b.write('=');
                    }
                    b.writeBytes(word(r, "=~{}\"").getBytes(StandardCharsets.UTF_8));
                }
            }
            case 2 -> { // OpenMetrics form, mostly valid
                b.writeBytes(word(r, ".").getBytes(StandardCharsets.UTF_8));
                b.write('{');
                int n = 1 + r.nextInt(15);
                for (int i = 0; i < n; i++) {
                    b.writeBytes(word(r, "-,").getBytes(StandardCharsets.UTF_8));
                    b.writeBytes("=\"".getBytes(StandardCharsets.US_ASCII));
                    String v = word(r, "\\\"=,~");
                    b.writeBytes(v.replace("\\", r.nextInt(10) == 0 ? "\\" : "\\\\")
                            .replace("\"", r.nextInt(10) == 0 ? "\"" : "\\\"").getBytes(StandardCharsets.UTF_8));
                    b.write('"');
                    if (i < n - 1 || r.nextInt(5) == 0) {
                        b.writeBytes((r.nextInt(8) == 0 ? ":," : ",").getBytes(StandardCharsets.US_ASCII));
                    }
                }
                b.write('}');
            }
            default -> { // plain dotted names
                int n = r.nextInt(8);
                for (int i = 0; i < n; i++) {
                    b.writeBytes(word(r, "").getBytes(StandardCharsets.UTF_8));
                    b.writeBytes((r.nextInt(5) == 0 ? ".." : ".").getBytes(StandardCharsets.US_ASCII));
                }
            }
        }
        return b.toByteArray();
    }

    private static String word(Random r, String extra) {
        if (r.nextInt(6) == 0) {
            return "name";
        }
        String base = "abcnme\u00e9\uD83D\uDE00";
        int n = r.nextInt(15) == 0 ? 0 : 1 + r.nextInt(4);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            String alphabet = !extra.isEmpty() && r.nextInt(8) == 0 ? extra : base;
            sb.appendCodePoint(alphabet.codePointAt(alphabet.offsetByCodePoints(0,
                    r.nextInt(alphabet.codePointCount(0, alphabet.length())))));
        }
        return sb.toString();
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 42, 20260101})
    void agreesWithReferenceOnRandomInput(long seed) {
        Random r = new Random(seed);
        int rounds = Boolean.getBoolean("tally.long") ? 1_000_000 : 20_000;
        int tagged = 0;
        int rejected = 0;
        for (int i = 0; i < rounds; i++) {
            byte[] in = randomName(r);
            Object expected = ReferenceMetricName.canonical(in);
            int outLen = Math.max(1, in.length) + (r.nextBoolean() ? 0 : r.nextInt(64));
            Object got = fast(in, outLen);
            assertThat(got).as("input %s", new String(in, StandardCharsets.UTF_8)).isEqualTo(expected);
            if (got instanceof String s) {
                assertThat(fast(s)).as("idempotent for %s", s).isEqualTo(s);
                tagged += s.indexOf(';') >= 0 ? 1 : 0;
            } else {
                rejected++;
            }
        }
        // the generator must exercise both outcomes, not only rejections
        assertThat(tagged).isGreaterThan(rounds / 10);
        assertThat(rejected).isGreaterThan(rounds / 10);
    }
}
