package io.tally.query.expr;

import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The evaluation context of one render request (graphite's {@code requestContext}): the time window, {@code now},
 * the request's xFilesFactor, template values and the per-request state some functions share ({@code stacked}
 * totals). Re-fetching functions ({@code timeShift}, moving windows, ...) derive a context with another window via
 * {@link #withRange} and evaluate an argument's expression again in it.
 *
 * <p>Threading: one request evaluates on one thread; contexts are not thread-safe. The mutable request state
 * ({@link #setXFilesFactor}, stacks) is shared by all contexts derived from the same root.
 */
public final class EvalContext {
    private final Evaluator evaluator;
    private final long from;
    private final long until;
    private final long now;
    private final RequestState state;

    private static final class RequestState {
        final ZoneId zone;
        final TimeParser timeParser;
        final Map<String, Object> templateValues;
        final Map<String, double[]> stacks = new HashMap<>();
        double xFilesFactor;

        RequestState(ZoneId zone, TimeParser timeParser, Map<String, Object> templateValues, double xFilesFactor) {
            this.zone = zone;
            this.timeParser = timeParser;
            this.templateValues = templateValues;
            this.xFilesFactor = xFilesFactor;
        }
    }

    private EvalContext(Evaluator evaluator, long from, long until, long now, RequestState state) {
        this.evaluator = evaluator;
        this.from = from;
        this.until = until;
        this.now = now;
        this.state = state;
    }

    /**
     * @param from           exclusive window start (epoch seconds)
     * @param until          inclusive window end
     * @param now            "now" for archive choice and relative time arguments
     * @param xFilesFactor   the request's {@code xFilesFactor} (graphite's default 0)
     * @param templateValues the request's {@code template[name]} values (override template() arguments)
     */
    public static EvalContext root(Evaluator evaluator, long from, long until, long now, double xFilesFactor,
                                   ZoneId zone, TimeParser timeParser, Map<String, Object> templateValues) {
        return new EvalContext(evaluator, from, until, now,
                new RequestState(zone, timeParser, Map.copyOf(templateValues), xFilesFactor));
    }

    public long from() {
        return from;
    }

    public long until() {
        return until;
    }

    public long now() {
        return now;
    }

    public ZoneId zone() {
        return state.zone;
    }

    /** The request's current xFilesFactor (the {@code xFilesFactor} parameter, or the last setXFilesFactor). */
    public double xFilesFactor() {
        return state.xFilesFactor;
    }

    /** {@code setXFilesFactor()}: the new default for the rest of the request. */
    public void setXFilesFactor(double xff) {
        state.xFilesFactor = xff;
    }

    Map<String, Object> templateValues() {
        return state.templateValues;
    }

    /** Running totals of {@code stacked()} by stack name, shared across the request. */
    public Map<String, double[]> stacks() {
        return state.stacks;
    }

    /** A context over another window (same now, same request state). */
    public EvalContext withRange(long newFrom, long newUntil) {
        return new EvalContext(evaluator, newFrom, newUntil, now, state);
    }

    /**
     * Reserves room for {@code points} generated values against the request's point budget.
     *
     * @throws io.tally.engine.api.LimitExceededException when the budget is exceeded
     */
    public void reservePoints(long points) {
        evaluator.reservePoints(points);
    }

    /** Parses a date-typed argument relative to this request's now. */
    public long parseTime(String spec) {
        return state.timeParser.parse(spec, now);
    }

    public Evaluator evaluator() {
        return evaluator;
    }

    /** Fetches a glob's series over this context's window (as a path in a target does). */
    public List<Series> fetch(String pathExpression) {
        return evaluator.fetch(pathExpression, this);
    }

    /**
     * Fetches the series matching tag expressions over this context's window, named by {@code pathExpression}.
     *
     * @throws IllegalArgumentException for malformed tag expressions
     */
    public List<Series> fetchByTags(List<String> tagExpressions, String pathExpression) {
        return evaluator.fetchByTags(tagExpressions, pathExpression, this);
    }

    /** Evaluates an expression (typically an argument again, after {@link #withRange}) to a series list. */
    public List<Series> evaluateSeries(Expr e, Map<String, Object> replacements) {
        return evaluator.evaluateSeries(e, this, replacements);
    }
}
