package io.tally.query.functions.alias;

import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.expr.SeriesWise;
import io.tally.query.functions.Fn;
import io.tally.query.functions.special.Substr;

/** {@code aliasByMetric(seriesList)}: the last node of the (innermost) name, i.e. {@code substr(x, -1, 0)}. */
public final class AliasByMetric extends Fn implements SeriesWise {
    public AliasByMetric() {
        super(spec("aliasByMetric", ALIAS, doc("Renames each series to the last node of its metric name.",
                "aliasByMetric(carbon.agents.graphite.creates)")).params(SERIES_LIST));
    }

    @Override
    public Object apply(Args args, EvalContext ctx) {
        return each(args.series(0), s -> s.withName(Substr.substr(s.name(), -1, 0)));
    }
}
