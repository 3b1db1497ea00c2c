package io.tally.alerting;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.ZoneId;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DefinitionParserTest {

    static final String FULL = """
            defaults:
              interval: 60s
              offset: 1m
              no_data: {policy: unknown, after: 5m, min_points: 1}
              on_error: {policy: keep_last, after: 3m, then: unknown}
              stale_after: 3x
            alerts:
              - id: api-5xx-rate
                name: API 5xx rate
                description: 5xx responses per second
                group: checkout
                labels: {team: payments}
                annotations: {summary: "5xx {{value}}/s in {{region}}", runbook: "https://wiki.example/x"}
                enabled: true
                visibility: public
                regions: ["*"]
                query:
                  target: 'sumSeries(apps.${region}.api.*.http.5xx.rate)'
                  scope: local
                  window: 10m
                  smoothing: none
                reduce: avg
                series: worst
                min_series: 1
                max_failing_series: 0
                condition:
                  direction: above
                  warn: 100
                  crit: 200
                  inclusive: true
                  recover: {warn: 90, crit: 180}
                for: 3m
                keep_firing_for: 5m
                flap: {history: 21, low: 20, high: 30}
                no_data: {policy: critical, after: 5m, min_points: 3}
                active: [{days: mon-fri, from: "07:00", to: "22:00", tz: Europe/Paris}]
                repeat: 30m
                notify: [{method: webhook, url: "http://127.0.0.1:9/hook", states: [critical]}]
            """;

    @Test
    void readsTheSpecExample() {
        List<AlertDefinition> defs = Defs.doc(FULL);
        assertThat(defs).hasSize(1);
        AlertDefinition d = defs.get(0);
        assertThat(d.id()).isEqualTo("api-5xx-rate");
        assertThat(d.windowSeconds()).isEqualTo(600);
        assertThat(d.offsetSeconds()).isEqualTo(60);
        assertThat(d.condition().warn()).isEqualTo(100);
        assertThat(d.condition().recoverCrit()).isEqualTo(180);
        assertThat(d.forSeconds()).isEqualTo(180);
        assertThat(d.noData().kind()).isEqualTo(AlertDefinition.PolicyKind.CRITICAL);
        assertThat(d.minPoints()).isEqualTo(3);
        assertThat(d.onError().kind()).isEqualTo(AlertDefinition.PolicyKind.UNKNOWN);
        assertThat(d.onError().afterSeconds()).isEqualTo(180);
        assertThat(d.active().get(0).zone()).isEqualTo(ZoneId.of("Europe/Paris"));
        assertThat(d.subscriptions().get(0).states()).containsExactly(State.CRITICAL);
        assertThat(d.targetFor("us-east-1")).isEqualTo("sumSeries(apps.us-east-1.api.*.http.5xx.rate)");
        assertThat(d.measureLabel()).isEqualTo("avg10m");
    }

    @Test
    void defaultsApplyAndAlertsOverrideThem() {
        List<AlertDefinition> defs = Defs.doc("""
                defaults: {interval: 2m, repeat: 10m}
                alerts:
                  - {id: a, query: {target: x.y}, condition: {direction: below, warn: 5}}
                  - {id: b, interval: 30s, repeat: 1m, query: {target: x.y}, condition: {direction: above, crit: 5}}
                """);
        assertThat(defs.get(0).intervalSeconds()).isEqualTo(120);
        assertThat(defs.get(0).repeatSeconds()).isEqualTo(600);
        assertThat(defs.get(1).intervalSeconds()).isEqualTo(30);
    }

    @Test
    void predictiveChecks() {
        AlertDefinition d = Defs.one("""
                {id: t, type: predictive, query: {target: a.b, window: 30m}, reduce: median,
                 baseline: {period: weekly, periods: 6, stat: median}, condition: {direction: below, warn: 2, crit: 3}}
                """);
        assertThat(d.predictive()).isEqualTo(new AlertDefinition.Predictive("weekly", 604_800, 6, true));
        // below: z at or under minus the counts of standard deviations
        assertThat(d.condition().warn()).isEqualTo(-2);
        assertThat(d.condition().crit()).isEqualTo(-3);
        assertThat(d.measureLabel()).isEqualTo("z(median30m vs 6 weekly)");
        for (String bad : List.of("{direction: above, warn: 3, crit: 2}", "{direction: above, warn: 0}",
                "{direction: outside, warn: [1, 2]}", "{direction: both, warn: 1, recover: {warn: 0.5}}")) {
            assertThatThrownBy(() -> Defs.one("{id: t, type: predictive, query: {target: a.b}, baseline: "
                    + "{period: daily}, condition: " + bad + "}"))
                    .as(bad).isInstanceOf(DefinitionException.class).hasMessageContaining("condition.");
        }
        assertThatThrownBy(() -> Defs.one("{id: t, type: predictive, query: {target: a.b, window: 2d}, baseline: "
                + "{period: daily}, condition: {direction: both, warn: 2}}"))
                .isInstanceOf(DefinitionException.class).hasMessageContaining("baseline.period");
    }

    @Test
    void nagiosRangeStrings() {
        AlertDefinition.Condition c = Defs.one("""
                {id: t, query: {target: a.b}, condition: {range: {warn: '10:', crit: '5:'}}}
                """).condition();
        assertThat(c.direction()).isEqualTo(AlertDefinition.Direction.OUTSIDE); // Nagios: alert below 10
        assertThat(new double[] {c.warn(), c.warnHigh(), c.crit(), c.critHigh()})
                .containsExactly(10, Double.POSITIVE_INFINITY, 5, Double.POSITIVE_INFINITY);
        assertThat(c.breachesWarn(9.9)).isTrue();
        assertThat(c.breachesWarn(1e300)).isFalse();
        assertThat(NagiosFormat.threshold(c, false, false)).isEqualTo("10:");
        assertThat(NagiosFormat.thresholdText(c, true)).isEqualTo("[5, inf]");
        assertThat(JsonMaps.threshold(c, false).toString()).isEqualTo("[10.0,null]");

        AlertDefinition.Condition in = Defs.one("""
                {id: t, query: {target: a.b}, condition: {range: {warn: '@~:20', crit: '@~:5'}}}
                """).condition();
        assertThat(in.direction()).isEqualTo(AlertDefinition.Direction.INSIDE); // alert at or below 20
        assertThat(in.breachesCrit(-1e9)).isTrue();
        assertThat(in.breachesWarn(20)).isTrue();
        assertThat(in.breachesWarn(20.5)).isFalse();
        assertThat(NagiosFormat.threshold(in, true, false)).isEqualTo("@~:5");

        AlertDefinition.Condition plain = Defs.one("""
                {id: t, query: {target: a.b}, condition: {range: {crit: '10'}}}
                """).condition();
        assertThat(new double[] {plain.crit(), plain.critHigh()}).containsExactly(0, 10); // "10" is 0..10
        assertThat(plain.breachesCrit(-0.5)).isTrue();
    }

    @Test
    void rangesForOutsideAndInside() {
        AlertDefinition d = Defs.one("""
                {id: t, query: {target: a.b}, condition: {direction: outside, warn: [18, 27], crit: [15, 30.5]}}
                """);
        AlertDefinition.Condition c = d.condition();
        assertThat(c.direction()).isEqualTo(AlertDefinition.Direction.OUTSIDE);
        assertThat(new double[] {c.warn(), c.warnHigh(), c.crit(), c.critHigh()}).containsExactly(18, 27, 15, 30.5);
        AlertDefinition in = Defs.one("""
                {id: t, query: {target: a.b}, condition: {direction: inside, crit: [-1, 1], inclusive: false}}
                """);
        assertThat(in.condition().breachesCrit(0)).isTrue();
        assertThat(in.condition().breachesCrit(1)).as("exclusive range: the endpoint is not in it").isFalse();
    }

    @Test
    void smoothingWrapsTheTargetWithTheWindow() {
        AlertDefinition d = Defs.one("""
                {id: t, query: {target: a.b, window: 10m, smoothing: movingMedian}, reduce: median,
                 condition: {direction: above, warn: 1, crit: 2}}
                """);
        assertThat(d.targetFor("r")).isEqualTo("movingMedian(a.b,'600s')");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
            "huge window; query: {target: a.b, window: 400d}; query.window",
            "wrong order above; condition: {direction: above, warn: 300, crit: 200}; condition.warn",
            "wrong order below; condition: {direction: below, warn: 1, crit: 5}; condition.warn",
            "recover wrong side; condition: {direction: above, warn: 10, crit: 20, recover: {crit: 25}}; condition.recover.crit",
            "unknown field; colour: red; colour",
            "unknown nested field; query: {target: a.b, windw: 5m}; query.windw",
            "unknown reducer; reduce: mode; reduce",
            "interval too short; interval: 1s; interval",
            "bad target; query: {target: 'sumSeries(a.b'}; query.target",
            "other placeholder; query: {target: 'a.${host}.b'}; query.target",
            "pipe in name; name: 'a | b=1'; name",
            "newline in name; name: \"a\\nb\"; name",
            "bad region; regions: ['US East']; regions[0]",
            "federated without federation; query: {target: a.b, scope: federated}; query.scope",
            "bad missing_regions; query: {target: a.b, missing_regions: skip}; query.missing_regions",
            "bad notify url; notify: [{url: 'file:///etc/passwd'}]; notify[0].url",
            "bad label key; labels: {'a-b': x}; labels.a-b",
            "repeat shorter than interval; repeat: 10s; repeat",
            "no thresholds; condition: {direction: above}; condition",
            "scalar for a range; condition: {direction: outside, warn: 5}; condition.warn",
            "range for above; condition: {direction: above, warn: [1, 2]}; condition.warn",
            "range low above high; condition: {direction: outside, warn: [27, 18]}; condition.warn",
            "range of three; condition: {direction: inside, crit: [1, 2, 3]}; condition.crit",
            "range with text; condition: {direction: inside, crit: [1, high]}; condition.crit[1]",
            "crit inside warn for outside; condition: {direction: outside, warn: [18, 27], crit: [20, 30]}; condition.crit",
            "crit around warn for inside; condition: {direction: inside, warn: [10, 20], crit: [5, 15]}; condition.crit",
            "recover with a range; condition: {direction: outside, warn: [1, 2], recover: {warn: 3}}; condition.recover",
            "both for a threshold check; condition: {direction: both, warn: 1}; condition.direction",
            "baseline without predictive; baseline: {period: daily}; baseline",
            "predictive without baseline; type: predictive; baseline",
            "predictive bad period; type: predictive, baseline: {period: hourly}; baseline.period",
            "predictive one period; type: predictive, baseline: {period: daily, periods: 1}; baseline.periods",
            "predictive any; type: predictive, baseline: {period: daily}, reduce: any; reduce",
            "compare bad mode; compare: {peers: a.c, mode: quotient}; compare.mode",
            "nagios range mixed; condition: {range: {warn: '10:20', crit: '@5:30'}}; condition.range.crit",
            "nagios range text; condition: {range: {warn: 'ten:20'}}; condition.range.warn",
            "nagios range order; condition: {range: {warn: '20:10'}}; condition.range.warn",
            "nagios range nesting; condition: {range: {warn: '10:20', crit: '12:30'}}; condition.range.crit",
            "nagios range and direction; condition: {direction: above, range: {warn: '10'}}; condition.direction",
            "compare zscore one peer; compare: {peers: a.c, mode: zscore, min_peers: 1}; compare.min_peers",
            "compare bad peers; compare: {peers: 'sumSeries(a.c'}; compare.peers",
            "compare without peers; compare: {mode: ratio}; compare.peers",
            "compare and predictive; type: predictive, baseline: {period: daily}, compare: {peers: a.c}; compare",
            "self inhibition; inhibit: [{source: {alert: x}}]; inhibit[0].source.alert",
            "bad inhibit label; inhibit: [{source: {alert: y}, equal: ['a b']}]; inhibit[0].equal[0]",
    })
    void rejectsWithTheFieldNamed(String what, String override, String field) {
        String base = "{id: x, query: {target: a.b}, condition: {direction: above, warn: 1, crit: 2}}";
        // the override replaces the base's key of the same name
        String key = override.substring(0, override.indexOf(':'));
        String yaml = switch (key) {
            case "query" -> "{id: x, " + override + ", condition: {direction: above, warn: 1, crit: 2}}";
            case "condition" -> "{id: x, query: {target: a.b}, " + override + "}";
            default -> base.substring(0, base.length() - 1) + ", " + override + "}";
        };
        assertThatThrownBy(() -> Defs.one(yaml))
                .isInstanceOf(DefinitionException.class)
                .satisfies(e -> assertThat(((DefinitionException) e).field()).isEqualTo(field))
                .hasMessageStartingWith("test.yaml: " + field + ": ");
    }

    @ParameterizedTest
    @CsvSource({"Api", "-x", "a b", "a/b", "a!b", "a$b", "self", "region", "''"})
    void rejectsBadIds(String id) {
        assertThatThrownBy(() -> Defs.one("{id: '" + id + "', query: {target: a.b}, condition: {direction: above, "
                + "crit: 2}}")).isInstanceOf(DefinitionException.class).hasMessageContaining("id: ");
    }

    @Test
    void duplicateIdsInADocumentAreRejected() {
        assertThatThrownBy(() -> Defs.doc("""
                alerts:
                  - {id: a, query: {target: x}, condition: {direction: above, crit: 1}}
                  - {id: a, query: {target: y}, condition: {direction: above, crit: 1}}
                """)).hasMessageContaining("alerts[1].id: duplicate id 'a'");
    }

    @Test
    void activeWindowWrapsPastMidnightAndTheWeek() {
        AlertDefinition d = Defs.one("""
                {id: w, query: {target: a}, condition: {direction: above, crit: 1},
                 active: [{days: fri-mon, from: "22:00", to: "06:00"}]}
                """);
        AlertDefinition.ActiveWindow w = d.active().get(0);
        long friday2300 = java.time.Instant.parse("2024-05-03T23:00:00Z").getEpochSecond();
        long saturday0500 = java.time.Instant.parse("2024-05-04T05:00:00Z").getEpochSecond();
        long tuesday0500 = java.time.Instant.parse("2024-05-07T05:00:00Z").getEpochSecond(); // Monday's night
        long tuesday2300 = java.time.Instant.parse("2024-05-07T23:00:00Z").getEpochSecond();
        long wednesday0500 = java.time.Instant.parse("2024-05-08T05:00:00Z").getEpochSecond();
        assertThat(w.contains(friday2300)).isTrue();
        assertThat(w.contains(saturday0500)).isTrue();
        assertThat(w.contains(tuesday0500)).isTrue();
        assertThat(w.contains(tuesday2300)).isFalse();
        assertThat(w.contains(wednesday0500)).isFalse();
    }

    @Test
    void federatedScopeIsAcceptedWhereTheNodeHasAFederation() {
        DefinitionParser federated = new DefinitionParser(AlertingConfig.Limits.defaults(), true);
        AlertDefinition d = federated.parseAlert(java.util.Map.of("id", "x", "query",
                java.util.Map.of("target", "sumSeries(regions.*.a.b)", "scope", "federated"), "condition",
                java.util.Map.of("direction", "above", "crit", 2)), "test.yaml", "");
        assertThat(d.scope()).isEqualTo(AlertDefinition.Scope.FEDERATED);
        assertThat(d.missingRegions()).as("default: through on_error").isEqualTo(AlertDefinition.MissingRegions.ERROR);
    }

    @ParameterizedTest
    @CsvSource({"error, ERROR", "ignore, IGNORE", "unknown, UNKNOWN", "warning, WARNING", "critical, CRITICAL"})
    void missingRegionsPolicyIsReadForAnyScope(String text, AlertDefinition.MissingRegions expected) {
        AlertDefinition d = Defs.one("{id: x, query: {target: 'regions.*.a', missing_regions: " + text + "}, "
                + "condition: {direction: above, crit: 2}}");
        assertThat(d.scope()).isEqualTo(AlertDefinition.Scope.LOCAL);
        assertThat(d.missingRegions()).isEqualTo(expected);
    }
}
