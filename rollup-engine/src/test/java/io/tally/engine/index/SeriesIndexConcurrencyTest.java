package io.tally.engine.index;

import io.tally.engine.api.FindNode;
import org.junit.jupiter.api.Test;
import org.roaringbitmap.IntIterator;
import org.roaringbitmap.RoaringBitmap;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Writers add series (and add-then-remove churn series) while readers query. Every reader checks that what a
 * writer had finished adding before the query started is visible, and that everything returned is consistent
 * (a returned id has a name matching the query; find answers are sorted and unique).
 */
class SeriesIndexConcurrencyTest {
    private static final int WRITERS = 2;
    private static final int READERS = 2;
    private static final int PER_WRITER = Boolean.getBoolean("tally.long") ? 100_000 : 8_000;
    private static final int BASE = 1_000_000; // writer t uses ids BASE * (t + 1) + i

    @Test
    void readersSeeCommittedWritesAndConsistentAnswers() throws Exception {
        SeriesIndex index = new SeriesIndex();
        for (int i = 0; i < 1000; i++) {
            index.add(i, "base.g" + (i % 10) + ".s" + i);
        }
        AtomicIntegerArray committed = new AtomicIntegerArray(WRITERS);
        CountDownLatch start = new CountDownLatch(1);
        List<Callable<Integer>> tasks = new ArrayList<>();
        for (int t = 0; t < WRITERS; t++) {
            int writer = t;
            tasks.add(() -> {
                Random rnd = new Random(100 + writer);
                start.await();
                int churnId = BASE * 10 + writer * BASE;
                for (int i = 0; i < PER_WRITER; i++) {
                    index.add(BASE * (writer + 1) + i, writerName(writer, i));
                    committed.set(writer, i + 1);
                    if (rnd.nextInt(8) == 0) {
                        int id = churnId++;
                        index.add(id, "churn.w" + writer + ".c" + id + ";k=v" + (id % 3));
                        index.remove(id);
                    }
                }
                return PER_WRITER;
            });
        }
        for (int r = 0; r < READERS; r++) {
            int reader = r;
            tasks.add(() -> {
                Random rnd = new Random(200 + reader);
                start.await();
                int queries = 0;
                while (committed.get(0) < PER_WRITER || committed.get(1) < PER_WRITER || queries < 50) {
                    int[] before = {committed.get(0), committed.get(1)};
                    int w = rnd.nextInt(WRITERS);
                    switch (rnd.nextInt(3)) {
                        case 0 -> checkLeaves(index, w, before[w]);
                        case 1 -> checkFind(index, w, before[w]);
                        default -> checkTags(index, w, before[w]);
                    }
                    queries++;
                }
                return queries;
            });
        }
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
        try {
            List<Future<Integer>> futures = new ArrayList<>();
            for (Callable<Integer> task : tasks) {
                futures.add(pool.submit(task));
            }
            start.countDown();
            for (Future<Integer> f : futures) {
                assertThat(f.get(120, TimeUnit.SECONDS)).isPositive();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(index.size()).isEqualTo(1000 + WRITERS * PER_WRITER);
        assertThat(index.matchTags(List.of("k=~v"), 10).isEmpty()).isTrue();
        assertThat(index.find("churn.*", 10)).isEmpty();
    }

    private static String writerName(int writer, int i) {
        return "w" + writer + ".g" + (i % 16) + ".s" + i + ".v";
    }

    private static void checkLeaves(SeriesIndex index, int writer, int committed) {
        String pattern = "w" + writer + ".*.*.v";
        RoaringBitmap ids = index.matchLeaves(pattern, Integer.MAX_VALUE);
        for (int i = 0; i < committed; i++) {
            assertThat(ids.contains(BASE * (writer + 1) + i)).as("%s sees committed %d", pattern, i).isTrue();
        }
        IntIterator it = ids.getIntIterator();
        while (it.hasNext()) {
            String name = index.name(it.next());
            assertThat(name).startsWith("w" + writer + ".g").endsWith(".v");
        }
    }

    private static void checkFind(SeriesIndex index, int writer, int committed) {
        List<FindNode> nodes = index.find("w" + writer + ".g1.*", Integer.MAX_VALUE);
        int expectedAtLeast = 0;
        for (int i = 0; i < committed; i++) {
            expectedAtLeast += i % 16 == 1 ? 1 : 0;
        }
        assertThat(nodes.size()).isGreaterThanOrEqualTo(expectedAtLeast);
        assertThat(nodes).isSorted().doesNotHaveDuplicates().allMatch(n -> !n.leaf());
    }

    private static void checkTags(SeriesIndex index, int writer, int committed) {
        RoaringBitmap ids = index.matchTags(List.of("name=~w" + writer + "\\.g2\\."), Integer.MAX_VALUE);
        for (int i = 2; i < committed; i += 16) {
            assertThat(ids.contains(BASE * (writer + 1) + i)).isTrue();
        }
        assertThat(ids.getCardinality()).isLessThanOrEqualTo(PER_WRITER / 16 + 1);
    }
}
