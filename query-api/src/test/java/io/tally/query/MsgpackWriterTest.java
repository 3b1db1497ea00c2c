package io.tally.query;

import org.junit.jupiter.api.Test;

import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

/** Byte-exact checks against the MessagePack specification's encodings. */
class MsgpackWriterTest {
    private static String hex(MsgpackWriter w) {
        return HexFormat.of().formatHex(w.toByteArray());
    }

    @Test
    void integersUseTheSmallestEncoding() {
        MsgpackWriter w = new MsgpackWriter(8);
        w.value(0).value(127).value(128).value(256).value(65536).value(1L << 32).value(-1).value(-32).value(-33)
                .value(-129).value(-32769).value(-2147483649L);
        assertThat(hex(w)).isEqualTo("00" + "7f" + "cc80" + "cd0100" + "ce00010000" + "cf0000000100000000" + "ff"
                + "e0" + "d0df" + "d1ff7f" + "d2ffff7fff" + "d3ffffffff7fffffff");
    }

    @Test
    void stringsFloatsNilAndBooleans() {
        MsgpackWriter w = new MsgpackWriter(8);
        w.value("ab").value("x".repeat(32)).value(1.5).valueOrNil(Double.NaN).value(true).value(false);
        assertThat(hex(w)).isEqualTo("a26162" + "d920" + "78".repeat(32) + "cb3ff8000000000000" + "c0" + "c3c2");
    }

    @Test
    void containerHeadersGrowWithTheirCounts() {
        MsgpackWriter w = new MsgpackWriter(8);
        w.array(3).map(15).array(16).map(16).array(70000);
        assertThat(hex(w)).isEqualTo("93" + "8f" + "dc0010" + "de0010" + "dd00011170");
    }
}
