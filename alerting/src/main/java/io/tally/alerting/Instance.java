package io.tally.alerting;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

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
    private final String alert;
    private final String region;
    private volatile AlertDefinition definition;
    private volatile Snapshot snapshot = Snapshot.INITIAL;

    // evaluation-thread state (also written by restore before the scheduler starts)
    private State state = State.OK;
    private State timed = State.OK;
    private State lastLevel = State.OK;
    private long sinceMillis;
    private State pendingState;
    private long pendingSince;
    private long betterSince;
    private long noDataSince;
    private long errorSince;
    private boolean flapping;
    private final Deque<State> recent = new ArrayDeque<>();

    /** The next aligned slot due (epoch millis); read and written only by the thread that calls runDue. */
    long nextDue;

    // guarded by this
    private final Deque<Transition> history = new ArrayDeque<>();
    private State notifiedState;
    private long notifiedAt;

    public Instance(AlertDefinition definition, String region) {
        this.alert = definition.id();
        this.region = region;
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
     * Applies one evaluation made at wall time {@code now}; returns the transition, or null when the final state
     * stayed the same.
     */
    synchronized Transition apply(Evaluation e, long now, long nextEvaluation, int maxHistory) {
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
            AlertDefinition.Policy p = noData ? d.noData() : d.onError();
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
            reason = noData ? "no data" : "error";
        }
        // timing
        if (immediate || target == timed) {
            pendingState = null;
            pendingSince = 0;
            betterSince = 0;
            timed = target;
        } else if (target.severity() > timed.severity()) {
            betterSince = 0;
            if (pendingState == null) {
                pendingSince = now;
            }
            pendingState = target;
            if (now - pendingSince >= d.forSeconds() * 1000) {
                timed = target;
                pendingState = null;
                pendingSince = 0;
            }
        } else {
            pendingState = null;
            pendingSince = 0;
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
            t = new Transition(alert, region, e.seriesName(), state, fin, e.value(), d.condition().warn(),
                    d.condition().crit(), reason.isEmpty() ? e.detail() : reason + ": " + e.detail(), now);
            state = fin;
            sinceMillis = now;
            history.addLast(t);
            while (history.size() > maxHistory) {
                history.removeFirst();
            }
        }
        snapshot = new Snapshot(state, e.kind(), e.value(), e.points(), e.series(), e.seriesName(), e.detail(),
                sinceMillis, pendingState, pendingSince, flapping, now, nextEvaluation, Math.max(noDataSince, errorSince),
                e.perSeries());
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
        return new Persisted(alert, region, state, timed, lastLevel, sinceMillis, pendingState, pendingSince,
                noDataSince, errorSince, flapping, s.evaluatedAt(), s.value(), s.points(), s.detail(),
                notifiedState, notifiedAt, List.copyOf(history));
    }

    /** Restores what {@link #persisted()} saved (before the scheduler runs). */
    synchronized void restore(Persisted p) {
        state = p.state();
        timed = p.timed();
        lastLevel = p.lastLevel();
        sinceMillis = p.sinceMillis();
        pendingState = p.pendingState();
        pendingSince = p.pendingSince();
        noDataSince = p.noDataSince();
        errorSince = p.errorSince();
        flapping = p.flapping();
        notifiedState = p.notifiedState();
        notifiedAt = p.notifiedAt();
        history.clear();
        history.addAll(p.history());
        Evaluation.Kind raw = Evaluation.Kind.of(state);
        snapshot = new Snapshot(state, raw, p.value(), p.points(), 0, null, p.detail(), sinceMillis, pendingState,
                pendingSince, flapping, p.evaluatedAt(), 0, Math.max(p.noDataSince(), p.errorSince()), List.of());
    }

    /** An instance's durable state (see {@link StateStore}). */
    record Persisted(String alert, String region, State state, State timed, State lastLevel, long sinceMillis,
                     State pendingState, long pendingSince, long noDataSince, long errorSince, boolean flapping,
                     long evaluatedAt, double value, int points, String detail, State notifiedState, long notifiedAt,
                     List<Transition> history) {
    }
}
