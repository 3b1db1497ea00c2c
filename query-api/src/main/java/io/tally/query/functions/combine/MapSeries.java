package io.tally.query.functions.combine;

import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.expr.Nodes;
import io.tally.query.expr.Param;
import io.tally.query.expr.ParamType;
import io.tally.query.expr.Series;
import io.tally.query.functions.Fn;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code mapSeries(seriesList, *mapNodes)}: a list of series lists, one per key of the given nodes. */
public final class MapSeries extends Fn {
    public MapSeries() {
        super(spec("mapSeries", COMBINE, doc("Splits the series into lists that share the given nodes (or tags), "
                + "for reduceSeries. Short form: map().", "mapSeries(servers.*.cpu.*,1)"))
                .aliases("map")
                .params(SERIES_LIST, Param.required("mapNodes", ParamType.NODE_OR_TAG).asMultiple()));
    }

    @Override
    public Object apply(Args args, EvalContext ctx) {
        Map<String, List<Series>> groups = new LinkedHashMap<>();
        for (Series s : args.series(0)) {
            groups.computeIfAbsent(Nodes.key(s, args.multi(1)), k -> new ArrayList<>()).add(s);
        }
        return new ArrayList<>(groups.values());
    }
}
