package io.tally.server;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

import java.io.IOException;
import java.io.Reader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Tally's typed configuration: every key has a default in code and can be set in a YAML file ({@code --config},
 * nested as {@code http: {port: 8080}} or flat as {@code http.port: 8080}), by environment variable
 * ({@code TALLY_HTTP_PORT}, {@code TALLY_STORAGE_WAL_SYNC_INTERVAL}) and by command-line flag
 * ({@code --set http.port=8080} or a dedicated flag). Precedence: flag &gt; environment &gt; file &gt; default.
 *
 * <p>Every value is parsed and checked once, in {@link #load}; a bad value or an unknown key fails with a
 * {@link ConfigException} whose one-line message names the key, where the value came from and what is expected.
 * Durations are written {@code 500ms}, {@code 1s}, {@code 5m}, {@code 2h}, {@code 1d}; sizes {@code 16KiB},
 * {@code 64MiB}, {@code 1GiB} (or decimal {@code KB/MB/GB}, or plain bytes). Instances are immutable.
 */
public final class ServerConfig {

    /** Value kinds, each with its parser and the wording of "what is expected". */
    enum Type {
        STRING("a non-empty string"),
        NAME("a name of letters, digits, '.', '_' or '-'"),
        OPTIONAL_STRING("a string (empty for none)"),
        PATH("a file system path"),
        OPTIONAL_PATH("a file path (empty for the embedded default)"),
        HOST("a host name or IP address"),
        PORT("a port number 0-65535"),
        OPTIONAL_PORT("a port number 0-65535, or -1 to disable"),
        INT("an integer"),
        LONG("an integer"),
        BOOL("true or false"),
        DURATION("a duration like 500ms, 30s, 5m, 2h or 1d"),
        SIZE("a size like 16KiB, 64MiB or 1GiB"),
        ZONE("a time zone like UTC or Europe/Berlin"),
        NODE("one metric path node of letters, digits, '_' or '-'"),
        PEERS("REGION=URL pairs separated by commas (URL http(s)://host:port, optionally ';timeout=2s')"),
        WEBHOOKS("NAME=URL pairs separated by commas (URL http(s)://host[:port]/path)");

        final String expected;

        Type(String expected) {
            this.expected = expected;
        }
    }

    /** One configuration key: name, type, default text, allowed range (numbers, durations, sizes) and help. */
    record Key(String name, Type type, String defaultText, long min, long max, String help) {
        String envName() {
            return "TALLY_" + name.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
        }
    }

    private static final long MAX = Long.MAX_VALUE;

    private final Map<String, String> text;
    private final Map<String, Object> values;

    private ServerConfig(Map<String, String> text, Map<String, Object> values) {
        this.text = Collections.unmodifiableMap(text);
        this.values = Collections.unmodifiableMap(values);
    }

    /** Every key in documentation order, with defaults computed for this machine (host name, cores). */
    static List<Key> keys(Map<String, String> env) {
        int cores = Runtime.getRuntime().availableProcessors();
        List<Key> k = new ArrayList<>();
        k.add(new Key("region", Type.NAME, "local", 0, 0,
                "Name of this region; reported by /health and used by federation."));
        k.add(new Key("data-dir", Type.PATH, "./tally-data", 0, 0,
                "Directory of the write-ahead log and the data files."));
        k.add(new Key("http.host", Type.HOST, "0.0.0.0", 0, 0, "Address the Graphite HTTP API listens on."));
        k.add(new Key("http.port", Type.PORT, "8080", 0, 65535, "Port of the Graphite HTTP API."));
        k.add(new Key("http.max-body", Type.SIZE, "1MiB", 1024, 1L << 30, "Largest accepted POST body."));
        k.add(new Key("carbon.host", Type.HOST, "0.0.0.0", 0, 0,
                "Address the carbon receivers (plaintext TCP/UDP and pickle) listen on."));
        k.add(new Key("carbon.port", Type.OPTIONAL_PORT, "2003", -1, 65535,
                "Carbon plaintext port, TCP and UDP; -1 disables both."));
        k.add(new Key("carbon.udp", Type.BOOL, "true", 0, 0, "Also receive plaintext lines over UDP on carbon.port."));
        k.add(new Key("pickle.port", Type.OPTIONAL_PORT, "2004", -1, 65535, "Carbon pickle port; -1 disables it."));
        k.add(new Key("storage.schemas", Type.OPTIONAL_PATH, "", 0, 0,
                "Graphite storage-schemas.conf (retentions); empty: the embedded default."));
        k.add(new Key("storage.aggregation", Type.OPTIONAL_PATH, "", 0, 0,
                "Graphite storage-aggregation.conf (rollup method, xFilesFactor); empty: the embedded default."));
        k.add(new Key("storage.aggregation-rules", Type.OPTIONAL_PATH, "", 0, 0,
                "carbon-aggregator aggregation-rules.conf; empty: none."));
        k.add(new Key("storage.rewrite-rules", Type.OPTIONAL_PATH, "", 0, 0,
                "carbon rewrite-rules.conf; empty: none."));
        k.add(new Key("storage.shards", Type.INT, String.valueOf(Math.max(1, Math.min(4, cores))), 1, 256,
                "Writer threads; each owns the series hashed to it."));
        k.add(new Key("storage.wal-sync-interval", Type.DURATION, "1s", 0, 3_600_000,
                "How often the write-ahead log is synced to disk: the most a crash can lose."));
        k.add(new Key("storage.checkpoint-interval", Type.DURATION, "5m", 1000, 86_400_000,
                "How often recent data is written to data files and old log segments dropped."));
        k.add(new Key("storage.checkpoint-head-bytes", Type.SIZE, "0", 0, 1L << 40,
                "A checkpoint also runs early once this much data (estimated heap) has entered memory since the last "
                        + "one, e.g. during a backfill; 0: automatic, 512 bytes per series, at least 16MiB."));
        k.add(new Key("storage.max-backlog", Type.SIZE, "16MiB", 1 << 20, 1L << 40,
                "Accepted-but-unwritten bytes above which receivers stop reading their sockets."));
        k.add(new Key("storage.max-future", Type.DURATION, "1d", 0, 3_650L * 86_400_000,
                "Points further than this in the future are refused (and counted)."));
        k.add(new Key("ingest.max-connections", Type.INT, "10000", 1, 1_000_000,
                "Most concurrent carbon TCP connections (plaintext and pickle each)."));
        k.add(new Key("ingest.idle-timeout", Type.DURATION, "5m", 0, 86_400_000,
                "Close carbon TCP connections idle this long; 0 never."));
        k.add(new Key("ingest.max-line-length", Type.SIZE, "16KiB", 256, 1 << 24,
                "Longest plaintext line; longer lines are skipped (and counted)."));
        k.add(new Key("ingest.pickle-max-frame", Type.SIZE, "1MiB", 1024, 1 << 30,
                "Largest pickle frame; a larger one closes the connection."));
        k.add(new Key("ingest.udp-buffer", Type.SIZE, "4MiB", 64 << 10, 1 << 30,
                "Receive buffer (SO_RCVBUF) of the UDP socket."));
        k.add(new Key("self-metrics.prefix", Type.STRING, "tally.agents." + hostName(env), 0, 0,
                "Prefix of Tally's own metrics, written into Tally itself."));
        k.add(new Key("self-metrics.interval", Type.DURATION, "60s", 0, 86_400_000,
                "How often Tally writes its own metrics; 0 disables them."));
        k.add(new Key("query.max-series", Type.INT, "10000", 1, 1_000_000_000,
                "Most series one render may return."));
        k.add(new Key("query.max-points", Type.LONG, "20000000", 1, 1_000_000_000_000L,
                "Most raw datapoints one render may fetch."));
        k.add(new Key("query.max-find-results", Type.INT, "100000", 1, 1_000_000_000,
                "Most nodes one find or glob may match."));
        k.add(new Key("query.timeout", Type.DURATION, "60s", 1, 86_400_000,
                "Longest time one query may spend in storage."));
        k.add(new Key("query.workers", Type.INT, "8", 1, 1024, "Threads that run storage calls for queries."));
        k.add(new Key("query.time-zone", Type.ZONE, "UTC", 0, 0,
                "Default time zone of from/until (a request's tz= overrides it)."));
        k.add(new Key("query.cache-timeout", Type.DURATION, "0s", 0, 86_400_000,
                "How long render answers are cached when the request gives no cacheTimeout= (whole seconds); "
                        + "0: only requests with cacheTimeout= are cached."));
        k.add(new Key("query.cache-max-size", Type.SIZE, "64MiB", 0, 1L << 40,
                "Most memory the render answer cache holds; 0 disables it."));
        k.add(new Key("http.tls-cert", Type.OPTIONAL_PATH, "", 0, 0,
                "PEM certificate (chain) for https on http.port; empty: plain http. Needs http.tls-key."));
        k.add(new Key("http.tls-key", Type.OPTIONAL_PATH, "", 0, 0,
                "PEM (PKCS#8) private key of http.tls-cert."));
        k.add(new Key("api.token", Type.OPTIONAL_STRING, "", 0, 0,
                "Bearer token required by write APIs; empty: write APIs are refused."));
        k.add(new Key("federation.peers", Type.PEERS, "", 0, 0,
                "Other regions' Tally nodes as REGION=URL,...; empty: no cross-region queries. In YAML also a "
                        + "mapping region: url (or region: {url: ..., timeout: 2s})."));
        k.add(new Key("federation.secret", Type.OPTIONAL_STRING, "", 0, 0,
                "Shared secret all regions sign peer requests with (required with peers)."));
        k.add(new Key("federation.secret-file", Type.OPTIONAL_PATH, "", 0, 0,
                "File holding federation.secret (first line), instead of the value itself."));
        k.add(new Key("federation.root", Type.NODE, "regions", 0, 0,
                "First path node under which the regions appear: regions.<region>.<path>."));
        k.add(new Key("federation.timeout", Type.DURATION, "5s", 1, 600_000,
                "Longest wait for one peer call (a peer entry's ;timeout= overrides it)."));
        k.add(new Key("federation.require-complete", Type.BOOL, "false", 0, 0,
                "Fail with 502/504 instead of answering without a missing region."));
        k.add(new Key("federation.ca-file", Type.OPTIONAL_PATH, "", 0, 0,
                "PEM certificates trusted for https peers; empty: the JDK's default trust store."));
        k.add(new Key("federation.breaker-failures", Type.INT, "3", 1, 1000,
                "Consecutive failures after which a peer is skipped for federation.breaker-open."));
        k.add(new Key("federation.breaker-open", Type.DURATION, "30s", 0, 86_400_000,
                "How long a failing peer is skipped before one probe request."));
        k.add(new Key("federation.find-cache-ttl", Type.DURATION, "60s", 0, 86_400_000,
                "How long remote find answers are reused; 0 disables that cache."));
        k.add(new Key("federation.cache-max-size", Type.SIZE, "64MiB", 0, 1L << 40,
                "Most memory the remote find and series caches hold together."));
        k.add(new Key("alerting.path", Type.OPTIONAL_PATH, "", 0, 0,
                "Alert definitions: a YAML file or a directory of *.yaml files (reloaded on change); empty: only "
                        + "definitions made through the API (docs/ALERTING.md)."));
        k.add(new Key("alerting.reload-interval", Type.DURATION, "10s", 0, 86_400_000,
                "How often the definition files are checked for changes; 0 never."));
        k.add(new Key("alerting.eval-threads", Type.INT,
                String.valueOf(Math.max(1, Math.min(4, cores / 2))), 1, 64,
                "Threads evaluating alerts (half the cores by default, so Nagios polls keep a core)."));
        k.add(new Key("alerting.evaluate-all-regions", Type.BOOL, "false", 0, 0,
                "Evaluate every region's instances here (a central Tally); false: only this region's."));
        k.add(new Key("alerting.webhooks", Type.WEBHOOKS, "", 0, 0,
                "Named webhook URLs that definitions notify (notify: [{ref: NAME}]) as NAME=URL,..."));
        k.add(new Key("alerting.public-url", Type.OPTIONAL_STRING, "", 0, 0,
                "This Tally's public base URL, linked from notifications; empty: no link."));
        k.add(new Key("alerting.webhook-timeout", Type.DURATION, "5s", 1, 600_000,
                "Timeout of one webhook POST."));
        k.add(new Key("alerting.webhook-attempts", Type.INT, "4", 1, 100,
                "Attempts per notification (the first included), with doubling backoff from 1s."));
        return k;
    }

    /** The built-in defaults for this machine (the environment is consulted for the host name only). */
    public static ServerConfig defaults() {
        try {
            return load(null, Map.of("HOSTNAME", hostName(System.getenv())), Map.of());
        } catch (ConfigException e) {
            throw new IllegalStateException("built-in defaults are invalid: " + e.getMessage());
        }
    }

    /**
     * Builds the configuration from defaults, then {@code file} (may be null), then {@code env}
     * ({@code TALLY_*}; empty values are ignored), then {@code flags} (key → value, e.g. from {@code --set}).
     */
    public static ServerConfig load(Path file, Map<String, String> env, Map<String, String> flags)
            throws ConfigException {
        List<Key> keys = keys(env);
        Map<String, Key> byName = new LinkedHashMap<>();
        Map<String, String> text = new LinkedHashMap<>();
        Map<String, String> source = new LinkedHashMap<>();
        for (Key k : keys) {
            byName.put(k.name(), k);
            text.put(k.name(), k.defaultText());
            source.put(k.name(), "default");
        }
        if (file != null) {
            for (Map.Entry<String, String> e : readYaml(file).entrySet()) {
                if (!byName.containsKey(e.getKey())) {
                    throw new ConfigException("unknown configuration key '" + e.getKey() + "' in " + file
                            + " (tally server --print-default-config lists all keys)");
                }
                text.put(e.getKey(), e.getValue());
                source.put(e.getKey(), file.toString());
            }
        }
        for (Key k : keys) {
            String v = env.get(k.envName());
            if (v != null && !v.isEmpty()) {
                text.put(k.name(), v);
                source.put(k.name(), "environment " + k.envName());
            }
        }
        for (Map.Entry<String, String> e : flags.entrySet()) {
            if (!byName.containsKey(e.getKey())) {
                throw new ConfigException("unknown configuration key '" + e.getKey()
                        + "' (tally server --print-default-config lists all keys)");
            }
            text.put(e.getKey(), e.getValue());
            source.put(e.getKey(), "command line");
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (Key k : keys) {
            String raw = text.get(k.name()).strip();
            text.put(k.name(), raw);
            values.put(k.name(), parse(k, raw, source.get(k.name())));
        }
        crossCheck(values, source);
        return new ServerConfig(text, values);
    }

    /** Checks that involve several keys; resolves federation.secret-file into federation.secret. */
    private static void crossCheck(Map<String, Object> values, Map<String, String> source) throws ConfigException {
        String certPath = (String) values.get("http.tls-cert");
        String keyPath = (String) values.get("http.tls-key");
        if (certPath.isEmpty() != keyPath.isEmpty()) {
            throw new ConfigException((certPath.isEmpty() ? "http.tls-cert" : "http.tls-key")
                    + ": expected a PEM file path, since " + (certPath.isEmpty() ? "http.tls-key" : "http.tls-cert")
                    + " is set (https needs both)");
        }
        for (String key : List.of("http.tls-cert", "http.tls-key", "federation.ca-file")) {
            String v = (String) values.get(key);
            if (!v.isEmpty() && !Files.isReadable(Path.of(v))) {
                throw new ConfigException(key + ": cannot read '" + v + "'" + from(source, key));
            }
        }
        String secretFile = (String) values.get("federation.secret-file");
        if (!secretFile.isEmpty()) {
            if (!((String) values.get("federation.secret")).isEmpty()) {
                throw new ConfigException("federation.secret-file: set either federation.secret or "
                        + "federation.secret-file, not both");
            }
            String secret;
            try {
                secret = Files.readString(Path.of(secretFile), StandardCharsets.UTF_8).lines().findFirst().orElse("")
                        .strip();
            } catch (IOException | java.io.UncheckedIOException e) {
                throw new ConfigException("federation.secret-file: cannot read '" + secretFile + "'"
                        + from(source, "federation.secret-file"));
            }
            if (secret.isEmpty()) {
                throw new ConfigException("federation.secret-file: '" + secretFile + "' is empty");
            }
            values.put("federation.secret", secret);
        }
        @SuppressWarnings("unchecked")
        Map<String, PeerSpec> peers = (Map<String, PeerSpec>) values.get("federation.peers");
        if (peers.isEmpty()) {
            return;
        }
        if (((String) values.get("federation.secret")).isEmpty()) {
            throw new ConfigException("federation.secret: expected the shared secret of the regions (or "
                    + "federation.secret-file), since federation.peers is set");
        }
        String region = (String) values.get("region");
        if (region.indexOf('.') >= 0) {
            throw new ConfigException("region: expected no '.' in '" + region + "' when federation.peers is set "
                    + "(the region is one path node of regions.<region>.<path>)");
        }
        if (peers.containsKey(region)) {
            throw new ConfigException("federation.peers: lists this node's own region '" + region + "'"
                    + from(source, "federation.peers"));
        }
    }

    private static String from(Map<String, String> source, String key) {
        String s = source.get(key);
        return s == null || s.equals("default") ? "" : " from " + s;
    }

    /** One configured peer: base URL and its own timeout (null: federation.timeout). */
    public record PeerSpec(java.net.URI url, Duration timeout) {
    }

    // ---- typed accessors ----

    public String region() {
        return (String) values.get("region");
    }

    public Path dataDir() {
        return (Path) values.get("data-dir");
    }

    public String httpHost() {
        return (String) values.get("http.host");
    }

    public int httpPort() {
        return intValue("http.port");
    }

    public int httpMaxBody() {
        return (int) longValue("http.max-body");
    }

    public String carbonHost() {
        return (String) values.get("carbon.host");
    }

    /** Plaintext TCP and UDP port, -1 when disabled. */
    public int carbonPort() {
        return intValue("carbon.port");
    }

    public boolean carbonUdp() {
        return (Boolean) values.get("carbon.udp");
    }

    /** Pickle port, -1 when disabled. */
    public int picklePort() {
        return intValue("pickle.port");
    }

    public Optional<Path> storageSchemas() {
        return optionalPath("storage.schemas");
    }

    public Optional<Path> storageAggregation() {
        return optionalPath("storage.aggregation");
    }

    public Optional<Path> storageAggregationRules() {
        return optionalPath("storage.aggregation-rules");
    }

    public Optional<Path> storageRewriteRules() {
        return optionalPath("storage.rewrite-rules");
    }

    public int storageShards() {
        return intValue("storage.shards");
    }

    public Duration walSyncInterval() {
        return (Duration) values.get("storage.wal-sync-interval");
    }

    public Duration checkpointInterval() {
        return (Duration) values.get("storage.checkpoint-interval");
    }

    public long checkpointHeadBytes() {
        return longValue("storage.checkpoint-head-bytes");
    }

    public long maxBacklogBytes() {
        return longValue("storage.max-backlog");
    }

    public Duration maxFuture() {
        return (Duration) values.get("storage.max-future");
    }

    public int ingestMaxConnections() {
        return intValue("ingest.max-connections");
    }

    /** Zero means never. */
    public Duration ingestIdleTimeout() {
        return (Duration) values.get("ingest.idle-timeout");
    }

    public int ingestMaxLineLength() {
        return (int) longValue("ingest.max-line-length");
    }

    public int pickleMaxFrameBytes() {
        return (int) longValue("ingest.pickle-max-frame");
    }

    public int udpBufferBytes() {
        return (int) longValue("ingest.udp-buffer");
    }

    public String selfMetricsPrefix() {
        return (String) values.get("self-metrics.prefix");
    }

    /** Zero disables self-metrics. */
    public Duration selfMetricsInterval() {
        return (Duration) values.get("self-metrics.interval");
    }

    public int queryMaxSeries() {
        return intValue("query.max-series");
    }

    public long queryMaxPoints() {
        return longValue("query.max-points");
    }

    public int queryMaxFindResults() {
        return intValue("query.max-find-results");
    }

    public Duration queryTimeout() {
        return (Duration) values.get("query.timeout");
    }

    public int queryWorkers() {
        return intValue("query.workers");
    }

    public ZoneId queryTimeZone() {
        return (ZoneId) values.get("query.time-zone");
    }

    /** Seconds a render answer is cached without a cacheTimeout= parameter; 0: not cached. */
    public int queryCacheTimeoutSeconds() {
        return (int) ((Duration) values.get("query.cache-timeout")).toSeconds();
    }

    /** Bytes the render answer cache may hold; 0 disables it. */
    public long queryCacheMaxBytes() {
        return longValue("query.cache-max-size");
    }

    /** Empty when no token is configured. */
    public String apiToken() {
        return (String) values.get("api.token");
    }

    public Optional<Path> httpTlsCert() {
        return optionalPath("http.tls-cert");
    }

    public Optional<Path> httpTlsKey() {
        return optionalPath("http.tls-key");
    }

    /** Peer regions by name, in configuration order; empty: no federation. */
    @SuppressWarnings("unchecked")
    public Map<String, PeerSpec> federationPeers() {
        return (Map<String, PeerSpec>) values.get("federation.peers");
    }

    /** The shared secret (from federation.secret or federation.secret-file); empty when not configured. */
    public String federationSecret() {
        return (String) values.get("federation.secret");
    }

    public String federationRoot() {
        return (String) values.get("federation.root");
    }

    public Optional<Path> alertingPath() {
        return optionalPath("alerting.path");
    }

    public Duration alertingReloadInterval() {
        return (Duration) values.get("alerting.reload-interval");
    }

    public int alertingEvalThreads() {
        return intValue("alerting.eval-threads");
    }

    public boolean alertingEvaluateAllRegions() {
        return (Boolean) values.get("alerting.evaluate-all-regions");
    }

    @SuppressWarnings("unchecked")
    public Map<String, String> alertingWebhooks() {
        return (Map<String, String>) values.get("alerting.webhooks");
    }

    public String alertingPublicUrl() {
        return (String) values.get("alerting.public-url");
    }

    public Duration alertingWebhookTimeout() {
        return (Duration) values.get("alerting.webhook-timeout");
    }

    public int alertingWebhookAttempts() {
        return intValue("alerting.webhook-attempts");
    }

    public Duration federationTimeout() {
        return (Duration) values.get("federation.timeout");
    }

    public boolean federationRequireComplete() {
        return (Boolean) values.get("federation.require-complete");
    }

    public Optional<Path> federationCaFile() {
        return optionalPath("federation.ca-file");
    }

    public int federationBreakerFailures() {
        return intValue("federation.breaker-failures");
    }

    public Duration federationBreakerOpen() {
        return (Duration) values.get("federation.breaker-open");
    }

    public Duration federationFindCacheTtl() {
        return (Duration) values.get("federation.find-cache-ttl");
    }

    public long federationCacheMaxBytes() {
        return longValue("federation.cache-max-size");
    }

    /** The value of {@code key} as text (normalised: trimmed), or null for an unknown key. */
    public String text(String key) {
        return text.get(key);
    }

    /** Every key's text, in documentation order. */
    public Map<String, String> texts() {
        return text;
    }

    /** A copy with {@code key} set to {@code value} (validated like a flag). */
    public ServerConfig with(String key, String value) throws ConfigException {
        Map<String, String> flags = new LinkedHashMap<>(text);
        flags.put(key, value);
        return load(null, Map.of("HOSTNAME", "localhost"), flags);
    }

    /** Annotated YAML of this configuration's values, loadable by {@code --config}. */
    public String toYaml() {
        StringBuilder b = new StringBuilder();
        b.append("# Tally configuration. Every key can also be set by environment variable (TALLY_HTTP_PORT for\n")
                .append("# http.port) or on the command line (--set http.port=8080).\n")
                .append("# Precedence: command line > environment > this file > built-in default.\n")
                .append("# Durations: 500ms, 30s, 5m, 2h, 1d. Sizes: 16KiB, 64MiB, 1GiB.\n");
        String group = null;
        for (Key k : keys(Map.of("HOSTNAME", "localhost"))) {
            int dot = k.name().indexOf('.');
            String g = dot < 0 ? null : k.name().substring(0, dot);
            String leaf = dot < 0 ? k.name() : k.name().substring(dot + 1);
            String indent = g == null ? "" : "  ";
            if (g != null && !g.equals(group)) {
                b.append('\n').append(g).append(":\n");
            } else if (g == null) {
                b.append('\n');
            }
            group = g;
            b.append(indent).append("# ").append(k.help()).append('\n');
            b.append(indent).append(leaf).append(": ").append(yamlScalar(k, text.get(k.name()))).append('\n');
        }
        return b.toString();
    }

    // ---- parsing ----

    private static Object parse(Key k, String v, String source) throws ConfigException {
        try {
            return switch (k.type()) {
                case STRING -> requireNonEmpty(v);
                case NAME -> name(v);
                case OPTIONAL_STRING -> v;
                case PATH -> Path.of(requireNonEmpty(v));
                case OPTIONAL_PATH -> v.isEmpty() ? "" : Path.of(v).toString();
                case HOST -> host(v);
                case PORT, OPTIONAL_PORT, INT, LONG -> range(k, parseLong(v));
                case BOOL -> bool(v);
                case DURATION -> {
                    Duration d = duration(v);
                    range(k, d.toMillis());
                    yield d;
                }
                case SIZE -> range(k, size(v));
                case ZONE -> ZoneId.of(requireNonEmpty(v), ZoneId.SHORT_IDS);
                case NODE -> node(v);
                case PEERS -> peers(v);
                case WEBHOOKS -> webhooks(v);
            };
        } catch (IllegalArgumentException | DateTimeException e) {
            String detail = e.getMessage() == null || e.getMessage().isEmpty() ? "" : " (" + e.getMessage() + ")";
            throw new ConfigException(k.name() + ": expected " + k.type().expected + ", got '" + v + "'"
                    + detail + (source.equals("default") ? "" : " from " + source));
        }
    }

    private static String requireNonEmpty(String v) {
        if (v.isEmpty()) {
            throw new IllegalArgumentException("empty");
        }
        return v;
    }

    private static String name(String v) {
        requireNonEmpty(v);
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (!(Character.isLetterOrDigit(c) || c == '.' || c == '_' || c == '-')) {
                throw new IllegalArgumentException("");
            }
        }
        return v;
    }

    private static String node(String v) {
        requireNonEmpty(v);
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (!(Character.isLetterOrDigit(c) || c == '_' || c == '-')) {
                throw new IllegalArgumentException("'" + c + "' is not allowed");
            }
        }
        return v;
    }

    /** {@code eu=https://h:8080,us=http://h2:8080;timeout=2s} in order; empty text: no peers. */
    static Map<String, PeerSpec> peers(String v) {
        Map<String, PeerSpec> out = new LinkedHashMap<>();
        if (v.isBlank()) {
            return Collections.unmodifiableMap(out);
        }
        for (String entry : v.split(",")) {
            String e = entry.strip();
            int eq = e.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("'" + e + "' is not REGION=URL");
            }
            String region = node(e.substring(0, eq).strip());
            String rest = e.substring(eq + 1).strip();
            Duration timeout = null;
            int semi = rest.indexOf(';');
            if (semi >= 0) {
                String opt = rest.substring(semi + 1).strip();
                if (!opt.startsWith("timeout=")) {
                    throw new IllegalArgumentException("unknown peer option '" + opt + "' (only timeout=)");
                }
                timeout = duration(opt.substring("timeout=".length()));
                if (timeout.isZero()) {
                    throw new IllegalArgumentException("peer " + region + ": timeout must be positive");
                }
                rest = rest.substring(0, semi).strip();
            }
            java.net.URI url;
            try {
                url = new java.net.URI(rest);
            } catch (java.net.URISyntaxException ex) {
                throw new IllegalArgumentException("peer " + region + ": '" + rest + "' is not a URL");
            }
            if (url.getScheme() == null || !(url.getScheme().equals("http") || url.getScheme().equals("https"))
                    || url.getHost() == null || url.getQuery() != null) {
                throw new IllegalArgumentException("peer " + region + ": '" + rest
                        + "' is not an http:// or https:// URL with a host");
            }
            if (out.put(region, new PeerSpec(url, timeout)) != null) {
                throw new IllegalArgumentException("region " + region + " is listed twice");
            }
        }
        return Collections.unmodifiableMap(out);
    }

    /** {@code pager=https://h/hook,chat=http://h2:8080/x?k=v} in order; empty text: none. */
    static Map<String, String> webhooks(String v) {
        Map<String, String> out = new LinkedHashMap<>();
        if (v.isBlank()) {
            return Collections.unmodifiableMap(out);
        }
        for (String entry : v.split(",")) {
            String e = entry.strip();
            int eq = e.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("'" + e + "' is not NAME=URL");
            }
            String name = node(e.substring(0, eq).strip());
            String rest = e.substring(eq + 1).strip();
            java.net.URI url;
            try {
                url = new java.net.URI(rest);
            } catch (java.net.URISyntaxException ex) {
                throw new IllegalArgumentException("webhook " + name + ": '" + rest + "' is not a URL");
            }
            if (url.getScheme() == null || !(url.getScheme().equals("http") || url.getScheme().equals("https"))
                    || url.getHost() == null) {
                throw new IllegalArgumentException("webhook " + name + ": '" + rest
                        + "' is not an http:// or https:// URL with a host");
            }
            if (out.put(name, rest) != null) {
                throw new IllegalArgumentException("webhook " + name + " is listed twice");
            }
        }
        return Collections.unmodifiableMap(out);
    }

    private static String host(String v) {
        requireNonEmpty(v);
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (Character.isWhitespace(c) || c == '/' || c == '?' || c == '#') {
                throw new IllegalArgumentException("");
            }
        }
        return v;
    }

    private static long parseLong(String v) {
        String s = v.replace("_", "");
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("");
        }
    }

    private static Object range(Key k, long v) {
        if (v < k.min() || v > k.max()) {
            String unit = switch (k.type()) {
                case DURATION -> " ms";
                case SIZE -> " bytes";
                default -> "";
            };
            throw new IllegalArgumentException("must be between " + k.min() + " and " + k.max() + unit);
        }
        return switch (k.type()) {
            case PORT, OPTIONAL_PORT, INT -> (int) v;
            default -> v;
        };
    }

    private static Boolean bool(String v) {
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1" -> Boolean.TRUE;
            case "false", "no", "off", "0" -> Boolean.FALSE;
            default -> throw new IllegalArgumentException("");
        };
    }

    /** {@code 0}, or digits with a unit: {@code ms}, {@code s}, {@code m}, {@code h}, {@code d}. */
    static Duration duration(String v) {
        String s = v.strip().toLowerCase(Locale.ROOT);
        if (s.equals("0")) {
            return Duration.ZERO;
        }
        int i = 0;
        while (i < s.length() && Character.isDigit(s.charAt(i))) {
            i++;
        }
        if (i == 0 || i == s.length()) {
            throw new IllegalArgumentException("");
        }
        long n;
        try {
            n = Long.parseLong(s.substring(0, i));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("");
        }
        try {
            return switch (s.substring(i)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m", "min" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                case "d" -> Duration.ofDays(n);
                default -> throw new IllegalArgumentException("");
            };
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("too large");
        }
    }

    /** Plain bytes, or digits with {@code B}, {@code KiB}, {@code MiB}, {@code GiB}, {@code KB}, {@code MB}, {@code GB}. */
    static long size(String v) {
        String s = v.strip();
        int i = 0;
        while (i < s.length() && Character.isDigit(s.charAt(i))) {
            i++;
        }
        if (i == 0) {
            throw new IllegalArgumentException("");
        }
        long n;
        try {
            n = Long.parseLong(s.substring(0, i));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("");
        }
        long unit = switch (s.substring(i).strip().toLowerCase(Locale.ROOT)) {
            case "", "b" -> 1;
            case "kib" -> 1L << 10;
            case "mib" -> 1L << 20;
            case "gib" -> 1L << 30;
            case "kb" -> 1000;
            case "mb" -> 1000_000;
            case "gb" -> 1000_000_000;
            default -> throw new IllegalArgumentException("");
        };
        try {
            return Math.multiplyExact(n, unit);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("too large");
        }
    }

    private int intValue(String key) {
        return (Integer) values.get(key);
    }

    private long longValue(String key) {
        return (Long) values.get(key);
    }

    private Optional<Path> optionalPath(String key) {
        String v = (String) values.get(key);
        return v.isEmpty() ? Optional.empty() : Optional.of(Path.of(v));
    }

    // ---- YAML ----

    private static Map<String, String> readYaml(Path file) throws ConfigException {
        Object doc;
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(r);
        } catch (NoSuchFileException e) {
            throw new ConfigException("config file " + file + ": not found");
        } catch (MarkedYAMLException e) {
            Mark m = e.getProblemMark();
            throw new ConfigException("config file " + file + ": invalid YAML"
                    + (m == null ? "" : " at line " + (m.getLine() + 1) + ", column " + (m.getColumn() + 1))
                    + ": " + e.getProblem());
        } catch (YAMLException e) {
            throw new ConfigException("config file " + file + ": invalid YAML: " + e.getMessage().lines().findFirst()
                    .orElse(""));
        } catch (IOException e) {
            throw new ConfigException("config file " + file + ": cannot read it (" + e.getMessage() + ")");
        }
        Map<String, String> out = new LinkedHashMap<>();
        if (doc == null) {
            return out;
        }
        if (!(doc instanceof Map<?, ?> map)) {
            throw new ConfigException("config file " + file + ": expected a mapping of keys to values at the top");
        }
        flatten("", map, out, file);
        return out;
    }

    private static void flatten(String prefix, Map<?, ?> map, Map<String, String> out, Path file)
            throws ConfigException {
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String key = prefix + e.getKey();
            Object v = e.getValue();
            if (key.equals("federation.peers") && (v instanceof Map<?, ?> || v instanceof List<?>)) {
                out.put(key, peersText(v, file));
            } else if (key.equals("alerting.webhooks") && (v instanceof Map<?, ?> || v instanceof List<?>)) {
                out.put(key, namedText(v));
            } else if (v instanceof Map<?, ?> nested) {
                flatten(key + ".", nested, out, file);
            } else if (v instanceof List<?>) {
                throw new ConfigException(key + ": expected a single value, got a list in " + file);
            } else {
                out.put(key, v == null ? "" : String.valueOf(v));
            }
        }
    }

    /**
     * YAML forms of federation.peers as the flat text: a mapping {@code region: url} or
     * {@code region: {url: .., timeout: ..}}, or a list of {@code REGION=URL} strings.
     */
    private static String peersText(Object v, Path file) throws ConfigException {
        List<String> entries = new ArrayList<>();
        if (v instanceof List<?> list) {
            for (Object o : list) {
                entries.add(String.valueOf(o));
            }
        } else {
            for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
                if (e.getValue() instanceof Map<?, ?> m) {
                    Object url = m.get("url");
                    if (url == null) {
                        throw new ConfigException("federation.peers." + e.getKey() + ": expected a url in " + file);
                    }
                    Object timeout = m.get("timeout");
                    entries.add(e.getKey() + "=" + url + (timeout == null ? "" : ";timeout=" + timeout));
                } else {
                    entries.add(e.getKey() + "=" + e.getValue());
                }
            }
        }
        return String.join(",", entries);
    }

    /** YAML forms of a NAME=URL list as the flat text: a mapping {@code name: url} or a list of strings. */
    private static String namedText(Object v) {
        List<String> entries = new ArrayList<>();
        if (v instanceof List<?> list) {
            list.forEach(o -> entries.add(String.valueOf(o)));
        } else {
            ((Map<?, ?>) v).forEach((name, url) -> entries.add(name + "=" + url));
        }
        return String.join(",", entries);
    }

    private static String yamlScalar(Key k, String v) {
        return switch (k.type()) {
            case PORT, OPTIONAL_PORT, INT, LONG, BOOL, DURATION, SIZE -> v;
            default -> quote(v);
        };
    }

    private static String quote(String v) {
        StringBuilder b = new StringBuilder(v.length() + 2).append('"');
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                default -> b.append(c);
            }
        }
        return b.append('"').toString();
    }

    /** Carbon's convention: the host name with dots replaced, so it stays one metric path node. */
    static String hostName(Map<String, String> env) {
        String h = env.get("HOSTNAME");
        if (h == null || h.isBlank()) {
            try {
                h = InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                h = "localhost";
            }
        }
        StringBuilder b = new StringBuilder(h.length());
        for (int i = 0; i < h.length(); i++) {
            char c = h.charAt(i);
            b.append(Character.isLetterOrDigit(c) || c == '-' || c == '_' ? c : '_');
        }
        return b.toString();
    }

    /** The settings as text, secrets masked. */
    @Override
    public String toString() {
        Map<String, String> shown = new LinkedHashMap<>(text);
        for (String secret : List.of("api.token", "federation.secret")) {
            if (!shown.getOrDefault(secret, "").isEmpty()) {
                shown.put(secret, "***");
            }
        }
        return shown.toString();
    }
}
