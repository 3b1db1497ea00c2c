package io.tally.ingest;

import io.tally.engine.util.ManualClock;
import io.tally.engine.util.MetricsRegistry;
import io.tally.engine.util.RateLimitedLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class PlaintextParserTest {
    private static final long NOW = 1_700_000_123L;

    /** Drives a parser the way the TCP handler does: per-read chunks, a carry for the unfinished line. */
    private static final class Harness {
        final PlaintextParser.Options options;
        final CollectingSink sink = new CollectingSink(512);
        final MetricsRegistry metrics = new MetricsRegistry();
        final ManualClock clock = new ManualClock(NOW);
        final PlaintextParser parser;
        int maxCarry;

        Harness(PlaintextParser.Options options) {
            this.options = options;
            this.parser = new PlaintextParser(options, sink, clock, metrics, "test",
                    new RateLimitedLog(LoggerFactory.getLogger("test"), 3, 60_000, clock));
        }

        Harness() {
            this(new PlaintextParser.Options(64, false, 1, false));
        }

        Harness feed(byte[] input, Random r, int maxChunk, int workExtra) {
            byte[] work = new byte[options.maxLineLength() + workExtra];
            byte[] carry = new byte[work.length];
            int carryLen = 0;
            int pos = 0;
            while (pos < input.length) {
                int remaining = Math.min(1 + r.nextInt(maxChunk), input.length - pos);
                while (remaining > 0) {
                    System.arraycopy(carry, 0, work, 0, carryLen);
                    int n = carryLen;
                    int take = Math.min(remaining, work.length - n);
                    System.arraycopy(input, pos, work, n, take);
                    pos += take;
                    remaining -= take;
                    n += take;
                    int consumed = parser.parse(work, 0, n, false);
                    carryLen = n - consumed;
                    maxCarry = Math.max(maxCarry, carryLen);
                    System.arraycopy(work, consumed, carry, 0, carryLen);
                }
                if (r.nextInt(4) == 0) {
                    parser.flush();
                }
            }
            parser.endOfStream(carry, 0, carryLen);
            parser.flush();
            return this;
        }

        Harness feed(String input) {
            return feed(input.getBytes(StandardCharsets.UTF_8), new Random(1), 1 << 20, 1 << 16);
        }

        Harness datagram(byte[] input) {
            parser.parse(input, 0, input.length, true);
            parser.flush();
            return this;
        }

        long bad(String reason) {
            return metrics.count("ingest.test.bad_lines." + reason);
        }

        long[] badAll() {
            long[] out = new long[PlaintextParser.REASONS.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = bad(PlaintextParser.REASONS[i]);
            }
            return out;
        }
    }

    @Test
    void parsesCarbonLines() {
        Harness h = new Harness().feed("a.b.c 12.5 1700000000\n"
                + "  x..y.\t\t-3 1700000010.9 \r\n"
                + "t;z=1;a=2 1e3 -1\n"
                + "t 1 -1.5\n"
                + "i inf 1700000000\n"
                + "n nan 1700000000\n");
        assertThat(h.sink.points()).containsExactly(
                "a.b.c 1700000000 12.5",
                "x.y 1700000010 -3.0",
                "t;a=2;z=1 " + NOW + " 1000.0",
                "t " + NOW + " 1.0",
                "i 1700000000 Infinity");
        assertThat(h.metrics.count("ingest.test.nan_dropped")).isEqualTo(1);
        assertThat(h.metrics.count("ingest.test.points")).isEqualTo(5);
        assertThat(h.badAll()).containsOnly(0);
    }

    @Test
    void countsEachBadLineByReasonAndKeepsTheGoodOnes() {
        Harness h = new Harness().feed("good 1 100\n"
                + "two fields\n"
                + "a b c d\n"
                + "v x 100\n"
                + "t 1 x\n"
                + "t 1 N\n"
                + "t 1 nan\n"
                + "a;b 1 100\n"
                + "... 1 100\n"
                + "\n"
                + "  \r\n"
                + "x".repeat(65) + " 1 1\n"
                + "good2 2 200\n"
                + "unterminated 1 1");
        assertThat(h.sink.points()).containsExactly("good 100 1.0", "good2 200 2.0");
        assertThat(h.bad("fields")).isEqualTo(2);
        assertThat(h.bad("value")).isEqualTo(1);
        assertThat(h.bad("timestamp")).isEqualTo(3);
        assertThat(h.bad("tags")).isEqualTo(1);
        assertThat(h.bad("name")).isEqualTo(1);
        assertThat(h.bad("empty")).isEqualTo(2);
        assertThat(h.bad("too_long")).isEqualTo(1);
        assertThat(h.bad("unterminated")).isEqualTo(1);
    }

    @Test
    void invalidUtf8IsItsOwnReason() {
        byte[] in = {'a', (byte) 0xC3, ' ', '1', ' ', '1', '\n', 'b', ' ', '1', ' ', '1', '\n'};
        Harness h = new Harness().feed(in, new Random(1), 100, 100);
        assertThat(h.sink.points()).containsExactly("b 1 1.0");
        assertThat(h.bad("utf8")).isEqualTo(1);
    }

    @Test
    void optionalArrivalTimeForMissingOrNTimestamp() {
        Harness h = new Harness(new PlaintextParser.Options(64, true, 1, false)).feed("a 1\nb 2 N\nc 3 10\n");
        assertThat(h.sink.points()).containsExactly("a " + NOW + " 1.0", "b " + NOW + " 2.0", "c 10 3.0");
    }

    @Test
    void truncatesToTheTimestampResolution() {
        Harness h = new Harness(new PlaintextParser.Options(64, false, 60, false)).feed("a 1 119.9\nb 1 -1\n");
        assertThat(h.sink.points()).containsExactly("a 60 1.0", "b " + (NOW / 60 * 60) + " 1.0");
    }

    @Test
    void overlongLineIsSkippedAcrossReadsWithoutBuffering() {
        Harness h = new Harness();
        StringBuilder sb = new StringBuilder("a 1 1\n");
        sb.append("y".repeat(100_000)).append(" 1 1\nb 2 2\n");
        h.feed(sb.toString().getBytes(StandardCharsets.US_ASCII), new Random(7), 300, 50);
        assertThat(h.sink.points()).containsExactly("a 1 1.0", "b 2 2.0");
        assertThat(h.bad("too_long")).isEqualTo(1);
        assertThat(h.maxCarry).isLessThanOrEqualTo(64);
    }

    @Test
    void datagramLastLineIsCompleteAndCrEndsALine() {
        Harness h = new Harness(new PlaintextParser.Options(64, false, 1, true))
                .datagram("a 1 1\rb 2 2\r\nc 3 3\nd 4 4".getBytes(StandardCharsets.US_ASCII));
        assertThat(h.sink.points()).containsExactly("a 1 1.0", "b 2 2.0", "c 3 3.0", "d 4 4.0");
        assertThat(h.badAll()).containsOnly(0);
    }

    @Test
    void fullBatchesGoToTheSinkAndAPauseIsReported() {
        Harness h = new Harness();
        h.sink.setFull(true);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            sb.append("metric.").append(i).append(' ').append(i).append(" 100\n");
        }
        byte[] in = sb.toString().getBytes(StandardCharsets.US_ASCII);
        h.parser.parse(in, 0, in.length, false);
        assertThat(h.sink.offers()).isGreaterThan(1); // 512-byte batches
        assertThat(h.parser.takePauseRequest()).isTrue();
        assertThat(h.parser.takePauseRequest()).isFalse();
        h.parser.flush();
        assertThat(h.sink.points()).hasSize(100);
    }

    // ---- differential and fuzz -------------------------------------------------------------------------------

    private static final String[] NAMES = {
        "a.b.c", "servers.web01.cpu.user", "x..y", ".lead", "trail.", "t;k=v;a=b", "t;k=v;k=w", "bad;k", "a;k=~v",
        "m{a=\"1\"}", "caf\u00e9", "...", "~x", "n;name=x;z=1",
        // longer than a word (the scans go eight bytes at a time): a control character, non-ASCII or a separator
        // inside, each at a different place in its word
        "servers.prod.web042.cpu.user", "servers.prod\u0001web042.cpu", "servers.prod.web\u00e9042.cpu.user",
        "servers.prod.web042\u001fcpu.user", "servers.prod..web042.cpu.user", "servers.prod.web042.cpu.user.",
        "disk.used.by.host;dc=us-east;host=h1",
    };
    private static final String[] NUMBERS = {
        "0", "1", "-1", "12.5", "-3.5", "1e3", "1E-3", ".5", "5.", "inf", "-Infinity", "nan", "NaN", "1_000", "1__0",
        "x", "", "1.2.3", "1700000000", "1700000000.9", "-1", "-1.5", "-0.5", "1e400", "1e30", "N", "0x10",
        "123456789012345678901234", "+7",
    };
    private static final String[] SEPARATORS = {" ", " ", " ", "  ", "\t", " \t ", "\u000b", "\u001f"};

    private static byte[] randomInput(Random r, int maxLine) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int lines = r.nextInt(60);
        for (int i = 0; i < lines; i++) {
            int kind = r.nextInt(20);
            if (kind == 0) {
                byte[] junk = new byte[r.nextInt(2 * maxLine)];
                r.nextBytes(junk);
                b.writeBytes(junk);
            } else if (kind == 1) {
                b.writeBytes("z".repeat(r.nextInt(3 * maxLine)).getBytes(StandardCharsets.US_ASCII));
            } else {
                if (r.nextInt(10) == 0) {
                    b.writeBytes(SEPARATORS[r.nextInt(SEPARATORS.length)].getBytes(StandardCharsets.UTF_8));
                }
                int fields = r.nextInt(12) == 0 ? r.nextInt(5) : 3;
                for (int f = 0; f < fields; f++) {
                    if (f > 0) {
                        b.writeBytes(SEPARATORS[r.nextInt(SEPARATORS.length)].getBytes(StandardCharsets.UTF_8));
                    }
                    String s = f == 0 ? NAMES[r.nextInt(NAMES.length)] : NUMBERS[r.nextInt(NUMBERS.length)];
                    b.writeBytes(s.getBytes(StandardCharsets.UTF_8));
                }
                if (r.nextInt(8) == 0) {
                    b.write('\r');
                }
            }
            if (r.nextInt(30) == 0) {
                b.write(0xFF);
            }
            b.write(r.nextInt(25) == 0 ? '\r' : '\n');
        }
        if (r.nextBoolean()) {
            b.writeBytes("tail 1 1".getBytes(StandardCharsets.US_ASCII));
        }
        return b.toByteArray();
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void agreesWithTheReferenceParser(long seed) {
        Random r = new Random(seed);
        int rounds = Boolean.getBoolean("tally.long") ? 20_000 : 400;
        long points = 0;
        for (int i = 0; i < rounds; i++) {
            boolean datagram = r.nextInt(4) == 0;
            PlaintextParser.Options o = new PlaintextParser.Options(16 + r.nextInt(100), r.nextInt(3) == 0,
                    r.nextInt(4) == 0 ? 10 : 1, datagram);
            byte[] input = randomInput(r, o.maxLineLength());
            Harness h = new Harness(o);
            if (datagram) {
                h.datagram(input);
            } else {
                h.feed(input, r, 1 + r.nextInt(200), 1 + r.nextInt(100));
            }
            ReferencePlaintextParser ref = new ReferencePlaintextParser();
            ref.parse(input, o, NOW, datagram);
            String shown = new String(input, StandardCharsets.ISO_8859_1);
            assertThat(h.sink.points()).as("points of %s", shown).isEqualTo(ref.points);
            assertThat(h.badAll()).as("bad lines %s of %s", Arrays.toString(PlaintextParser.REASONS), shown)
                    .isEqualTo(ref.bad);
            assertThat(h.metrics.count("ingest.test.nan_dropped")).isEqualTo(ref.nan);
            points += ref.points.size();
        }
        assertThat(points).as("the generator makes mostly good lines").isGreaterThan(rounds * 5L);
    }

    @ParameterizedTest
    @ValueSource(longs = {11, 12, 13})
    void randomBytesNeverThrowAndMemoryStaysBounded(long seed) {
        Random r = new Random(seed);
        int rounds = Boolean.getBoolean("tally.long") ? 2_000 : 50;
        for (int i = 0; i < rounds; i++) {
            byte[] input = new byte[r.nextInt(200_000)];
            r.nextBytes(input);
            if (r.nextBoolean()) { // mostly printable, few newlines: long lines
                for (int j = 0; j < input.length; j++) {
                    input[j] = (byte) (r.nextInt(5000) == 0 ? '\n' : 32 + r.nextInt(95));
                }
            }
            Harness h = new Harness(new PlaintextParser.Options(1024, false, 1, false));
            h.feed(input, r, 70_000, 1 + r.nextInt(65_536));
            assertThat(h.maxCarry).isLessThanOrEqualTo(1024);
            Harness d = new Harness(new PlaintextParser.Options(1024, false, 1, true));
            d.datagram(input);
        }
    }
}
