package io.tally.alerting;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One (alert, region) instance's state machine (spec 4.3 steps 6-9).
 *
 * <p>Order per evaluation: the raw result; no data and errors go to their policies once they have lasted
 * {@code after} (until then the state is kept; a policy's state applies at once, without {@code for}); a worse level
 * waits {@code for} (pending, reporting the previous state), a better one {@code keep_firing_for}; flap detection
 * over the last {@code flap.history} targets reports the worst of them while flapping; a change of the final state
 * is a {@link Transition}.
 *
 * <p>Threading: {@link #apply} runs on one evaluation thread at a time (the scheduler never evaluates an instance
 * twice concurrently) and holds this object's lock, uncontended except against a state-file write, so that
 * {@link #persisted()} sees a consistent instance; readers on the HTTP path take no lock and read the volatile
 * {@link #snapshot()}.
 */
public final class Instance {
    /** A series without data is forgotten after this long (or twice its no_data delay, if longer). */
    static final long FORGET_SERIES_MILLIS = 3_600_000;

    private final String alert;
    private final String region;
    private final String series; // the series of a per-series child (series: each), else null
    private volatile AlertDefinition definition;
    private volatile Snapshot snapshot = Snapshot.INITIAL;

    // evaluation-thread state (also written by restore before the scheduler starts)
    private State state = State.OK;
    private State timed = State.OK;
    private State lastLevel = State.OK;
    private long sinceMillis;
    private State pendingState;
    private long pendingSince;
    private int pendingCount;
    private long betterSince;
    private long noDataSince;
    private long errorSince;
    private boolean flapping;
    private final Deque<State> recent = new ArrayDeque<>();

    /** The next aligned slot due (epoch millis); read and written only by the thread that calls runDue. */
    long nextDue;

    // guarded by this
    private final Deque<Transition> history = new ArrayDeque<>();
    private final Map<String, Instance> children = new TreeMap<>(); // series: each, by series name
    private State notifiedState;
    private long notifiedAt;

    public Instance(AlertDefinition definition, String region) {
        this(definition, region, null);
    }

    private Instance(AlertDefinition definition, String region, String series) {
        this.alert = definition.id();
        this.region = region;
        this.series = series;
        this.definition = definition;
    }

    public String alert() {
        return alert;
    }

    public String region() {
        return region;
    }

    public AlertDefinition definition() {
        return definition;
    }

    void definition(AlertDefinition d) {
        definition = d;
    }

    public Snapshot snapshot() {
        return snapshot;
    }

    /** The previous raw level, for hysteresis. */
    State lastLevel() {
        return lastLevel;
    }

    /**
     * Applies one evaluation made at wall time {@code now} and returns the transitions it caused (recorded in the
     * history): at most one, or with {@code series: each} one per series that changed state.
     */
    synchronized List<Transition> apply(Evaluation e, long now, long nextEvaluation, int maxHistory) {
        List<Transition> out = new ArrayList<>(1);
        if (definition.series() == AlertDefinition.SeriesMode.EACH) {
            applyEach(e, now, nextEvaluation, out);
        } else {
            Transition t = applyOne(e, now, nextEvaluation);
            if (t != null) {
                out.add(t);
            }
        }
        for (Transition t : out) {
            history.addLast(t);
        }
        while (history.size() > maxHistory) {
            history.removeFirst();
        }
        return out;
    }

    /**
     * {@code series: each}: every series has its own state machine (its own hysteresis, {@code for}, no-data delay and
     * flap history); the instance reports the worst of them. A series that stops reporting goes through the no-data
     * policy like an instance and is forgotten after {@link #FORGET_SERIES_MILLIS}. When the query fails or matches
     * nothing before any series was seen, the instance itself takes the result.
     */
    private void applyEach(Evaluation e, long now, long next, List<Transition> out) {
        AlertDefinition d = definition;
        boolean broken = e.kind() == Evaluation.Kind.NO_DATA || e.kind() == Evaluation.Kind.ERROR;
        if (broken && children.isEmpty()) {
            Transition t = applyOne(e, now, next);
            if (t != null) {
                out.add(t);
            }
            return;
        }
        Set<String> seen = new HashSet<>();
        if (!broken) {
            for (Evaluation.SeriesValue sv : e.perSeries()) {
                Instance child = children.computeIfAbsent(sv.name(), n -> new Instance(d, region, n));
                child.definition = d;
                State level = Evaluator.level(d.condition(), sv.value(), child.lastLevel);
                Evaluation.SeriesValue mine = new Evaluation.SeriesValue(sv.name(), sv.value(), sv.points(), level);
                Transition t = child.applyOne(new Evaluation(Evaluation.Kind.of(level), sv.value(), sv.points(), 1,
                        sv.name(), "", List.of(mine)), now, next);
                if (t != null) {
                    out.add(t);
                }
                seen.add(sv.name());
            }
        }
        long forget = Math.max(FORGET_SERIES_MILLIS, 2 * d.noData().afterSeconds() * 1000);
        for (Iterator<Instance> it = children.values().iterator(); it.hasNext(); ) {
            Instance child = it.next();
            if (seen.contains(child.series)) {
                continue;
            }
            child.definition = d;
            Evaluation ce = broken
                    ? new Evaluation(e.kind(), Double.NaN, 0, 0, child.series, e.detail(), List.of(),
                    e.missingRegions(), e.missingPolicy())
                    : new Evaluation(Evaluation.Kind.NO_DATA, Double.NaN, 0, 0, child.series,
                    "this series has no points in the window", List.of());
            Transition t = child.applyOne(ce, now, next);
            if (t != null) {
                out.add(t);
            }
            if (child.noDataSince != 0 && now - child.noDataSince >= forget) {
                it.remove();
            }
        }
        // the instance: the worst series
        Instance worst = null;
        State pending = null;
        long pendingFrom = 0;
        boolean anyFlapping = false;
        List<Evaluation.SeriesValue> per = new ArrayList<>(children.size());
        for (Instance c : children.values()) {
            if (worst == null || worse(c, worst, d.condition())) {
                worst = c;
            }
            if (c.pendingState != null && (pending == null || c.pendingState.severity() > pending.severity())) {
                pending = c.pendingState;
                pendingFrom = c.pendingSince;
            }
            anyFlapping |= c.flapping;
            Snapshot cs = c.snapshot;
            per.add(new Evaluation.SeriesValue(c.series, cs.value(), cs.points(), c.state));
        }
        State fin = worst == null ? State.OK : worst.state;
        if (sinceMillis == 0) {
            sinceMillis = now;
        }
        if (fin != state) {
            if (out.isEmpty()) { // e.g. the worst series was forgotten
                out.add(new Transition(alert, region, null, state, fin, Double.NaN, scalar(d.condition(), false),
                        scalar(d.condition(), true), "series set changed", now));
            }
            state = fin;
            sinceMillis = now;
        }
        timed = fin;
        pendingState = pending;
        pendingSince = pendingFrom;
        flapping = anyFlapping;
        Snapshot ws = worst == null ? null : worst.snapshot;
        snapshot = new Snapshot(state, ws == null ? e.kind() : ws.raw(), ws == null ? e.value() : ws.value(),
                e.points(), e.series(), worst == null ? null : worst.series, ws == null ? e.detail() : ws.detail(),
                sinceMillis, pending, pendingFrom, anyFlapping, now, next,
                ws == null ? 0 : ws.problemSinceMillis(), per, e.missingRegions());
    }

    /** The threshold a transition records: warn or crit, NaN for the ranges of outside and inside. */
    private static double scalar(AlertDefinition.Condition c, boolean crit) {
        return c.direction().ranged() ? Double.NaN : crit ? c.crit() : c.warn();
    }

    /** Worse state first; between equal states, the value further on the breaching side. */
    private static boolean worse(Instance a, Instance b, AlertDefinition.Condition cond) {
        if (a.state.severity() != b.state.severity()) {
            return a.state.severity() > b.state.severity();
        }
        double va = a.snapshot.value();
        double vb = b.snapshot.value();
        if (Double.isNaN(vb)) {
            return !Double.isNaN(va);
        }
        return cond.badness(va) > cond.badness(vb);
    }

    /** One state machine step; returns the transition, or null when the final state stayed the same. */
    private Transition applyOne(Evaluation e, long now, long nextEvaluation) {
        AlertDefinition d = definition;
        boolean first = !snapshot.evaluated() && sinceMillis == 0;
        if (first) {
            sinceMillis = now;
        }
        State target;
        boolean immediate;
        String reason;
        State level = e.kind().level();
        if (level != null) {
            lastLevel = level;
            noDataSince = 0;
            errorSince = 0;
            target = level;
            immediate = false;
            reason = "";
        } else {
            boolean noData = e.kind() == Evaluation.Kind.NO_DATA;
            AlertDefinition.Policy p = noData ? d.noData()
                    : e.missingPolicy() != null ? new AlertDefinition.Policy(e.missingPolicy(), 0) : d.onError();
            if (noData) {
                errorSince = 0;
                noDataSince = noDataSince == 0 ? now : noDataSince;
            } else {
                noDataSince = 0;
                errorSince = errorSince == 0 ? now : errorSince;
            }
            long lasted = now - (noData ? noDataSince : errorSince);
            State ps = p.kind().state();
            target = lasted >= p.afterSeconds() * 1000 && ps != null ? ps : timed;
            immediate = true;
            reason = noData ? "no data" : e.missingRegions().isEmpty() ? "error" : "partial answer";
        }
        // timing
        if (immediate || target == timed) {
            pendingState = null;
            pendingSince = 0;
            pendingCount = 0;
            betterSince = 0;
            timed = target;
        } else if (target.severity() > timed.severity()) {
            betterSince = 0;
            if (pendingState == null) {
                pendingSince = now;
                pendingCount = 0;
            }
            pendingState = target;
            pendingCount++;
            if (now - pendingSince >= d.forSeconds() * 1000 && pendingCount >= d.consecutive()) {
                timed = target;
                pendingState = null;
                pendingSince = 0;
                pendingCount = 0;
            }
        } else {
            pendingState = null;
            pendingSince = 0;
            pendingCount = 0;
            if (betterSince == 0) {
                betterSince = now;
            }
            if (now - betterSince >= d.keepFiringForSeconds() * 1000) {
                timed = target;
                betterSince = 0;
            }
        }
        // flapping
        State fin = timed;
        AlertDefinition.Flap flap = d.flap();
        if (flap != null) {
            recent.addLast(target);
            while (recent.size() > flap.history()) {
                recent.removeFirst();
            }
            double pct = changePercent(recent);
            if (!flapping && pct > flap.high()) {
                flapping = true;
            } else if (flapping && pct < flap.low()) {
                flapping = false;
            }
            if (flapping) {
                for (State s : recent) {
                    fin = State.worst(fin, s);
                }
            }
        } else {
            flapping = false;
            recent.clear();
        }
        Transition t = null;
        if (fin != state) {
            t = new Transition(alert, region, series != null ? series : e.seriesName(), state, fin, e.value(),
                    scalar(d.condition(), false), scalar(d.condition(), true),
                    reason.isEmpty() ? e.detail() : reason + ": " + e.detail(), now);
            state = fin;
            sinceMillis = now;
        }
        snapshot = new Snapshot(state, e.kind(), e.value(), e.points(), e.series(), e.seriesName(), e.detail(),
                sinceMillis, pendingState, pendingSince, flapping, now, nextEvaluation, Math.max(noDataSince, errorSince),
                e.perSeries(), e.missingRegions());
        return t;
    }

    static double changePercent(Deque<State> states) {
        if (states.size() < 2) {
            return 0;
        }
        int changes = 0;
        State prev = null;
        for (State s : states) {
            if (prev != null && s != prev) {
                changes++;
            }
            prev = s;
        }
        return 100.0 * changes / (states.size() - 1);
    }

    /** Transitions with {@code from <= atMillis <= until}, oldest first. */
    public synchronized List<Transition> history(long from, long until) {
        List<Transition> out = new ArrayList<>();
        for (Transition t : history) {
            if (t.atMillis() >= from && t.atMillis() <= until) {
                out.add(t);
            }
        }
        return out;
    }

    synchronized State notifiedState() {
        return notifiedState;
    }

    synchronized long notifiedAt() {
        return notifiedAt;
    }

    synchronized void notified(State s, long at) {
        notifiedState = s;
        notifiedAt = at;
    }

    /** What the store persists; taken under the lock so history and bookkeeping are consistent. */
    synchronized Persisted persisted() {
        Snapshot s = snapshot;
        List<Persisted> kids = new ArrayList<>(children.size());
        for (Instance c : children.values()) {
            kids.add(c.persisted());
        }
        return new Persisted(alert, region, series, state, timed, lastLevel, sinceMillis, pendingState, pendingSince,
                pendingCount, noDataSince, errorSince, flapping, s.evaluatedAt(), s.value(), s.points(), s.detail(),
                notifiedState, notifiedAt, List.copyOf(history), kids);
    }

    /** Restores what {@link #persisted()} saved (before the scheduler runs). */
    synchronized void restore(Persisted p) {
        state = p.state();
        timed = p.timed();
        lastLevel = p.lastLevel();
        sinceMillis = p.sinceMillis();
        pendingState = p.pendingState();
        pendingSince = p.pendingSince();
        pendingCount = p.pendingCount();
        noDataSince = p.noDataSince();
        errorSince = p.errorSince();
        flapping = p.flapping();
        notifiedState = p.notifiedState();
        notifiedAt = p.notifiedAt();
        history.clear();
        history.addAll(p.history());
        children.clear();
        for (Persisted c : p.children()) {
            Instance child = new Instance(definition, region, c.series());
            child.restore(c);
            children.put(c.series(), child);
        }
        Evaluation.Kind raw = Evaluation.Kind.of(state);
        snapshot = new Snapshot(state, raw, p.value(), p.points(), 0, null, p.detail(), sinceMillis, pendingState,
                pendingSince, flapping, p.evaluatedAt(), 0, Math.max(p.noDataSince(), p.errorSince()), List.of(),
                Map.of());
    }

    /** An instance's durable state (see {@link StateStore}). */
    record Persisted(String alert, String region, String series, State state, State timed, State lastLevel,
                     long sinceMillis, State pendingState, long pendingSince, int pendingCount, long noDataSince,
                     long errorSince,
                     boolean flapping, long evaluatedAt, double value, int points, String detail,
                     State notifiedState, long notifiedAt, List<Transition> history, List<Persisted> children) {
    }
}
