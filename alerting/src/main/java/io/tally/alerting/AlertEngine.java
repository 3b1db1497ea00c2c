package io.tally.alerting;

import io.tally.engine.util.Clock;
import io.tally.engine.util.MetricsRegistry;
import io.tally.engine.util.RateLimitedLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The alerting core, framework-free: definitions (from files and from the API), one {@link Instance} per
 * (alert, region), the aligned schedule, silences, acks, notifications and persistence.
 *
 * <p>Schedule: an instance of an alert with interval I is evaluated at the slots {@code T = k·I} (epoch-aligned);
 * {@link #runDue(long)} evaluates every instance whose slot has come, on the evaluation pool, and returns when they
 * are all done, so tests drive it with a manual clock and no sleeping. A new instance evaluates at once for the
 * current slot.
 *
 * <p>Threading: {@link #runDue} is called by one thread (the scheduler, or a test); evaluations run on the
 * {@code evalPool}; definitions are swapped as one immutable map (volatile); instances, silences and acks live in
 * concurrent maps; reads ({@link #report}) take no locks. Persistence writes happen on the caller of
 * {@link #runDue} or of a change method (never an event loop), serialised by the store.
 */
public final class AlertEngine {
    private static final Logger LOG = LoggerFactory.getLogger(AlertEngine.class);
    static final int MAX_SILENCES = 10_000;

    /** A definition with the JSON it was made from (API definitions only; null for files). */
    public record Entry(AlertDefinition definition, String apiJson) {
    }

    private final AlertingConfig config;
    private final Evaluator evaluator;
    private final Clock clock;
    private final StateStore store;
    private final Notifier notifier;
    private final String region;
    private final List<String> regions;
    private final ExecutorService evalPool;
    private final RateLimitedLog errors = new RateLimitedLog(LOG);
    private final Object definitionsLock = new Object();
    private volatile Map<String, Entry> definitions = Map.of();
    private List<AlertDefinition> fileDefinitions = List.of(); // guarded by definitionsLock
    private final Map<String, Entry> apiDefinitions = new LinkedHashMap<>(); // guarded by definitionsLock
    private final ConcurrentHashMap<String, Instance> instances = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Silence> silences = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Ack> acks = new ConcurrentHashMap<>();
    private volatile boolean dirty;
    private volatile long lastRoundStart;
    private volatile long lastRoundEnd;
    private volatile long lastRoundMillis;
    /** Duration of rounds that evaluated something ({@code alerting.round_ms.*} per reporting interval). */
    private final io.tally.engine.util.LatencyTimer roundTimer;
    private volatile String storeProblem;
    private volatile String restoreProblem; // reported by health() until the process restarts
    private final AtomicLong failing = new AtomicLong();
    private final List<Consumer<Transition>> transitionListeners = new CopyOnWriteArrayList<>();
    private final LongAdder evaluations;
    private final LongAdder evaluationErrors;
    private final LongAdder transitions;

    public AlertEngine(AlertingConfig config, Evaluator evaluator, Clock clock, MetricsRegistry metrics,
                       StateStore store, Notifier notifier, String region, List<String> regions,
                       ExecutorService evalPool) {
        this.config = config;
        this.evaluator = evaluator;
        this.clock = clock;
        this.store = store;
        this.notifier = notifier;
        this.region = region;
        this.regions = regions.isEmpty() ? List.of(region) : List.copyOf(regions);
        this.evalPool = evalPool;
        this.evaluations = metrics.counter("alerting.evaluations");
        this.evaluationErrors = metrics.counter("alerting.evaluation-errors");
        this.transitions = metrics.counter("alerting.transitions");
        metrics.gauge("alerting.instances", instances::size);
        metrics.gauge("alerting.round-millis", () -> lastRoundMillis);
        this.roundTimer = metrics.timer("alerting.round_ms");
        for (State st : State.values()) {
            metrics.gauge("alerting.instances." + st.name().toLowerCase(java.util.Locale.ROOT), () -> countIn(st));
        }
        metrics.gauge("alerting.scheduler_lag_ms", () -> Math.max(0, health().lagMillis()));
    }

    /** Instances whose reported state (before silences) is {@code st}; for the self-metric gauges. */
    private int countIn(State st) {
        int n = 0;
        for (Instance i : instances.values()) {
            if (i.snapshot().state() == st) {
                n++;
            }
        }
        return n;
    }

    public String region() {
        return region;
    }

    public List<String> regions() {
        return regions;
    }

    public Clock clock() {
        return clock;
    }

    // ---- definitions ----

    /** Replaces the file-defined set (a reload); API definitions stay unless a file now defines the same id. */
    public void setFileDefinitions(List<AlertDefinition> defs) {
        synchronized (definitionsLock) {
            fileDefinitions = List.copyOf(defs);
            for (AlertDefinition d : defs) {
                if (apiDefinitions.remove(d.id()) != null) {
                    LOG.warn("alert {} is now defined in {}; the API definition is dropped", d.id(), d.source());
                }
            }
            publish();
        }
    }

    /**
     * Adds or replaces an API definition.
     *
     * @throws DefinitionException when a file defines that id (change the file instead)
     */
    public void putApiDefinition(AlertDefinition d, String json) {
        synchronized (definitionsLock) {
            for (AlertDefinition f : fileDefinitions) {
                if (f.id().equals(d.id())) {
                    throw new DefinitionException("api", "id", "alert '" + d.id() + "' is defined in " + f.source()
                            + "; change it there");
                }
            }
            if (!apiDefinitions.containsKey(d.id())
                    && apiDefinitions.size() + fileDefinitions.size() >= config.limits().maxAlerts()) {
                throw new DefinitionException("api", "id", "already " + config.limits().maxAlerts()
                        + " alerts defined");
            }
            apiDefinitions.put(d.id(), new Entry(d, json));
            publish();
        }
        persist();
    }

    /** Removes an API definition; false when there is none with that id. */
    public boolean deleteApiDefinition(String id) {
        synchronized (definitionsLock) {
            if (apiDefinitions.remove(id) == null) {
                return false;
            }
            publish();
        }
        persist();
        return true;
    }

    /** The definition of {@code id}, or null. */
    public Entry definition(String id) {
        return definitions.get(id);
    }

    public Collection<Entry> definitions() {
        return definitions.values();
    }

    /** Rebuilds the published map and the instance set; caller holds definitionsLock. */
    private void publish() {
        Map<String, Entry> all = new LinkedHashMap<>();
        for (AlertDefinition d : fileDefinitions) {
            all.put(d.id(), new Entry(d, null));
        }
        all.putAll(apiDefinitions);
        Map<String, Instance> wanted = new HashMap<>();
        for (Entry e : all.values()) {
            for (String r : instanceRegions(e.definition())) {
                String key = key(e.definition().id(), r);
                Instance existing = instances.get(key);
                if (existing != null) {
                    existing.definition(e.definition());
                    wanted.put(key, existing);
                } else {
                    wanted.put(key, new Instance(e.definition(), r));
                }
            }
        }
        instances.keySet().retainAll(wanted.keySet());
        wanted.forEach(instances::putIfAbsent);
        definitions = Map.copyOf(all);
        dirty = true;
    }

    /** The regions this node evaluates for a definition. */
    List<String> instanceRegions(AlertDefinition d) {
        List<String> out = new ArrayList<>();
        List<String> candidates = config.evaluateAllRegions() ? regions : List.of(region);
        for (String r : candidates) {
            if (d.coversRegion(r)) {
                out.add(r);
            }
        }
        return out;
    }

    static String key(String alert, String region) {
        return alert + '\u0000' + region;
    }

    public Instance instance(String alert, String region) {
        return instances.get(key(alert, region));
    }

    public Collection<Instance> instances() {
        return instances.values();
    }

    /**
     * Called with every transition, on the evaluation thread that made it (keep it short and non-blocking), e.g. to
     * record it as a Graphite event for Grafana annotations.
     */
    public void addTransitionListener(Consumer<Transition> listener) {
        transitionListeners.add(listener);
    }

    // ---- evaluation ----

    /**
     * Evaluates every enabled instance whose aligned slot is due at {@code nowMillis}, waits for them, then persists
     * what changed. Returns the number of evaluations. One caller at a time.
     */
    public int runDue(long nowMillis) {
        long start = System.nanoTime();
        lastRoundStart = nowMillis;
        List<Future<?>> running = new ArrayList<>();
        for (Instance inst : instances.values()) {
            AlertDefinition d = inst.definition();
            if (!d.enabled()) {
                continue;
            }
            long intervalMs = d.intervalSeconds() * 1000;
            if (inst.nextDue > nowMillis) {
                continue;
            }
            long slot = Math.floorDiv(nowMillis, intervalMs) * intervalMs;
            inst.nextDue = slot + intervalMs;
            running.add(evalPool.submit(() -> evaluate(inst, slot / 1000, nowMillis, slot + intervalMs)));
        }
        long failed = 0;
        for (Future<?> f : running) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (ExecutionException e) {
                failed++;
                errors.warn("alert evaluation failed: {}", e.getCause().toString());
            }
        }
        if (failed > 0) {
            failing.addAndGet(failed);
        }
        lastRoundMillis = (System.nanoTime() - start) / 1_000_000;
        if (!running.isEmpty()) {
            roundTimer.recordNanos(System.nanoTime() - start);
        }
        lastRoundEnd = nowMillis;
        if (dirty) {
            persist();
        }
        return running.size();
    }

    private void evaluate(Instance inst, long slotSeconds, long now, long next) {
        AlertDefinition d = inst.definition();
        Snapshot before = inst.snapshot();
        Evaluation e = evaluator.evaluate(d, inst.region(), slotSeconds, inst.lastLevel());
        evaluations.increment();
        if (e.kind() == Evaluation.Kind.ERROR) {
            evaluationErrors.increment();
        }
        List<Transition> ts = inst.apply(e, now, next, config.limits().maxTransitionsPerInstance());
        Snapshot after = inst.snapshot();
        if (!ts.isEmpty()) {
            transitions.add(ts.size());
            dirty = true;
            for (Transition t : ts) {
                for (Consumer<Transition> l : transitionListeners) {
                    try {
                        l.accept(t);
                    } catch (RuntimeException ex) {
                        errors.warn("a transition listener failed: {}", ex.toString());
                    }
                }
            }
        } else if (after.pendingState() != before.pendingState() || after.flapping() != before.flapping()
                || after.raw() != before.raw()) {
            dirty = true;
        }
        notifyIfDue(inst, now);
    }

    /**
     * Tattle's rule (spec 1.6): notify when the state differs from the last notified one, or when it is not OK and
     * {@code repeat} has passed since the last notification. While a silence, an ack or the closed active window
     * applies, nothing is sent and the bookkeeping stays as it was (Tattle's Period): a problem that began or
     * persisted meanwhile notifies when it ends, a recovery meanwhile notifies its OK then.
     */
    private void notifyIfDue(Instance inst, long now) {
        AlertDefinition d = inst.definition();
        if (d.subscriptions().isEmpty()) {
            return;
        }
        Report r = report(inst, d, now, false);
        if (r.modifier() != null) {
            return;
        }
        State shown = r.state();
        State previous = inst.notifiedState();
        boolean change = previous == null ? shown != State.OK : shown != previous;
        boolean repeat = !change && shown != State.OK && d.repeatSeconds() > 0
                && now - inst.notifiedAt() >= d.repeatSeconds() * 1000;
        if (!change && !repeat) {
            return;
        }
        State prev = previous == null ? State.OK : previous;
        for (AlertDefinition.Notify n : d.subscriptions()) {
            if (!n.enabled()) {
                continue;
            }
            boolean wanted = n.states().contains(shown) || (change && shown == State.OK && n.states().contains(prev));
            if (wanted) {
                notifier.send(n, r, prev, repeat);
            }
        }
        inst.notified(shown, now);
        dirty = true;
    }

    /** A dry run: evaluates {@code d} for {@code region} at the current slot without touching any state. */
    public Evaluation test(AlertDefinition d, String region) {
        long now = clock.currentTimeMillis();
        long intervalMs = d.intervalSeconds() * 1000;
        Instance inst = instance(d.id(), region);
        State previous = inst == null ? State.OK : inst.lastLevel();
        return evaluator.evaluate(d, region, Math.floorDiv(now, intervalMs) * intervalMs / 1000, previous);
    }

    // ---- reading ----

    /** What {@code /alerting/nagios/{alert}/{region}} reports now. */
    public Report report(String alert, String region, boolean pendingAsWarning) {
        long now = clock.currentTimeMillis();
        Entry e = definitions.get(alert);
        if (e == null) {
            return new Report(alert, region, null, null, State.UNKNOWN, State.UNKNOWN, "no such alert", null, false,
                    null, null, now);
        }
        Instance inst = instances.get(key(alert, region));
        if (inst == null) {
            String why = e.definition().coversRegion(region) && regions.contains(region)
                    ? "region " + region + " is evaluated by its own Tally"
                    : "no such region for this alert";
            return new Report(alert, region, e.definition(), null, State.UNKNOWN, State.UNKNOWN, why, null, false,
                    null, null, now);
        }
        return reportAt(inst, now, pendingAsWarning);
    }

    public Report reportAt(Instance inst, long now, boolean pendingAsWarning) {
        return report(inst, inst.definition(), now, pendingAsWarning);
    }

    private Report report(Instance inst, AlertDefinition d, long now, boolean pendingAsWarning) {
        Snapshot s = inst.snapshot();
        if (!d.enabled()) {
            return new Report(d.id(), inst.region(), d, s, State.OK, State.OK, "alert disabled", null, false, null,
                    null, now);
        }
        if (!s.evaluated()) {
            return new Report(d.id(), inst.region(), d, s, State.UNKNOWN, State.UNKNOWN, "not evaluated yet", null,
                    false, null, null, now);
        }
        State real = s.state();
        String problem = null;
        long age = now - s.evaluatedAt();
        long staleMs = d.staleAfterIntervals() * d.intervalSeconds() * 1000;
        if (age > staleMs) {
            real = State.UNKNOWN;
            problem = "evaluation stale " + Durations.format(age / 60_000 * 60 == 0 ? age / 1000 : age / 60_000 * 60)
                    + " (interval " + Durations.format(d.intervalSeconds()) + ")";
        } else if (pendingAsWarning && s.pendingState() != null && real == State.OK) {
            real = State.WARNING;
        }
        Map<String, String> labels = silences.isEmpty() ? Map.of() : labels(d, inst.region());
        for (Silence sil : silences.values()) {
            if (sil.activeAt(now) && sil.matches(labels)) {
                String mod = "silenced until " + Instant.ofEpochMilli(sil.endsAt()) + " by " + sil.createdBy();
                boolean annotate = sil.effect() == Silence.Effect.ANNOTATE;
                return new Report(d.id(), inst.region(), d, s, annotate ? real : State.OK, real, problem, mod,
                        annotate, sil, null, now);
            }
        }
        Ack ack = acks.get(key(d.id(), inst.region()));
        if (ack != null && ack.validFor(s.state(), now) && real != State.OK) {
            String mod = "acknowledged by " + ack.by() + " until " + Instant.ofEpochMilli(ack.expiresAt());
            return new Report(d.id(), inst.region(), d, s, State.OK, real, problem, mod, false, null, ack, now);
        }
        if (real != State.OK) {
            for (AlertDefinition.Inhibit rule : d.inhibit()) {
                Instance source = firingSource(rule, d, inst.region(), now);
                if (source != null) {
                    return new Report(d.id(), inst.region(), d, s, State.OK, real, problem, "inhibited by "
                            + source.alert() + "[" + source.region() + "]", false, null, null, now);
                }
            }
        }
        if (!d.active().isEmpty() && real != State.OK) {
            boolean inside = false;
            for (AlertDefinition.ActiveWindow w : d.active()) {
                inside |= w.contains(now / 1000);
            }
            if (!inside) {
                return new Report(d.id(), inst.region(), d, s, State.OK, real, problem, "outside active window",
                        false, null, null, now);
            }
        }
        return new Report(d.id(), inst.region(), d, s, real, real, problem, null, false, null, null, now);
    }

    /**
     * An instance of the rule's source alert that fires (WARNING or CRITICAL, evaluated recently) and agrees with
     * this instance on the rule's {@code equal} labels, or null.
     */
    private Instance firingSource(AlertDefinition.Inhibit rule, AlertDefinition d, String region, long now) {
        Entry src = definitions.get(rule.sourceAlert());
        if (src == null || !src.definition().enabled()) {
            return null;
        }
        Map<String, String> mine = labels(d, region);
        for (String r : regions) {
            Instance i = instances.get(key(rule.sourceAlert(), r));
            if (i == null) {
                continue;
            }
            Snapshot ss = i.snapshot();
            AlertDefinition sd = i.definition();
            boolean fresh = ss.evaluated()
                    && now - ss.evaluatedAt() <= sd.staleAfterIntervals() * sd.intervalSeconds() * 1000;
            if (!fresh || (ss.state() != State.WARNING && ss.state() != State.CRITICAL)) {
                continue;
            }
            Map<String, String> theirs = labels(sd, r);
            boolean same = true;
            for (String k : rule.equal()) {
                same &= java.util.Objects.equals(mine.get(k), theirs.get(k));
            }
            if (same) {
                return i;
            }
        }
        return null;
    }

    /** The labels silences match: the alert's labels plus {@code alert}, {@code region} and {@code group}. */
    public static Map<String, String> labels(AlertDefinition d, String region) {
        Map<String, String> m = new HashMap<>(d.labels());
        m.put("alert", d.id());
        m.put("region", region);
        m.put("group", d.group());
        return m;
    }

    // ---- silences and acks ----

    /**
     * Adds a silence.
     *
     * @throws IllegalArgumentException when {@value #MAX_SILENCES} silences exist already
     */
    public Silence addSilence(List<Silence.Matcher> matchers, long startsAt, long endsAt, String by, String comment,
                              Silence.Effect effect) {
        if (silences().size() >= MAX_SILENCES) {
            throw new IllegalArgumentException("already " + MAX_SILENCES + " silences; delete some first");
        }
        Silence s = new Silence(UUID.randomUUID().toString(), matchers, startsAt, endsAt, by, comment, effect);
        silences.put(s.id(), s);
        dirty = true;
        persist();
        return s;
    }

    public boolean removeSilence(String id) {
        boolean removed = silences.remove(id) != null;
        if (removed) {
            dirty = true;
            persist();
        }
        return removed;
    }

    /** Silences not yet ended, by start time. */
    public List<Silence> silences() {
        long now = clock.currentTimeMillis();
        silences.values().removeIf(s -> s.endsAt() <= now);
        List<Silence> out = new ArrayList<>(silences.values());
        out.sort((a, b) -> Long.compare(a.startsAt(), b.startsAt()));
        return out;
    }

    /** Acknowledges the instance's current state; null when there is no such instance. */
    public Ack ack(String alert, String region, String by, String comment, long expiresAt) {
        Instance inst = instance(alert, region);
        if (inst == null) {
            return null;
        }
        Ack a = new Ack(alert, region, inst.snapshot().state(), by, comment, clock.currentTimeMillis(), expiresAt);
        acks.put(key(alert, region), a);
        dirty = true;
        persist();
        return a;
    }

    // ---- health ----

    /** The evaluator's own health (spec 4.5 {@code /alerting/nagios/self}). */
    public record Health(long lastRoundEnd, long lagMillis, long roundMillis, int instances, int overdue,
                         int failingInstances, long failedEvaluations, String storeProblem) {
    }

    public Health health() {
        long now = clock.currentTimeMillis();
        int overdue = 0;
        int failingInstances = 0;
        for (Instance i : instances.values()) {
            AlertDefinition d = i.definition();
            if (!d.enabled()) {
                continue;
            }
            Snapshot s = i.snapshot();
            if (now - s.evaluatedAt() > 2 * d.intervalSeconds() * 1000) {
                overdue++;
            }
            if (s.raw() == Evaluation.Kind.ERROR && s.missingRegions().isEmpty()) { // a missing peer is not our fault
                failingInstances++;
            }
        }
        long lag = lastRoundEnd == 0 ? -1 : now - lastRoundEnd;
        return new Health(lastRoundEnd, lag, lastRoundMillis, instances.size(), overdue, failingInstances,
                failing.get(), storeProblem != null ? storeProblem : restoreProblem);
    }

    // ---- persistence ----

    /** Restores state saved by a previous run; call after the definitions are set, before the scheduler starts. */
    public void restore() {
        if (store == null) {
            return;
        }
        StateStore.Data data;
        try {
            data = store.load(new DefinitionParser(config.limits(), evaluator.federated()));
        } catch (IOException | RuntimeException e) {
            java.nio.file.Path aside = store.quarantine();
            LOG.error("alerting state could not be read ({}), starting without it; the file was moved to {}",
                    e.toString(), aside);
            restoreProblem = "unreadable state file moved to " + aside;
            return;
        }
        synchronized (definitionsLock) {
            for (Entry e : data.apiDefinitions()) {
                boolean fromFile = fileDefinitions.stream().anyMatch(f -> f.id().equals(e.definition().id()));
                if (!fromFile) {
                    apiDefinitions.put(e.definition().id(), e);
                }
            }
            publish();
        }
        for (Instance.Persisted p : data.instances()) {
            Instance inst = instances.get(key(p.alert(), p.region()));
            if (inst != null) {
                inst.restore(p);
            }
        }
        long now = clock.currentTimeMillis();
        for (Silence s : data.silences()) {
            if (s.endsAt() > now) {
                silences.put(s.id(), s);
            }
        }
        for (Ack a : data.acks()) {
            if (a.expiresAt() > now) {
                acks.put(key(a.alert(), a.region()), a);
            }
        }
    }

    /** Writes the state file now (when there is a store). */
    public void persist() {
        if (store == null) {
            return;
        }
        dirty = false;
        List<Instance.Persisted> ps = new ArrayList<>(instances.size());
        for (Instance i : instances.values()) {
            ps.add(i.persisted());
        }
        List<Entry> api;
        synchronized (definitionsLock) {
            api = List.copyOf(apiDefinitions.values());
        }
        long now = clock.currentTimeMillis();
        acks.values().removeIf(a -> a.expiresAt() <= now);
        try {
            store.save(new StateStore.Data(ps, List.copyOf(silences.values()), List.copyOf(acks.values()), api));
            storeProblem = null;
        } catch (IOException | RuntimeException e) {
            dirty = true;
            storeProblem = e.toString();
            errors.warn("alerting state could not be written: {}", e.toString());
        }
    }
}
