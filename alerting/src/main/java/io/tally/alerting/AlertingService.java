package io.tally.alerting;

import io.tally.alerting.http.AlertingHttp;
import io.tally.engine.util.BackgroundPriority;
import io.tally.engine.util.Clock;
import io.tally.engine.util.MetricsRegistry;
import io.tally.query.HttpExtension;
import io.tally.query.Renderer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The alerting module's entry point for the server: loads the definitions, restores the saved state, runs the
 * schedule and hands out the HTTP routes ({@link #httpExtension()}).
 *
 * <p>Threads: {@code tally-alert-scheduler} (1) ticks every second, runs {@link AlertEngine#runDue} for the clock's
 * time and polls the definition files every {@code reloadSeconds}; {@code tally-alert-eval-N}
 * ({@code evalThreads}) evaluate instances; webhooks go out on the {@link java.net.http.HttpClient}'s threads;
 * {@code tally-alert-events} (1) records transitions as Graphite events. None of them is a Vert.x event loop. {@link #reload()} is synchronised (the scheduler and the API may both call it).
 */
public final class AlertingService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AlertingService.class);
    private static final int EVENT_QUEUE = 10_000;

    private final AlertingConfig config;
    private final Clock clock;
    private final DefinitionParser parser;
    private final DefinitionLoader loader;
    private final AlertEngine engine;
    private final WebhookNotifier notifier;
    private final ExecutorService evalPool;
    private final ScheduledExecutorService scheduler;
    private final ThreadPoolExecutor eventWriter;
    private final LongAdder eventsDropped;
    private volatile String lastReloadError;
    private volatile boolean restored;
    private long lastReloadCheck;

    private AlertingService(AlertingConfig config, Renderer renderer, Clock clock, MetricsRegistry metrics,
                            Path dataDir, String region, List<String> regions) {
        this.config = config;
        this.clock = clock;
        this.parser = new DefinitionParser(config.limits(), renderer.federation() != null);
        this.loader = config.alertsPath() == null ? null : new DefinitionLoader(config.alertsPath(), parser);
        this.notifier = new WebhookNotifier(config, metrics);
        AtomicInteger n = new AtomicInteger();
        this.evalPool = Executors.newFixedThreadPool(config.evalThreads(), r -> {
            // below the event loops in the OS scheduler, so a Nagios poll is answered at once during a round
            Thread t = new Thread(BackgroundPriority.lowered(r), "tally-alert-eval-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tally-alert-scheduler");
            t.setDaemon(true);
            return t;
        });
        this.eventWriter = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(EVENT_QUEUE), r -> {
            Thread t = new Thread(r, "tally-alert-events");
            t.setDaemon(true);
            return t;
        }, (task, pool) -> eventsDropped().increment());
        this.eventsDropped = metrics.counter("alerting.events.dropped");
        this.engine = new AlertEngine(config, new Evaluator(renderer), clock, metrics,
                dataDir == null ? null : new StateStore(dataDir), notifier, region, regions, evalPool);
    }

    /**
     * Loads, restores and starts the schedule.
     *
     * @param renderer the Graphite query path ({@code new Renderer(engine, limits, clock, FunctionRegistry.standard())})
     * @param dataDir  where {@code alerting/state.json} is kept; null: nothing survives a restart
     * @param region   this node's region; {@code regions} every region of the federation (may be empty)
     * @throws DefinitionException when the definition files are bad at start (naming file and field)
     */
    public static AlertingService start(AlertingConfig config, Renderer renderer, Clock clock, MetricsRegistry metrics,
                                        Path dataDir, String region, List<String> regions) {
        AlertingService s = create(config, renderer, clock, metrics, dataDir, region, regions);
        s.scheduler.scheduleWithFixedDelay(s::tick, 1, 1, TimeUnit.SECONDS);
        return s;
    }

    /** As {@link #start} without the scheduler thread: tests call {@link AlertEngine#runDue} themselves. */
    public static AlertingService create(AlertingConfig config, Renderer renderer, Clock clock,
                                         MetricsRegistry metrics, Path dataDir, String region, List<String> regions) {
        AlertingService s = new AlertingService(config, renderer, clock, metrics, dataDir, region, regions);
        try {
            if (s.loader != null) {
                List<AlertDefinition> defs = s.loader.load();
                s.checkRefs(defs);
                s.engine.setFileDefinitions(defs);
            }
            s.engine.restore();
            s.restored = true;
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
        LOG.info("alerting: {} definitions, {} instances", s.engine.definitions().size(), s.engine.instances().size());
        return s;
    }

    public AlertEngine engine() {
        return engine;
    }

    public DefinitionParser parser() {
        return parser;
    }

    /** The routes of spec 4.5, to mount on Tally's HTTP server. */
    public HttpExtension httpExtension() {
        return new AlertingHttp(this);
    }

    /** Where {@link #recordTransitionsAsEvents} sends transitions; blocking is fine (its own thread). */
    @FunctionalInterface
    public interface EventSink {
        void record(Transition t) throws IOException;
    }

    /**
     * Records every transition with {@code sink} on the {@code tally-alert-events} thread; when a storm of
     * transitions fills its queue ({@value #EVENT_QUEUE}), the excess is dropped and counted
     * ({@code alerting.events.dropped}) rather than slowing evaluation. The history keeps them all.
     */
    public void recordTransitionsAsEvents(EventSink sink) {
        engine.addTransitionListener(t -> {
            eventWriter.execute(() -> {
                try {
                    sink.record(t);
                } catch (IOException | RuntimeException e) {
                    LOG.warn("alerting: a transition could not be recorded as an event: {}", e.toString());
                }
            });
        });
    }

    private LongAdder eventsDropped() {
        return eventsDropped;
    }

    /** Waits until the transitions handed to the event sink so far are recorded (tests). */
    void awaitEvents() throws Exception {
        eventWriter.submit(() -> { }).get(30, TimeUnit.SECONDS);
    }

    /** The last reload problem (file and field), or null. */
    public String lastReloadError() {
        return lastReloadError;
    }

    /**
     * Re-reads the definition files. A bad file keeps the previous set.
     *
     * @return the number of file definitions now loaded
     * @throws DefinitionException naming the file and field of the problem
     */
    public synchronized int reload() {
        if (loader == null) {
            return 0;
        }
        try {
            List<AlertDefinition> defs = loader.load();
            checkRefs(defs);
            engine.setFileDefinitions(defs);
            lastReloadError = null;
            LOG.info("alerting: reloaded {} definitions from {}", defs.size(), config.alertsPath());
            return defs.size();
        } catch (DefinitionException e) {
            lastReloadError = e.getMessage();
            LOG.error("alerting: definitions not reloaded, the previous set stays: {}", e.getMessage());
            throw e;
        }
    }

    /** A subscription's {@code ref} must name a configured webhook; a shared target across regions is worth a warning. */
    void checkRefs(List<AlertDefinition> defs) {
        for (AlertDefinition d : defs) {
            checkRefs(d);
            if (!d.target().contains("${region}") && (d.regions().contains("*") || d.regions().size() > 1)) {
                LOG.warn("{}: alert {} runs in several regions but its target has no ${{region}}: every region "
                        + "evaluates the same series", d.source(), d.id());
            }
        }
    }

    public void checkRefs(AlertDefinition d) {
        List<AlertDefinition.Notify> subs = d.subscriptions();
        for (int i = 0; i < subs.size(); i++) {
            String ref = subs.get(i).ref();
            if (ref != null && !config.webhooks().containsKey(ref)) {
                throw new DefinitionException(d.source(), d.id() + ".notify[" + i + "].ref",
                        "no webhook named '" + ref + "' is configured");
            }
        }
    }

    /** One scheduler tick: evaluate what is due, and poll the files now and then. */
    void tick() {
        try {
            long now = clock.currentTimeMillis();
            if (loader != null && config.reloadSeconds() > 0 && now - lastReloadCheck >= config.reloadSeconds() * 1000) {
                lastReloadCheck = now;
                if (loader.changed()) {
                    try {
                        reload();
                    } catch (DefinitionException e) {
                        // logged by reload; the previous set stays
                    }
                }
            }
            engine.runDue(now);
        } catch (RuntimeException e) {
            LOG.error("alerting scheduler tick failed", e);
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        evalPool.shutdownNow();
        eventWriter.shutdown();
        try {
            scheduler.awaitTermination(10, TimeUnit.SECONDS);
            evalPool.awaitTermination(10, TimeUnit.SECONDS);
            eventWriter.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (restored) {
            engine.persist(); // never over a good file when start-up failed before reading it
        }
        notifier.close();
    }
}
