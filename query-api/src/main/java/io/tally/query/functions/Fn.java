package io.tally.query.functions;

import io.tally.query.expr.AggFunc;
import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.expr.ExpressionException;
import io.tally.query.expr.FunctionInfo;
import io.tally.query.expr.Param;
import io.tally.query.expr.ParamType;
import io.tally.query.expr.Py;
import io.tally.query.expr.Series;
import io.tally.query.expr.SeriesFunction;
import io.tally.query.expr.SeriesMath;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Base of the render functions: holds the metadata {@code /functions} is generated from, and the small helpers
 * most functions need. One subclass per graphite function; each holds only its own arithmetic.
 */
public abstract class Fn implements SeriesFunction {
    public static final String COMBINE = "Combine";
    public static final String TRANSFORM = "Transform";
    public static final String CALCULATE = "Calculate";
    public static final String FILTER_SERIES = "Filter Series";
    public static final String FILTER_DATA = "Filter Data";
    public static final String SORTING = "Sorting";
    public static final String ALIAS = "Alias";
    public static final String GRAPH = "Graph";
    public static final String SPECIAL = "Special";

    /** The usual first parameter. */
    protected static final Param SERIES_LIST = Param.required("seriesList", ParamType.SERIES_LIST);
    /** {@code *seriesLists} of the aggregating functions. */
    protected static final Param SERIES_LISTS = Param.required("seriesLists", ParamType.SERIES_LIST).asMultiple();

    private final FunctionInfo info;

    protected Fn(Spec spec) {
        this.info = spec.build();
    }

    @Override
    public final FunctionInfo info() {
        return info;
    }

    protected static Spec spec(String name, String group, String description) {
        return new Spec(name, group, description);
    }

    /** Applies {@code f} to every series, in order. */
    protected static List<Series> each(List<Series> in, Function<Series, Series> f) {
        List<Series> out = new ArrayList<>(in.size());
        for (Series s : in) {
            out.add(f.apply(s));
        }
        return out;
    }

    /**
     * A description in graphite's reStructuredText style: the text, then each example as a code block.
     */
    protected static String doc(String text, String... examples) {
        StringBuilder b = new StringBuilder(text);
        if (examples.length > 0) {
            b.append("\n\nExample:\n\n.. code-block:: none\n\n");
            for (int i = 0; i < examples.length; i++) {
                if (i > 0) {
                    b.append('\n');
                }
                b.append("  &target=").append(examples[i]);
            }
        }
        return b.toString();
    }

    /** How graphite prints a float parameter in tags: the given value as a Python float, else the default. */
    protected static String floatText(Args a, int i, Object dflt) {
        return a.has(i) ? Py.repr(a.dbl(i)) : Py.str(dflt);
    }

    /**
     * graphite's {@code aggregate()}: a {@code Series} suffix on the function name is dropped ({@code sumSeries} →
     * {@code sum}); an empty list gives no series.
     *
     * @param xFilesFactor null for the request's
     */
    public static List<Series> aggregate(List<Series> list, String func, Double xFilesFactor, EvalContext ctx,
                                         Args args, int funcParam) {
        AggFunc f = aggFunc(func, args, funcParam);
        if (list.isEmpty()) {
            return List.of();
        }
        Series s = SeriesMath.aggregate(list, f, shortName(func),
                xFilesFactor != null ? xFilesFactor : ctx.xFilesFactor());
        return s == null ? List.of() : List.of(s);
    }

    /**
     * What {@link #aggregate} computes, as an accumulator fed one series at a time (see
     * {@link io.tally.query.expr.StreamingAggregate}); null for a reduction that does not fold.
     */
    public static SeriesMath.Accumulator accumulator(String func, Double xFilesFactor, EvalContext ctx, Args args,
                                                     int funcParam) {
        AggFunc f = aggFunc(func, args, funcParam);
        return SeriesMath.folds(f) ? new SeriesMath.Accumulator(f, shortName(func),
                xFilesFactor != null ? xFilesFactor : ctx.xFilesFactor()) : null;
    }

    /** {@code sumSeries} → {@code sum}: the name aggregate() uses in the result's name and tag. */
    private static String shortName(String func) {
        return func.endsWith("Series") ? func.substring(0, func.length() - "Series".length()) : func;
    }

    private static AggFunc aggFunc(String func, Args args, int funcParam) {
        AggFunc f = AggFunc.lookup(shortName(func));
        if (f == null) {
            String message = "unsupported aggregation function: " + func + " (use one of "
                    + String.join(", ", AggFunc.NAMES) + ")";
            throw args != null ? args.error(funcParam, message) : new ExpressionException(message);
        }
        return f;
    }

    /**
     * Calls another render function by name with positional values (graphite's {@code SeriesFunctions[name](...)}).
     */
    protected static Object call(EvalContext ctx, String name, Object... positional) {
        SeriesFunction f = ctx.evaluator().function(name);
        if (f == null) {
            throw new ExpressionException("unknown function: " + name);
        }
        return f.apply(Args.of(f.info(), java.util.Arrays.asList(positional)), ctx);
    }

    /** The first series of a function's result, or null. */
    @SuppressWarnings("unchecked")
    protected static Series first(Object result) {
        if (result instanceof List<?> l && !l.isEmpty() && l.get(0) instanceof Series s) {
            return s;
        }
        return null;
    }

    /** A transform result: every known value mapped, nulls kept, renamed (name = path expression), one tag added. */
    protected static Series mapValues(Series s, String name, String tagKey, String tagValue,
                                      java.util.function.DoubleUnaryOperator op) {
        return s.transformed(name, SeriesMath.map(s.values(), op), tagKey, tagValue);
    }

    /** A date-typed argument (or its default) as epoch seconds, parsed relative to the request's now. */
    protected static long time(Args args, EvalContext ctx, int i, String dflt) {
        Object v = args.value(i);
        if (v == null) {
            v = dflt;
        }
        if (v instanceof Number n) {
            return n.longValue();
        }
        String spec = args.has(i) ? args.string(i) : dflt;
        try {
            return ctx.parseTime(spec);
        } catch (IllegalArgumentException e) {
            throw args.error(i, "invalid time '" + spec + "': " + e.getMessage());
        }
    }

    /** Fluent construction of a {@link FunctionInfo}. */
    public static final class Spec {
        private final String name;
        private final String group;
        private final String description;
        private final List<String> aliases = new ArrayList<>();
        private final List<Param> params = new ArrayList<>();
        private boolean aggregator;

        Spec(String name, String group, String description) {
            this.name = name;
            this.group = group;
            this.description = description;
        }

        public Spec aliases(String... names) {
            aliases.addAll(List.of(names));
            return this;
        }

        public Spec params(Param... p) {
            params.addAll(List.of(p));
            return this;
        }

        /** Usable as a groupByNode / groupByTags callback. */
        public Spec aggregator() {
            aggregator = true;
            return this;
        }

        FunctionInfo build() {
            return new FunctionInfo(name, aliases, group, description, params, aggregator);
        }
    }
}
