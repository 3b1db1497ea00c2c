package io.tally.server;

import io.tally.engine.util.ManualClock;
import io.tally.engine.util.MetricsRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TallyServerTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TempDir
    Path dir;

    private final List<String> events = new CopyOnWriteArrayList<>();

    /** A receiver that really binds a TCP port, and on stop records what /health said at that moment. */
    final class SocketReceiver implements Receiver {
        final String name;
        final int port;
        final TallyServer[] server;
        ServerSocket socket;

        SocketReceiver(String name, int port, TallyServer[] server) {
            this.name = name;
            this.port = port;
            this.server = server;
        }

        @Override
        public void start() throws IOException {
            socket = new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
            events.add(name + ".start");
        }

        @Override
        public void stop() {
            if (socket == null) {
                return;
            }
            events.add(name + ".stop health=" + health(server[0]));
            try {
                socket.close();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            socket = null;
        }
    }

    private static int health(TallyServer s) {
        if (s.httpPort() < 0) {
            return -1;
        }
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.httpPort() + "/health"))
                    .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException | InterruptedException e) {
            return -1;
        }
    }

    private ServerConfig config(int httpPort, int carbonPort) throws ConfigException {
        return config(httpPort, carbonPort, Map.of());
    }

    private ServerConfig config(int httpPort, int carbonPort, Map<String, String> extra) throws ConfigException {
        Map<String, String> settings = new HashMap<>(Map.of(
                "http.host", "127.0.0.1", "http.port", String.valueOf(httpPort),
                "carbon.port", String.valueOf(carbonPort), "data-dir", dir.toString(),
                "self-metrics.interval", "0"));
        settings.putAll(extra);
        return ServerConfig.load(null, Map.of("HOSTNAME", "test"), settings);
    }

    private TallyServer server(ServerConfig cfg, List<FakeEngine> engines) {
        TallyServer[] self = new TallyServer[1];
        self[0] = new TallyServer(cfg, (c, m) -> {
            FakeEngine e = new FakeEngine(events, 64 << 10);
            engines.add(e);
            events.add("engine.open");
            return e;
        }, (c, sink, m) -> c.carbonPort() < 0 ? List.of()
                : List.of(new ReceiverBinding("carbon.port", c.carbonPort(),
                new SocketReceiver("carbon", c.carbonPort(), self))),
                new MetricsRegistry(), new ManualClock(1_000_000));
        return self[0];
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void startsInOrderAndStopsDrainingFirstAndTheEngineLast() throws Exception {
        List<FakeEngine> engines = new ArrayList<>();
        TallyServer s = server(config(0, freePort()), engines);
        s.start();
        assertThat(health(s)).isEqualTo(200);
        s.stop();
        assertThat(events).containsExactly("engine.open", "carbon.start", "carbon.stop health=503", "engine.close");
        assertThat(s.isRunning()).isFalse();
        assertThat(s.httpPort()).isEqualTo(-1);
        s.stop(); // idempotent
        assertThat(events).hasSize(4);
    }

    @Test
    void startsAndStopsTwiceOnTheSamePorts() throws Exception {
        List<FakeEngine> engines = new ArrayList<>();
        int http = freePort();
        int carbon = freePort();
        TallyServer s = server(config(http, carbon), engines);
        s.start();
        assertThat(s.httpPort()).isEqualTo(http);
        s.stop();
        s.start();
        assertThat(s.httpPort()).isEqualTo(http);
        assertThat(health(s)).isEqualTo(200);
        s.stop();
        TallyServer other = server(config(http, carbon), engines);
        other.start();
        assertThat(health(other)).isEqualTo(200);
        other.stop();
        assertThat(engines).hasSize(3).allSatisfy(e -> assertThat(e.closed).isTrue());
    }

    @Test
    void aTakenHttpPortIsReportedByKeyAndEverythingStartedIsStopped() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            List<FakeEngine> engines = new ArrayList<>();
            TallyServer s = server(config(port, freePort()), engines);
            assertThatThrownBy(s::start).isInstanceOf(StartupException.class)
                    .hasMessage("http.port " + port + " is in use");
            assertThat(events).containsExactly("engine.open", "carbon.start", "carbon.stop health=-1",
                    "engine.close");
            assertThat(s.isRunning()).isFalse();
        }
    }

    @Test
    void aTakenReceiverPortIsReportedByItsKey() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            TallyServer s = server(config(0, port), new ArrayList<>());
            assertThatThrownBy(s::start).hasMessage("carbon.port " + port + " is in use");
            assertThat(events).containsExactly("engine.open", "engine.close");
        }
    }

    @Test
    void anEngineThatCannotOpenIsReportedWithTheDataDir() throws Exception {
        TallyServer s = new TallyServer(config(0, -1), (c, m) -> {
            throw new IOException("disk on fire");
        }, (c, sink, m) -> List.of(), new MetricsRegistry(), new ManualClock(1));
        assertThatThrownBy(s::start).hasMessage("cannot open storage in data-dir " + dir + ": disk on fire");
    }

    private static HttpResponse<String> tagSeries(TallyServer s, String token) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.httpPort() + "/tags/tagSeries"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString("path=a.b%3By%3D2%3Bx%3D1")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theApiTokenGuardsTheTagWriteApi() throws Exception {
        TallyServer open = server(config(0, -1), new ArrayList<>());
        open.start();
        try {
            assertThat(tagSeries(open, "t0k").statusCode()).isEqualTo(403);
        } finally {
            open.stop();
        }
        TallyServer guarded = server(config(0, -1, Map.of("api.token", "t0k")), new ArrayList<>());
        guarded.start();
        try {
            assertThat(tagSeries(guarded, "other").statusCode()).isEqualTo(401);
            HttpResponse<String> ok = tagSeries(guarded, "t0k");
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.body()).isEqualTo("\"a.b;x=1;y=2\"");
        } finally {
            guarded.stop();
        }
    }

    @Test
    void theReporterWritesIntoTheEngine() throws Exception {
        List<FakeEngine> engines = new ArrayList<>();
        TallyServer s = server(config(0, -1), engines);
        s.start();
        try {
            s.reporter().tick();
            assertThat(engines.get(0).points).extracting(FakeEngine.Point::name)
                    .contains("tally.agents.test.storage.backlog_bytes", "tally.agents.test.uptime_seconds",
                            "tally.agents.test.http.render.requests");
        } finally {
            s.stop();
        }
    }

    @Test
    void alertDefinitionsFromAlertingPathAreServedWithThePagesOnTheHttpPort() throws Exception {
        Path alerts = dir.resolve("alerts.yaml");
        java.nio.file.Files.writeString(alerts, """
                alerts:
                  - id: cpu-high
                    query: {target: 'averageSeries(app.${region}.*.cpu)', window: 5m}
                    reduce: avg
                    condition: {direction: above, warn: 50, crit: 80}
                """);
        TallyServer s = server(config(0, -1, Map.of("alerting.path", alerts.toString(), "region", "eu")),
                new ArrayList<>());
        s.start();
        try {
            String base = "http://127.0.0.1:" + s.httpPort();
            HttpResponse<String> list = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/alerting/api/v1/alerts"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(list.statusCode()).isEqualTo(200);
            assertThat(list.body()).contains("\"id\":\"cpu-high\"").contains("\"region\":\"eu\"");
            HttpResponse<String> unknown = HTTP.send(HttpRequest.newBuilder(
                    URI.create(base + "/alerting/nagios/nope/eu")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(unknown.statusCode()).isEqualTo(500);
            assertThat(unknown.body()).startsWith("UNKNOWN: nope[eu] no such alert");
            HttpResponse<String> board = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/ui/alerts")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(board.statusCode()).isEqualTo(200);
        } finally {
            s.stop();
        }
        assertThat(dir.resolve("alerting/state.json")).exists();
    }

    @Test
    void badAlertDefinitionsStopStartUpNamingTheKeyAndTheField() throws Exception {
        Path alerts = dir.resolve("alerts.yaml");
        java.nio.file.Files.writeString(alerts, """
                alerts:
                  - id: inverted
                    query: {target: 'a.b', window: 5m}
                    condition: {direction: above, warn: 90, crit: 10}
                """);
        TallyServer s = server(config(0, -1, Map.of("alerting.path", alerts.toString())), new ArrayList<>());
        assertThatThrownBy(s::start).isInstanceOf(StartupException.class)
                .hasMessageStartingWith("alerting.path: ")
                .hasMessageContaining("alerts.yaml")
                .hasMessageContaining("crit");
        assertThat(s.httpPort()).isEqualTo(-1);
    }
}
