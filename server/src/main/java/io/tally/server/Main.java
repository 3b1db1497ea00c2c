package io.tally.server;

import io.tally.alerting.Durations;
import io.tally.alerting.tattle.TattleImporter;
import io.tally.engine.config.StorageAggregation;
import io.tally.engine.config.StorageSchemas;
import io.tally.engine.rules.AggregationRules;
import io.tally.engine.rules.RewriteRules;
import io.tally.engine.storage.Engine;
import io.tally.engine.storage.EngineOptions;
import io.tally.ingest.CarbonReceivers;
import io.tally.ingest.ReceiverOptions;
import io.tally.engine.api.IngestSink;
import io.tally.engine.api.StorageEngine;
import io.tally.engine.util.Clock;
import io.tally.engine.util.MetricsRegistry;
import io.tally.query.GraphiteHttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

/**
 * Command line entry point: {@code tally server [options]} and {@code tally version}.
 *
 * <p>Exit codes: 0 after a clean stop (SIGTERM/SIGINT: {@code /health} turns 503, receivers stop, the engine is
 * closed, then the JVM halts with 0); 2 for a bad flag, a bad configuration value or a failed start-up (one line on
 * stderr naming the key, e.g. {@code tally: http.port 8080 is in use}).
 *
 * <p>The two wiring points the storage engine and the ingest receivers plug into are {@link #openEngine} and
 * {@link #receivers}; everything else is generic.
 */
@Command(name = "tally", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Tally: a Graphite-compatible metrics server (carbon ingest, rollups, Graphite HTTP API).")
public final class Main implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    private final PrintWriter err;

    private Main(PrintWriter err) {
        this.err = err;
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        int code = run(args, out, err, System.getenv(), Main::openEngine, Main::receivers, Main::awaitShutdown);
        System.exit(code);
    }

    /** Opens the storage engine in {@code data-dir} with the storage.* settings. */
    static StorageEngine openEngine(ServerConfig cfg, MetricsRegistry metrics) throws IOException {
        EngineOptions.Builder b = EngineOptions.builder(cfg.dataDir())
                .shards(cfg.storageShards())
                .walSyncInterval(cfg.walSyncInterval())
                .checkpointInterval(cfg.checkpointInterval())
                .checkpointHeadBytes(cfg.checkpointHeadBytes())
                .maxBacklogBytes(cfg.maxBacklogBytes())
                .maxFutureSeconds(cfg.maxFuture().toSeconds())
                .clock(Clock.SYSTEM)
                .metrics(metrics);
        try {
            if (cfg.storageSchemas().isPresent()) {
                b.schemas(StorageSchemas.load(cfg.storageSchemas().get()));
            }
            if (cfg.storageAggregation().isPresent()) {
                b.aggregation(StorageAggregation.load(cfg.storageAggregation().get()));
            }
            if (cfg.storageRewriteRules().isPresent()) {
                b.rewriteRules(RewriteRules.load(cfg.storageRewriteRules().get()));
            }
            if (cfg.storageAggregationRules().isPresent()) {
                b.aggregationRules(AggregationRules.load(cfg.storageAggregationRules().get()));
            }
        } catch (io.tally.engine.config.ConfigException e) {
            throw new IOException(e.getMessage(), e);
        }
        return Engine.open(b.build());
    }

    /**
     * The carbon receivers: plaintext TCP (and UDP on the same port) as {@code carbon.port}, pickle as
     * {@code pickle.port}; each its own Netty server so a taken port is reported under the right key.
     */
    static List<ReceiverBinding> receivers(ServerConfig cfg, IngestSink sink, MetricsRegistry metrics) {
        ReceiverOptions base = ReceiverOptions.defaults()
                .withBindHost(cfg.carbonHost())
                .withMaxConnections(cfg.ingestMaxConnections())
                .withIdleTimeout(cfg.ingestIdleTimeout())
                .withMaxLineLength(cfg.ingestMaxLineLength())
                .withUdpReceiveBuffer(cfg.udpBufferBytes())
                .withPickleMaxFrame(cfg.pickleMaxFrameBytes());
        List<ReceiverBinding> out = new ArrayList<>();
        if (cfg.carbonPort() >= 0) {
            CarbonReceivers plain = new CarbonReceivers(base.withPorts(cfg.carbonPort(),
                    cfg.carbonUdp() ? cfg.carbonPort() : ReceiverOptions.DISABLED, ReceiverOptions.DISABLED),
                    sink, metrics, Clock.SYSTEM);
            out.add(new ReceiverBinding("carbon.port", cfg.carbonPort(), Receiver.of(plain::start, plain::stop,
                    () -> boundPorts(plain))));
        }
        if (cfg.picklePort() >= 0) {
            CarbonReceivers pickle = new CarbonReceivers(base.withPorts(ReceiverOptions.DISABLED,
                    ReceiverOptions.DISABLED, cfg.picklePort()), sink, metrics, Clock.SYSTEM);
            out.add(new ReceiverBinding("pickle.port", cfg.picklePort(), Receiver.of(pickle::start, pickle::stop,
                    () -> boundPorts(pickle))));
        }
        return out;
    }

    /** The listening ports of {@code r} by protocol, leaving out the disabled ones. */
    private static Map<String, Integer> boundPorts(CarbonReceivers r) {
        Map<String, Integer> ports = new LinkedHashMap<>();
        putPort(ports, CarbonReceivers.PLAINTEXT_TCP, r.plaintextTcpPort());
        putPort(ports, CarbonReceivers.PLAINTEXT_UDP, r.plaintextUdpPort());
        putPort(ports, CarbonReceivers.PICKLE_TCP, r.pickleTcpPort());
        return ports;
    }

    private static void putPort(Map<String, Integer> ports, String protocol, int port) {
        if (port >= 0) {
            ports.put(protocol, port);
        }
    }

    /**
     * Parses {@code args} and runs the command; returns the exit code. {@code lifecycle} receives a started server
     * and returns when it has stopped (production: {@link #awaitShutdown}; tests: stop at once).
     */
    static int run(String[] args, PrintWriter out, PrintWriter err, Map<String, String> env, EngineFactory engines,
                   ReceiverFactory receivers, Consumer<TallyServer> lifecycle) {
        CommandLine cmd = new CommandLine(new Main(err));
        cmd.addSubcommand("server", new ServerCommand(out, err, env, engines, receivers, lifecycle));
        cmd.addSubcommand("version", new VersionCommand(out));
        cmd.addSubcommand("train", new TrainCommand(out, err));
        cmd.addSubcommand("import-tattle", new ImportTattleCommand(out, err));
        cmd.setOut(out);
        cmd.setErr(err);
        return cmd.execute(args);
    }

    @Override
    public Integer call() {
        err.println("tally: a command is required (server, version, train or import-tattle); see tally --help");
        return 2;
    }

    /** Blocks until SIGTERM/SIGINT; the shutdown hook stops the server and halts the JVM with exit code 0. */
    static void awaitShutdown(TallyServer server) {
        CountDownLatch forever = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("shutting down: draining, stopping receivers, flushing storage");
            server.stop();
            LOG.info("Tally stopped");
            Runtime.getRuntime().halt(0);
        }, "tally-shutdown"));
        try {
            forever.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@code tally server}: loads the configuration, starts everything, waits for a signal. */
    @Command(name = "server", mixinStandardHelpOptions = true,
            description = "Runs Tally: carbon receivers, storage and the Graphite HTTP API.")
    static final class ServerCommand implements Callable<Integer> {
        private final PrintWriter out;
        private final PrintWriter err;
        private final Map<String, String> env;
        private final EngineFactory engines;
        private final ReceiverFactory receivers;
        private final Consumer<TallyServer> lifecycle;

        @Option(names = "--config", paramLabel = "FILE", description = "YAML configuration file.")
        Path config;
        @Option(names = "--data-dir", paramLabel = "DIR", description = "Data directory (data-dir).")
        String dataDir;
        @Option(names = "--region", paramLabel = "NAME", description = "Region name (region).")
        String region;
        @Option(names = "--http-port", paramLabel = "N", description = "Graphite HTTP API port (http.port).")
        String httpPort;
        @Option(names = "--carbon-port", paramLabel = "N",
                description = "Carbon plaintext TCP/UDP port, -1 disables (carbon.port).")
        String carbonPort;
        @Option(names = "--pickle-port", paramLabel = "N", description = "Carbon pickle port, -1 disables (pickle.port).")
        String picklePort;
        @Option(names = "--storage-schemas", paramLabel = "FILE", description = "storage-schemas.conf (storage.schemas).")
        String storageSchemas;
        @Option(names = "--storage-aggregation", paramLabel = "FILE",
                description = "storage-aggregation.conf (storage.aggregation).")
        String storageAggregation;
        @Option(names = "--peer", paramLabel = "REGION=URL",
                description = "Another region's Tally, repeatable (federation.peers), e.g. --peer eu=https://eu:8080.")
        List<String> peers = new ArrayList<>();
        @Option(names = "--peer-secret", paramLabel = "SECRET",
                description = "Shared secret of the regions (federation.secret).")
        String peerSecret;
        @Option(names = "--peer-secret-file", paramLabel = "FILE",
                description = "File holding the shared secret (federation.secret-file).")
        String peerSecretFile;
        @Option(names = "--alerts", paramLabel = "PATH",
                description = "Alert definitions: a YAML file or a directory of them (alerting.path).")
        String alerts;
        @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Any configuration key, e.g. --set query.timeout=30s.")
        Map<String, String> set = new LinkedHashMap<>();
        @Option(names = "--print-default-config", description = "Print an annotated YAML of all defaults and exit.")
        boolean printDefaultConfig;

        ServerCommand(PrintWriter out, PrintWriter err, Map<String, String> env, EngineFactory engines,
                      ReceiverFactory receivers, Consumer<TallyServer> lifecycle) {
            this.out = out;
            this.err = err;
            this.env = env;
            this.engines = engines;
            this.receivers = receivers;
            this.lifecycle = lifecycle;
        }

        @Override
        public Integer call() {
            if (printDefaultConfig) {
                out.print(ServerConfig.defaults().toYaml());
                out.flush();
                return 0;
            }
            ServerConfig cfg;
            try {
                cfg = ServerConfig.load(config, env, flags());
            } catch (ConfigException e) {
                err.println("tally: " + e.getMessage());
                return 2;
            }
            TallyServer server = new TallyServer(cfg, engines, receivers, new MetricsRegistry(), Clock.SYSTEM);
            try {
                server.start();
            } catch (StartupException e) {
                err.println("tally: " + e.getMessage());
                return 2;
            }
            lifecycle.accept(server);
            return 0;
        }

        /** {@code --set} first, then the dedicated flags (which win for the same key). */
        private Map<String, String> flags() {
            Map<String, String> f = new LinkedHashMap<>(set);
            put(f, "data-dir", dataDir);
            put(f, "region", region);
            put(f, "http.port", httpPort);
            put(f, "carbon.port", carbonPort);
            put(f, "pickle.port", picklePort);
            put(f, "storage.schemas", storageSchemas);
            put(f, "storage.aggregation", storageAggregation);
            if (!peers.isEmpty()) {
                f.put("federation.peers", String.join(",", peers));
            }
            put(f, "federation.secret", peerSecret);
            put(f, "federation.secret-file", peerSecretFile);
            put(f, "alerting.path", alerts);
            return f;
        }

        private static void put(Map<String, String> f, String key, String value) {
            if (value != null) {
                f.put(key, value);
            }
        }
    }

    /**
     * {@code tally import-tattle CHECKS [--subscriptions F] [--offset 1m] [--webhook-ref NAME] [--out F]}: Tattle's
     * {@code checks} table (CSV or JSON export) as Tally alert definitions (YAML), docs/ALERTING.md.
     */
    @Command(name = "import-tattle", mixinStandardHelpOptions = true,
            description = "Converts Tattle's checks (CSV or JSON export) into Tally alert definitions (YAML).")
    static final class ImportTattleCommand implements Callable<Integer> {
        private final PrintWriter out;
        private final PrintWriter err;

        @CommandLine.Parameters(index = "0", paramLabel = "CHECKS", description = "checks table as CSV or JSON.")
        Path checks;
        @Option(names = "--subscriptions", paramLabel = "FILE",
                description = "Tattle's subscriptions table (CSV or JSON), for notification states.")
        Path subscriptions;
        @Option(names = "--offset", paramLabel = "DURATION", defaultValue = "0s",
                description = "Evaluation offset for every check, e.g. 1m (default ${DEFAULT-VALUE}).")
        String offset;
        @Option(names = "--webhook-ref", paramLabel = "NAME",
                description = "Webhook (alerting.webhooks) that subscribed checks notify.")
        String webhookRef;
        @Option(names = "--out", paramLabel = "FILE", description = "Write the YAML here instead of standard output.")
        Path outFile;

        ImportTattleCommand(PrintWriter out, PrintWriter err) {
            this.out = out;
            this.err = err;
        }

        @Override
        public Integer call() {
            try {
                long offsetSeconds = Durations.parseSeconds(offset);
                TattleImporter.Result r = TattleImporter.importFiles(checks, subscriptions,
                        new TattleImporter.Options(offsetSeconds, webhookRef));
                if (outFile != null) {
                    Files.writeString(outFile, r.yaml());
                } else {
                    out.print(r.yaml());
                    out.flush();
                }
                for (String w : r.warnings()) {
                    err.println("tally import-tattle: " + w);
                }
                err.println("tally import-tattle: " + r.imported() + " checks imported");
                err.flush();
                return 0;
            } catch (IOException | RuntimeException e) {
                err.println("tally import-tattle: " + e.getMessage());
                err.flush();
                return 2;
            }
        }
    }

    /** {@code tally train}: see {@link Training}. */
    @Command(name = "train", mixinStandardHelpOptions = true,
            description = "Runs a short ingest and query workload on a temporary server, for the JDK's "
                    + "ahead-of-time cache (java -XX:AOTCacheOutput=tally.aot -jar tally.jar train).")
    static final class TrainCommand implements Callable<Integer> {
        private final PrintWriter out;
        private final PrintWriter err;

        @Option(names = "--series", paramLabel = "N", defaultValue = "20000",
                description = "Series in the backfill burst, 60 points each (default ${DEFAULT-VALUE}).")
        int series;

        TrainCommand(PrintWriter out, PrintWriter err) {
            this.out = out;
            this.err = err;
        }

        @Override
        public Integer call() {
            if (series < 1) {
                err.println("tally train: --series must be positive");
                err.flush();
                return 2;
            }
            try {
                return new Training(out, series).run();
            } catch (Exception e) {
                err.println("tally train: " + e);
                err.flush();
                return 1;
            }
        }
    }

    /** {@code tally version}. */
    @Command(name = "version", description = "Prints the Tally version.")
    static final class VersionCommand implements Callable<Integer> {
        private final PrintWriter out;

        VersionCommand(PrintWriter out) {
            this.out = out;
        }

        @Override
        public Integer call() {
            out.println(versionLine());
            out.flush();
            return 0;
        }
    }

    static String versionLine() {
        String v = Main.class.getPackage().getImplementationVersion();
        return "tally " + (v == null ? "dev" : v) + " (Graphite API " + GraphiteHttpServer.GRAPHITE_VERSION + ")";
    }

    /** Version for {@code tally --version}. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[]{versionLine()};
        }
    }
}
