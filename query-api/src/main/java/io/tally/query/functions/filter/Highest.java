package io.tally.query.functions.filter;

import io.tally.query.expr.AggFunc;
import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.expr.Param;
import io.tally.query.expr.ParamType;
import io.tally.query.expr.Series;
import io.tally.query.functions.Fn;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * {@code highest(seriesList, n=1, func='average')}: the n series with the largest aggregate (stable; a null
 * aggregate ranks lowest).
 */
public final class Highest extends Fn {
    public Highest() {
        super(spec("highest", FILTER_SERIES, doc("Keeps the n series with the highest value of an aggregation "
                + "function over the range (default average).", "highest(server*.instance*.threads.busy,5,'max')"))
                .params(SERIES_LIST, Param.optional("n", ParamType.INTEGER, 1L),
                        Param.optional("func", ParamType.AGG_FUNC, "average").withOptions(AggFunc.NAMES)));
    }

    @Override
    public Object apply(Args args, EvalContext ctx) {
        return top(args.series(0), args.aggFunc(2, "average"), args.integer(1, 1), true);
    }

    /** The first n after a stable sort by the aggregate (null as -inf), descending or ascending. */
    public static List<Series> top(List<Series> list, AggFunc f, long n, boolean descending) {
        List<Series> sorted = sort(list, f, descending);
        return slice(sorted, n);
    }

    /** Stable sort by {@code f} with null aggregates as -inf. */
    public static List<Series> sort(List<Series> list, AggFunc f, boolean descending) {
        List<Series> sorted = new ArrayList<>(list);
        Comparator<Series> c = Comparator.comparingDouble(s -> key(f.apply(s.values())));
        sorted.sort(descending ? c.reversed() : c);
        return sorted;
    }

    static double key(double v) {
        return Double.isNaN(v) ? Double.NEGATIVE_INFINITY : v;
    }

    /** Python's {@code list[:n]}. */
    public static List<Series> slice(List<Series> l, long n) {
        long end = n < 0 ? Math.max(0, l.size() + n) : Math.min(n, l.size());
        return new ArrayList<>(l.subList(0, (int) end));
    }
}
