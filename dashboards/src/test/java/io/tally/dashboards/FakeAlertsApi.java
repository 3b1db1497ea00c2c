package io.tally.dashboards;

import io.tally.query.HttpExtension;
import io.tally.query.HttpHost;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Test-only stand-in for alerting's {@code GET /alerting/api/v1/alerts} (spec alerting.md §4.5): two alerts with
 * spec-shaped instance JSON, the first instance's state set by the test; {@link #disable} makes it answer 404 as a
 * Tally without alerting does. Counts the calls so tests can see a refresh happen.
 */
final class FakeAlertsApi implements HttpExtension {
    final AtomicReference<String> state = new AtomicReference<>("OK");
    final AtomicInteger calls = new AtomicInteger();
    final AtomicReference<String> lastQuery = new AtomicReference<>();
    private volatile boolean enabled = true;

    void disable() {
        enabled = false;
    }

    void enable() {
        enabled = true;
    }

    @Override
    public void mount(Router router, HttpHost host) {
        router.route("/alerting/api/v1/alerts").method(HttpMethod.GET).handler(ctx -> {
            calls.incrementAndGet();
            lastQuery.set(ctx.request().query());
            if (!enabled) {
                ctx.response().setStatusCode(404).putHeader("Content-Type", "text/plain; charset=utf-8").end("not found");
                return;
            }
            ctx.response().putHeader("Content-Type", "application/json").putHeader("Cache-Control", "no-store")
                    .end(body(state.get()));
        });
    }

    private static String body(String state) {
        int code = switch (state) {
            case "OK" -> 0;
            case "WARNING" -> 1;
            case "CRITICAL" -> 2;
            default -> 3;
        };
        double value = code == 2 ? 231.0 : code == 1 ? 142.3 : 12.1;
        return """
                {"alerts": [
                  {"id": "api-5xx-rate", "name": "API 5xx rate", "group": "checkout", "labels": {"team": "payments"},
                   "query": {"target": "apps.${region}.api.5xx", "scope": "local", "window": "10m"},
                   "reduce": "avg", "condition": {"direction": "above", "warn": 100, "crit": 200},
                   "instances": [
                     {"alert": "api-5xx-rate", "region": "%s", "series": null, "state": "%s", "exit_code": %d,
                      "raw_state": "%s", "value": %s, "warn": 100, "crit": 200, "direction": "above", "points": 10,
                      "since": "2026-11-22T08:00:00Z", "pending_since": null, "flapping": false,
                      "silenced_by": null, "acked_by": null, "evaluated_at": "2026-11-22T09:00:00Z",
                      "next_evaluation": "2026-11-22T09:01:00Z", "summary": "5xx %s/s in %s"}]},
                  {"id": "disk-free", "name": "Disk free", "group": "infra", "labels": {},
                   "query": {"target": "servers.${region}.disk.free", "scope": "local", "window": "5m"},
                   "reduce": "last", "condition": {"direction": "below", "warn": 20, "crit": 10},
                   "instances": [
                     {"alert": "disk-free", "region": "%s", "series": null, "state": "OK", "exit_code": 0,
                      "raw_state": "WARNING", "value": 15.5, "warn": 20, "crit": 10, "direction": "below", "points": 5,
                      "since": "2026-11-21T09:00:00Z", "pending_since": null, "flapping": false,
                      "silenced_by": "ops-maintenance", "acked_by": "alice", "evaluated_at": "2026-11-22T09:00:00Z",
                      "next_evaluation": "2026-11-22T09:01:00Z", "summary": "disk free 15.5%%"}]}
                ]}
                """.formatted(LiveTally.REGION, state, code, state, value, value, LiveTally.REGION, LiveTally.REGION);
    }
}
