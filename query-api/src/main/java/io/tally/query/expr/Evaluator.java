package io.tally.query.expr;

import io.tally.engine.api.SeriesData;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Evaluates target expressions bottom-up, as graphite-web's evaluator does: paths fetch the series they match
 * (sorted by name, {@code pathExpression} = the path text), calls evaluate all arguments first, bind them to the
 * function's parameters and apply the function; templates substitute {@code $name} in paths.
 *
 * <p>Binding: positional arguments fill parameters in order, a {@code multiple} parameter takes the rest;
 * keyword arguments match parameter names. Too many arguments, unknown keywords, a parameter given twice or a
 * missing required parameter is an {@link ExpressionException} at the offending text.
 *
 * <p>Stateless and thread-safe; all request state lives in the {@link EvalContext}.
 */
public final class Evaluator {
    private final FunctionLookup functions;
    private final SeriesSource source;

    public Evaluator(FunctionLookup functions, SeriesSource source) {
        this.functions = functions;
        this.source = source;
    }

    /** The function registered under a name, or null (for functions that call other functions). */
    public SeriesFunction function(String name) {
        return functions.find(name);
    }

    void reservePoints(long points) {
        source.reservePoints(points);
    }

    /** Evaluates one parsed target to its series (a target that yields no series gives an empty list). */
    public List<Series> evaluateTarget(Expr target, EvalContext ctx) {
        return evaluateSeries(target, ctx, Map.of());
    }

    /** Evaluates an expression that must produce a series list. */
    List<Series> evaluateSeries(Expr e, EvalContext ctx, Map<String, Object> replacements) {
        Object v = evaluate(e, ctx, replacements);
        if (v == null) {
            return List.of();
        }
        if (v instanceof List<?> l) {
            if (l.isEmpty()) {
                return List.of();
            }
            if (l.get(0) instanceof Series) {
                @SuppressWarnings("unchecked")
                List<Series> out = (List<Series>) l;
                return out;
            }
            if (l.get(0) instanceof List<?>) {
                List<Series> out = new ArrayList<>();
                for (Object inner : l) {
                    for (Object s : (List<?>) inner) {
                        out.add((Series) s);
                    }
                }
                return out;
            }
        }
        throw new ExpressionException(e.pos(), "expected a series list, got " + Args.describe(v));
    }

    Object evaluate(Expr e, EvalContext ctx, Map<String, Object> replacements) {
        return switch (e) {
            case Expr.Path p -> path(p, ctx, replacements);
            case Expr.Call c -> call(c, ctx, replacements);
            case Expr.Num n -> n.value();
            case Expr.Str s -> s.value();
            case Expr.Bool b -> b.value();
            case Expr.NoneLit n -> null;
            case Expr.Template t -> template(t, ctx);
        };
    }

    private Object template(Expr.Template t, EvalContext ctx) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (Expr.Kwarg k : t.kwargs()) {
            values.put(k.name(), evaluate(k.value(), ctx, Map.of()));
        }
        for (int i = 0; i < t.args().size(); i++) {
            values.put(Integer.toString(i + 1), evaluate(t.args().get(i), ctx, Map.of()));
        }
        values.putAll(ctx.templateValues());
        return evaluate(t.inner(), ctx, values);
    }

    private Object path(Expr.Path p, EvalContext ctx, Map<String, Object> replacements) {
        Object v = pathText(p, replacements);
        return v instanceof PathText t ? fetch(t.text(), ctx) : v;
    }

    /** A path's text after template substitution; a path that is just {@code $name} is that value instead. */
    private static Object pathText(Expr.Path p, Map<String, Object> replacements) {
        String expression = p.text();
        for (Map.Entry<String, Object> r : replacements.entrySet()) {
            String var = "$" + r.getKey();
            if (expression.equals(var)) {
                Object v = r.getValue();
                if (v instanceof String s && !s.isEmpty() && s.matches("-?[\\d.]+")) {
                    try {
                        return Double.parseDouble(s);
                    } catch (NumberFormatException ignored) {
                        return s;
                    }
                }
                return v;
            }
            expression = expression.replace(var, Py.str(r.getValue()));
        }
        return new PathText(expression);
    }

    private record PathText(String text) {
    }

    List<Series> fetch(String pathExpression, EvalContext ctx) {
        return toSeries(source.fetch(pathExpression, ctx.from(), ctx.until(), ctx.now()), pathExpression, ctx);
    }

    /** @throws IllegalArgumentException for malformed tag expressions */
    List<Series> fetchByTags(List<String> tagExpressions, String pathExpression, EvalContext ctx) {
        return toSeries(source.fetchByTags(tagExpressions, ctx.from(), ctx.until(), ctx.now()), pathExpression, ctx);
    }

    private static List<Series> toSeries(List<SeriesData> data, String pathExpression, EvalContext ctx) {
        List<Series> out = new ArrayList<>(data.size());
        for (SeriesData d : data) {
            out.add(Series.fetched(d, pathExpression, ctx.xFilesFactor()));
        }
        return out;
    }

    private Object call(Expr.Call c, EvalContext ctx, Map<String, Object> replacements) {
        if (c.name().equals("template")) {
            throw new ExpressionException(c.pos(),
                    "invalid template() syntax: only string and number values are allowed after the expression");
        }
        SeriesFunction f = functions.find(c.name());
        if (f == null) {
            throw new ExpressionException(c.pos(), "Received request for unknown function: " + c.name());
        }
        Object streamed = streamAggregate(c, f, ctx, replacements);
        if (streamed != NOT_STREAMED) {
            return streamed;
        }
        Args args = bind(c, f.info(), ctx, replacements, null);
        return f.apply(args, ctx);
    }

    // ------------------------------------------------------------------------------------------ streamed aggregates

    /** Series fetched, taken through their chain and folded per batch of a streamed aggregate. */
    static final int STREAM_BATCH = 2048;
    private static final Object NOT_STREAMED = new Object();

    /** A path under series-wise calls, innermost call first: {@code isNonNull(scale(a.*, 2))}. */
    private record Chain(String path, List<Expr.Call> calls) {
    }

    /**
     * An aggregate ({@link StreamingAggregate}: {@code sumSeries}, {@code aggregate(..., 'max')}, ...) whose every
     * series argument is a {@link Chain}, evaluated a batch of {@value #STREAM_BATCH} series at a time: each batch is
     * fetched, taken through its chain and folded into the aggregate, then dropped. The reduction sees the same
     * series in the same order as when every argument is evaluated first, so the result is the same, bit for bit;
     * but memory holds one batch instead of every input twice over (the fetched and the transformed series), which
     * is what a {@code sumSeries(isNonNull(...))} over 100k series costs otherwise. {@link #NOT_STREAMED} when the
     * call does not qualify, or when the inputs turn out to have different steps (those need graphite's step
     * normalisation over the whole list): what was spent is given back, and the call is evaluated the usual way.
     */
    private Object streamAggregate(Expr.Call c, SeriesFunction f, EvalContext ctx, Map<String, Object> replacements) {
        if (!(f instanceof StreamingAggregate aggregate)) {
            return NOT_STREAMED;
        }
        List<Param> params = f.info().params();
        int n = params.size();
        Map<Expr, Object> presets = new IdentityHashMap<>();
        List<Chain> chains = new ArrayList<>();
        for (int i = 0; i < c.args().size(); i++) {
            Param p = i < n ? params.get(i) : n > 0 && params.get(n - 1).multiple() ? params.get(n - 1) : null;
            Expr a = c.args().get(i);
            if (p == null) {
                return NOT_STREAMED; // too many arguments: the usual error
            }
            if (p.type() == ParamType.SERIES_LIST || p.type() == ParamType.SERIES_LISTS) {
                Chain chain = chain(a, replacements);
                if (chain == null) {
                    return NOT_STREAMED;
                }
                chains.add(chain);
                presets.put(a, List.of());
            } else if (!literal(a)) {
                return NOT_STREAMED;
            }
        }
        for (Expr.Kwarg k : c.kwargs()) {
            if (!literal(k.value())) {
                return NOT_STREAMED;
            }
        }
        if (chains.isEmpty()) {
            return NOT_STREAMED;
        }
        if (!(source instanceof SeriesSource.Streaming streaming)) {
            return NOT_STREAMED;
        }
        SeriesMath.Accumulator acc = aggregate.accumulator(bind(c, f.info(), ctx, replacements, presets), ctx);
        if (acc == null) {
            return NOT_STREAMED;
        }
        Object mark = source.spent();
        for (Chain chain : chains) {
            List<String> names = streaming.names(chain.path(), ctx.from(), ctx.until(), ctx.now());
            if (names == null) {
                source.rewind(mark);
                return NOT_STREAMED;
            }
            if (names.isEmpty()) {
                through(chain, List.of(), ctx, replacements); // argument errors surface as they would unstreamed
            }
            for (int from = 0; from < names.size(); from += STREAM_BATCH) {
                List<String> batch = names.subList(from, Math.min(names.size(), from + STREAM_BATCH));
                List<Series> fetched = toSeries(streaming.read(batch, ctx.from(), ctx.until(), ctx.now()), chain.path(),
                        ctx);
                if (!fold(acc, through(chain, fetched, ctx, replacements))) {
                    source.rewind(mark);
                    return NOT_STREAMED;
                }
            }
        }
        Series result = acc.result();
        return result == null ? List.of() : List.of(result);
    }

    /**
     * Adds a batch to the accumulator; false when one of them cannot be (see {@link SeriesMath.Accumulator#add}).
     * A method of its own: a loop over 100k series inside {@link #streamAggregate} made the JIT compile an on-stack
     * replacement of all of it, 0.28 s of compiler time in the middle of a cold query.
     */
    private static boolean fold(SeriesMath.Accumulator acc, List<Series> batch) {
        for (Series s : batch) {
            if (!acc.add(s)) {
                return false;
            }
        }
        return true;
    }

    /** A path under zero or more {@link SeriesWise} calls whose other arguments are literals; null otherwise. */
    private Chain chain(Expr e, Map<String, Object> replacements) {
        List<Expr.Call> calls = new ArrayList<>();
        while (e instanceof Expr.Call c) {
            SeriesFunction f = functions.find(c.name());
            if (!(f instanceof SeriesWise) || c.args().isEmpty() || f.info().params().isEmpty()
                    || f.info().params().get(0).type() != ParamType.SERIES_LIST) {
                return null;
            }
            for (int i = 1; i < c.args().size(); i++) {
                if (!literal(c.args().get(i))) {
                    return null;
                }
            }
            for (Expr.Kwarg k : c.kwargs()) {
                if (!literal(k.value())) {
                    return null;
                }
            }
            calls.add(c);
            e = c.args().get(0);
        }
        if (!(e instanceof Expr.Path p) || !(pathText(p, replacements) instanceof PathText t)) {
            return null;
        }
        return new Chain(t.text(), calls.reversed());
    }

    private static boolean literal(Expr e) {
        return e instanceof Expr.Num || e instanceof Expr.Str || e instanceof Expr.Bool || e instanceof Expr.NoneLit;
    }

    /** One batch of a chain's series, taken through its calls. */
    private List<Series> through(Chain chain, List<Series> series, EvalContext ctx, Map<String, Object> replacements) {
        List<Series> s = series;
        for (Expr.Call call : chain.calls()) {
            SeriesFunction f = functions.find(call.name());
            Map<Expr, Object> presets = new IdentityHashMap<>();
            presets.put(call.args().get(0), s);
            Object out = f.apply(bind(call, f.info(), ctx, replacements, presets), ctx);
            s = seriesList(out, call);
        }
        return s;
    }

    private static List<Series> seriesList(Object v, Expr e) {
        if (v instanceof List<?> l && (l.isEmpty() || l.get(0) instanceof Series)) {
            @SuppressWarnings("unchecked")
            List<Series> out = (List<Series>) l;
            return out;
        }
        throw new ExpressionException(e.pos(), "expected a series list, got " + Args.describe(v));
    }

    /**
     * Binds a call's arguments; an argument expression found in {@code presets} (by identity) takes the value given
     * there instead of being evaluated.
     */
    private Args bind(Expr.Call c, FunctionInfo info, EvalContext ctx, Map<String, Object> replacements,
                      Map<Expr, Object> presets) {
        List<Param> params = info.params();
        int n = params.size();
        Object[] values = new Object[n];
        boolean[] given = new boolean[n];
        List<List<Expr>> exprs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            exprs.add(new ArrayList<>(1));
        }
        boolean lastMultiple = n > 0 && params.get(n - 1).multiple();
        List<Object> rest = lastMultiple ? new ArrayList<>() : null;
        for (int i = 0; i < c.args().size(); i++) {
            Expr a = c.args().get(i);
            if (lastMultiple && i >= n - 1) {
                rest.add(argument(a, ctx, replacements, presets));
                exprs.get(n - 1).add(a);
                given[n - 1] = true;
            } else if (i < n) {
                values[i] = argument(a, ctx, replacements, presets);
                exprs.get(i).add(a);
                given[i] = true;
            } else {
                throw new ExpressionException(a.pos(), "too many arguments for " + c.name() + "() (it takes "
                        + (n == 1 ? "1 argument" : n + " arguments") + ": " + info.signature(c.name()) + ")");
            }
        }
        if (lastMultiple) {
            values[n - 1] = rest;
        }
        Map<String, Integer> byName = new HashMap<>();
        for (int i = 0; i < n; i++) {
            byName.put(params.get(i).name(), i);
            byName.putIfAbsent(params.get(i).name().toLowerCase(java.util.Locale.ROOT), i);
        }
        for (Expr.Kwarg k : c.kwargs()) {
            Integer i = byName.get(k.name());
            if (i == null) {
                i = byName.get(k.name().toLowerCase(java.util.Locale.ROOT));
            }
            if (i == null || params.get(i).multiple()) {
                throw new ExpressionException(k.pos(), c.name() + "() has no parameter named " + k.name()
                        + " (" + info.signature(c.name()) + ")");
            }
            if (given[i]) {
                throw new ExpressionException(k.pos(), c.name() + "(): parameter " + k.name() + " given twice");
            }
            values[i] = argument(k.value(), ctx, replacements, presets);
            exprs.get(i).add(k.value());
            given[i] = true;
        }
        for (int i = 0; i < n; i++) {
            Param p = params.get(i);
            if (p.required() && !p.multiple() && !given[i]) {
                throw new ExpressionException(c.pos() + c.name().length(), c.name()
                        + "() is missing its required parameter " + p.name() + " (" + info.signature(c.name()) + ")");
            }
        }
        return new Args(c, info, values, exprs, Arrays.copyOf(given, n), replacements);
    }

    private Object argument(Expr a, EvalContext ctx, Map<String, Object> replacements, Map<Expr, Object> presets) {
        return presets != null && presets.containsKey(a) ? presets.get(a) : evaluate(a, ctx, replacements);
    }
}
