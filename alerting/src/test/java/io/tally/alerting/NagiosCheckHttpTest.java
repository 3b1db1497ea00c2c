package io.tally.alerting;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The real {@code check_http} (monitoring-plugins) against a live Tally: each state's exit code and text, HEAD,
 * HTTP/1.0 without Host (what {@code -I} sends; Vert.x answers in the same version), the header check, and
 * hostile paths (spec 4.9).
 */
class NagiosCheckHttpTest {
    static final Path CHECK_HTTP = Path.of("/usr/lib/nagios/plugins/check_http");
    static final String ALERTS = """
            defaults: {interval: 60s, offset: 1m}
            alerts:
              - {id: ok-alert, regions: [r1], query: {target: 'apps.${region}.ok', window: 5m},
                 condition: {direction: above, warn: 100, crit: 200}}
              - {id: warn-alert, regions: [r1], query: {target: 'apps.${region}.warn', window: 5m},
                 condition: {direction: above, warn: 100, crit: 200},
                 annotations: {runbook: 'https://wiki.example/rb'}}
              - {id: crit-alert, query: {target: 'apps.${region}.crit', window: 5m},
                 condition: {direction: above, warn: 100, crit: 200}}
              - {id: low-alert, regions: [r1], query: {target: 'apps.${region}.low', window: 5m}, reduce: last,
                 condition: {direction: below, warn: 10, crit: 5}}
              - {id: nodata-alert, regions: [r1], query: {target: 'apps.${region}.missing', window: 5m},
                 condition: {direction: above, crit: 1}, no_data: {policy: unknown, after: 0s}}
              - {id: silenced-alert, regions: [r1], query: {target: 'apps.${region}.crit', window: 5m},
                 condition: {direction: above, warn: 100, crit: 200}}
            """;

    @TempDir
    static Path dir;
    static HttpRig rig;

    @BeforeAll
    static void start() throws Exception {
        rig = new HttpRig(dir, ALERTS, Map.of());
        long t = Rig.T0 / 60 * 60;
        for (String[] s : new String[][]{{"apps.r1.ok", "50"}, {"apps.r1.warn", "142.3"}, {"apps.r1.crit", "231"},
                {"apps.r2.crit", "20"}, {"apps.r1.low", "3"}}) {
            double[] v = new double[10];
            java.util.Arrays.fill(v, Double.parseDouble(s[1]));
            rig.store.series(s[0], t - 600, v);
        }
        rig.run();
        rig.service.engine().addSilence(List.of(Silence.Matcher.of("alert", "=", "silenced-alert")),
                rig.store.clock.currentTimeMillis(), rig.store.clock.currentTimeMillis() + 3_600_000, "ops",
                "maintenance", Silence.Effect.REPORT_OK);
    }

    @AfterAll
    static void stop() throws Exception {
        if (rig != null) {
            rig.close();
        }
    }

    record Run(int exit, String out) {
    }

    static Run checkHttp(String... args) throws IOException, InterruptedException {
        assumeTrue(Files.isExecutable(CHECK_HTTP), "check_http (monitoring-plugins-basic) is not installed");
        List<String> cmd = new ArrayList<>(List.of(CHECK_HTTP.toString(), "-I", "127.0.0.1", "-p",
                Integer.toString(rig.port()), "-t", "10"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), out);
    }

    @Test
    void okIsExit0WithTheReasonPhrase() throws Exception {
        Run r = checkHttp("-u", "/alerting/nagios/ok-alert/r1", "-d", "X-Tally-State:");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).startsWith("HTTP OK: HTTP/1.0 200 OK ok-alert[r1] avg5m=50 - ");
    }

    @Test
    void warningIsExit1() throws Exception {
        Run r = checkHttp("-u", "/alerting/nagios/warn-alert/r1");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).startsWith("HTTP WARNING: HTTP/1.0 429 WARNING warn-alert[r1] avg5m=142.3 >= 100 - ");
    }

    @Test
    void criticalIsExit2AndTheBodyIsThePluginText() throws Exception {
        Run r = checkHttp("-u", "/alerting/nagios/crit-alert/r1", "-B");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).startsWith("HTTP CRITICAL: HTTP/1.0 503 CRITICAL crit-alert[r1] avg5m=231 >= 200 - ")
                .contains("CRITICAL: crit-alert[r1] avg5m=231 >= crit 200 | value=231;100;200;; points=5;;;0;");
    }

    @Test
    void belowThresholdsUseTheirOperator() throws Exception {
        Run r = checkHttp("-u", "/alerting/nagios/low-alert/r1");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).startsWith("HTTP CRITICAL: HTTP/1.0 503 CRITICAL low-alert[r1] last5m=3 <= 5 - ");
    }

    @Test
    void unknownIsCriticalByDefaultAndWarningOnRequest() throws Exception {
        Run r = checkHttp("-u", "/alerting/nagios/nodata-alert/r1");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).startsWith("HTTP CRITICAL: HTTP/1.0 500 UNKNOWN nodata-alert[r1] no data - ");
        Run w = checkHttp("-u", "/alerting/nagios/nodata-alert/r1?unknown_as=warning");
        assertThat(w.exit()).isEqualTo(1);
        assertThat(w.out()).startsWith("HTTP WARNING: HTTP/1.0 429 UNKNOWN nodata-alert[r1] no data - ");
    }

    @Test
    void anUnknownAlertIsNotAPlainWarning() throws Exception {
        Run r = checkHttp("-u", "/alerting/nagios/no-such-alert/r1");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).startsWith("HTTP CRITICAL: HTTP/1.0 500 UNKNOWN no-such-alert[r1] no such alert - ");
    }

    @Test
    void silencedReportsOkWithTheRealStateInText() throws Exception {
        Run r = checkHttp("-u", "/alerting/nagios/silenced-alert/r1", "-B");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).startsWith("HTTP OK: HTTP/1.0 200 OK silenced-alert[r1] avg5m=231 >= 200 silenced "
                + "(real CRITICAL) - ").contains("(real state CRITICAL)");
    }

    @Test
    void headAndVirtualHostRequestsWork() throws Exception {
        Run head = checkHttp("-u", "/alerting/nagios/warn-alert/r1", "-j", "HEAD");
        assertThat(head.exit()).isEqualTo(1);
        assertThat(head.out()).startsWith("HTTP WARNING: HTTP/1.0 429 WARNING warn-alert[r1] avg5m=142.3 >= 100");
        Run vhost = checkHttp("-H", "tally.example", "-u", "/alerting/nagios/ok-alert/r1");
        assertThat(vhost.exit()).isZero();
    }

    @Test
    void allRegionsOfAnAlertReportTheWorst() throws Exception {
        Run r = checkHttp("-u", "/alerting/nagios/crit-alert", "-B");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).contains("503 CRITICAL crit-alert 1/2 regions not OK, worst r1")
                .contains("| r1=231;100;200;; r2=20;100;200;;");
    }

    @Test
    void regionRollupCountsStates() throws Exception {
        Run r = checkHttp("-u", "/alerting/nagios/region/r1", "-B");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).contains("ok=2;;;0; warning=1;;;0; critical=2;;;0; unknown=1;;;0;");
    }

    @Test
    void selfIsOkAfterARound() throws Exception {
        Run r = checkHttp("-u", "/alerting/nagios/self");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).startsWith("HTTP OK: HTTP/1.0 200 OK tally alerting");
    }

    @Test
    void hostilePathsNeverReachTheReasonPhraseOrLineOne() throws Exception {
        HttpResponse<String> r = rig.get("/alerting/nagios/x%7Cy%0D%0AX-Evil:%201/r1%7Cz");
        assertThat(r.statusCode()).isEqualTo(500);
        assertThat(r.headers().firstValue("X-Evil")).isEmpty();
        String line1 = r.body().lines().findFirst().orElseThrow();
        assertThat(line1).isEqualTo("UNKNOWN: x?y  X-Evil: 1[r1?z] no such alert");
    }

    @Test
    void always200CarriesTheStateInHeaders() throws Exception {
        HttpResponse<String> r = rig.get("/alerting/nagios/nodata-alert/r1?codes=always200");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("X-Nagios-State")).hasValue("UNKNOWN");
        assertThat(r.headers().firstValue("X-Nagios-Exit-Code")).hasValue("3");
        assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(r.headers().firstValue("X-Tally-Evaluated-At")).isPresent();
        HttpResponse<String> s = rig.get("/alerting/nagios/silenced-alert/r1");
        assertThat(s.headers().firstValue("X-Tally-Real-State")).hasValue("CRITICAL");
        assertThat(s.headers().firstValue("X-Tally-State")).hasValue("OK");
    }

    @Test
    void rangePerfdataUsesNagiosRanges() throws Exception {
        HttpResponse<String> r = rig.get("/alerting/nagios/warn-alert/r1?perf=range");
        assertThat(r.body()).contains("| value=142.3;@100:;@200:;; points=5;;;0;");
    }

    @Test
    void aMistypedPathIsUnknownNotAWarning() throws Exception {
        Run r = checkHttp("-u", "/alerting/nagios/ok-alert/r1/extra");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).contains("500 UNKNOWN /alerting/nagios/ok-alert/r1/extra no such endpoint");
    }

    @Test
    void theExactRelayScriptPassesUnknownThrough() throws Exception {
        Path curl = Path.of("/usr/bin/curl");
        assumeTrue(Files.isExecutable(curl), "curl is not installed");
        Path script = dir.resolve("check_tally_alert_exact");
        try (var in = AlertingService.class.getResourceAsStream("check_tally_alert_exact")) {
            Files.write(script, in.readAllBytes());
        }
        String base = "http://127.0.0.1:" + rig.port() + "/alerting/nagios/";
        Run unknown = sh(script, base + "nodata-alert/r1");
        assertThat(unknown.exit()).isEqualTo(3);
        assertThat(unknown.out()).startsWith("UNKNOWN: nodata-alert[r1] no data");
        Run warning = sh(script, base + "warn-alert/r1?perf=range");
        assertThat(warning.exit()).isEqualTo(1);
        assertThat(warning.out()).startsWith("WARNING: warn-alert[r1] avg5m=142.3 >= warn 100 (crit 200) | "
                + "value=142.3;@100:;@200:;;");
        Run dead = sh(script, "http://127.0.0.1:1/alerting/nagios/x/y");
        assertThat(dead.exit()).isEqualTo(2);
        Run notTally = sh(script, "http://127.0.0.1:" + rig.port() + "/version");
        assertThat(notTally.exit()).isEqualTo(3);
    }

    static Run sh(Path script, String url) throws Exception {
        Process p = new ProcessBuilder("sh", script.toString(), url).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), out);
    }
}
