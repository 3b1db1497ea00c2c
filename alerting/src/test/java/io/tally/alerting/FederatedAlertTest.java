package io.tally.alerting;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Alerts over cross-region targets against real federation: three regions in one JVM ({@link FederatedRig}), each
 * with its own stored {@code app.errors} (r1 = 1, r2 = 2, r3 = 4), a peer stopped to make its region missing, the
 * manual clock for {@code on_error.after} (spec 4.9: "a federated peer that times out").
 */
class FederatedAlertTest {
    static final String SUM = """
            alerts:
              - id: errors-all
                regions: [r1]
                query: {target: 'sumSeries(regions.*.app.errors)', scope: federated, window: 5m%s}
                condition: {direction: above, warn: 5, crit: 10}
            """;

    @TempDir
    Path dir;
    FederatedRig rig;

    @AfterEach
    void close() throws Exception {
        if (rig != null) {
            rig.close();
        }
    }

    private FederatedRig start(String yaml, boolean allRegions) throws Exception {
        rig = new FederatedRig(dir, yaml, allRegions);
        rig.level("r1", "app.errors", 1);
        rig.level("r2", "app.errors", 2);
        rig.level("r3", "app.errors", 4);
        return rig;
    }

    private static String sum(String missingRegions) {
        return SUM.formatted(missingRegions.isEmpty() ? "" : ", missing_regions: " + missingRegions);
    }

    @Test
    void aSumAcrossRegionsSeesEveryRegion() throws Exception {
        start(sum(""), false);
        rig.run();
        Report r = rig.report("errors-all", "r1");
        assertThat(r.state()).isEqualTo(State.WARNING);
        assertThat(r.snapshot().value()).isEqualTo(7.0);
        assertThat(r.snapshot().missingRegions()).isEmpty();
        JsonObject j = new JsonObject(rig.get("/alerting/api/v1/alerts/errors-all/instances/r1").body());
        assertThat(j.getJsonObject("missing_regions").isEmpty()).isTrue();
        assertThat(new JsonObject(rig.get("/alerting/api/v1/alerts/errors-all").body()).getString("scope"))
                .isEqualTo("federated");
    }

    @Test
    void thisRegionAgainstTheOtherRegionsThroughTheFederation() throws Exception {
        start("""
                alerts:
                  - id: errors-vs-peers
                    regions: [r1]
                    query: {target: 'regions.${region}.app.errors', scope: federated, window: 5m}
                    compare: {peers: 'exclude(regions.*.app.errors, "^regions\\.${region}\\.")', mode: ratio,
                              min_peers: 2}
                    condition: {direction: below, warn: 0.5, crit: 0.2}
                """, false);
        rig.run();
        Report r = rig.report("errors-vs-peers", "r1");
        assertThat(r.snapshot().value()).isEqualTo(1 / 3.0); // r1 = 1 against the mean of r2 = 2 and r3 = 4
        assertThat(r.state()).isEqualTo(State.WARNING);
        JsonObject def = new JsonObject(rig.get("/alerting/api/v1/alerts/errors-vs-peers").body());
        assertThat(def.getJsonObject("compare").getInteger("min_peers")).isEqualTo(2);

        rig.stop("r2"); // a peer region missing: an error for on_error (missing_regions: error), never a quiet ratio
        rig.clock.advanceSeconds(60);
        rig.run();
        Report missing = rig.report("errors-vs-peers", "r1");
        assertThat(missing.snapshot().missingRegions()).containsOnlyKeys("r2");
        assertThat(missing.snapshot().raw()).isEqualTo(Evaluation.Kind.ERROR);
    }

    @Test
    void theApiAcceptsFederatedScopeOnANodeWithFederation() throws Exception {
        start("alerts: []\n", false);
        HttpResponse<String> put = rig.put("/alerting/api/v1/alerts/api-fed", """
                {"regions": ["r1"], "query": {"target": "maxSeries(regions.*.app.errors)", "scope": "federated",
                 "window": "5m", "missing_regions": "ignore"}, "condition": {"direction": "above", "crit": 3}}
                """);
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        assertThat(new JsonObject(put.body()).getString("missing_regions")).isEqualTo("ignore");
        rig.stop("r3");
        rig.run();
        Report r = rig.report("api-fed", "r1");
        assertThat(r.snapshot().value()).isEqualTo(2.0); // r3's 4 is missing; r2's 2 is the largest left
        assertThat(r.state()).isEqualTo(State.OK);
    }

    @Test
    void unknownPolicyReportsTheMissingRegionThroughNagiosAndJson() throws Exception {
        start(sum("unknown"), false);
        rig.run();
        rig.stop("r3");
        rig.clock.advanceSeconds(60);
        rig.run();
        Report r = rig.report("errors-all", "r1");
        assertThat(r.state()).isEqualTo(State.UNKNOWN);
        assertThat(r.snapshot().missingRegions()).containsOnlyKeys("r3");

        HttpResponse<String> nagios = rig.get("/alerting/nagios/errors-all/r1");
        assertThat(nagios.statusCode()).isEqualTo(500);
        assertThat(nagios.body()).startsWith("UNKNOWN: errors-all[r1] region r3 missing (unreachable) | value=U;")
                .contains("\nmissing_regions=r3:unreachable policy=unknown\n");
        JsonObject j = new JsonObject(rig.get("/alerting/api/v1/alerts/errors-all/instances/r1").body());
        assertThat(j.getJsonObject("missing_regions").getString("r3")).isEqualTo("unreachable");
        assertThat(j.getString("raw_state")).isEqualTo("ERROR");

        Path checkHttp = NagiosCheckHttpTest.CHECK_HTTP;
        assumeTrue(Files.isExecutable(checkHttp), "check_http (monitoring-plugins-basic) is not installed");
        Process p = new ProcessBuilder(checkHttp.toString(), "-I", "127.0.0.1", "-p", Integer.toString(rig.port()),
                "-t", "10", "-u", "/alerting/nagios/errors-all/r1", "-d", "X-Tally-State:")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(2); // UNKNOWN is CRITICAL for check_http by default (spec 4.5)
        assertThat(out).startsWith("HTTP CRITICAL: HTTP/1.0 500 UNKNOWN errors-all[r1] region r3 missing "
                + "(unreachable) - ");
    }

    @Test
    void aPeerThatTimesOutIsNamedWithItsReason() throws Exception {
        rig = new FederatedRig(dir, sum("unknown"), false, true);
        rig.level("r1", "app.errors", 1);
        rig.level("r2", "app.errors", 2);
        rig.run();
        Report r = rig.report("errors-all", "r1");
        assertThat(r.state()).isEqualTo(State.UNKNOWN);
        assertThat(r.snapshot().missingRegions()).containsEntry("r3", "timeout");
        HttpResponse<String> nagios = rig.get("/alerting/nagios/errors-all/r1");
        assertThat(nagios.statusCode()).isEqualTo(500);
        assertThat(nagios.body()).startsWith("UNKNOWN: errors-all[r1] region r3 missing (timeout) | ");
    }

    @Test
    void criticalPolicyTakesCriticalAtOnce() throws Exception {
        start(sum("critical"), false);
        rig.stop("r2");
        rig.run();
        Report r = rig.report("errors-all", "r1");
        assertThat(r.state()).isEqualTo(State.CRITICAL);
        HttpResponse<String> nagios = rig.get("/alerting/nagios/errors-all/r1");
        assertThat(nagios.statusCode()).isEqualTo(503);
        assertThat(nagios.body()).startsWith("CRITICAL: errors-all[r1] region r2 missing (unreachable)");
    }

    @Test
    void ignorePolicyEvaluatesTheRegionsThatAnsweredAndSaysWhichWereMissing() throws Exception {
        start(sum("ignore"), false);
        rig.run();
        assertThat(rig.report("errors-all", "r1").state()).isEqualTo(State.WARNING);
        rig.stop("r3");
        rig.clock.advanceSeconds(60);
        rig.level("r1", "app.errors", 1);
        rig.level("r2", "app.errors", 2);
        rig.run();
        Report r = rig.report("errors-all", "r1");
        assertThat(r.state()).isEqualTo(State.OK);
        assertThat(r.snapshot().value()).isEqualTo(3.0); // r1 + r2
        assertThat(r.snapshot().raw()).isEqualTo(Evaluation.Kind.OK);
        String body = rig.get("/alerting/nagios/errors-all/r1").body();
        assertThat(body).startsWith("OK: errors-all[r1] avg5m=3 < warn 5 (partial: region r3 missing (unreachable))")
                .contains("\nmissing_regions=r3:unreachable policy=ignore\n");
        assertThat(rig.service.engine().health().failingInstances()).isZero();
    }

    @Test
    void localScopeNeverEvaluatesAPartialAnswerAndErrorPolicyWaitsForOnErrorAfter() throws Exception {
        start("""
                alerts:
                  - id: errors-local
                    regions: [r1]
                    query: {target: 'sumSeries(regions.*.app.errors)', scope: local, window: 5m}
                    condition: {direction: above, warn: 5, crit: 10}
                    on_error: {policy: unknown, after: 3m}
                """, false);
        rig.run();
        assertThat(rig.report("errors-local", "r1").state()).isEqualTo(State.WARNING);
        rig.stop("r3");
        for (int i = 1; i <= 4; i++) { // the default missing_regions: error goes through on_error
            rig.clock.advanceSeconds(60);
            rig.level("r1", "app.errors", 1);
            rig.level("r2", "app.errors", 2);
            rig.run();
            Report r = rig.report("errors-local", "r1");
            assertThat(r.snapshot().raw()).isEqualTo(Evaluation.Kind.ERROR);
            assertThat(r.snapshot().missingRegions()).containsOnlyKeys("r3");
            if (i < 4) { // the error began at minute 1; on_error.after (3m) has passed at minute 4
                assertThat(r.state()).as("minute %d: the last state is kept", i).isEqualTo(State.WARNING);
                assertThat(rig.get("/alerting/nagios/errors-local/r1").body())
                        .startsWith("WARNING: errors-local[r1] region r3 missing");
            } else {
                assertThat(r.state()).as("after on_error.after").isEqualTo(State.UNKNOWN);
            }
        }
        List<Transition> history = rig.service.engine().instance("errors-local", "r1").history(0, Long.MAX_VALUE);
        assertThat(history.get(history.size() - 1).reason()).startsWith("partial answer: region r3 missing");
    }

    @Test
    void perSeriesAlertsApplyThePolicyToEverySeries() throws Exception {
        start("""
                alerts:
                  - id: errors-each
                    regions: [r1]
                    query: {target: 'aliasByNode(regions.*.app.errors, 1)', scope: federated, window: 5m,
                            missing_regions: critical}
                    series: each
                    condition: {direction: above, warn: 3, crit: 10}
                """, false);
        rig.run();
        Report r = rig.report("errors-each", "r1");
        assertThat(r.state()).isEqualTo(State.WARNING);
        assertThat(r.snapshot().perSeries()).extracting(Evaluation.SeriesValue::name)
                .containsExactly("r1", "r2", "r3");
        rig.stop("r3");
        rig.clock.advanceSeconds(60);
        rig.run();
        r = rig.report("errors-each", "r1");
        assertThat(r.state()).isEqualTo(State.CRITICAL);
        assertThat(r.snapshot().missingRegions()).containsOnlyKeys("r3");
        assertThat(rig.get("/alerting/nagios/errors-each/r1").body())
                .startsWith("CRITICAL: errors-each[r1] region r3 missing (unreachable)");
    }

    @Test
    void aCentralNodeEvaluatesEachRegionsInstanceThroughFederation() throws Exception {
        start("""
                alerts:
                  - id: errors
                    query: {target: 'regions.${region}.app.errors', scope: federated, window: 5m,
                            missing_regions: unknown}
                    condition: {direction: above, warn: 3, crit: 10}
                """, true);
        rig.run();
        assertThat(rig.report("errors", "r1").snapshot().value()).isEqualTo(1.0);
        assertThat(rig.report("errors", "r2").snapshot().value()).isEqualTo(2.0);
        assertThat(rig.report("errors", "r3").state()).isEqualTo(State.WARNING);
        assertThat(rig.report("errors", "r3").snapshot().value()).isEqualTo(4.0);

        rig.stop("r2");
        rig.clock.advanceSeconds(60);
        for (String r : FederatedRig.REGIONS) {
            rig.level(r, "app.errors", r.equals("r3") ? 4 : 1);
        }
        rig.run();
        assertThat(rig.report("errors", "r1").state()).isEqualTo(State.OK);
        assertThat(rig.report("errors", "r2").state()).isEqualTo(State.UNKNOWN);
        assertThat(rig.report("errors", "r3").state()).isEqualTo(State.WARNING);
        String all = rig.get("/alerting/nagios/errors").body();
        assertThat(all).contains("errors[r2]").contains("region r2 missing");
    }
}
