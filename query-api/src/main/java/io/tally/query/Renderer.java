package io.tally.query;

import io.tally.engine.api.FindNode;
import io.tally.engine.api.LimitExceededException;
import io.tally.engine.api.SeriesData;
import io.tally.engine.api.StorageReader;
import io.tally.engine.util.Clock;
import io.tally.query.expr.EvalContext;
import io.tally.query.expr.Evaluator;
import io.tally.query.expr.Expr;
import io.tally.query.expr.FunctionLookup;
import io.tally.query.expr.Series;
import io.tally.query.expr.SeriesSource;
import io.tally.query.expr.TimeParser;
import io.tally.query.federation.Federation;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The evaluation half of {@code /render}, framework-free: evaluates each parsed target with the render function
 * library over storage, in target order. Paths fetch the leaves they match sorted by name, each with whisper
 * semantics ({@code (from, until]}, archive chosen from {@code now - from}); re-fetching functions fetch other
 * windows through the same per-request source, which remembers what it fetched so a path used twice over one
 * window is read once.
 *
 * <p>Enforces {@code query.max-series} (leaves fetched by one request, re-fetches included),
 * {@code query.max-points} (raw points fetched, plus points functions generate) and {@code query.timeout} (checked
 * between storage calls). Blocking: run it on a worker thread, never an event loop.
 *
 * <p>With a {@link Federation}, paths whose first node matches the federation root ({@code regions.<region>...})
 * and {@code seriesByTag} calls with a {@code region} expression are answered by the federation (peers asked in
 * parallel), counted against the same budgets; {@link #renderFull} reports the regions that did not answer.
 */
public final class Renderer {
    private final StorageReader reader;
    private final QueryLimits limits;
    private final Clock clock;
    private final FunctionLookup functions;
    private final Federation federation;

    public Renderer(StorageReader reader, QueryLimits limits, Clock clock, FunctionLookup functions) {
        this(reader, limits, clock, functions, null);
    }

    /** With cross-region queries through {@code federation} (null: local storage only). */
    public Renderer(StorageReader reader, QueryLimits limits, Clock clock, FunctionLookup functions,
                    Federation federation) {
        this.reader = reader;
        this.limits = limits;
        this.clock = clock;
        this.functions = functions;
        this.federation = federation;
    }

    /** The federation cross-region paths go through, or null when this renderer reads local storage only. */
    public Federation federation() {
        return federation;
    }

    /**
     * All series of all targets, in target order.
     *
     * @throws io.tally.query.expr.ExpressionException for targets that cannot be evaluated (400)
     * @throws LimitExceededException                  when a limit is hit (422)
     * @throws io.tally.query.federation.IncompleteAnswerException when a region is missing and the federation
     *                                                  requires complete answers
     */
    public List<Series> render(RenderRequest r) {
        RenderResult result = renderFull(r);
        if (federation != null && federation.requireComplete()) {
            result.requireComplete();
        }
        return result.series();
    }

    /**
     * All series of all targets, in target order, with the regions that did not answer (a partial answer);
     * never throws for a missing region.
     *
     * @throws io.tally.query.expr.ExpressionException for targets that cannot be evaluated (400)
     * @throws LimitExceededException                  when a limit is hit (422)
     */
    public RenderResult renderFull(RenderRequest r) {
        Federation.Call call = federation == null ? null : federation.call();
        Source source = new Source(new QueryBudget(limits, clock), call);
        Evaluator evaluator = new Evaluator(functions, source);
        TimeParser times = (spec, now) -> TimeSpec.parse(spec, now, r.zone());
        EvalContext ctx = EvalContext.root(evaluator, r.from(), r.until(), r.now(), r.xFilesFactor(), r.zone(),
                times, r.template());
        List<Series> out = new ArrayList<>();
        for (Expr target : r.expressions()) {
            out.addAll(evaluator.evaluateTarget(target, ctx));
        }
        return new RenderResult(out, call == null ? Map.of() : call.missing());
    }

    /** Storage behind the request's budgets, with a memo of what was fetched. Not thread-safe (one request). */
    private final class Source implements SeriesSource.Streaming {
        private final QueryBudget budget;
        private final Federation.Call call;
        private final Map<String, List<SeriesData>> fetched = new HashMap<>();

        Source(QueryBudget budget, Federation.Call call) {
            this.budget = budget;
            this.call = call;
        }

        @Override
        public List<SeriesData> fetch(String pathExpression, long from, long until, long now) {
            String key = pathKey(pathExpression, from, until, now);
            List<SeriesData> cached = fetched.get(key);
            if (cached != null) {
                return cached;
            }
            budget.checkTime();
            boolean federated = call != null && call.claimsPath(pathExpression);
            List<SeriesData> out = budget.read(reader, localNames(pathExpression, federated), from, until, now);
            if (federated) {
                out = merge(out, budget.account(call.fetch(pathExpression, from, until, now,
                        budget.remainingSeries())));
            }
            fetched.put(key, out);
            return out;
        }

        /** Local paths not fetched yet in this request stream; federated ones and repeats are fetched whole. */
        @Override
        public List<String> names(String pathExpression, long from, long until, long now) {
            if (fetched.containsKey(pathKey(pathExpression, from, until, now))
                    || call != null && call.claimsPath(pathExpression)) {
                return null;
            }
            budget.checkTime();
            return localNames(pathExpression, false);
        }

        @Override
        public List<SeriesData> read(List<String> names, long from, long until, long now) {
            budget.checkTime();
            return budget.read(reader, names, from, until, now);
        }

        @Override
        public Object spent() {
            return budget.spent();
        }

        @Override
        public void rewind(Object mark) {
            budget.rewind((QueryBudget.Spent) mark);
        }

        private static String pathKey(String pathExpression, long from, long until, long now) {
            return "p\u0000" + pathExpression + '\u0000' + from + '\u0000' + until + '\u0000' + now;
        }

        /** The leaves a path matches, sorted; with a federation, those a region's peer answers for left out. */
        private List<String> localNames(String pathExpression, boolean federated) {
            List<String> names = new ArrayList<>();
            for (FindNode n : reader.find(pathExpression, limits.maxFindResults())) {
                if (n.leaf() && !(federated && call.shadowed(n.path()))) {
                    names.add(n.path());
                }
            }
            names.sort(null);
            return names;
        }

        @Override
        public List<SeriesData> fetchByTags(List<String> tagExpressions, long from, long until, long now) {
            String key = "t\u0000" + String.join("\u0001", tagExpressions) + '\u0000' + from + '\u0000' + until
                    + '\u0000' + now;
            List<SeriesData> cached = fetched.get(key);
            if (cached != null) {
                return cached;
            }
            budget.checkTime();
            if (call != null && call.claimsTags(tagExpressions)) {
                List<SeriesData> out = budget.account(call.fetchByTags(tagExpressions, from, until, now,
                        budget.remainingSeries()));
                fetched.put(key, out);
                return out;
            }
            List<String> names = new ArrayList<>(reader.findByTags(tagExpressions, limits.maxSeries()));
            names.sort(null);
            List<SeriesData> out = budget.read(reader, names, from, until, now);
            fetched.put(key, out);
            return out;
        }

        @Override
        public void reservePoints(long n) {
            budget.countPoints(n, "datapoints fetched or generated");
        }

        private static List<SeriesData> merge(List<SeriesData> a, List<SeriesData> b) {
            if (a.isEmpty()) {
                return b;
            }
            List<SeriesData> out = new ArrayList<>(a.size() + b.size());
            out.addAll(a);
            out.addAll(b);
            out.sort((x, y) -> x.name().compareTo(y.name()));
            return out;
        }
    }
}
