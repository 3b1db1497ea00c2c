package io.tally.query.functions.combine;

import io.tally.query.expr.AggFunc;
import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.expr.Param;
import io.tally.query.expr.ParamType;
import io.tally.query.expr.Series;
import io.tally.query.functions.Fn;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code aggregateSeriesLists(seriesListFirstPos, seriesListSecondPos, func, xFilesFactor=None)}: aggregates the
 * two lists pairwise by position (equal lengths required), each result named {@code <func>Series(a,b)}.
 */
public final class AggregateSeriesLists extends Fn {
    public AggregateSeriesLists() {
        super(spec("aggregateSeriesLists", COMBINE, doc("Aggregates two lists of equal length pairwise: the first "
                + "series of each, the second of each, and so on.",
                "aggregateSeriesLists(mining.{carbon,graphite}.extracted,mining.{carbon,graphite}.shipped, 'sum')"))
                .params(Param.required("seriesListFirstPos", ParamType.SERIES_LIST),
                        Param.required("seriesListSecondPos", ParamType.SERIES_LIST),
                        Param.required("func", ParamType.AGG_FUNC).withOptions(AggFunc.NAMES),
                        Param.optional("xFilesFactor", ParamType.FLOAT)));
    }

    @Override
    public Object apply(Args args, EvalContext ctx) {
        return pairwise(args.series(0), args.series(1), args.string(2), args.dblOrNull(3), ctx, args);
    }

    static List<Series> pairwise(List<Series> a, List<Series> b, String func, Double xff, EvalContext ctx,
                                 Args args) {
        if (a.size() != b.size()) {
            throw args.error(1, "seriesListFirstPos and seriesListSecondPos argument must have equal length ("
                    + a.size() + " and " + b.size() + ")");
        }
        List<Series> out = new ArrayList<>(a.size());
        for (int i = 0; i < a.size(); i++) {
            List<Series> r = aggregate(List.of(a.get(i), b.get(i)), func, xff, ctx, args, 2);
            if (r.isEmpty()) {
                continue;
            }
            Series s = r.get(0);
            String prefix = s.name().substring(0, s.name().indexOf("Series("));
            out.add(s.withName(prefix + "Series(" + a.get(i).name() + "," + b.get(i).name() + ")"));
        }
        return out;
    }
}
