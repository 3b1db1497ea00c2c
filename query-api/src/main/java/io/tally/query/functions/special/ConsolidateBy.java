package io.tally.query.functions.special;

import io.tally.query.expr.Args;
import io.tally.query.expr.ConsolidationFunction;
import io.tally.query.expr.EvalContext;
import io.tally.query.expr.Param;
import io.tally.query.expr.ParamType;
import io.tally.query.expr.Series;
import io.tally.query.expr.SeriesWise;
import io.tally.query.functions.Fn;

import java.util.List;

/**
 * {@code consolidateBy(seriesList, consolidationFunc)}: sets how maxDataPoints and step normalisation fold points
 * ({@code sum average avg avg_zero min max first last}); named {@code consolidateBy(x,"max")}.
 */
public final class ConsolidateBy extends Fn implements SeriesWise {
    static final List<String> FUNCTIONS = List.of("average", "avg", "avg_zero", "first", "last", "max", "min", "sum");

    public ConsolidateBy() {
        super(spec("consolidateBy", SPECIAL, doc("Sets the function used to fold points together when a series has "
                + "more points than maxDataPoints (and when series of different steps are combined): sum, average "
                + "(avg), avg_zero, min, max, first or last. The default is the series' storage aggregation.",
                "consolidateBy(Sales.widgets.largeBlue, 'sum')", "consolidateBy(Servers.web01.sda1.free_space, 'max')"))
                .params(SERIES_LIST, Param.required("consolidationFunc", ParamType.STRING).withOptions(FUNCTIONS)));
    }

    @Override
    public Object apply(Args args, EvalContext ctx) {
        return consolidate(args.series(0), args.string(1), args, 1);
    }

    static List<Series> consolidate(List<Series> list, String func, Args args, int param) {
        ConsolidationFunction f = FUNCTIONS.contains(func) ? ConsolidationFunction.parse(func) : null;
        if (f == null) {
            throw args.error(param, "invalid consolidation function: " + func + " (use one of "
                    + String.join(", ", FUNCTIONS) + ")");
        }
        return each(list, s -> {
            String name = "consolidateBy(" + s.name() + ",\"" + func + "\")";
            return s.toBuilder().name(name).pathExpression(name).consolidation(f, func)
                    .tags(s.tagsWith("consolidateBy", func)).build();
        });
    }
}
