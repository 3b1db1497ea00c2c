package io.tally.query.expr;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The evaluated arguments of one call, bound to the function's declared parameters by position and keyword.
 * Values are {@code List<Series>} (series lists), {@link Long} / {@link Double} (numbers), {@link String},
 * {@link Boolean} or null ({@code None}); a {@code multiple} parameter holds the list of all remaining values.
 *
 * <p>Type checks happen when a function reads an argument, the way Python fails only when a value is used; each
 * accessor throws an {@link ExpressionException} pointing at the argument, naming the function and parameter.
 */
public final class Args {
    private final Expr.Call call;
    private final FunctionInfo info;
    private final Object[] values;
    private final List<List<Expr>> exprs;
    private final boolean[] given;
    private final Map<String, Object> replacements;

    Args(Expr.Call call, FunctionInfo info, Object[] values, List<List<Expr>> exprs, boolean[] given,
         Map<String, Object> replacements) {
        this.call = call;
        this.info = info;
        this.values = values;
        this.exprs = exprs;
        this.given = given;
        this.replacements = replacements;
    }

    /**
     * Arguments for calling a function from another function (groupByNode callbacks, reduceSeries): positional
     * values bound in order, a trailing multiple parameter taking the rest.
     *
     * @throws ExpressionException when there are more values than parameters
     */
    public static Args of(FunctionInfo info, List<Object> positional) {
        List<Param> params = info.params();
        int n = params.size();
        Object[] values = new Object[n];
        boolean[] given = new boolean[n];
        List<List<Expr>> exprs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            exprs.add(List.of());
        }
        boolean lastMultiple = n > 0 && params.get(n - 1).multiple();
        List<Object> rest = new ArrayList<>();
        for (int i = 0; i < positional.size(); i++) {
            if (lastMultiple && i >= n - 1) {
                rest.add(positional.get(i));
                given[n - 1] = true;
            } else if (i < n) {
                values[i] = positional.get(i);
                given[i] = true;
            } else {
                throw new ExpressionException("too many arguments for " + info.name() + "()");
            }
        }
        if (lastMultiple) {
            values[n - 1] = rest;
        }
        Expr.Call call = new Expr.Call(info.name(), List.of(), List.of(), -1, info.name() + "()");
        return new Args(call, info, values, exprs, given, Map.of());
    }

    /** The call being evaluated. */
    public Expr.Call call() {
        return call;
    }

    /** Template replacements in effect (pass them on when re-evaluating an argument). */
    public Map<String, Object> replacements() {
        return replacements;
    }

    /** Whether parameter i was given (positionally or by keyword) with a value other than None. */
    public boolean has(int i) {
        return i < given.length && given[i] && values[i] != null;
    }

    /** The raw value of parameter i (null when absent or None). */
    public Object value(int i) {
        return i < values.length ? values[i] : null;
    }

    /** The expression of parameter i (the first one for a multiple parameter); null when absent. */
    public Expr expr(int i) {
        List<Expr> l = i < exprs.size() ? exprs.get(i) : null;
        return l == null || l.isEmpty() ? null : l.get(0);
    }

    /** An error pointing at parameter i (or at the call when it was not given). */
    public ExpressionException error(int i, String message) {
        Expr e = expr(i);
        return new ExpressionException(e != null ? e.pos() : call.pos(), call.name() + "(): " + message);
    }

    private String paramName(int i) {
        return i < info.params().size() ? info.params().get(i).name() : "#" + (i + 1);
    }

    private ExpressionException typeError(int i, String expected, Object got) {
        return error(i, "parameter " + paramName(i) + " must be " + expected + ", got " + describe(got));
    }

    static String describe(Object v) {
        if (v == null) {
            return "None";
        }
        if (v instanceof String s) {
            return "'" + s + "'";
        }
        if (v instanceof List<?>) {
            return "a series list";
        }
        return Py.str(v);
    }

    // ---- series ----

    /** Parameter i as a series list (empty when absent). */
    public List<Series> series(int i) {
        Object v = value(i);
        if (v == null && !has(i)) {
            return List.of();
        }
        return asSeriesList(i, v);
    }

    @SuppressWarnings("unchecked")
    private List<Series> asSeriesList(int i, Object v) {
        if (v instanceof List<?> l && (l.isEmpty() || l.get(0) instanceof Series)) {
            return (List<Series>) l;
        }
        throw typeError(i, "a series list", v);
    }

    /** A multiple series-list parameter, each argument one list. */
    public List<List<Series>> seriesLists(int i) {
        List<List<Series>> out = new ArrayList<>();
        for (Object v : multi(i)) {
            out.add(asSeriesList(i, v));
        }
        return out;
    }

    /** A multiple series-list parameter flattened into one list. */
    public List<Series> allSeries(int i) {
        return SeriesMath.flatten(seriesLists(i));
    }

    /** Parameter i as a list of series lists (the output of mapSeries); a plain series list counts as one. */
    @SuppressWarnings("unchecked")
    public List<List<Series>> listOfSeriesLists(int i) {
        Object v = value(i);
        if (v instanceof List<?> l && !l.isEmpty() && l.get(0) instanceof List<?>) {
            return (List<List<Series>>) l;
        }
        return List.of(asSeriesList(i, v == null ? List.of() : v));
    }

    // ---- scalars ----

    /** A required float parameter (integers and booleans convert, as in Python). */
    public double dbl(int i) {
        Object v = value(i);
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        if (v instanceof Boolean b) {
            return b ? 1 : 0;
        }
        throw typeError(i, "a number", v);
    }

    public double dbl(int i, double dflt) {
        return has(i) ? dbl(i) : dflt;
    }

    /** An optional float parameter; null when absent or None. */
    public Double dblOrNull(int i) {
        return has(i) ? dbl(i) : null;
    }

    /** A required integer parameter (an integral float is accepted). */
    public long integer(int i) {
        Object v = value(i);
        if (v instanceof Long l) {
            return l;
        }
        if (v instanceof Double d && d == Math.rint(d) && !d.isInfinite()) {
            return d.longValue();
        }
        if (v instanceof Boolean b) {
            return b ? 1 : 0;
        }
        throw typeError(i, "an integer", v);
    }

    public long integer(int i, long dflt) {
        return has(i) ? integer(i) : dflt;
    }

    /** A required string parameter. */
    public String string(int i) {
        Object v = value(i);
        if (v instanceof String s) {
            return s;
        }
        throw typeError(i, "a quoted string", v);
    }

    public String string(int i, String dflt) {
        return has(i) ? string(i) : dflt;
    }

    /** A boolean parameter by Python truthiness ({@code 'false'} as a string is true, as in graphite). */
    public boolean bool(int i, boolean dflt) {
        if (!(i < given.length && given[i])) {
            return dflt;
        }
        return Py.truthy(values[i]);
    }

    /** All values of a multiple parameter (empty when none). */
    @SuppressWarnings("unchecked")
    public List<Object> multi(int i) {
        Object v = value(i);
        if (v == null) {
            return List.of();
        }
        return (List<Object>) v;
    }

    /** An aggregation function parameter (or its default), checked against graphite's names. */
    public AggFunc aggFunc(int i, String dflt) {
        String name = has(i) ? string(i) : dflt;
        AggFunc f = AggFunc.lookup(name);
        if (f == null) {
            throw error(i, "unsupported aggregation function: " + name + " (use one of "
                    + String.join(", ", AggFunc.NAMES) + ")");
        }
        return f;
    }

    /** An interval parameter in signed seconds. */
    public long interval(int i) {
        String s = string(i);
        try {
            return Interval.seconds(s);
        } catch (IllegalArgumentException e) {
            throw error(i, e.getMessage());
        }
    }

    /** The name the function was called by. */
    public String calledAs() {
        return call.name();
    }
}
