package io.tally.engine.storage;

import io.tally.engine.api.SeriesData;
import io.tally.engine.util.ManualClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static io.tally.engine.storage.EngineTestSupport.write;
import static org.assertj.core.api.Assertions.assertThat;

/** whisper's write and read semantics, one rule per test (retentions 10s:1d,1m:30d,1h:2y). */
class EngineSemanticsTest {
    private static final long T = 1_795_323_600L; // hour aligned
    @TempDir
    Path dir;
    private final ManualClock clock = new ManualClock(T);
    private Engine engine;

    private Engine engine() throws Exception {
        if (engine == null) {
            engine = Engine.open(EngineTestSupport.options(dir, clock).build());
        }
        return engine;
    }

    @AfterEach
    void close() throws Exception {
        if (engine != null) {
            engine.close();
        }
    }

    @Test
    void windowIsFromExclusiveUntilInclusiveAtStepGranularity() throws Exception {
        Engine e = engine();
        for (long t = T - 60; t <= T; t += 10) {
            write(e, "a.b", t, t - (T - 60));
        }
        SeriesData d = e.fetch("a.b", T - 60, T, T);
        assertThat(d.start()).isEqualTo(T - 50);
        assertThat(d.step()).isEqualTo(10);
        assertThat(d.values()).containsExactly(10, 20, 30, 40, 50, 60);
    }

    @Test
    void pointsAreAlignedToTheStepAndTheLastWriteWins() throws Exception {
        Engine e = engine();
        write(e, "a.b", T - 17, 1);
        write(e, "a.b", T - 13, 2);
        SeriesData d = e.fetch("a.b", T - 30, T - 10, T);
        assertThat(d.start()).isEqualTo(T - 20);
        assertThat(d.values()).containsExactly(2.0, Double.NaN);
    }

    @Test
    void rollupAveragesWhenEnoughSlotsAreKnown() throws Exception {
        Engine e = engine();
        long minute = T - 3600;
        for (int i = 0; i < 3; i++) {
            write(e, "x.avg", minute + i * 10, 10 * (i + 1));
        }
        // 3 of 6 slots known = 0.5 >= xFilesFactor 0.5: average of 10, 20, 30
        SeriesData d = e.fetch("x.avg", T - 2 * 86400, T, T);
        assertThat(d.step()).isEqualTo(60);
        assertThat(valueAt(d, minute)).isEqualTo(20.0);
    }

    @Test
    void rollupIsSkippedBelowTheXFilesFactor() throws Exception {
        Engine e = engine();
        long minute = T - 3600;
        write(e, "x.avg", minute, 5);
        write(e, "x.avg", minute + 10, 7);
        SeriesData d = e.fetch("x.avg", T - 2 * 86400, T, T);
        assertThat(valueAt(d, minute)).isNaN();
    }

    @Test
    void sumRollupWithZeroXffPropagatesOnePoint() throws Exception {
        Engine e = engine();
        long minute = T - 3600;
        write(e, "x.count", minute + 20, 4);
        write(e, "x.count", minute + 50, 6);
        SeriesData d = e.fetch("x.count", T - 2 * 86400, T, T);
        assertThat(valueAt(d, minute)).isEqualTo(10.0);
        SeriesData h = e.fetch("x.count", T - 40 * 86400, T, T);
        assertThat(h.step()).isEqualTo(3600);
        assertThat(valueAt(h, T - 3600)).isEqualTo(10.0);
    }

    @Test
    void pointsTooOldForTheFinestArchiveGoRawIntoACoarserOne() throws Exception {
        Engine e = engine();
        long old = T - 3 * 86400 + 17; // 3 days ago: beyond 10s:1d, within 1m:30d
        write(e, "x.max", old, 42);
        SeriesData d = e.fetch("x.max", T - 4 * 86400, T - 2 * 86400, T);
        assertThat(d.step()).isEqualTo(60);
        assertThat(valueAt(d, old - Math.floorMod(old, 60))).isEqualTo(42.0);
        // and it propagated to the hourly archive (max, xff 0)
        SeriesData h = e.fetch("x.max", T - 40 * 86400, T, T);
        assertThat(valueAt(h, old - Math.floorMod(old, 3600))).isEqualTo(42.0);
    }

    @Test
    void archiveChoiceDependsOnFromOnly() throws Exception {
        Engine e = engine();
        write(e, "a.b", T - 100, 1);
        assertThat(e.fetch("a.b", T - 86400, T, T).step()).isEqualTo(10);
        assertThat(e.fetch("a.b", T - 86401, T - 86000, T).step()).isEqualTo(60);
    }

    @Test
    void pointsBeyondAllRetentionAndTooFarInTheFutureAreRefusedAndCounted() throws Exception {
        Engine e = engine();
        write(e, "a.b", T - 3 * 365 * 86400L, 1);
        write(e, "a.b", T + 3 * 86400, 1);
        var m = e.metricsSnapshot();
        assertThat(m.get("storage.points_dropped.too_old")).isEqualTo(1.0);
        assertThat(m.get("storage.points_dropped.too_far_future")).isEqualTo(1.0);
    }

    @Test
    void futurePointsAreStoredAndHiddenUntilNowPasses() throws Exception {
        Engine e = engine();
        write(e, "a.b", T + 600, 9);
        assertThat(e.fetch("a.b", T, T + 900, T).values()).doesNotContain(9.0);
        clock.setSeconds(T + 900);
        assertThat(valueAt(e.fetch("a.b", T, T + 900, T + 900), T + 600)).isEqualTo(9.0);
    }

    @Test
    void windowsOutsideRetentionReturnNothing() throws Exception {
        Engine e = engine();
        write(e, "a.b", T - 10, 1);
        assertThat(e.fetch("a.b", T + 10, T + 20, T)).isNull();
        assertThat(e.fetch("a.b", T - 4 * 365 * 86400L, T - 3 * 365 * 86400L, T)).isNull();
        assertThat(e.fetch("no.such", T - 60, T, T)).isNull();
    }

    @Test
    void infinitiesAreStoredAndNaNIsDropped() throws Exception {
        Engine e = engine();
        write(e, "a.b", T - 20, Double.POSITIVE_INFINITY);
        write(e, "a.b", T - 10, Double.NaN);
        SeriesData d = e.fetch("a.b", T - 30, T, T);
        assertThat(d.values()).containsExactly(Double.POSITIVE_INFINITY, Double.NaN, Double.NaN);
    }

    @Test
    void findSeesNewSeries() throws Exception {
        Engine e = engine();
        write(e, "a.b.c", T - 10, 1);
        write(e, "a.d", T - 10, 1);
        assertThat(e.find("a.*", 100)).extracting(n -> n.path() + ":" + n.leaf())
                .containsExactly("a.b:false", "a.d:true");
    }

    @Test
    void aSeriesIsCreatedOnceAndFoundByItsBytesAfterwards() throws Exception {
        Engine e = engine();
        for (int i = 0; i < 50; i++) {
            write(e, "app" + (i % 5) + ".host" + i + ".cpu", T - 20, i);
        }
        for (int i = 0; i < 50; i++) {
            write(e, "app" + (i % 5) + ".host" + i + ".cpu", T - 10, i);
        }
        assertThat(e.metricsSnapshot().get("storage.series_created")).isEqualTo(50.0);
    }

    static double valueAt(SeriesData d, long ts) {
        long i = (ts - d.start()) / d.step();
        if ((ts - d.start()) % d.step() != 0 || i < 0 || i >= d.values().length) {
            throw new AssertionError(ts + " is not a slot of " + d);
        }
        return d.values()[(int) i];
    }
}
