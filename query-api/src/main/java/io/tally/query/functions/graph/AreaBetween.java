package io.tally.query.functions.graph;

import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.expr.Series;
import io.tally.query.expr.SeriesStyle;
import io.tally.query.functions.Fn;

import java.util.List;

/**
 * {@code areaBetween(seriesList)}: exactly two series, both renamed {@code areaBetween(<path expression>)}, to be
 * drawn as the area between them (the first is the lower edge and is not stroked).
 */
public final class AreaBetween extends Fn {
    public AreaBetween() {
        super(spec("areaBetween", GRAPH, doc("Draws the area between exactly two series (e.g. a min and a max); both "
                + "are renamed areaBetween(x).", "areaBetween(service.latency.{min,max})")).params(SERIES_LIST));
    }

    @Override
    public Object apply(Args args, EvalContext ctx) {
        List<Series> list = args.series(0);
        if (list.size() != 2) {
            throw args.error(0, "areaBetween series argument must reference exactly 2 series (got " + list.size()
                    + ")");
        }
        Series upper = list.get(1);
        String name = "areaBetween(" + upper.pathExpression() + ")";
        var tags = upper.tagsWith("areaBetween", "1");
        Series lower = list.get(0);
        return List.of(lower.toBuilder().name(name).tags(tags).style(lower.style().withBand(SeriesStyle.Band.LOWER))
                        .build(),
                upper.toBuilder().name(name).tags(tags).style(upper.style().withBand(SeriesStyle.Band.UPPER)).build());
    }
}
