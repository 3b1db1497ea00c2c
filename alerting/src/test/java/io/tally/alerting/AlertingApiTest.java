package io.tally.alerting;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The JSON API over real HTTP: CRUD with the token, hostile definitions, silences, acks, history, reload, dry run. */
class AlertingApiTest {
    static final String FILE = """
            alerts:
              - {id: file-alert, regions: [r1], group: web, labels: {team: ops},
                 query: {target: 'apps.${region}.errors', window: 5m},
                 condition: {direction: above, warn: 100, crit: 200}}
            """;

    @TempDir
    Path dir;
    HttpRig rig;

    @BeforeEach
    void start() throws Exception {
        rig = new HttpRig(dir, FILE, Map.of());
        double[] v = new double[10];
        java.util.Arrays.fill(v, 150);
        rig.store.series("apps.r1.errors", Rig.T0 - 600, v);
        rig.run();
    }

    @AfterEach
    void stop() throws Exception {
        rig.close();
    }

    static final String API_DEF = """
            {"query": {"target": "apps.${region}.errors", "window": "5m"}, "regions": ["r1"],
             "condition": {"direction": "above", "warn": 100, "crit": 140}}
            """;

    @Test
    void putNeedsTheTokenAndCreatesAnInstance() throws Exception {
        assertThat(rig.send("PUT", "/alerting/api/v1/alerts/api-alert", API_DEF, false).statusCode()).isEqualTo(401);
        HttpResponse<String> put = rig.send("PUT", "/alerting/api/v1/alerts/api-alert", API_DEF, true);
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        assertThat(new JsonObject(put.body()).getString("source")).isEqualTo("api");
        rig.run();
        JsonObject inst = new JsonObject(rig.get("/alerting/api/v1/alerts/api-alert/instances/r1").body());
        assertThat(inst.getString("state")).isEqualTo("CRITICAL");
        assertThat(inst.getInteger("exit_code")).isEqualTo(2);
        assertThat(inst.getDouble("value")).isEqualTo(150.0);
        assertThat(inst.getString("direction")).isEqualTo("above");
        assertThat(inst.fieldNames()).contains("alert", "region", "series", "raw_state", "warn", "crit", "points",
                "since", "pending_since", "flapping", "silenced_by", "acked_by", "evaluated_at", "next_evaluation",
                "summary");
        assertThat(rig.send("DELETE", "/alerting/api/v1/alerts/api-alert", null, true).statusCode()).isEqualTo(200);
        assertThat(rig.get("/alerting/api/v1/alerts/api-alert").statusCode()).isEqualTo(404);
    }

    @Test
    void hostileDefinitionsAreRejectedNamingTheField() throws Exception {
        String[][] cases = {
                {"{\"query\": {\"target\": \"a.b\", \"window\": \"3650d\"}, \"condition\": {\"direction\": \"above\", "
                        + "\"crit\": 1}}", "query.window"},
                {"{\"name\": \"x\\r\\nX-Evil: 1\", \"query\": {\"target\": \"a.b\"}, \"condition\": {\"direction\": "
                        + "\"above\", \"crit\": 1}}", "name"},
                {"{\"query\": {\"target\": \"a.b\"}, \"condition\": {\"direction\": \"below\", \"warn\": 1, "
                        + "\"crit\": 5}}", "condition.warn"},
                {"{\"query\": {\"target\": \"a.b\"}, \"condition\": {\"direction\": \"above\", \"crit\": 1}, "
                        + "\"shell\": \"rm -rf\"}", "shell"},
                {"{\"query\": {\"target\": \"sumSeries(regions.*.a)\", \"scope\": \"federated\"}, "
                        + "\"condition\": {\"direction\": \"above\", \"crit\": 1}}", "query.scope"}, // no federation
        };
        for (String[] c : cases) {
            HttpResponse<String> r = rig.send("PUT", "/alerting/api/v1/alerts/bad", c[0], true);
            assertThat(r.statusCode()).as(c[1]).isEqualTo(400);
            JsonObject j = new JsonObject(r.body());
            assertThat(j.getString("field")).isEqualTo(c[1]);
            assertThat(j.getString("error")).contains(c[1]);
        }
        assertThat(rig.send("PUT", "/alerting/api/v1/alerts/Bad%20Id", API_DEF, true).statusCode()).isEqualTo(400);
        assertThat(rig.send("PUT", "/alerting/api/v1/alerts/file-alert", API_DEF, true).statusCode()).isEqualTo(400);
    }

    @Test
    void listFiltersByGroupLabelAndState() throws Exception {
        JsonArray all = new JsonObject(rig.get("/alerting/api/v1/alerts").body()).getJsonArray("alerts");
        assertThat(all).hasSize(1);
        assertThat(new JsonObject(rig.get("/alerting/api/v1/alerts?group=db").body()).getJsonArray("alerts"))
                .isEmpty();
        assertThat(new JsonObject(rig.get("/alerting/api/v1/alerts?label=team:ops&state=warning").body())
                .getJsonArray("alerts")).hasSize(1);
        assertThat(new JsonObject(rig.get("/alerting/api/v1/alerts?state=critical").body())
                .getJsonArray("alerts")).isEmpty();
    }

    @Test
    void silencesMatchAndExpire() throws Exception {
        String body = "{\"matchers\": [\"alert=file-alert\", {\"name\": \"region\", \"op\": \"=~\", \"value\": \"r.*\"}],"
                + " \"duration\": \"1h\", \"created_by\": \"ops\", \"comment\": \"deploy\"}";
        assertThat(rig.send("POST", "/alerting/api/v1/silences", body, false).statusCode()).isEqualTo(401);
        HttpResponse<String> r = rig.send("POST", "/alerting/api/v1/silences", body, true);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        String id = new JsonObject(r.body()).getString("id");
        HttpResponse<String> n = rig.get("/alerting/nagios/file-alert/r1");
        assertThat(n.statusCode()).isEqualTo(200);
        assertThat(n.headers().firstValue("X-Tally-Real-State")).hasValue("WARNING");
        assertThat(new JsonObject(rig.get("/alerting/api/v1/alerts/file-alert/instances/r1").body())
                .getString("silenced_by")).isEqualTo(id);
        rig.store.clock.advanceSeconds(3601);
        rig.run();
        assertThat(rig.get("/alerting/nagios/file-alert/r1").statusCode()).isEqualTo(429); // WARNING again
        assertThat(rig.send("POST", "/alerting/api/v1/silences", "{\"matchers\": [\"alert=x\"], \"created_by\": "
                + "\"a\", \"comment\": \"b\"}", true).statusCode()).isEqualTo(400); // no end
    }

    @Test
    void anAckLastsUntilTheStateChanges() throws Exception {
        HttpResponse<String> a = rig.send("POST", "/alerting/api/v1/alerts/file-alert/instances/r1/ack",
                "{\"by\": \"alice\", \"comment\": \"looking\", \"expires\": \"1h\"}", true);
        assertThat(a.statusCode()).as(a.body()).isEqualTo(200);
        assertThat(rig.get("/alerting/nagios/file-alert/r1").statusCode()).isEqualTo(200);
        double[] v = new double[10];
        java.util.Arrays.fill(v, 250);
        rig.store.clock.advanceSeconds(60);
        rig.store.series("apps.r1.errors", Rig.T0 - 540, v);
        rig.run();
        HttpResponse<String> n = rig.get("/alerting/nagios/file-alert/r1");
        assertThat(n.statusCode()).isEqualTo(503); // CRITICAL is a new state: the ack no longer applies
    }

    @Test
    void historyAsTransitionsAndAsGraphiteEvents() throws Exception {
        JsonArray ts = new JsonObject(rig.get("/alerting/api/v1/alerts/file-alert/instances/r1/history?from=-1d")
                .body()).getJsonArray("transitions");
        assertThat(ts).hasSize(1);
        assertThat(ts.getJsonObject(0).getString("from")).isEqualTo("OK");
        assertThat(ts.getJsonObject(0).getString("to")).isEqualTo("WARNING");
        JsonArray ev = new JsonArray(rig.get("/alerting/api/v1/alerts/file-alert/instances/r1/history?format=events")
                .body());
        JsonObject e = ev.getJsonObject(0);
        assertThat(e.getString("what")).isEqualTo("file-alert[r1] OK -> WARNING");
        assertThat(e.getLong("when")).isEqualTo(Rig.T0);
        assertThat(e.getString("data")).startsWith("WARNING : 150");
        assertThat(e.getJsonArray("tags").getList()).contains("alerts", "file-alert", "r1", "warning");
    }

    @Test
    void transitionsAreGraphiteEventsForGrafana() throws Exception {
        rig.service.awaitEvents();
        JsonArray ev = new JsonArray(rig.get("/events/get_data?tags=alerts&from=-2h&until=now").body());
        assertThat(ev).hasSize(1);
        JsonObject e = ev.getJsonObject(0);
        assertThat(e.getString("what")).isEqualTo("file-alert[r1] OK -> WARNING");
        assertThat(e.getLong("when")).isEqualTo(Rig.T0);
        assertThat(e.getJsonArray("tags").getList()).contains("alerts", "file-alert", "r1", "warning");
    }

    @Test
    void aBadFileOnReloadKeepsThePreviousSetAndSaysWhichField() throws Exception {
        Files.writeString(rig.alerts, FILE.replace("warn: 100", "warn: 300"));
        HttpResponse<String> r = rig.send("POST", "/alerting/api/v1/reload", "", true);
        assertThat(r.statusCode()).isEqualTo(400);
        JsonObject j = new JsonObject(r.body());
        assertThat(j.getString("field")).isEqualTo("alerts[0].condition.warn");
        assertThat(j.getString("file")).isEqualTo(rig.alerts.toString());
        assertThat(rig.get("/alerting/api/v1/alerts/file-alert").statusCode()).isEqualTo(200);
        assertThat(rig.get("/alerting/nagios/self").statusCode()).isEqualTo(429); // self reports the bad file
        Files.writeString(rig.alerts, FILE.replace("warn: 100", "warn: 160"));
        assertThat(rig.send("POST", "/alerting/api/v1/reload", "", true).statusCode()).isEqualTo(200);
        assertThat(new JsonObject(rig.get("/alerting/api/v1/alerts/file-alert").body()).getDouble("warn"))
                .isEqualTo(160.0);
    }

    @Test
    void aDryRunShowsTheDecisionWithoutChangingState() throws Exception {
        HttpResponse<String> r = rig.send("POST", "/alerting/api/v1/alerts/trial/test?region=r1", API_DEF, true);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonObject j = new JsonObject(r.body());
        assertThat(j.getString("decision")).isEqualTo("CRITICAL");
        assertThat(j.getInteger("points")).isEqualTo(5);
        assertThat(j.getString("target")).isEqualTo("apps.r1.errors");
        assertThat(rig.get("/alerting/api/v1/alerts/trial").statusCode()).isEqualTo(404);
        JsonObject stored = new JsonObject(rig.send("POST", "/alerting/api/v1/alerts/file-alert/test", "", true)
                .body());
        assertThat(stored.getString("decision")).isEqualTo("WARNING");
    }
}
