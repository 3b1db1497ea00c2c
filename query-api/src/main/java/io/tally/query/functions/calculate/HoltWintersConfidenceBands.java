package io.tally.query.functions.calculate;

import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.expr.Param;
import io.tally.query.expr.ParamType;
import io.tally.query.expr.Series;
import io.tally.query.functions.Fn;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code holtWintersConfidenceBands(seriesList, delta=3, bootstrapInterval='7d', seasonality='1d')}: per series
 * {@code holtWintersConfidenceLower(x)} and {@code holtWintersConfidenceUpper(x)}, the forecast ∓ delta
 * deviations.
 */
public final class HoltWintersConfidenceBands extends Fn {
    public HoltWintersConfidenceBands() {
        super(spec("holtWintersConfidenceBands", CALCULATE, doc("Upper and lower bands around a Holt-Winters "
                + "forecast, delta predicted deviations away from it.",
                "holtWintersConfidenceBands(Server.instance01.threads.busy)"))
                .params(SERIES_LIST, Param.optional("delta", ParamType.INTEGER, 3L), HoltWinters.bootstrapParam(),
                        HoltWinters.seasonalityParam()));
    }

    @Override
    public Object apply(Args args, EvalContext ctx) {
        return bands(args, ctx);
    }

    static List<Series> bands(Args args, EvalContext ctx) {
        double delta = args.dbl(1, 3);
        long bootstrap = HoltWinters.seconds(args, 2, "7d");
        long seasonality = HoltWinters.seconds(args, 3, "1d");
        List<Series> out = new ArrayList<>();
        for (Series s : HoltWinters.withBootstrap(args, ctx, bootstrap)) {
            Series[] b = HoltWinters.bands(s, delta, bootstrap, seasonality);
            out.add(b[0]);
            out.add(b[1]);
        }
        return out;
    }
}
