package io.tally.alerting;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code series: each}: one state machine per series; the instance reports the worst series. */
class PerSeriesTest {
    @TempDir
    Path dir;
    Rig rig;

    @AfterEach
    void close() throws Exception {
        rig.close();
    }

    static final String DEF = """
            {id: hosts, regions: [r1], query: {target: 'apps.${region}.*.errors', window: 5m}, reduce: last,
             series: each, condition: {direction: above, warn: 100, crit: 200, recover: {crit: 180}},
             for: 2m, no_data: {policy: unknown, after: 2m}}
            """;

    void rig(Path data) throws Exception {
        rig = new Rig(new TestStore(dir.resolve("storage"), Rig.T0), data, List.of("r1"), List.of(Defs.one(DEF)));
    }

    void values(double a, double b) throws Exception {
        rig.level("apps.r1.a.errors", a);
        rig.level("apps.r1.b.errors", b);
    }

    @Test
    void eachSeriesHasItsOwnPendingTimer() throws Exception {
        rig(null);
        values(250, 10);
        rig.step(0);
        values(250, 250);
        rig.step(60);
        assertThat(rig.report("hosts", "r1").state()).isEqualTo(State.OK);
        values(250, 250);
        rig.step(60); // a has been critical for 2m; b for 1m
        Report r = rig.report("hosts", "r1");
        assertThat(r.state()).isEqualTo(State.CRITICAL);
        assertThat(r.snapshot().seriesName()).isEqualTo("apps.r1.a.errors");
        assertThat(r.snapshot().pendingState()).isEqualTo(State.CRITICAL); // b is still pending
        assertThat(r.snapshot().perSeries()).extracting(Evaluation.SeriesValue::level)
                .containsExactly(State.CRITICAL, State.OK);
        values(250, 250);
        rig.step(60);
        assertThat(rig.engine.instance("hosts", "r1").history(0, Long.MAX_VALUE))
                .extracting(Transition::series, Transition::to)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("apps.r1.a.errors", State.CRITICAL),
                        org.assertj.core.groups.Tuple.tuple("apps.r1.b.errors", State.CRITICAL));
    }

    @Test
    void hysteresisIsPerSeries() throws Exception {
        rig(null);
        values(210, 185);
        rig.step(0);
        values(210, 185);
        rig.step(120);
        values(185, 185); // a stays critical (recover 180), b never was
        rig.step(60);
        Report r = rig.report("hosts", "r1");
        assertThat(r.snapshot().perSeries()).extracting(Evaluation.SeriesValue::level)
                .containsExactly(State.CRITICAL, State.WARNING);
        assertThat(r.state()).isEqualTo(State.CRITICAL);
    }

    @Test
    void aSeriesThatStopsGoesUnknownAndIsForgotten() throws Exception {
        rig(null);
        values(10, 10);
        rig.step(0);
        for (int i = 0; i < 8; i++) { // b stops reporting; its last point leaves the window after 5m
            rig.level("apps.r1.a.errors", 10);
            rig.step(60);
        }
        Report r = rig.report("hosts", "r1");
        assertThat(r.state()).isEqualTo(State.UNKNOWN);
        assertThat(r.snapshot().seriesName()).isEqualTo("apps.r1.b.errors");
        for (int i = 0; i < 60; i++) {
            rig.level("apps.r1.a.errors", 10);
            rig.step(60);
        }
        r = rig.report("hosts", "r1");
        assertThat(r.state()).isEqualTo(State.OK);
        assertThat(r.snapshot().perSeries()).extracting(Evaluation.SeriesValue::name)
                .containsExactly("apps.r1.a.errors");
    }

    @Test
    void perSeriesStateSurvivesARestart() throws Exception {
        Path data = dir.resolve("data");
        rig(data);
        values(250, 10);
        rig.step(0);
        rig.engine.persist();
        TestStore store = rig.store;
        rig.pool.shutdownNow();
        Rig b = new Rig(store, data, List.of("r1"), List.of(Defs.one(DEF)));
        rig = b;
        values(250, 10);
        rig.step(120); // a pending since T0 (restored): fires now
        assertThat(rig.report("hosts", "r1").state()).isEqualTo(State.CRITICAL);
    }
}
