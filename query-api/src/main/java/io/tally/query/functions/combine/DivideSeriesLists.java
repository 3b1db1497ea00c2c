package io.tally.query.functions.combine;

import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.expr.Param;
import io.tally.query.expr.ParamType;
import io.tally.query.expr.Series;
import io.tally.query.functions.Fn;

import java.util.ArrayList;
import java.util.List;

/** {@code divideSeriesLists(dividendSeriesList, divisorSeriesList)}: pairwise division by position. */
public final class DivideSeriesLists extends Fn {
    public DivideSeriesLists() {
        super(spec("divideSeriesLists", COMBINE, doc("Divides the first series of one list by the first of the other, "
                + "the second by the second, and so on; the lists must have the same length.",
                "divideSeriesLists(servers.*.errors,servers.*.requests)"))
                .params(Param.required("dividendSeriesList", ParamType.SERIES_LIST),
                        Param.required("divisorSeriesList", ParamType.SERIES_LIST)));
    }

    @Override
    public Object apply(Args args, EvalContext ctx) {
        List<Series> a = args.series(0);
        List<Series> b = args.series(1);
        if (a.size() != b.size()) {
            throw args.error(1, "dividendSeriesList and divisorSeriesList argument must have equal length ("
                    + a.size() + " and " + b.size() + ")");
        }
        List<Series> out = new ArrayList<>(a.size());
        for (int i = 0; i < a.size(); i++) {
            out.add(DivideSeries.quotient(a.get(i), b.get(i), ctx.xFilesFactor()));
        }
        return out;
    }
}
