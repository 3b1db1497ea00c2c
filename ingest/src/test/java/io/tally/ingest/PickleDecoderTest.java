package io.tally.ingest;

import io.tally.engine.util.ManualClock;
import io.tally.engine.util.MetricsRegistry;
import io.tally.engine.util.RateLimitedLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class PickleDecoderTest {
    private static final long NOW = 1_700_000_321L;

    /** {@code [("a.b.c", (1700000000, 1.5)), ("a.b.d", (1700000000, 2))]} from Python 3.11 pickle.dumps. */
    private static final String[] SIMPLE = {
        "286c70300a2856612e622e630a70310a2849313730303030303030300a46312e350a7470320a7470330a612856612e622e640a70340a"
            + "2849313730303030303030300a49320a7470350a7470360a612e",
        "5d710028285805000000612e622e637101284a00f15365473ff8000000000000747102747103285805000000612e622e647104284a"
            + "00f153654b02747105747106652e",
        "80025d7100285805000000612e622e6371014a00f15365473ff80000000000008671028671035805000000612e622e6471044a00f1"
            + "53654b02867105867106652e",
        "80035d7100285805000000612e622e6371014a00f15365473ff80000000000008671028671035805000000612e622e6471044a00f1"
            + "53654b02867105867106652e",
        "80049532000000000000005d94288c05612e622e63944a00f15365473ff8000000000000869486948c05612e622e64944a00f15365"
            + "4b0286948694652e",
        "80059532000000000000005d94288c05612e622e63944a00f15365473ff8000000000000869486948c05612e622e64944a00f15365"
            + "4b0286948694652e",
    };

    private static final class Harness {
        final CollectingSink sink = new CollectingSink(1024);
        final MetricsRegistry metrics = new MetricsRegistry();
        final ManualClock clock = new ManualClock(NOW);
        final PickleDecoder decoder;
        final PointWriter writer;

        Harness(PickleDecoder.Limits limits) {
            decoder = new PickleDecoder(limits, clock, 1, metrics, "p",
                    new RateLimitedLog(LoggerFactory.getLogger("test"), 3, 60_000, clock));
            writer = new PointWriter(sink, metrics.counter("ingest.p.points"));
        }

        Harness() {
            this(PickleDecoder.Limits.defaults());
        }

        int decode(byte[] frame) {
            int r = decoder.decode(frame, 0, frame.length, writer, "test");
            writer.flush();
            return r;
        }

        int decodeHex(String hex) {
            return decode(HexFormat.of().parseHex(hex));
        }

        long count(String suffix) {
            return metrics.count("ingest.p." + suffix);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4, 5})
    void decodesEveryProtocol(int protocol) {
        Harness h = new Harness();
        assertThat(h.decodeHex(SIMPLE[protocol])).isEqualTo(PickleDecoder.OK);
        assertThat(h.sink.points()).containsExactly("a.b.c 1700000000 1.5", "a.b.d 1700000000 2.0");
        assertThat(h.count("frames")).isEqualTo(1);
    }

    @Test
    void decodesAPython2TextPickle() {
        String py2 = "(lp0\n(S'a.b.c'\np1\n(I1700000000\nF1.5\ntp2\ntp3\na(S'a\\x2eb.\\'d\\''\np4\n"
                + "(L1700000000L\nI01\ntp5\ntp6\na(S\"esc\\\\\\101\"\n(I-1\nI00\ntta.";
        Harness h = new Harness();
        assertThat(h.decode(py2.getBytes(StandardCharsets.ISO_8859_1))).isEqualTo(PickleDecoder.OK);
        assertThat(h.sink.points()).containsExactly("a.b.c 1700000000 1.5", "a.b.'d' 1700000000 1.0",
                "esc\\A " + NOW + " 0.0");
    }

    @Test
    void skipsBadElementsAndKeepsTheRest() {
        // [("x;b=2;a=1", [-1, nan]), ("big", (2**40, 2**70)), (b"bytes.name", (1700000000.9, True)), ("e", (1,)),
        //  ("f", ("1700000000", "2.5")), ("g", (2**70, 1)), ("café.€", (1700000000, -2.5)), (42, (1, 1)),
        //  ("h", (None, 1))], protocol 3
        String hex = "80035d7100285809000000783b623d323b613d3171015d7102284affffffff477ff8000000000000658671035803000000"
                + "62696771048a060000000000018a09000000000000000040867105867106430a62797465732e6e616d6571074741d954fc"
                + "4039999a88867108867109580100000065710a4b0185710b86710c580100000066710d580a0000003137303030303030"
                + "3030710e5803000000322e35710f86711086711158010000006771128a090000000000000000404b0186711386711458"
                + "09000000636166c3a92ee282ac71154a00f1536547c0040000000000008671168671174b2a4b014b0186711886711958"
                + "0100000068711a4e4b0186711b86711c652e";
        Harness h = new Harness();
        assertThat(h.decodeHex(hex)).isEqualTo(PickleDecoder.OK);
        assertThat(h.sink.points()).containsExactly(
                "big 1099511627776 1.1805916207174113E21",
                "bytes.name 1700000000 1.0",
                "f 1700000000 2.5",
                "caf\u00e9.\u20ac 1700000000 -2.5");
        assertThat(h.count("nan_dropped")).isEqualTo(1);
        assertThat(h.count("bad_elements.shape")).isEqualTo(1);
        assertThat(h.count("bad_elements.timestamp")).isEqualTo(1);
        assertThat(h.count("bad_elements.name")).isEqualTo(1);
        assertThat(h.count("bad_elements.number")).isEqualTo(1);
    }

    @Test
    void protocolZeroUnicodeEscapesAndLongs() {
        // the same payload without the bytes name, protocol 0 (V with \\u20ac, L...L longs, Fnan)
        String hex = "286c70300a2856783b623d323b613d310a70310a286c70320a492d310a61466e616e0a617470330a6128566269670a70340a"
                + "284c313039393531313632373737364c0a4c313138303539313632303731373431313330333432344c0a7470350a7470360a"
                + "612856650a70370a2849310a7470380a7470390a612856660a7031300a2856313730303030303030300a7031310a56322e35"
                + "0a7031320a747031330a747031340a612856670a7031350a284c313138303539313632303731373431313330333432344c0a"
                + "49310a747031360a747031370a612856636166e92e5c75323061630a7031380a2849313730303030303030300a462d322e35"
                + "0a747031390a747032300a61284934320a2849310a49310a747032310a747032320a612856680a7032330a284e49310a7470"
                + "32340a747032350a612e";
        Harness h = new Harness();
        assertThat(h.decodeHex(hex)).isEqualTo(PickleDecoder.OK);
        assertThat(h.sink.points()).containsExactly(
                "big 1099511627776 1.1805916207174113E21",
                "f 1700000000 2.5",
                "caf\u00e9.\u20ac 1700000000 -2.5");
    }

    @Test
    void memoisedValuesAndTuplePayloads() {
        Harness h = new Harness();
        // dp = (1700000000, 3.0); [("a", dp), ("b", dp)] protocol 2: the second dp is a BINGET
        assertThat(h.decodeHex("80025d71002858010000006171014a00f1536547400800000000000086710286710358010000006271"
                + "046802867105652e")).isEqualTo(PickleDecoder.OK);
        // (("a", [1700000000, 1]),) protocol 4
        assertThat(h.decodeHex("80049514000000000000008c0161945d94284a00f153654b0165869485942e"))
                .isEqualTo(PickleDecoder.OK);
        // [("a", (1, 2)), {1, 2}, frozenset([3])] protocol 4: sets are accepted as (bad) elements
        assertThat(h.decodeHex("8004951e000000000000005d94288c0161944b014b02869486948f94284b014b0290284b039194652e"))
                .isEqualTo(PickleDecoder.OK);
        assertThat(h.sink.points()).containsExactly("a 1700000000 3.0", "b 1700000000 3.0", "a 1700000000 1.0",
                "a 1 2.0");
        assertThat(h.count("bad_elements.shape")).isEqualTo(2);
    }

    @ParameterizedTest
    @CsvSource({
        // [Evil()] with __reduce__ = os.system, protocols 2 and 4
        "80025d710063706f7369780a73797374656d0a7101580a0000006563686f2070776e65647102857103527104612e, -2",
        "80049528000000000000005d948c05706f736978948c0673797374656d9493948c0a6563686f2070776e65649485945294612e, -2",
        // GLOBAL + REDUCE in protocol 0
        "636f730a73797374656d0a2853276563686f206869270a74522e, -2",
        // BUILD, INST, OBJ, NEWOBJ, PERSID, EXT1, unknown 0xff
        "5d622e, -2",
        "28696f730a730a2e, -2",
        "286f2e, -2",
        "8102, -2",
        "50690a2e, -2",
        "820101, -2",
        "ff, -3",
        // a dict payload is not a list
        "80027d710058010000006171014b014b02867102732e, -11",
        // truncated: no STOP, string past the end, BINUNICODE8 length with the top bit set
        "80025d71002858, -1",
        "5805000000612e, -1",
        "8dffffffffffffffff, -5",
        // huge lengths and indices
        "58ffffff7f, -9",
        "8bffffff7f, -9",
        "8b000000ff, -5",
        "4e72ffffffff, -10",
        "680500, -10",
        // APPEND onto a tuple, stack underflow
        "294e612e, -6",
        "2e, -4",
        "61, -4",
    })
    void rejectsHostileFrames(String hex, int expected) {
        Harness h = new Harness();
        assertThat(h.decodeHex(hex)).isEqualTo(expected);
        assertThat(h.sink.points()).isEmpty();
        assertThat(h.count("bad_frames." + PickleDecoder.FRAME_REASONS[-expected - 1])).isEqualTo(1);
    }

    @Test
    void deepNestingIsRefused() {
        Harness h = new Harness();
        assertThat(h.decode("(".repeat(100_000).getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo(PickleDecoder.TOO_DEEP);
    }

    @Test
    void valueCountIsBounded() {
        // EMPTY_LIST, BINPUT 0, then "GET 0, APPEND" a million times: every APPEND adds a node to the same list
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(new byte[] {']', 'q', 0});
        for (int i = 0; i < 100_000; i++) {
            b.writeBytes(new byte[] {'h', 0, 'a'});
        }
        b.write('.');
        Harness h = new Harness(new PickleDecoder.Limits(64, 10_000, 1024, 1024));
        assertThat(h.decode(b.toByteArray())).isEqualTo(PickleDecoder.TOO_MANY_ELEMENTS);
        // a self-containing list is harmless to walk: its elements are shape errors
        Harness ok = new Harness();
        assertThat(ok.decodeHex("5d71006800612e")).isEqualTo(PickleDecoder.OK);
        assertThat(ok.count("bad_elements.shape")).isEqualTo(1);
    }

    @Test
    void decoderIsReusableAfterErrors() {
        Harness h = new Harness();
        assertThat(h.decodeHex("80025d71002858")).isEqualTo(PickleDecoder.TRUNCATED);
        assertThat(h.decodeHex(SIMPLE[2])).isEqualTo(PickleDecoder.OK);
        assertThat(h.decodeHex("680200")).isEqualTo(PickleDecoder.BAD_MEMO); // memo was cleared
        assertThat(h.sink.points()).hasSize(2);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void randomAndMutatedFramesNeverThrow(long seed) {
        Random r = new Random(seed);
        Harness h = new Harness(new PickleDecoder.Limits(32, 100_000, 4096, 4096));
        int rounds = Boolean.getBoolean("tally.long") ? 200_000 : 5_000;
        List<byte[]> seeds = java.util.Arrays.stream(SIMPLE).map(HexFormat.of()::parseHex).toList();
        for (int i = 0; i < rounds; i++) {
            byte[] frame;
            if (r.nextBoolean()) {
                frame = new byte[r.nextInt(300)];
                r.nextBytes(frame);
            } else {
                frame = seeds.get(r.nextInt(seeds.size())).clone();
                int flips = 1 + r.nextInt(4);
                for (int f = 0; f < flips; f++) {
                    frame[r.nextInt(frame.length)] = (byte) r.nextInt(256);
                }
                if (r.nextInt(4) == 0) {
                    frame = java.util.Arrays.copyOf(frame, r.nextInt(frame.length));
                }
            }
            int result = h.decode(frame);
            assertThat(result).isLessThanOrEqualTo(PickleDecoder.OK).isGreaterThanOrEqualTo(PickleDecoder.NOT_A_LIST);
        }
        assertThat(h.decodeHex(SIMPLE[4])).isEqualTo(PickleDecoder.OK);
    }
}
