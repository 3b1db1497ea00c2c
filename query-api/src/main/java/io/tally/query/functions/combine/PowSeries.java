package io.tally.query.functions.combine;

import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.expr.Series;
import io.tally.query.expr.SeriesMath;
import io.tally.query.functions.Fn;

import java.util.ArrayList;
import java.util.List;

/** {@code powSeries(*seriesLists)}: the first series raised to the second, the result to the third, ... */
public final class PowSeries extends Fn {
    public PowSeries() {
        super(spec("powSeries", COMBINE, doc("Raises the first series to the power of the second at each point, the "
                + "result to the power of the third, and so on; null where any step is undefined.",
                "powSeries(Server.instance01.app.requests, Server.instance01.app.replies)"))
                .params(SERIES_LISTS.withName("seriesList")).aggregator());
    }

    @Override
    public Object apply(Args args, EvalContext ctx) {
        SeriesMath.Normalized n = SeriesMath.normalize(args.allSeries(0));
        if (n == null) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        for (Series s : n.series()) {
            names.add(s.name());
        }
        int len = n.length();
        double[] v = new double[len];
        for (int i = 0; i < len; i++) {
            double acc = SeriesMath.at(n.series().get(0), i);
            for (int j = 1; j < n.series().size(); j++) {
                acc = SeriesMath.safePow(acc, SeriesMath.at(n.series().get(j), i));
            }
            v[i] = acc;
        }
        String name = "powSeries(" + String.join(",", names) + ")";
        return List.of(Series.builder(name, n.start(), n.end(), n.step(), v).xFilesFactor(ctx.xFilesFactor()).build());
    }
}
