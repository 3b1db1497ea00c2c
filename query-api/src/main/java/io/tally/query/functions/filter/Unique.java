package io.tally.query.functions.filter;

import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.expr.Series;
import io.tally.query.functions.Fn;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** {@code unique(*seriesLists)}: the series of all lists, the first of each name only. */
public final class Unique extends Fn {
    public Unique() {
        super(spec("unique", FILTER_SERIES, doc("Joins the lists and keeps only the first series of each name.",
                "unique(mostDeviant(server.*.disk_free,5),lowestCurrent(server.*.disk_free,5))"))
                .params(SERIES_LISTS));
    }

    @Override
    public Object apply(Args args, EvalContext ctx) {
        Set<String> seen = new HashSet<>();
        List<Series> out = new ArrayList<>();
        for (Series s : args.allSeries(0)) {
            if (seen.add(s.name())) {
                out.add(s);
            }
        }
        return out;
    }
}
