package io.tally.alerting;

import io.tally.engine.util.MetricsRegistry;
import io.tally.engine.util.RateLimitedLog;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Webhook notifications: a JSON POST per subscription, sent asynchronously with {@link HttpClient} (its own
 * threads, never the evaluator's), {@code timeoutMillis} per attempt, up to {@code attempts} attempts with doubling
 * backoff scheduled on one timer thread. A 2xx answer is success; anything else or a transport error is retried.
 * Payload fields: alert, region, series, state, previous, repeat, value, warn, crit, text, summary, evaluated_at, url.
 */
public final class WebhookNotifier implements Notifier, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookNotifier.class);

    private final Map<String, String> named;
    private final String baseUrl;
    private final long timeoutMillis;
    private final int attempts;
    private final long backoffMillis;
    private final HttpClient client;
    private final ScheduledExecutorService timer;
    private final RateLimitedLog warn = new RateLimitedLog(LOG);
    private final LongAdder sent;
    private final LongAdder failed;
    private final LongAdder retried;

    public WebhookNotifier(AlertingConfig cfg, MetricsRegistry metrics) {
        this.named = cfg.webhooks();
        this.baseUrl = cfg.apiBaseUrl();
        this.timeoutMillis = cfg.webhookTimeoutMillis();
        this.attempts = cfg.webhookAttempts();
        this.backoffMillis = cfg.webhookBackoffMillis();
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tally-alert-webhook");
            t.setDaemon(true);
            return t;
        });
        this.client = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(timeoutMillis))
                .followRedirects(HttpClient.Redirect.NEVER).build();
        this.sent = metrics.counter("alerting.notifications.sent");
        this.failed = metrics.counter("alerting.notifications.failed");
        this.retried = metrics.counter("alerting.notifications.retries");
    }

    @Override
    public void send(AlertDefinition.Notify to, Report r, State previous, boolean repeat) {
        String url = to.url() != null ? to.url() : named.get(to.ref());
        if (url == null) {
            warn.warn("alert {}: no webhook named '{}' is configured", r.alert(), to.ref());
            failed.increment();
            return;
        }
        byte[] body = payload(r, previous, repeat).encode().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        HttpRequest req = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMillis(timeoutMillis))
                .header("Content-Type", "application/json").header("User-Agent", "tally-alerting")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        attempt(req, 1, r.alert());
    }

    private void attempt(HttpRequest req, int n, String alert) {
        client.sendAsync(req, HttpResponse.BodyHandlers.discarding()).whenComplete((resp, err) -> {
            if (err == null && resp.statusCode() / 100 == 2) {
                sent.increment();
                return;
            }
            String why = err != null ? err.toString() : "HTTP " + resp.statusCode();
            if (n >= attempts || timer.isShutdown()) {
                failed.increment();
                warn.warn("alert {}: webhook {} failed after {} attempts: {}", alert, req.uri(), n, why);
                return;
            }
            retried.increment();
            long delay = backoffMillis << Math.min(n - 1, 16);
            timer.schedule(() -> attempt(req, n + 1, alert), delay, TimeUnit.MILLISECONDS);
        });
    }

    JsonObject payload(Report r, State previous, boolean repeat) {
        Snapshot s = r.snapshot();
        AlertDefinition d = r.definition();
        JsonObject j = new JsonObject().put("alert", r.alert()).put("region", r.region())
                .put("series", s == null ? null : s.seriesName()).put("state", r.state().name())
                .put("real_state", r.realState().name()).put("previous", previous.name()).put("repeat", repeat)
                .put("value", s == null || Double.isNaN(s.value()) ? null : s.value())
                .put("warn", JsonMaps.threshold(d.condition(), false))
                .put("crit", JsonMaps.threshold(d.condition(), true))
                .put("name", d.name()).put("group", d.group())
                .put("text", NagiosFormat.body(r, r.state(), false).lines().findFirst().orElse(""))
                .put("evaluated_at", s == null || s.evaluatedAt() == 0 ? null
                        : Instant.ofEpochMilli(s.evaluatedAt()).toString());
        if (s != null && !s.missingRegions().isEmpty()) {
            j.put("missing_regions", new JsonObject(new java.util.LinkedHashMap<>(s.missingRegions())));
        }
        String summary = d.annotations().get("summary");
        if (summary != null) {
            j.put("summary", NagiosFormat.summary(summary, r));
        }
        if (!baseUrl.isEmpty()) {
            j.put("url", baseUrl + "/alerting/api/v1/alerts/" + r.alert() + "/instances/" + r.region());
        }
        return j;
    }

    @Override
    public void close() {
        timer.shutdownNow();
        client.shutdownNow();
    }
}
