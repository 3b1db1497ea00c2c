package io.tally.alerting.tattle;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TattleImporterTest {
    static final String CSV = """
            check_id,name,target,error,warn,sample,baseline,over_under,visibility,enabled,repeat_delay,type,group_id,hour_start,hour_end,day_start,day_end
            1,API errors,"sumSeries(apps.*.errors,apps.*.fails)",20.000,10.000,10,average,0,0,1,30,threshold,1,NULL,NULL,NULL,NULL
            2,Free disk,servers.db1.disk.free,5.000,10.000,1,median,1,1,1,60,threshold,2,22:00,06:00,mon,fri
            3,Orders weekly,shop.orders,3.000,2.000,30,average,2,0,1,60,predictive,1,NULL,NULL,NULL,NULL
            4,Bad order,x.y,5.000,10.000,10,average,0,0,1,60,threshold,1,NULL,NULL,NULL,NULL
            5,"API errors",other.target,2.000,1.000,10,median,0,0,0,0,threshold,1,NULL,NULL,NULL,NULL
            """;

    @Test
    void convertsChecksIntoValidDefinitions(@TempDir Path dir) throws Exception {
        Path checks = dir.resolve("checks.csv");
        Files.writeString(checks, CSV);
        Path subs = dir.resolve("subs.json");
        Files.writeString(subs, """
                [{"check_id": 1, "user_id": 7, "method": "email_plugin_notify", "threshold": 1, "status": 0},
                 {"check_id": 2, "user_id": 7, "method": "pagerduty_plugin_notify", "threshold": 2, "status": 1}]
                """);
        TattleImporter.Result r = TattleImporter.importFiles(checks, subs, new TattleImporter.Options(120, "pager"));
        assertThat(r.imported()).isEqualTo(4);
        assertThat(r.warnings()).hasSize(1);
        assertThat(r.warnings().get(0)).startsWith("check 4 (Bad order): skipped: condition.warn: warn (10) is above "
                + "crit (5)");
        List<io.tally.alerting.AlertDefinition> defs = io.tally.alerting.DefinitionParserAccess.parse(r.yaml());
        io.tally.alerting.AlertDefinition api = defs.get(0);
        assertThat(api.id()).isEqualTo("api-errors");
        assertThat(api.targetFor("x")).isEqualTo("movingAverage(sumSeries(apps.*.errors,apps.*.fails),'600s')");
        assertThat(api.reduce().label()).isEqualTo("last");
        assertThat(api.offsetSeconds()).isEqualTo(120);
        assertThat(api.repeatSeconds()).isEqualTo(1800);
        assertThat(api.condition().crit()).isEqualTo(20);
        assertThat(api.series()).isEqualTo(io.tally.alerting.AlertDefinition.SeriesMode.FIRST);
        assertThat(api.noData().kind()).isEqualTo(io.tally.alerting.AlertDefinition.PolicyKind.KEEP_LAST);
        assertThat(api.subscriptions()).singleElement().satisfies(n -> {
            assertThat(n.ref()).isEqualTo("pager");
            assertThat(n.states()).containsExactly(io.tally.alerting.State.CRITICAL);
        });
        io.tally.alerting.AlertDefinition disk = defs.get(1);
        assertThat(disk.condition().direction()).isEqualTo(io.tally.alerting.AlertDefinition.Direction.BELOW);
        assertThat(disk.targetFor("x")).isEqualTo("servers.db1.disk.free"); // sample 1: unchanged (Tattle #31)
        assertThat(disk.reduce().label()).isEqualTo("median");
        assertThat(disk.visibility()).isEqualTo("private");
        assertThat(disk.active()).hasSize(1);
        assertThat(disk.subscriptions().get(0).enabled()).isFalse();
        io.tally.alerting.AlertDefinition orders = defs.get(2); // predictive, over_under 2 (Both), default regression
        assertThat(orders.predictive()).isEqualTo(
                new io.tally.alerting.AlertDefinition.Predictive("weekly", 7 * 86_400L, 4, false));
        assertThat(orders.condition().direction()).isEqualTo(io.tally.alerting.AlertDefinition.Direction.BOTH);
        assertThat(orders.condition().warn()).isEqualTo(2);
        assertThat(orders.condition().crit()).isEqualTo(3);
        assertThat(orders.targetFor("x")).isEqualTo("shop.orders"); // raw target, reduced per window
        assertThat(orders.windowSeconds()).isEqualTo(1800);
        assertThat(orders.reduce().label()).isEqualTo("avg");
        io.tally.alerting.AlertDefinition dup = defs.get(3);
        assertThat(dup.id()).isEqualTo("api-errors-5"); // the same name twice
        assertThat(dup.enabled()).isFalse();
        assertThat(dup.targetFor("x")).isEqualTo("movingMedian(other.target,'600s')");
    }

    @Test
    void slugsAreValidIds() {
        assertThat(TattleImporter.slug("CPU load (web) – 95th!")).isEqualTo("cpu-load-web-95th");
        assertThat(TattleImporter.slug("self")).isEqualTo("tattle-self");
        assertThat(TattleImporter.slug("!!!")).isEqualTo("tattle-");
    }

    @Test
    void csvHandlesQuotesAndCrLf() {
        List<Map<String, String>> rows = TattleImporter.rows("a,b\r\n\"x,\"\"y\"\"\",2\r\n");
        assertThat(rows).containsExactly(Map.of("a", "x,\"y\"", "b", "2"));
    }
}
