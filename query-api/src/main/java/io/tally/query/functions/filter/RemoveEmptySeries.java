package io.tally.query.functions.filter;

import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.expr.Param;
import io.tally.query.expr.ParamType;
import io.tally.query.expr.Series;
import io.tally.query.expr.SeriesMath;
import io.tally.query.functions.Fn;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code removeEmptySeries(seriesList, xFilesFactor=None)}: drops series without values, or with fewer than the
 * xFilesFactor fraction of known values (default 0, not the request's).
 */
public final class RemoveEmptySeries extends Fn {
    public RemoveEmptySeries() {
        super(spec("removeEmptySeries", FILTER_SERIES, doc("Drops the series that have no value, or whose fraction of "
                + "known values is below xFilesFactor.", "removeEmptySeries(server*.instance*.threads.busy)"))
                .params(SERIES_LIST, Param.optional("xFilesFactor", ParamType.FLOAT)));
    }

    @Override
    public Object apply(Args args, EvalContext ctx) {
        List<Series> out = new ArrayList<>();
        for (Series s : args.series(0)) {
            int known = 0;
            for (double v : s.values()) {
                if (!Double.isNaN(v)) {
                    known++;
                }
            }
            // the factor is read only when there is something to compare, as in graphite
            if (known > 0 && SeriesMath.xff(known, s.size(), args.dbl(1, 0))) {
                out.add(s);
            }
        }
        return out;
    }
}
