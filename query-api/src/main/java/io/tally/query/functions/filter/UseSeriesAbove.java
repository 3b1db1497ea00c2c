package io.tally.query.functions.filter;

import io.tally.query.expr.AggFunc;
import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.expr.Expr;
import io.tally.query.expr.ExpressionException;
import io.tally.query.expr.Param;
import io.tally.query.expr.ParamType;
import io.tally.query.expr.Parser;
import io.tally.query.expr.PyRegex;
import io.tally.query.expr.Series;
import io.tally.query.functions.Fn;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code useSeriesAbove(seriesList, value, search, replace)}: for each series whose maximum exceeds the value, the
 * series named by applying the regex replacement to its name is fetched instead.
 */
public final class UseSeriesAbove extends Fn {
    public UseSeriesAbove() {
        super(spec("useSeriesAbove", FILTER_SERIES, doc("For each series whose maximum is above value, draws the "
                + "related series obtained by a regex search and replace on its name.",
                "useSeriesAbove(ganglia.metric1.reqs,10,\"reqs\",\"time\")"))
                .params(SERIES_LIST, Param.required("value", ParamType.FLOAT),
                        Param.required("search", ParamType.STRING), Param.required("replace", ParamType.STRING)));
    }

    @Override
    public Object apply(Args args, EvalContext ctx) {
        double value = args.dbl(1);
        PyRegex re;
        try {
            re = PyRegex.compile(args.string(2));
        } catch (IllegalArgumentException e) {
            throw args.error(2, e.getMessage());
        }
        List<String> names = new ArrayList<>();
        for (Series s : args.series(0)) {
            double max = AggFunc.MAX.apply(s.values());
            if (!Double.isNaN(max) && max > value) {
                try {
                    names.add(re.sub(args.string(3), s.name()));
                } catch (IllegalArgumentException e) {
                    throw args.error(3, e.getMessage());
                }
            }
        }
        if (names.isEmpty()) {
            return List.of();
        }
        String target = "group(" + String.join(",", names) + ")";
        Expr e;
        try {
            e = Parser.parse(target);
        } catch (ExpressionException ex) {
            throw args.error(3, "the replaced names do not form a valid target " + target + ": " + ex.getMessage());
        }
        List<Series> out = new ArrayList<>();
        for (Series s : ctx.evaluateSeries(e, args.replacements())) {
            if (s.size() > 0) {
                out.add(s);
            }
        }
        return out;
    }
}
