package io.tally.engine.storage;

import io.tally.engine.config.AggregationMethod;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The shard's name table finds every series it holds, from bytes at any offset, across resizes. */
class SeriesTableMapTest {
    @Test
    void findsEverySeriesAfterManyResizes() {
        SeriesTableMap map = new SeriesTableMap();
        int n = 50_000;
        for (int i = 0; i < n; i++) {
            map.put(new Series(i, "app" + (i % 50) + ".host" + i + ".cpu", new int[] {10}, new int[] {100},
                    AggregationMethod.AVERAGE, 0.5));
        }
        assertThat(map.size()).isEqualTo(n);
        for (int i = 0; i < n; i++) {
            byte[] name = ("xx" + "app" + (i % 50) + ".host" + i + ".cpu" + "yy").getBytes(StandardCharsets.UTF_8);
            Series s = map.get(name, 2, name.length - 4);
            assertThat(s).as("series %d", i).isNotNull();
            assertThat(s.id).isEqualTo(i);
        }
        byte[] absent = "app1.host999999.cpu".getBytes(StandardCharsets.UTF_8);
        assertThat(map.get(absent, 0, absent.length)).isNull();
    }

    @Test
    void warmingAGroupHashesEachNameAsLookupsDo() {
        SeriesTableMap map = new SeriesTableMap();
        for (int i = 0; i < 100; i++) {
            map.put(new Series(i, "a.s" + i, new int[] {10}, new int[] {100}, AggregationMethod.AVERAGE, 0.5));
        }
        byte[] buf = "..a.s7..a.s93..b.none..".getBytes(StandardCharsets.UTF_8);
        int[] off = {2, 8, 15};
        int[] len = {4, 5, 6};
        int[] hashes = new int[3];
        int[] firstProbe = new int[3];
        map.warm(buf, off, len, hashes, firstProbe, 3);
        for (int k = 0; k < 3; k++) {
            assertThat(hashes[k]).isEqualTo(NameHash.hash(buf, off[k], len[k]));
            assertThat(map.get(buf, off[k], len[k], hashes[k])).isSameAs(map.get(buf, off[k], len[k]));
        }
        assertThat(map.get(buf, off[0], len[0], hashes[0]).id).isEqualTo(7);
        assertThat(map.get(buf, off[1], len[1], hashes[1]).id).isEqualTo(93);
        assertThat(map.get(buf, off[2], len[2], hashes[2])).isNull();
    }
}
