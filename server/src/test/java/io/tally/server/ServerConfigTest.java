package io.tally.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ServerConfigTest {
    private static final Map<String, String> ENV = Map.of("HOSTNAME", "box1.example.com");

    @TempDir
    Path dir;

    private Path yaml(String text) throws IOException {
        Path f = dir.resolve("tally.yaml");
        Files.writeString(f, text);
        return f;
    }

    @Test
    void defaultsAreDefinedInCode() throws Exception {
        ServerConfig c = ServerConfig.load(null, ENV, Map.of());
        assertThat(c.region()).isEqualTo("local");
        assertThat(c.dataDir()).isEqualTo(Path.of("./tally-data"));
        assertThat(c.httpPort()).isEqualTo(8080);
        assertThat(c.carbonPort()).isEqualTo(2003);
        assertThat(c.carbonUdp()).isTrue();
        assertThat(c.picklePort()).isEqualTo(2004);
        assertThat(c.storageSchemas()).isEmpty();
        assertThat(c.walSyncInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.checkpointInterval()).isEqualTo(Duration.ofMinutes(5));
        assertThat(c.maxBacklogBytes()).isEqualTo(16L << 20);
        assertThat(c.maxFuture()).isEqualTo(Duration.ofDays(1));
        assertThat(c.ingestMaxLineLength()).isEqualTo(16 << 10);
        assertThat(c.pickleMaxFrameBytes()).isEqualTo(1 << 20);
        assertThat(c.selfMetricsPrefix()).isEqualTo("tally.agents.box1_example_com");
        assertThat(c.selfMetricsInterval()).isEqualTo(Duration.ofSeconds(60));
        assertThat(c.queryTimeZone()).isEqualTo(ZoneId.of("UTC"));
        assertThat(c.apiToken()).isEmpty();
    }

    @Test
    void renderCacheKeysDefaultToOffAndAreDocumented() throws Exception {
        ServerConfig c = ServerConfig.load(null, ENV, Map.of());
        assertThat(c.queryCacheTimeoutSeconds()).isZero();
        assertThat(c.queryCacheMaxBytes()).isEqualTo(64L << 20);
        assertThat(c.toYaml()).contains("  cache-timeout: 0s").contains("  cache-max-size: 64MiB");
        ServerConfig set = ServerConfig.load(null, ENV, Map.of("query.cache-timeout", "1m",
                "query.cache-max-size", "0"));
        assertThat(set.queryCacheTimeoutSeconds()).isEqualTo(60);
        assertThat(set.queryCacheMaxBytes()).isZero();
    }

    @Test
    void yamlAcceptsNestedAndFlatKeys() throws Exception {
        Path f = yaml("""
                region: eu-1
                http:
                  port: 9090
                storage.wal-sync-interval: 250ms
                storage:
                  schemas: /etc/tally/storage-schemas.conf
                  max-backlog: 128MiB
                carbon:
                  udp: false
                """);
        ServerConfig c = ServerConfig.load(f, ENV, Map.of());
        assertThat(c.region()).isEqualTo("eu-1");
        assertThat(c.httpPort()).isEqualTo(9090);
        assertThat(c.walSyncInterval()).isEqualTo(Duration.ofMillis(250));
        assertThat(c.storageSchemas()).contains(Path.of("/etc/tally/storage-schemas.conf"));
        assertThat(c.maxBacklogBytes()).isEqualTo(128L << 20);
        assertThat(c.carbonUdp()).isFalse();
    }

    @Test
    void precedenceIsFlagThenEnvironmentThenFileThenDefault() throws Exception {
        Path f = yaml("http: {port: 1111}\ncarbon: {port: 1112}\npickle: {port: 1113}\n");
        Map<String, String> env = Map.of("TALLY_HTTP_PORT", "2221", "TALLY_CARBON_PORT", "2222");
        Map<String, String> flags = Map.of("http.port", "3331");
        ServerConfig c = ServerConfig.load(f, env, flags);
        assertThat(c.httpPort()).isEqualTo(3331);
        assertThat(c.carbonPort()).isEqualTo(2222);
        assertThat(c.picklePort()).isEqualTo(1113);
        assertThat(c.queryMaxSeries()).isEqualTo(10_000);
    }

    @Test
    void environmentNamesUseUnderscoresForDotsAndDashes() throws Exception {
        ServerConfig c = ServerConfig.load(null, Map.of("TALLY_STORAGE_WAL_SYNC_INTERVAL", "2s",
                "TALLY_SELF_METRICS_PREFIX", "ops.tally", "TALLY_DATA_DIR", "/var/lib/tally",
                "TALLY_QUERY_MAX_FIND_RESULTS", ""), Map.of());
        assertThat(c.walSyncInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.selfMetricsPrefix()).isEqualTo("ops.tally");
        assertThat(c.dataDir()).isEqualTo(Path.of("/var/lib/tally"));
        assertThat(c.queryMaxFindResults()).isEqualTo(100_000); // empty variables are ignored
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "http.port|abc|http.port: expected a port number 0-65535, got 'abc' from command line",
            "http.port|70000|http.port: expected a port number 0-65535, got '70000' (must be between 0 and 65535) from command line",
            "carbon.port|-2|carbon.port: expected a port number 0-65535, or -1 to disable, got '-2' (must be between -1 and 65535) from command line",
            "storage.wal-sync-interval|1x|storage.wal-sync-interval: expected a duration like 500ms, 30s, 5m, 2h or 1d, got '1x' from command line",
            "storage.max-backlog|lots|storage.max-backlog: expected a size like 16KiB, 64MiB or 1GiB, got 'lots' from command line",
            "carbon.udp|maybe|carbon.udp: expected true or false, got 'maybe' from command line",
            "region|eu west|region: expected a name of letters, digits, '.', '_' or '-', got 'eu west' from command line",
            "query.time-zone|Mars/Base|query.time-zone: expected a time zone like UTC or Europe/Berlin, got 'Mars/Base' (Unknown time-zone ID: Mars/Base) from command line",
            "storage.shards|0|storage.shards: expected an integer, got '0' (must be between 1 and 256) from command line",
    })
    void badValuesNameTheKeyAndWhatIsExpected(String key, String value, String message) {
        assertThatThrownBy(() -> ServerConfig.load(null, ENV, Map.of(key, value)))
                .isInstanceOf(ConfigException.class).hasMessage(message);
    }

    @Test
    void badValuesSayWhereTheyCameFrom() throws Exception {
        Path f = yaml("http:\n  port: eighty\n");
        assertThatThrownBy(() -> ServerConfig.load(f, ENV, Map.of()))
                .hasMessage("http.port: expected a port number 0-65535, got 'eighty' from " + f);
        assertThatThrownBy(() -> ServerConfig.load(null, Map.of("TALLY_HTTP_PORT", "x"), Map.of()))
                .hasMessage("http.port: expected a port number 0-65535, got 'x' from environment TALLY_HTTP_PORT");
    }

    @Test
    void unknownKeysAreRejected() throws Exception {
        Path f = yaml("htp:\n  port: 1\n");
        assertThatThrownBy(() -> ServerConfig.load(f, ENV, Map.of()))
                .hasMessage("unknown configuration key 'htp.port' in " + f
                        + " (tally server --print-default-config lists all keys)");
        assertThatThrownBy(() -> ServerConfig.load(null, ENV, Map.of("nope", "1")))
                .hasMessageStartingWith("unknown configuration key 'nope'");
    }

    @Test
    void brokenFilesGiveOneLineMessages() throws Exception {
        Path f = yaml("http:\n  port: [1, 2\n");
        assertThatThrownBy(() -> ServerConfig.load(f, ENV, Map.of()))
                .hasMessageStartingWith("config file " + f + ": invalid YAML at line ")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        Path list = yaml("http:\n  port: [1, 2]\n");
        assertThatThrownBy(() -> ServerConfig.load(list, ENV, Map.of()))
                .hasMessage("http.port: expected a single value, got a list in " + list);
        Path scalar = yaml("just text\n");
        assertThatThrownBy(() -> ServerConfig.load(scalar, ENV, Map.of()))
                .hasMessageContaining("expected a mapping");
        assertThatThrownBy(() -> ServerConfig.load(dir.resolve("missing.yaml"), ENV, Map.of()))
                .hasMessageEndingWith("missing.yaml: not found");
    }

    @Test
    void emptyFileMeansDefaults() throws Exception {
        assertThat(ServerConfig.load(yaml(""), ENV, Map.of()).texts())
                .isEqualTo(ServerConfig.load(null, ENV, Map.of()).texts());
    }

    @Test
    void printedDefaultsLoadBackUnchanged() throws Exception {
        ServerConfig defaults = ServerConfig.defaults();
        String text = defaults.toYaml();
        assertThat(text).contains("http:\n", "  port: 8080\n", "# Port of the Graphite HTTP API.");
        ServerConfig loaded = ServerConfig.load(yaml(text), Map.of(), Map.of());
        assertThat(loaded.texts()).isEqualTo(defaults.texts());
    }

    @Test
    void aChangedConfigRoundTripsThroughYamlToo() throws Exception {
        Map<String, String> flags = new LinkedHashMap<>();
        flags.put("region", "us-2");
        flags.put("self-metrics.prefix", "a \"quoted\\\" prefix");
        flags.put("storage.schemas", "/tmp/with space/schemas.conf");
        flags.put("query.time-zone", "Europe/Berlin");
        ServerConfig c = ServerConfig.load(null, ENV, flags);
        assertThat(ServerConfig.load(yaml(c.toYaml()), Map.of(), Map.of()).texts()).isEqualTo(c.texts());
    }

    @Test
    void durationsAndSizes() {
        assertThat(ServerConfig.duration("0")).isZero();
        assertThat(ServerConfig.duration("90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(ServerConfig.duration("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(ServerConfig.duration("2h")).isEqualTo(Duration.ofHours(2));
        assertThat(ServerConfig.size("123")).isEqualTo(123);
        assertThat(ServerConfig.size("16KiB")).isEqualTo(16384);
        assertThat(ServerConfig.size("2GiB")).isEqualTo(2L << 30);
        assertThat(ServerConfig.size("10MB")).isEqualTo(10_000_000);
        assertThatThrownBy(() -> ServerConfig.duration("5")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ServerConfig.size("5 parsecs")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void alertingWebhooksAreNamedUrlsFromFlagsOrAYamlMapping(@TempDir Path d)
            throws Exception {
        ServerConfig c = ServerConfig.load(null, Map.of(), Map.of("alerting.webhooks",
                "pager=https://pager.example/hook?key=1, chat=http://127.0.0.1:9000/x"));
        assertThat(c.alertingWebhooks()).containsExactly(
                Map.entry("pager", "https://pager.example/hook?key=1"), Map.entry("chat", "http://127.0.0.1:9000/x"));
        Path f = d.resolve("t.yaml");
        Files.writeString(f, "alerting:\n  webhooks:\n    pager: https://p.example/h\n");
        assertThat(ServerConfig.load(f, Map.of(), Map.of()).alertingWebhooks())
                .containsExactly(Map.entry("pager", "https://p.example/h"));
        assertThatThrownBy(() -> ServerConfig.load(null, Map.of(), Map.of("alerting.webhooks", "pager=ftp://x/y")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("alerting.webhooks: expected NAME=URL");
    }
}
