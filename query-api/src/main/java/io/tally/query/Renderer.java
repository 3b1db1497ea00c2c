package io.tally.query;

import io.tally.engine.api.FindNode;
import io.tally.engine.api.LimitExceededException;
import io.tally.engine.api.SeriesData;
import io.tally.engine.api.StorageReader;
import io.tally.engine.util.Clock;

import java.util.ArrayList;
import java.util.List;

/**
 * The storage half of {@code /render}, framework-free: for each target (a plain path or a glob), the leaves it
 * matches sorted by name, each fetched with whisper semantics ({@code (from, until]}, archive chosen from
 * {@code now - from}). Enforces {@code query.max-series}, {@code query.max-points} and {@code query.timeout}.
 * Blocking: run it on a worker thread, never an event loop.
 */
public final class Renderer {
    private final StorageReader reader;
    private final QueryLimits limits;
    private final Clock clock;

    public Renderer(StorageReader reader, QueryLimits limits, Clock clock) {
        this.reader = reader;
        this.limits = limits;
        this.clock = clock;
    }

    /** The fetched series of all targets, in target order, each target's series sorted by name. */
    public List<SeriesData> fetch(RenderRequest r) {
        Deadline deadline = new Deadline(clock, limits.timeout().toMillis());
        List<List<String>> leavesPerTarget = new ArrayList<>(r.targets().size());
        long leafCount = 0;
        for (String target : r.targets()) {
            List<String> leaves = new ArrayList<>();
            for (FindNode n : reader.find(target, limits.maxFindResults())) {
                if (n.leaf()) {
                    leaves.add(n.path());
                }
            }
            leaves.sort(null);
            leafCount += leaves.size();
            if (leafCount > limits.maxSeries()) {
                throw new LimitExceededException("series matched by the targets", limits.maxSeries(),
                        "query.max-series");
            }
            leavesPerTarget.add(leaves);
            deadline.check();
        }
        List<SeriesData> out = new ArrayList<>((int) leafCount);
        long points = 0;
        for (List<String> leaves : leavesPerTarget) {
            for (String name : leaves) {
                deadline.check();
                SeriesData d = reader.fetch(name, r.from(), r.until(), r.now());
                if (d == null) {
                    continue;
                }
                points += d.values().length;
                if (points > limits.maxPoints()) {
                    throw new LimitExceededException("datapoints fetched", limits.maxPoints(), "query.max-points");
                }
                out.add(d);
            }
        }
        return out;
    }

    /** Wall-time budget of one request, checked between storage calls. */
    static final class Deadline {
        private final Clock clock;
        private final long budgetMillis;
        private final long endMillis;

        Deadline(Clock clock, long budgetMillis) {
            this.clock = clock;
            this.budgetMillis = budgetMillis;
            this.endMillis = clock.currentTimeMillis() + budgetMillis;
        }

        void check() {
            if (clock.currentTimeMillis() > endMillis) {
                throw new LimitExceededException("query time in milliseconds", budgetMillis, "query.timeout");
            }
        }
    }
}
