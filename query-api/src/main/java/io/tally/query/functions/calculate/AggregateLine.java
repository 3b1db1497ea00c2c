package io.tally.query.functions.calculate;

import io.tally.query.expr.AggFunc;
import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.expr.Param;
import io.tally.query.expr.ParamType;
import io.tally.query.expr.Py;
import io.tally.query.expr.Series;
import io.tally.query.functions.Fn;
import io.tally.query.functions.special.ConstantLine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code aggregateLine(seriesList, func='average', keepStep=False)}: per series a horizontal line at its
 * aggregate, named {@code aggregateLine(x, 12.5)}; a three-point line over the range, or with {@code keepStep} the
 * series' own points.
 */
public final class AggregateLine extends Fn {
    public AggregateLine() {
        super(spec("aggregateLine", CALCULATE, doc("Draws a horizontal line at the value of an aggregation function "
                + "applied to each whole series (default average). With keepStep the line has the series' own "
                + "points.", "aggregateLine(server01.connections.total, 'avg')"))
                .params(SERIES_LIST, Param.optional("func", ParamType.AGG_FUNC, "average").withOptions(AggFunc.NAMES),
                        Param.optional("keepStep", ParamType.BOOLEAN, false)));
    }

    @Override
    public Object apply(Args args, EvalContext ctx) {
        AggFunc f = args.aggFunc(1, "average");
        boolean keepStep = args.bool(2, false);
        List<Series> out = new ArrayList<>();
        for (Series s : args.series(0)) {
            double value = f.apply(s.values());
            String name = "aggregateLine(" + s.name() + ", " + (Double.isNaN(value) ? "None" : Py.g(value)) + ")";
            if (keepStep) {
                double[] v = new double[s.size()];
                Arrays.fill(v, value);
                out.add(s.copy(name, v));
            } else {
                out.add(ConstantLine.line(ctx, value).toBuilder().name(name).pathExpression(name).build());
            }
        }
        return out;
    }
}
