package io.tally.query;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PickleWriterTest {

    @Test
    void nestedListsAndDictsDecodeInPython() throws Exception {
        PickleWriter w = new PickleWriter(16);
        w.beginList();
        w.beginDict().value("name").value("a.b").value("values").beginList().value(1.5).none().value(-2.0).endList()
                .value("leaf").value(true).value("other").value(false).endDict();
        w.beginList().endList();
        w.beginDict().endDict();
        w.endList().finish();
        assertThat(Python.unpickleToJson(w.toByteArray())).isEqualTo(
                "[{\"leaf\": true, \"name\": \"a.b\", \"other\": false, \"values\": [1.5, null, -2.0]}, [], {}]");
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 255, 256, 65535, 65536, -1, -129, 2147483647L, 2147483648L, -2147483648L,
            -2147483649L, 1795323600L, Long.MAX_VALUE, Long.MIN_VALUE})
    void integersOfEverySizeRoundTrip(long v) throws Exception {
        byte[] b = new PickleWriter(8).value(v).finish().toByteArray();
        assertThat(Python.unpickleToJson(b)).isEqualTo(Long.toString(v));
    }

    @Test
    void textIsUtf8AndFloatsAreExact() throws Exception {
        Random rnd = new Random(42);
        PickleWriter w = new PickleWriter(8).beginList();
        StringBuilder expected = new StringBuilder("[\"h\\u00e9 \\u2603 \\ud83d\\ude00\"");
        w.value("hé ☃ 😀");
        for (int i = 0; i < 20; i++) {
            double d = rnd.nextGaussian() * Math.pow(10, rnd.nextInt(30) - 15);
            w.value(d);
            expected.append(", ").append(new JsonWriter(false, true).value(d));
        }
        w.endList().finish();
        assertThat(Python.unpickleToJson(w.toByteArray())).isEqualTo(expected.append(']').toString());
    }

    @Test
    void onlyDataOpcodesNoGlobalsOrMemo() throws Exception {
        byte[] b = new PickleWriter(8).beginList().beginDict().value("k").value(1L).endDict().endList().finish()
                .toByteArray();
        String ops = Python.run("import pickletools,sys; print(' '.join(sorted({op.name for op,_,_ in "
                + "pickletools.genops(sys.stdin.buffer.read())})))", b);
        assertThat(ops).isEqualTo("APPENDS BININT1 BINUNICODE EMPTY_DICT EMPTY_LIST MARK PROTO SETITEMS STOP");
    }

    @Test
    void finishingWithAnOpenContainerFails() {
        assertThatThrownBy(() -> new PickleWriter(8).beginList().finish()).isInstanceOf(IllegalStateException.class);
    }
}
