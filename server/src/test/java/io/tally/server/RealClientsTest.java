package io.tally.server;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import com.codahale.metrics.graphite.Graphite;
import com.codahale.metrics.graphite.GraphiteReporter;
import com.codahale.metrics.graphite.GraphiteSender;
import com.codahale.metrics.graphite.GraphiteUDP;
import com.codahale.metrics.graphite.PickledGraphite;
import io.micrometer.core.instrument.Tags;
import io.micrometer.graphite.GraphiteConfig;
import io.micrometer.graphite.GraphiteMeterRegistry;
import io.micrometer.graphite.GraphiteProtocol;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/**
 * End to end with the real client libraries people point at Graphite: Dropwizard's GraphiteReporter over plaintext
 * TCP, UDP and pickle, and Micrometer's GraphiteMeterRegistry over plaintext and pickle with both of its name
 * mappings (Graphite tags, and hierarchical names with tags as prefix). Everything is read back over HTTP with
 * /render and /metrics/find from one in-process Tally on ephemeral ports.
 */
class RealClientsTest {
    @TempDir
    static Path dir;

    private static EmbeddedTally tally;
    private static TallyHttp http;

    @BeforeAll
    static void start() throws Exception {
        tally = EmbeddedTally.start(dir);
        http = tally.http();
    }

    @AfterAll
    static void stop() {
        if (tally != null) {
            tally.close();
        }
    }

    enum DropwizardSender { PLAINTEXT, UDP, PICKLE }

    private static GraphiteSender sender(DropwizardSender kind) {
        return switch (kind) {
            case PLAINTEXT -> new Graphite("127.0.0.1", tally.plaintextTcpPort());
            case UDP -> new GraphiteUDP("127.0.0.1", tally.plaintextUdpPort());
            case PICKLE -> new PickledGraphite("127.0.0.1", tally.picklePort());
        };
    }

    @ParameterizedTest
    @EnumSource(DropwizardSender.class)
    void dropwizardReporterCounterGaugeAndTimerArriveUnderDropwizardNames(DropwizardSender kind) throws Exception {
        String prefix = "itest.dw." + kind.name().toLowerCase(Locale.ROOT);
        MetricRegistry registry = new MetricRegistry();
        Counter requests = registry.counter("requests");
        requests.inc(7);
        registry.gauge("queue.depth", () -> () -> 12.5);
        Timer latency = registry.timer("latency");
        latency.update(40, TimeUnit.MILLISECONDS);
        latency.update(40, TimeUnit.MILLISECONDS);
        latency.update(40, TimeUnit.MILLISECONDS);
        try (GraphiteReporter reporter = GraphiteReporter.forRegistry(registry).prefixedWith(prefix)
                .convertDurationsTo(TimeUnit.MILLISECONDS).convertRatesTo(TimeUnit.SECONDS).build(sender(kind))) {
            reporter.report();
        }

        Map<String, Double> expected = Map.of(
                prefix + ".requests.count", 7.0,
                prefix + ".queue.depth", 12.5,
                prefix + ".latency.count", 3.0,
                prefix + ".latency.max", 40.0,
                prefix + ".latency.min", 40.0,
                prefix + ".latency.p99", 40.0);
        String[] targets = expected.keySet().toArray(new String[0]);
        Map<String, Double> got = Await.until(kind + " points in /render", () -> http.latest(targets),
                m -> m.keySet().containsAll(expected.keySet()));
        assertThat(got).containsAllEntriesOf(expected);

        // the hierarchy Dropwizard builds, as Grafana's tree browser sees it
        assertThat(http.find(prefix + ".*")).contains(
                new TallyHttp.Node(prefix + ".latency", false),
                new TallyHttp.Node(prefix + ".queue", false),
                new TallyHttp.Node(prefix + ".requests", false));
        assertThat(http.find(prefix + ".latency.*")).extracting(TallyHttp.Node::id).contains(
                prefix + ".latency.count", prefix + ".latency.max", prefix + ".latency.mean",
                prefix + ".latency.p50", prefix + ".latency.p999", prefix + ".latency.m1_rate",
                prefix + ".latency.mean_rate");
        assertThat(http.find(prefix + ".requests.count")).containsExactly(
                new TallyHttp.Node(prefix + ".requests.count", true));
    }

    /** A GraphiteConfig for a registry that only reports when closed (the step is far longer than the test). */
    private static GraphiteConfig micrometerConfig(GraphiteProtocol protocol, int port, String... tagsAsPrefix) {
        return new GraphiteConfig() {
            @Override
            public String get(String key) {
                return null;
            }

            @Override
            public String host() {
                return "127.0.0.1";
            }

            @Override
            public int port() {
                return port;
            }

            @Override
            public GraphiteProtocol protocol() {
                return protocol;
            }

            @Override
            public Duration step() {
                return Duration.ofHours(1);
            }

            @Override
            public String[] tagsAsPrefix() {
                return tagsAsPrefix;
            }
        };
    }

    /** Registers a counter (3), a gauge (42) and a timer (two 250 ms samples) and flushes them by closing. */
    private static void publishMicrometer(GraphiteConfig cfg, String app) {
        GraphiteMeterRegistry registry = new GraphiteMeterRegistry(cfg, io.micrometer.core.instrument.Clock.SYSTEM);
        registry.config().commonTags("app", app);
        io.micrometer.core.instrument.Counter.builder("orders.placed").tags("region", "eu-west", "shop", "web")
                .register(registry).increment(3);
        registry.gauge("queue.size", Tags.of("queue", "inbound"), new AtomicInteger(42));
        io.micrometer.core.instrument.Timer t = io.micrometer.core.instrument.Timer.builder("http.latency")
                .tag("uri", "/api/orders").register(registry);
        t.record(Duration.ofMillis(250));
        t.record(Duration.ofMillis(250));
        registry.close(); // the reporter's final report
    }

    @ParameterizedTest
    @EnumSource(value = GraphiteProtocol.class, names = {"PLAINTEXT", "PICKLED"})
    void micrometerWithGraphiteTagsArrivesAsCanonicalTaggedSeries(GraphiteProtocol protocol) throws Exception {
        String app = "itest-mm-tags-" + protocol.name().toLowerCase(Locale.ROOT);
        int port = protocol == GraphiteProtocol.PICKLED ? tally.picklePort() : tally.plaintextTcpPort();
        publishMicrometer(micrometerConfig(protocol, port), app);

        // Micrometer sends "orders.placed;app=..;region=..;shop=..;metricattribute=count"; Tally stores the
        // canonical form with the tags sorted, as carbon does
        String counter = "orders.placed;app=" + app + ";metricattribute=count;region=eu-west;shop=web";
        String gauge = "queue.size;app=" + app + ";queue=inbound";
        String timerMax = "http.latency;app=" + app + ";metricattribute=max;uri=/api/orders";
        String timerCount = "http.latency;app=" + app + ";metricattribute=count;uri=/api/orders";
        Map<String, Double> got = Await.until(protocol + " tagged points in /render",
                () -> http.latest(counter, gauge, timerMax, timerCount), m -> m.size() == 4);
        assertThat(got).containsOnly(
                entry(counter, 3.0), entry(gauge, 42.0), entry(timerMax, 250.0), entry(timerCount, 2.0));

        TallyHttp.Series s = http.render("-10min", null, counter).get(counter);
        assertThat(s.tags()).containsExactly(entry("app", app), entry("metricattribute", "count"),
                entry("name", "orders.placed"), entry("region", "eu-west"), entry("shop", "web"));
        assertThat(http.find(counter)).containsExactly(new TallyHttp.Node(counter, true));
        // tagged series are not in the dotted tree (as in graphite-web without a tagged tree)
        assertThat(http.find("orders.*")).isEmpty();
    }

    @Test
    void micrometerHierarchicalNamesWithTagsAsPrefixOverPickle() throws Exception {
        publishMicrometer(micrometerConfig(GraphiteProtocol.PICKLED, tally.picklePort(), "app"), "itest-mm-hier");

        // hierarchical mapping: common tag "app" first, camelCase meter name, then tag keys and values as nodes
        String base = "itest-mm-hier.";
        Map<String, Double> expected = Map.of(
                base + "ordersPlaced.region.eu-west.shop.web.count", 3.0,
                base + "queueSize.queue.inbound", 42.0,
                base + "httpLatency.uri._api_orders.count", 2.0,
                base + "httpLatency.uri._api_orders.max", 250.0);
        Map<String, Double> got = Await.until("hierarchical points in /render",
                () -> http.latest(base + "*.*.*.*.*.count", base + "queueSize.*.*", base + "httpLatency.uri.*.{count,max}"),
                m -> m.keySet().containsAll(expected.keySet()));
        assertThat(got).containsAllEntriesOf(expected);
        assertThat(http.find(base + "*")).extracting(TallyHttp.Node::id)
                .containsExactly(base + "httpLatency", base + "ordersPlaced", base + "queueSize");
        assertThat(http.find(base + "httpLatency.uri.*")).containsExactly(
                new TallyHttp.Node(base + "httpLatency.uri._api_orders", false));
        List<TallyHttp.Node> leaves = http.find(base + "ordersPlaced.region.eu-west.shop.web.*");
        assertThat(leaves).contains(new TallyHttp.Node(base + "ordersPlaced.region.eu-west.shop.web.count", true),
                new TallyHttp.Node(base + "ordersPlaced.region.eu-west.shop.web.mean_rate", true));
    }
}
