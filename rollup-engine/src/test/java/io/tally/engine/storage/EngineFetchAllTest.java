package io.tally.engine.storage;

import io.tally.engine.api.LimitExceededException;
import io.tally.engine.api.PointBatch;
import io.tally.engine.api.SeriesData;
import io.tally.engine.util.ManualClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A fetch of many names, spread over the reader threads, answers exactly what one fetch per name answers. */
class EngineFetchAllTest {
    private static final long T = 1_795_323_600L;
    private static final int SERIES = 3_000;

    @TempDir
    Path dir;

    @Test
    void manyNamesComeBackInTheirOrderWithMissingOnesLeftOut() throws Exception {
        try (Engine e = Engine.open(EngineTestSupport.options(dir, new ManualClock(T)).build())) {
            write(e);
            e.checkpoint(false); // half the data from segments, half from the head
            write2(e);
            List<String> names = new ArrayList<>();
            for (int s = 0; s < SERIES; s++) {
                names.add("fa.s" + s);
                if (s % 100 == 0) {
                    names.add("fa.missing" + s);
                }
            }
            Collections.shuffle(names, new Random(5));
            AtomicBoolean inside = new AtomicBoolean();
            AtomicInteger calls = new AtomicInteger();
            List<SeriesData> got = e.fetchAll(names, T - 600, T, T, d -> {
                assertThat(inside.getAndSet(true)).as("listener entered twice at once").isFalse();
                calls.incrementAndGet();
                inside.set(false);
            });
            List<SeriesData> want = new ArrayList<>();
            for (String n : names) {
                SeriesData d = e.fetch(n, T - 600, T, T);
                if (d != null) {
                    want.add(d);
                }
            }
            assertThat(got).hasSize(SERIES).hasSameSizeAs(want);
            assertThat(calls).hasValue(SERIES);
            for (int i = 0; i < want.size(); i++) {
                assertThat(got.get(i).name()).isEqualTo(want.get(i).name());
                assertThat(got.get(i).values()).containsExactly(want.get(i).values());
                assertThat(got.get(i).values()).contains(1.0 + Integer.parseInt(got.get(i).name().substring(4)));
            }
        }
    }

    @Test
    void anExceptionFromTheListenerStopsTheFetchAndReachesTheCaller() throws Exception {
        try (Engine e = Engine.open(EngineTestSupport.options(dir, new ManualClock(T)).build())) {
            write(e);
            List<String> names = new ArrayList<>();
            for (int s = 0; s < SERIES; s++) {
                names.add("fa.s" + s);
            }
            AtomicInteger calls = new AtomicInteger();
            assertThatThrownBy(() -> e.fetchAll(names, T - 600, T, T, d -> {
                if (calls.incrementAndGet() > 700) {
                    throw new LimitExceededException("datapoints fetched", 700, "query.max-points");
                }
            })).isInstanceOf(LimitExceededException.class).hasMessageContaining("query.max-points");
            assertThat(calls.get()).as("the readers stopped early").isLessThan(SERIES);
        }
    }

    /** 1 + s at T - 300 for every series. */
    private static void write(Engine e) throws Exception {
        write(e, 1, T - 300, 1.0);
    }

    /** 2 + s at T - 100 for every other series. */
    private static void write2(Engine e) throws Exception {
        write(e, 2, T - 100, 2.0);
    }

    /** {@code base + s} at {@code ts} for every {@code every}-th series. */
    private static void write(Engine e, int every, long ts, double base) throws Exception {
        PointBatch b = e.newBatch();
        for (int s = 0; s < SERIES; s += every) {
            String name = "fa.s" + s;
            if (!b.hasRoom(name.length())) {
                e.offer(b);
                b = e.newBatch();
            }
            b.add(name, ts, base + s);
        }
        e.offer(b);
        EngineTestSupport.drain(e);
    }
}
