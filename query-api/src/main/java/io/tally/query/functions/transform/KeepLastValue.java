package io.tally.query.functions.transform;

import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.expr.Param;
import io.tally.query.expr.ParamType;
import io.tally.query.expr.SeriesWise;
import io.tally.query.functions.Fn;

/**
 * {@code keepLastValue(seriesList, limit=inf)}: runs of at most {@code limit} nulls take the last known value,
 * trailing runs included; leading nulls stay null.
 */
public final class KeepLastValue extends Fn implements SeriesWise {
    public KeepLastValue() {
        super(spec("keepLastValue", TRANSFORM, doc("Continues the line with the last known value across gaps of at "
                + "most limit nulls (default: any length). Nulls before the first value stay null.",
                "keepLastValue(Server01.connections.handled)", "keepLastValue(Server01.connections.handled, 10)"))
                .params(SERIES_LIST, Param.optional("limit", ParamType.INT_OR_INF, Double.POSITIVE_INFINITY)));
    }

    @Override
    public Object apply(Args args, EvalContext ctx) {
        double limit = args.dbl(1, Double.POSITIVE_INFINITY);
        return each(args.series(0), s -> {
            double[] v = s.values().clone();
            int nulls = 0;
            double last = Double.NaN;
            for (int i = 0; i < v.length; i++) {
                if (Double.isNaN(v[i])) {
                    nulls++;
                    continue;
                }
                if (nulls > 0 && nulls <= limit && !Double.isNaN(last)) {
                    java.util.Arrays.fill(v, i - nulls, i, last);
                }
                nulls = 0;
                last = v[i];
            }
            if (nulls > 0 && nulls <= limit && !Double.isNaN(last)) {
                java.util.Arrays.fill(v, v.length - nulls, v.length, last);
            }
            String name = "keepLastValue(" + s.name() + ")";
            return s.toBuilder().name(name).pathExpression(name).values(v).build();
        });
    }
}
