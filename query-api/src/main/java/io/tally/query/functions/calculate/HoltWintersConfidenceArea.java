package io.tally.query.functions.calculate;

import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.expr.Param;
import io.tally.query.expr.ParamType;
import io.tally.query.expr.Series;
import io.tally.query.functions.Fn;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code holtWintersConfidenceArea(seriesList, delta=3, bootstrapInterval='7d', seasonality='1d')}: the two
 * confidence bands of exactly one series, both named {@code holtWintersConfidenceArea(<path expression>)} (an
 * area between them when drawn).
 */
public final class HoltWintersConfidenceArea extends Fn {
    public HoltWintersConfidenceArea() {
        super(spec("holtWintersConfidenceArea", CALCULATE, doc("The area between the Holt-Winters confidence bands "
                + "of one series: both bands, named alike.",
                "holtWintersConfidenceArea(Server.instance01.threads.busy)"))
                .params(SERIES_LIST, Param.optional("delta", ParamType.INTEGER, 3L), HoltWinters.bootstrapParam(),
                        HoltWinters.seasonalityParam()));
    }

    @Override
    public Object apply(Args args, EvalContext ctx) {
        List<Series> bands = HoltWintersConfidenceBands.bands(args, ctx);
        if (bands.size() != 2) {
            throw args.error(0, "holtWintersConfidenceArea needs exactly one series, got " + bands.size() / 2);
        }
        Series upper = bands.get(1);
        String name = "holtWintersConfidenceArea(" + upper.pathExpression() + ")";
        Map<String, String> tags = new TreeMap<>(upper.tags());
        tags.put("holtWintersConfidenceArea", "1");
        return List.of(bands.get(0).toBuilder().name(name).pathExpression(name).tags(tags).build(),
                upper.toBuilder().name(name).pathExpression(name).tags(tags).build());
    }
}
