package io.tally.query.functions.calculate;

import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.expr.Series;
import io.tally.query.functions.Fn;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code holtWintersForecast(seriesList, bootstrapInterval='7d', seasonality='1d')}: the Holt-Winters prediction,
 * computed over data re-fetched with {@code bootstrapInterval} of history before the range.
 */
public final class HoltWintersForecast extends Fn {
    public HoltWintersForecast() {
        super(spec("holtWintersForecast", CALCULATE, doc("A Holt-Winters forecast of each series, bootstrapped with "
                + "bootstrapInterval (default 7d) of data before the range, with one season of seasonality.",
                "holtWintersForecast(Server.instance01.threads.busy)"))
                .params(SERIES_LIST, HoltWinters.bootstrapParam(), HoltWinters.seasonalityParam()));
    }

    @Override
    public Object apply(Args args, EvalContext ctx) {
        long bootstrap = HoltWinters.seconds(args, 1, "7d");
        long seasonality = HoltWinters.seconds(args, 2, "1d");
        List<Series> out = new ArrayList<>();
        for (Series s : HoltWinters.withBootstrap(args, ctx, bootstrap)) {
            HoltWinters.Analysis a = HoltWinters.analyse(s, seasonality);
            String name = "holtWintersForecast(" + s.name() + ")";
            out.add(s.toBuilder().name(name).pathExpression(name).start(s.start() + bootstrap)
                    .values(HoltWinters.tail(a.predictions(), bootstrap, s.step()))
                    .tags(s.tagsWith("holtWintersForecast", "1")).build());
        }
        return out;
    }
}
