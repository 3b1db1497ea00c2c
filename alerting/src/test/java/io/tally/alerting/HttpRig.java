package io.tally.alerting;

import io.tally.engine.util.MetricsRegistry;
import io.tally.query.GraphiteHttpServer;
import io.tally.query.QueryLimits;
import io.tally.query.QueryServer;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/** Tally's real HTTP server with the alerting routes mounted, over a real engine; no scheduler thread. */
final class HttpRig implements AutoCloseable {
    static final String TOKEN = "s3cret";

    final TestStore store;
    final Path alerts;
    final AlertingService service;
    final QueryServer server;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    HttpRig(Path dir, String alertsYaml, Map<String, String> webhooks) throws Exception {
        store = new TestStore(dir.resolve("storage"), Rig.T0);
        alerts = dir.resolve("alerts.yaml");
        Files.writeString(alerts, alertsYaml);
        AlertingConfig cfg = AlertingConfig.defaults(alerts).withEvaluateAllRegions(true).withWebhooks(webhooks)
                .withWebhookRetry(2_000, 3, 10);
        service = AlertingService.create(cfg, store.renderer, store.clock, new MetricsRegistry(), dir.resolve("data"),
                "r1", List.of("r1", "r2"));
        server = QueryServer.start(store.engine, store.clock, QueryLimits.defaults(),
                new GraphiteHttpServer.Settings("127.0.0.1", 0, "r1", ZoneOffset.UTC, 1 << 20, TOKEN),
                new MetricsRegistry(), List.of(service.httpExtension()));
    }

    int port() {
        return server.port();
    }

    void run() {
        service.engine().runDue(store.clock.currentTimeMillis());
    }

    HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> send(String method, String path, String body, boolean token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (token) {
            b.header("Authorization", "Bearer " + TOKEN);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() throws Exception {
        server.close();
        service.close();
        store.close();
    }
}
