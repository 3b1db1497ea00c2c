package io.tally.alerting;

import com.sun.net.httpserver.HttpServer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Webhooks reach a local receiver as JSON POSTs, retried after a failed attempt, filtered by state. */
class WebhookDeliveryTest {
    @TempDir
    Path dir;
    HttpServer receiver;
    final BlockingQueue<String> bodies = new LinkedBlockingQueue<>();
    final AtomicInteger attempts = new AtomicInteger();
    HttpRig rig;

    @BeforeEach
    void receiver() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            int n = attempts.incrementAndGet();
            boolean fail = n == 1; // the first attempt fails: the notifier must retry
            if (!fail) {
                bodies.add(ex.getRequestMethod() + " " + ex.getRequestHeaders().getFirst("Content-Type") + " " + body);
            }
            ex.sendResponseHeaders(fail ? 500 : 204, -1);
            ex.close();
        });
        receiver.start();
    }

    @AfterEach
    void stop() throws Exception {
        if (rig != null) {
            rig.close();
        }
        receiver.stop(0);
    }

    @Test
    void aStateChangeIsPostedWithRetries() throws Exception {
        String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
        rig = new HttpRig(dir, """
                alerts:
                  - {id: err, regions: [r1], query: {target: 'apps.${region}.errors', window: 5m},
                     condition: {direction: above, warn: 100, crit: 200},
                     annotations: {summary: "errors {{value}} in {{region}}"},
                     notify: [{ref: pager, states: [critical]}, {url: '%s', states: [warning]}]}
                """.formatted(url), Map.of("pager", url));
        double[] v = new double[10];
        java.util.Arrays.fill(v, 250);
        rig.store.series("apps.r1.errors", Rig.T0 - 600, v);
        rig.run();
        String got = bodies.poll(20, TimeUnit.SECONDS);
        assertThat(got).isNotNull().startsWith("POST application/json {");
        JsonObject j = new JsonObject(got.substring(got.indexOf('{')));
        assertThat(j.getString("alert")).isEqualTo("err");
        assertThat(j.getString("region")).isEqualTo("r1");
        assertThat(j.getString("state")).isEqualTo("CRITICAL");
        assertThat(j.getString("previous")).isEqualTo("OK");
        assertThat(j.getDouble("value")).isEqualTo(250.0);
        assertThat(j.getString("summary")).isEqualTo("errors 250 in r1");
        assertThat(j.getString("text")).startsWith("CRITICAL: err[r1] avg5m=250 >= crit 200");
        assertThat(attempts.get()).isEqualTo(2);
        assertThat(bodies.poll(200, TimeUnit.MILLISECONDS)).isNull(); // the warning-only subscription stayed quiet
    }

    @Test
    void anUnknownWebhookRefIsADefinitionError() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new HttpRig(dir, """
                alerts:
                  - {id: err, query: {target: a}, condition: {direction: above, crit: 1}, notify: [{ref: nope}]}
                """, Map.of())).isInstanceOf(DefinitionException.class).hasMessageContaining("err.notify[0].ref");
    }

    @Test
    void payloadCarriesTheLinkWhenABaseUrlIsSet() {
        AlertingConfig cfg = new AlertingConfig(null, 0, 1, true, Map.of(), "http://tally:8080", 1000, 1, 0,
                AlertingConfig.Limits.defaults());
        try (WebhookNotifier n = new WebhookNotifier(cfg, new io.tally.engine.util.MetricsRegistry())) {
            AlertDefinition d = Defs.one("{id: x, query: {target: a}, condition: {direction: above, crit: 1}}");
            Report r = new Report("x", "r1", d, Snapshot.INITIAL, State.UNKNOWN, State.UNKNOWN, "not evaluated yet",
                    null, false, null, null, 0);
            assertThat(n.payload(r, State.OK, false).getString("url"))
                    .isEqualTo("http://tally:8080/alerting/api/v1/alerts/x/instances/r1");
        }
    }

    @Test
    void aHungReceiverTimesOutAndTheRetrySucceeds() throws Exception {
        HttpServer slow = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        slow.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        slow.createContext("/hook", ex -> {
            ex.getRequestBody().readAllBytes();
            if (calls.incrementAndGet() == 1) {
                try {
                    release.await(30, TimeUnit.SECONDS); // never answers in time
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            } else {
                bodies.add("ok");
            }
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        slow.start();
        AlertingConfig cfg = new AlertingConfig(null, 0, 1, true, Map.of(), "", 300, 2, 10,
                AlertingConfig.Limits.defaults());
        try (WebhookNotifier n = new WebhookNotifier(cfg, new io.tally.engine.util.MetricsRegistry())) {
            AlertDefinition d = Defs.one("{id: x, query: {target: a}, condition: {direction: above, crit: 1}}");
            Report r = new Report("x", "r1", d, Snapshot.INITIAL, State.CRITICAL, State.CRITICAL, null, null, false,
                    null, null, 0);
            n.send(new AlertDefinition.Notify("webhook", null, "http://127.0.0.1:" + slow.getAddress().getPort()
                    + "/hook", java.util.Set.of(State.CRITICAL), true), r, State.OK, false);
            assertThat(bodies.poll(20, TimeUnit.SECONDS)).isEqualTo("ok");
            assertThat(calls.get()).isEqualTo(2);
        } finally {
            release.countDown();
            slow.stop(0);
        }
    }
}
