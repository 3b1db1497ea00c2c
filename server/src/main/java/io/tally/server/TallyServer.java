package io.tally.server;

import io.tally.alerting.AlertingConfig;
import io.tally.alerting.AlertingService;
import io.tally.dashboards.PagesExtension;
import io.tally.engine.api.StorageEngine;
import io.tally.engine.util.Clock;
import io.tally.engine.util.MetricsRegistry;
import io.tally.query.GraphiteHttpServer;
import io.tally.query.HttpTls;
import io.tally.query.QueryLimits;
import io.tally.query.QueryServer;
import io.tally.query.Renderer;
import io.tally.query.functions.FunctionRegistry;
import io.tally.query.federation.Federation;
import io.tally.query.federation.PeerTls;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.BindException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One Tally process: storage engine, carbon receivers, Graphite HTTP API and the self-metrics reporter.
 *
 * <p>Start order: engine, receivers (in factory order), alerting, HTTP (Graphite API, pages, alerting routes),
 * reporter; {@code /health} answers "ok" only once all
 * of them are up. A failure at any step stops what was started, in reverse, and throws a {@link StartupException}
 * with a one-line message ({@code http.port 8080 is in use}). Stop order: {@code /health} turns 503 "draining",
 * receivers stop accepting (reverse order), the reporter stops, HTTP closes, alerting stops (its state file
 * written), and the engine is closed last so it
 * applies and syncs everything the receivers handed over. Stop never throws; problems are logged.
 *
 * <p>An instance can be started again after {@link #stop}; each start creates a fresh Vert.x instance and releases
 * every port on stop, so a new start on the same ports succeeds. {@code start}/{@code stop} are synchronized.
 */
public final class TallyServer {
    private static final Logger LOG = LoggerFactory.getLogger(TallyServer.class);

    private final ServerConfig cfg;
    private final EngineFactory engines;
    private final ReceiverFactory receiverFactory;
    private final MetricsRegistry metrics;
    private final Clock clock;

    private StorageEngine engine;
    private final List<ReceiverBinding> started = new ArrayList<>();
    private QueryServer http;
    private AlertingService alerting;
    private ScheduledExecutorService timer;
    private SelfMetricsReporter reporter;

    public TallyServer(ServerConfig cfg, EngineFactory engines, ReceiverFactory receivers, MetricsRegistry metrics,
                       Clock clock) {
        this.cfg = cfg;
        this.engines = engines;
        this.receiverFactory = receivers;
        this.metrics = metrics;
        this.clock = clock;
    }

    public synchronized void start() throws StartupException {
        if (engine != null) {
            throw new IllegalStateException("already started");
        }
        try {
            openEngine();
            startReceivers();
            startHttp();
            startReporter();
        } catch (StartupException e) {
            stop();
            throw e;
        }
        LOG.info("Tally started: region {}, HTTP on {}:{}, data in {}", cfg.region(), cfg.httpHost(), httpPort(),
                cfg.dataDir());
    }

    private void openEngine() throws StartupException {
        try {
            engine = engines.open(cfg, metrics);
        } catch (IOException | RuntimeException e) {
            throw new StartupException("cannot open storage in data-dir " + cfg.dataDir() + ": " + e.getMessage(), e);
        }
        StorageEngine e = engine;
        metrics.gauge("storage.backlog_bytes", () -> (double) e.backlogBytes());
        metrics.gauge("storage.series", () -> (double) e.seriesCount());
    }

    private void startReceivers() throws StartupException {
        for (ReceiverBinding b : receiverFactory.create(cfg, engine, metrics)) {
            try {
                b.receiver().start();
            } catch (Exception e) {
                b.receiver().stop();
                throw failure(b.portKey(), b.port(), e);
            }
            started.add(b);
        }
    }

    private void startHttp() throws StartupException {
        QueryLimits limits = new QueryLimits(cfg.queryMaxSeries(), cfg.queryMaxPoints(), cfg.queryMaxFindResults(),
                cfg.queryTimeout(), cfg.queryWorkers());
        GraphiteHttpServer.Settings settings = new GraphiteHttpServer.Settings(cfg.httpHost(), cfg.httpPort(),
                cfg.region(), cfg.queryTimeZone(), cfg.httpMaxBody(), cfg.apiToken(), cfg.dataDir(),
                cfg.queryCacheTimeoutSeconds(), cfg.queryCacheMaxBytes());
        HttpTls tls = cfg.httpTlsCert().isPresent()
                ? new HttpTls(cfg.httpTlsCert().get(), cfg.httpTlsKey().orElseThrow()) : null;
        Federation federation = federation(limits);
        alerting = startAlerting(limits, federation);
        try {
            http = QueryServer.start(engine, clock, limits, settings, metrics,
                    List.of(new PagesExtension(), alerting.httpExtension()), federation, tls);
        } catch (Exception e) {
            if (tls != null && !isBindFailure(e)) {
                throw new StartupException("http.tls-cert: cannot serve https with " + tls.certPem() + " and "
                        + tls.keyPem() + ": " + rootMessage(e), e);
            }
            throw failure("http.port", cfg.httpPort(), e);
        }
    }

    /**
     * The cross-region view when federation.peers or federation.secret is set (a node without peers still answers
     * its peers), else null.
     */
    private Federation federation(QueryLimits limits) throws StartupException {
        if (cfg.federationPeers().isEmpty() && cfg.federationSecret().isEmpty()) {
            return null;
        }
        SSLContext ssl = null;
        if (cfg.federationCaFile().isPresent()) {
            try {
                ssl = PeerTls.trusting(cfg.federationCaFile().get());
            } catch (IllegalArgumentException e) {
                throw new StartupException("federation.ca-file: " + e.getMessage(), e);
            }
        }
        List<Federation.Peer> peers = new ArrayList<>();
        cfg.federationPeers().forEach((region, spec) -> peers.add(new Federation.Peer(region, spec.url(),
                spec.timeout())));
        Federation.Settings fs = new Federation.Settings(cfg.region(), cfg.federationRoot(), peers,
                cfg.federationSecret(), cfg.federationTimeout(), cfg.federationRequireComplete(),
                cfg.federationBreakerFailures(), cfg.federationBreakerOpen(), cfg.federationFindCacheTtl(),
                cfg.federationCacheMaxBytes(), ssl);
        LOG.info("federation: region {} with peers {}", cfg.region(), cfg.federationPeers().keySet());
        return new Federation(fs, engine, limits, clock, metrics);
    }

    /**
     * The alerting service over the same query path as /render (federation included), evaluating this region's
     * instances (every region's with alerting.evaluate-all-regions); definitions from alerting.path and the API.
     */
    private AlertingService startAlerting(QueryLimits limits, Federation federation) throws StartupException {
        List<String> regions = new ArrayList<>();
        regions.add(cfg.region());
        regions.addAll(cfg.federationPeers().keySet());
        AlertingConfig ac = new AlertingConfig(cfg.alertingPath().orElse(null),
                cfg.alertingReloadInterval().toSeconds(), cfg.alertingEvalThreads(),
                cfg.alertingEvaluateAllRegions(), cfg.alertingWebhooks(), cfg.alertingPublicUrl(),
                cfg.alertingWebhookTimeout().toMillis(), cfg.alertingWebhookAttempts(), 1_000,
                AlertingConfig.Limits.defaults());
        Renderer renderer = new Renderer(engine, limits, clock, FunctionRegistry.standard(), federation);
        try {
            return AlertingService.start(ac, renderer, clock, metrics, cfg.dataDir(), cfg.region(), regions);
        } catch (RuntimeException e) {
            throw new StartupException("alerting.path: " + e.getMessage(), e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    private void startReporter() {
        long intervalMillis = cfg.selfMetricsInterval().toMillis();
        reporter = new SelfMetricsReporter(cfg.selfMetricsPrefix(), metrics, engine, clock);
        if (intervalMillis <= 0) {
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tally-self-metrics");
            t.setDaemon(true);
            return t;
        });
        SelfMetricsReporter rep = reporter;
        timer.scheduleAtFixedRate(() -> {
            try {
                rep.tick();
            } catch (RuntimeException e) {
                LOG.warn("self-metrics report failed: {}", e.toString());
            }
        }, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
    }

    /** Turns {@code /health} to 503 "draining"; the first step of {@link #stop}, callable on its own. */
    public synchronized void drain() {
        if (http != null) {
            http.drain();
        }
    }

    /** Drains, stops receivers, reporter and HTTP, then closes the engine. Idempotent; never throws. */
    public synchronized void stop() {
        drain();
        for (int i = started.size() - 1; i >= 0; i--) {
            ReceiverBinding b = started.get(i);
            try {
                b.receiver().stop();
            } catch (RuntimeException e) {
                LOG.warn("stopping the receiver on {} {} failed: {}", b.portKey(), b.port(), e.toString());
            }
        }
        started.clear();
        if (timer != null) {
            timer.shutdownNow();
            try {
                if (!timer.awaitTermination(10, TimeUnit.SECONDS)) {
                    LOG.warn("the self-metrics reporter did not stop within 10 s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            timer = null;
        }
        reporter = null;
        if (http != null) {
            try {
                http.close();
            } catch (IOException e) {
                LOG.warn("{}", e.getMessage());
            }
            http = null;
        }
        if (alerting != null) {
            alerting.close();
            alerting = null;
        }
        if (engine != null) {
            try {
                engine.close();
            } catch (IOException | RuntimeException e) {
                LOG.error("closing the storage engine failed", e);
            }
            engine = null;
        }
    }

    /** The bound HTTP port (useful with {@code http.port 0}), or -1 when not running. */
    public synchronized int httpPort() {
        return http == null ? -1 : http.port();
    }

    /**
     * The bound carbon ports of the running receivers by protocol ({@code plaintext_tcp}, {@code plaintext_udp},
     * {@code pickle_tcp}), useful with port 0; empty when not running.
     */
    public synchronized Map<String, Integer> receiverPorts() {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (ReceiverBinding b : started) {
            out.putAll(b.receiver().boundPorts());
        }
        return out;
    }

    public synchronized boolean isRunning() {
        return engine != null;
    }

    /** The self-metrics reporter of the running server (its tick can be called directly), or null. */
    public synchronized SelfMetricsReporter reporter() {
        return reporter;
    }

    private static StartupException failure(String key, int port, Throwable e) {
        if (isBindFailure(e)) {
            return new StartupException(key + " " + port + " is in use", e);
        }
        return new StartupException("cannot listen on " + key + " " + port + ": " + e.getMessage(), e);
    }

    static boolean isBindFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException) {
                return true;
            }
            String m = t.getMessage();
            if (m != null && m.contains("Address already in use")) {
                return true;
            }
        }
        return false;
    }
}
