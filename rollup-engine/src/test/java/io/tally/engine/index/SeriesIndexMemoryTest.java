package io.tally.engine.index;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Heap cost per series, measured as the retained-heap delta of building an index (200k series by default, 1M with
 * {@code -Dtally.long=true}) over names of six levels, and of a tagged index. Printed for the record; the bound
 * asserted is loose, it only catches a structure that blows up.
 */
class SeriesIndexMemoryTest {
    private static final int N = Boolean.getBoolean("tally.long") ? 1_000_000 : 200_000;

    /** Six levels: 10 svc x 5 dc x 100 hosts x 5 groups x 4 kinds x 10 metrics = 1M names. */
    static String plainName(int i) {
        return "svc" + (i / 100_000) + ".dc" + (i / 20_000 % 5) + ".host" + (i / 200 % 100) + "."
                + GROUPS[i / 40 % 5] + "." + KINDS[i / 10 % 4] + ".m" + (i % 10);
    }

    static String taggedName(int i) {
        return "requests;dc=dc" + (i % 10) + ";host=host" + (i / 10 % 2500) + ";status=" + STATUS[(i / 7) % 4]
                + ";svc=svc" + (i / 25_000 % 40);
    }

    private static final String[] GROUPS = {"cpu", "mem", "disk", "net", "io"};
    private static final String[] KINDS = {"user", "sys", "idle", "wait"};
    private static final String[] STATUS = {"200", "404", "500", "302"};

    @Test
    void plainSeriesCostFewBytesEach() {
        long before = usedHeap();
        SeriesIndex index = new SeriesIndex();
        for (int i = 0; i < N; i++) {
            index.add(i, plainName(i));
        }
        long after = usedHeap();
        double perSeries = (after - before) / (double) N;
        System.out.printf("SeriesIndex plain: %d series, %.1f bytes/series (postings %.1f)%n", N, perSeries,
                index.estimatedPostingBytes() / (double) N);
        assertThat(index.size()).isEqualTo(N);
        assertThat(index.find("svc0.dc0.*", 1000)).hasSize(100);
        assertThat(perSeries).isLessThan(250);
    }

    @Test
    void taggedSeriesCostIsReported() {
        long before = usedHeap();
        SeriesIndex index = new SeriesIndex();
        for (int i = 0; i < N; i++) {
            index.add(i, taggedName(i));
        }
        long after = usedHeap();
        double perSeries = (after - before) / (double) N;
        System.out.printf("SeriesIndex tagged: %d series, %.1f bytes/series incl. the canonical name string "
                + "(postings %.1f)%n", N, perSeries, index.estimatedPostingBytes() / (double) N);
        assertThat(index.matchTags(List.of("dc=dc3", "status=500"), N).isEmpty()).isFalse();
        assertThat(perSeries).isLessThan(400);
    }

    private static long usedHeap() {
        Runtime rt = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            used = Math.min(used, rt.totalMemory() - rt.freeMemory());
        }
        return used;
    }
}
