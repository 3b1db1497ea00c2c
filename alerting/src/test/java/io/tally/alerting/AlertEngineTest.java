package io.tally.alerting;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Evaluation edge cases of spec 4.3/4.9 against real stored series, time stepped by a manual clock. */
class AlertEngineTest {
    @TempDir
    Path dir;
    Rig rig;

    @AfterEach
    void close() throws Exception {
        if (rig != null) {
            rig.close();
        }
    }

    Rig rig(String alertYaml) throws Exception {
        rig = new Rig(dir, null, List.of("r1", "r2"), List.of(Defs.one(alertYaml)));
        return rig;
    }

    static final String BASIC = """
            {id: err, regions: [r1], query: {target: 'apps.${region}.errors', window: 5m},
             reduce: avg, condition: {direction: above, warn: 100, crit: 200}
            """;

    @Test
    void okWarningCriticalFollowTheValue() throws Exception {
        rig(BASIC + "}");
        rig.level("apps.r1.errors", 50);
        rig.step(0);
        assertThat(rig.report("err", "r1").state()).isEqualTo(State.OK);
        assertThat(rig.report("err", "r1").snapshot().points()).isEqualTo(5);
        rig.level("apps.r1.errors", 100); // inclusive: exactly warn is WARNING (Tattle, Seyren)
        rig.step(60);
        assertThat(rig.report("err", "r1").state()).isEqualTo(State.WARNING);
        rig.level("apps.r1.errors", 250);
        rig.step(60);
        Report r = rig.report("err", "r1");
        assertThat(r.state()).isEqualTo(State.CRITICAL);
        assertThat(r.snapshot().value()).isEqualTo(250);
        assertThat(rig.engine.instance("err", "r1").history(0, Long.MAX_VALUE))
                .extracting(Transition::to).containsExactly(State.WARNING, State.CRITICAL);
    }

    @Test
    void transitionsReachTheListeners() throws Exception {
        rig(BASIC + "}");
        List<Transition> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        rig.engine.addTransitionListener(seen::add);
        rig.level("apps.r1.errors", 250);
        rig.step(0);
        assertThat(seen).singleElement().satisfies(t -> {
            assertThat(t.from()).isEqualTo(State.OK);
            assertThat(t.to()).isEqualTo(State.CRITICAL);
            assertThat(t.value()).isEqualTo(250);
            assertThat(t.atMillis()).isEqualTo(Rig.T0 * 1000);
        });
    }

    @Test
    void evaluatesOnlyOnAlignedSlots() throws Exception {
        rig(BASIC + ", interval: 2m}");
        assertThat(rig.step(0)).isEqualTo(1);      // a new instance evaluates at once
        assertThat(rig.step(30)).isZero();
        assertThat(rig.step(89)).isZero();         // T0+119
        assertThat(rig.step(1)).isEqualTo(1);      // T0+120
        assertThat(rig.report("err", "r1").snapshot().evaluatedAt()).isEqualTo((Rig.T0 + 120) * 1000);
    }

    @Test
    void forKeepsAWorseStatePendingAndReportsThePreviousOne() throws Exception {
        rig(BASIC + ", for: 3m}");
        rig.level("apps.r1.errors", 250);
        rig.step(0);
        Report r = rig.report("err", "r1");
        assertThat(r.state()).isEqualTo(State.OK);
        assertThat(r.snapshot().pendingState()).isEqualTo(State.CRITICAL);
        assertThat(rig.engine.report("err", "r1", true).state()).isEqualTo(State.WARNING); // pending_as=warning
        rig.level("apps.r1.errors", 250);
        rig.step(60);
        rig.level("apps.r1.errors", 250);
        rig.step(60);
        assertThat(rig.report("err", "r1").state()).isEqualTo(State.OK);
        rig.level("apps.r1.errors", 250);
        rig.step(60);
        assertThat(rig.report("err", "r1").state()).isEqualTo(State.CRITICAL);
        assertThat(rig.report("err", "r1").snapshot().pendingState()).isNull();
    }

    @Test
    void consecutiveCountsEvaluationsInARow() throws Exception {
        rig(BASIC + ", consecutive: 3}");
        double[] values = {250, 250, 10, 250, 250};
        for (double v : values) {
            rig.level("apps.r1.errors", v);
            rig.step(60);
        }
        assertThat(rig.report("err", "r1").state()).isEqualTo(State.OK); // the OK in the middle restarted the count
        rig.level("apps.r1.errors", 250);
        rig.step(60);
        assertThat(rig.report("err", "r1").state()).isEqualTo(State.CRITICAL);
    }

    @Test
    void aConditionThatClearsWhilePendingNeverFires() throws Exception {
        rig(BASIC + ", for: 3m}");
        rig.level("apps.r1.errors", 250);
        rig.step(0);
        rig.level("apps.r1.errors", 10);
        rig.step(60);
        rig.level("apps.r1.errors", 250);
        rig.step(60);
        rig.level("apps.r1.errors", 250);
        rig.step(60);
        assertThat(rig.report("err", "r1").state()).isEqualTo(State.OK); // pending restarted at T0+120
    }

    @Test
    void keepFiringForDelaysTheRecovery() throws Exception {
        rig(BASIC + ", keep_firing_for: 2m}");
        rig.level("apps.r1.errors", 250);
        rig.step(0);
        rig.level("apps.r1.errors", 10);
        rig.step(60);
        rig.level("apps.r1.errors", 10);
        rig.step(60);
        assertThat(rig.report("err", "r1").state()).isEqualTo(State.CRITICAL);
        rig.level("apps.r1.errors", 10);
        rig.step(60);
        assertThat(rig.report("err", "r1").state()).isEqualTo(State.OK);
    }

    @Test
    void recoverLevelsHoldAStateUntilCrossed() throws Exception {
        rig("""
                {id: err, regions: [r1], query: {target: 'apps.${region}.errors', window: 5m}, reduce: avg,
                 condition: {direction: above, warn: 100, crit: 200, recover: {warn: 90, crit: 180}}}
                """);
        rig.level("apps.r1.errors", 210);
        rig.step(0);
        rig.level("apps.r1.errors", 185);
        rig.step(60);
        assertThat(rig.report("err", "r1").state()).isEqualTo(State.CRITICAL);
        rig.level("apps.r1.errors", 175);
        rig.step(60);
        assertThat(rig.report("err", "r1").state()).isEqualTo(State.WARNING);
        rig.level("apps.r1.errors", 95);
        rig.step(60);
        assertThat(rig.report("err", "r1").state()).isEqualTo(State.WARNING);
        rig.level("apps.r1.errors", 89);
        rig.step(60);
        assertThat(rig.report("err", "r1").state()).isEqualTo(State.OK);
    }

    @Test
    void noDataTurnsUnknownOnlyAfterItsDelay() throws Exception {
        rig(BASIC + ", no_data: {policy: unknown, after: 3m}}");
        rig.level("apps.r1.errors", 250);
        rig.step(0);
        assertThat(rig.report("err", "r1").state()).isEqualTo(State.CRITICAL);
        // the series stops reporting: its last point leaves the 5m window after 5 more minutes
        for (int i = 0; i < 5; i++) {
            rig.step(60);
        }
        Report r = rig.report("err", "r1");
        assertThat(r.snapshot().raw()).isEqualTo(Evaluation.Kind.NO_DATA);
        assertThat(r.state()).isEqualTo(State.CRITICAL); // kept while no data lasts less than 3m
        rig.step(60);
        rig.step(60);
        assertThat(rig.report("err", "r1").state()).isEqualTo(State.CRITICAL);
        rig.step(60);
        r = rig.report("err", "r1");
        assertThat(r.state()).isEqualTo(State.UNKNOWN);
        assertThat(NagiosFormat.body(r, r.state(), false)).startsWith("UNKNOWN: err[r1] no data for 3m");
    }

    @Test
    void anAllNullWindowIsNoData() throws Exception {
        rig(BASIC + ", no_data: {policy: critical, after: 0s}}");
        rig.store.put("apps.r1.errors", Rig.T0 - 3600, 5); // the series exists, but nothing in the window
        rig.step(0);
        Report r = rig.report("err", "r1");
        assertThat(r.state()).isEqualTo(State.CRITICAL);
        assertThat(r.snapshot().detail()).isEqualTo("1 series, all points null");
    }

    @Test
    void noSeriesAtAllIsNoDataWithItsReason() throws Exception {
        rig(BASIC + ", no_data: {policy: warning, after: 0s}}");
        rig.step(0);
        Report r = rig.report("err", "r1");
        assertThat(r.state()).isEqualTo(State.WARNING);
        assertThat(r.snapshot().detail()).isEqualTo("0 series matched");
    }

    @Test
    void anEvaluationErrorGoesToTheErrorPolicy() throws Exception {
        rig("""
                {id: err, regions: [r1], query: {target: 'noSuchFunction(apps.${region}.errors)'},
                 condition: {direction: above, crit: 1}, on_error: {policy: critical, after: 0s}}
                """);
        rig.step(0);
        Report r = rig.report("err", "r1");
        assertThat(r.snapshot().raw()).isEqualTo(Evaluation.Kind.ERROR);
        assertThat(r.state()).isEqualTo(State.CRITICAL);
    }

    @Test
    void aStaleEvaluatorReportsUnknownNeverTheOldOk() throws Exception {
        rig(BASIC + "}");
        rig.level("apps.r1.errors", 10);
        rig.step(0);
        assertThat(rig.report("err", "r1").state()).isEqualTo(State.OK);
        rig.store.clock.advanceSeconds(181); // no runDue: the scheduler stopped
        Report r = rig.report("err", "r1");
        assertThat(r.state()).isEqualTo(State.UNKNOWN);
        assertThat(r.problem()).startsWith("evaluation stale 3m");
    }

    @Test
    void worstSeriesDecidesAndMaxFailingSeriesTolerates() throws Exception {
        rig("""
                {id: err, regions: [r1], query: {target: 'apps.${region}.*.errors', window: 5m}, reduce: max,
                 series: worst, max_failing_series: 1, condition: {direction: above, warn: 100, crit: 200}}
                """);
        rig.level("apps.r1.a.errors", 10);
        rig.level("apps.r1.b.errors", 300);
        rig.level("apps.r1.c.errors", 150);
        rig.step(0);
        Report r = rig.report("err", "r1");
        assertThat(r.state()).isEqualTo(State.WARNING); // b tolerated, c decides
        assertThat(r.snapshot().seriesName()).isEqualTo("apps.r1.c.errors");
        assertThat(r.snapshot().perSeries()).hasSize(3);
    }

    @Test
    void regionsAreSubstitutedPerInstance() throws Exception {
        rig = new Rig(dir, null, List.of("r1", "r2"), List.of(Defs.one("""
                {id: err, query: {target: 'apps.${region}.errors', window: 5m}, reduce: last,
                 condition: {direction: above, warn: 100, crit: 200}}
                """)));
        rig.level("apps.r1.errors", 10);
        rig.level("apps.r2.errors", 150);
        rig.step(0);
        assertThat(rig.report("err", "r1").state()).isEqualTo(State.OK);
        assertThat(rig.report("err", "r2").state()).isEqualTo(State.WARNING);
        assertThat(rig.report("err", "r3").state()).isEqualTo(State.UNKNOWN);
        assertThat(rig.report("nope", "r1").problem()).isEqualTo("no such alert");
    }

    @Test
    void flappingReportsTheWorstStateOfItsHistory() throws Exception {
        rig(BASIC + ", reduce: last, flap: {history: 6, low: 20, high: 50}}");
        double[] values = {10, 250, 10, 250, 10};
        for (double v : values) {
            rig.level("apps.r1.errors", v);
            rig.step(60);
        }
        Report r = rig.report("err", "r1");
        assertThat(r.snapshot().flapping()).isTrue();
        assertThat(r.state()).isEqualTo(State.CRITICAL); // though the last value is OK
        for (int i = 0; i < 6; i++) {
            rig.level("apps.r1.errors", 10);
            rig.step(60);
        }
        r = rig.report("err", "r1");
        assertThat(r.snapshot().flapping()).isFalse();
        assertThat(r.state()).isEqualTo(State.OK);
    }

    @Test
    void aPredictiveCheckComparesWithTheSameWindowOfEarlierDays() throws Exception {
        rig = new Rig(dir, null, List.of("r1"), Defs.doc("""
                alerts:
                  - {id: orders, type: predictive, query: {target: 'shop.${region}.orders', window: 10m},
                     baseline: {period: daily, periods: 3}, condition: {direction: both, warn: 2, crit: 4}}
                  - {id: orders-low, type: predictive, query: {target: 'shop.${region}.orders', window: 10m},
                     baseline: {period: daily, periods: 3, stat: median}, condition: {direction: below, warn: 2}}
                """));
        long now = rig.store.clock.nowSeconds() / 60 * 60;
        // the 10-minute window ending a minute before the slot, on each of the three previous days: 100, 104, 96
        double[] earlier = {100, 104, 96};
        for (int day = 1; day <= 3; day++) {
            double[] v = new double[10];
            java.util.Arrays.fill(v, earlier[day - 1]);
            rig.store.series("shop.r1.orders", now - 86_400L * day - 60 * 10, v);
        }
        rig.level("shop.r1.orders", 110); // mean 100, sample sd 4: z = 2.5
        rig.step(0);
        Report r = rig.report("orders", "r1");
        assertThat(r.state()).isEqualTo(State.WARNING);
        assertThat(r.snapshot().value()).isEqualTo(2.5);
        assertThat(NagiosFormat.body(r, r.state(), false))
                .startsWith("WARNING: orders[r1] |z|(avg10m vs 3 daily)=2.5 >= warn 2 (crit 4) | value=2.5;2;4;;");
        assertThat(rig.report("orders-low", "r1").state()).isEqualTo(State.OK);

        rig.level("shop.r1.orders", 80); // z = -5 against the mean, -5 against the median (100) too
        rig.step(60);
        assertThat(rig.report("orders", "r1").state()).isEqualTo(State.CRITICAL);
        Report low = rig.report("orders-low", "r1");
        assertThat(low.state()).isEqualTo(State.WARNING);
        assertThat(low.snapshot().value()).isEqualTo(-5);
        assertThat(NagiosFormat.reason(low, low.state()))
                .isEqualTo("WARNING orders-low[r1] z(avg10m vs 3 daily)=-5 <= -2");
    }

    @Test
    void aPredictiveCheckWithoutTwoEarlierPeriodsHasNoData() throws Exception {
        rig = new Rig(dir, null, List.of("r1"), Defs.doc("""
                alerts:
                  - {id: orders, type: predictive, query: {target: 'shop.${region}.orders', window: 10m},
                     baseline: {period: daily, periods: 3}, condition: {direction: above, warn: 2},
                     no_data: {policy: critical, after: 0s}}
                """));
        long now = rig.store.clock.nowSeconds() / 60 * 60;
        double[] v = new double[10];
        java.util.Arrays.fill(v, 100);
        rig.store.series("shop.r1.orders", now - 86_400L - 60 * 10, v); // one earlier day only
        rig.level("shop.r1.orders", 500);
        rig.step(0);
        Report r = rig.report("orders", "r1");
        assertThat(r.state()).isEqualTo(State.CRITICAL);
        assertThat(NagiosFormat.body(r, r.state(), false)).contains("no data")
                .contains("none with data in two earlier daily periods");
    }

    @Test
    void eachRegionIsJudgedAgainstTheOthers() throws Exception {
        rig = new Rig(dir, null, List.of("r1", "r2", "r3"), Defs.doc("""
                alerts:
                  - {id: p99, query: {target: 'apps.${region}.p99', window: 10m}, reduce: median,
                     compare: {peers: 'exclude(apps.*.p99, "^apps\\.${region}\\.")'},
                     condition: {direction: above, warn: 1.5, crit: 2}}
                  - {id: p99z, query: {target: 'apps.${region}.p99', window: 10m}, reduce: median,
                     compare: {peers: 'exclude(apps.*.p99, "^apps\\.${region}\\.")', mode: zscore},
                     condition: {direction: above, warn: 3}}
                  - {id: p99-few, query: {target: 'apps.${region}.p99', window: 10m},
                     compare: {peers: 'exclude(apps.*.p99, "^apps\\.${region}\\.")', min_peers: 3},
                     condition: {direction: above, warn: 1.5}, no_data: {policy: critical, after: 0s}}
                """));
        rig.level("apps.r1.p99", 315);
        rig.level("apps.r2.p99", 100);
        rig.level("apps.r3.p99", 110);
        rig.step(0);
        Report r1 = rig.report("p99", "r1");
        assertThat(r1.state()).isEqualTo(State.CRITICAL); // 315 / mean(100, 110) = 3
        assertThat(r1.snapshot().value()).isEqualTo(3.0);
        assertThat(NagiosFormat.reason(r1, r1.state())).isEqualTo("CRITICAL p99[r1] ratio(median10m vs peers)=3 >= 2");
        assertThat(rig.report("p99", "r2").state()).isEqualTo(State.OK); // 100 / 212.5
        assertThat(rig.report("p99z", "r1").state()).isEqualTo(State.WARNING); // (315 - 105) / 7.07 = 29.7
        assertThat(rig.report("p99z", "r3").state()).isEqualTo(State.OK); // (110 - 207.5) / 152.0 = -0.64
        Report few = rig.report("p99-few", "r1");
        assertThat(few.state()).isEqualTo(State.CRITICAL);
        assertThat(NagiosFormat.body(few, few.state(), false)).contains("2 peer series with data, fewer than min_peers 3");
    }

    @Test
    void anOutsideRangeAlertOverStoredSeries() throws Exception {
        rig = new Rig(dir, null, List.of("r1"), Defs.doc("""
                alerts:
                  - {id: temp, query: {target: 'dc.${region}.temp', window: 5m}, reduce: last,
                     condition: {direction: outside, warn: [18, 27], crit: [15, 30]}}
                """));
        rig.level("dc.r1.temp", 22);
        rig.step(0);
        Report r = rig.report("temp", "r1");
        assertThat(r.state()).isEqualTo(State.OK);
        assertThat(NagiosFormat.body(r, r.state(), false))
                .startsWith("OK: temp[r1] last5m=22 inside warn [18, 27] | value=22;18:27;15:30;;");
        rig.level("dc.r1.temp", 16);
        rig.step(60);
        r = rig.report("temp", "r1");
        assertThat(r.state()).isEqualTo(State.WARNING);
        assertThat(NagiosFormat.body(r, r.state(), false))
                .startsWith("WARNING: temp[r1] last5m=16 outside warn [18, 27] (crit [15, 30]) | value=16;18:27;15:30;;");
        rig.level("dc.r1.temp", 31);
        rig.step(60);
        r = rig.report("temp", "r1");
        assertThat(r.state()).isEqualTo(State.CRITICAL);
        assertThat(NagiosFormat.reason(r, r.state())).isEqualTo("CRITICAL temp[r1] last5m=31 outside [15, 30]");
        rig.level("dc.r1.temp", 30); // the endpoint is inside the range
        rig.step(60);
        assertThat(rig.report("temp", "r1").state()).isEqualTo(State.WARNING);
    }

    @Test
    void aFiringSourceInhibitsItsDependentsInTheSameRegion() throws Exception {
        rig = new Rig(dir, null, List.of("r1", "r2"), Defs.doc("""
                alerts:
                  - {id: ingest-down, query: {target: 'apps.${region}.ingest', window: 5m}, reduce: last,
                     condition: {direction: below, crit: 1}}
                  - {id: err, query: {target: 'apps.${region}.errors', window: 5m},
                     condition: {direction: above, warn: 100, crit: 200},
                     inhibit: [{source: {alert: ingest-down}, equal: [region]}]}
                """));
        rig.level("apps.r1.ingest", 0);
        rig.level("apps.r2.ingest", 10);
        rig.level("apps.r1.errors", 250);
        rig.level("apps.r2.errors", 250);
        rig.step(0);
        Report r1 = rig.report("err", "r1");
        assertThat(r1.state()).isEqualTo(State.OK);
        assertThat(r1.realState()).isEqualTo(State.CRITICAL);
        assertThat(r1.modifier()).isEqualTo("inhibited by ingest-down[r1]");
        assertThat(rig.report("err", "r2").state()).isEqualTo(State.CRITICAL);
        assertThat(rig.report("ingest-down", "r1").state()).isEqualTo(State.CRITICAL);
    }
}
