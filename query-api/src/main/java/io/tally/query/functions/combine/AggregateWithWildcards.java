package io.tally.query.functions.combine;

import io.tally.query.expr.AggFunc;
import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.expr.Param;
import io.tally.query.expr.ParamType;
import io.tally.query.expr.Series;
import io.tally.query.functions.Fn;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code aggregateWithWildcards(seriesList, func, *positions)}: groups the series by their name with the given
 * node positions removed (first appearance order) and aggregates each group, named by the reduced name.
 */
public final class AggregateWithWildcards extends Fn {
    public AggregateWithWildcards() {
        super(spec("aggregateWithWildcards", COMBINE, doc("Groups the series by name with the given node positions "
                + "removed and aggregates each group with func; each result is named by the remaining nodes.",
                "aggregateWithWildcards(host.cpu-[0-7].cpu-{user,system}.value, \"sum\", 1)"))
                .params(SERIES_LIST, Param.required("func", ParamType.AGG_FUNC).withOptions(AggFunc.NAMES),
                        Param.optional("position", ParamType.NODE).asMultiple()));
    }

    @Override
    public Object apply(Args args, EvalContext ctx) {
        return withPositionsFrom(args, 2, args.string(1), ctx);
    }

    /** The shared implementation of the *SeriesWithWildcards functions. */
    static List<Series> byWildcards(List<Series> list, String func, List<Long> positions, EvalContext ctx, Args args) {
        Set<Long> drop = new HashSet<>(positions);
        Map<String, List<Series>> groups = new LinkedHashMap<>();
        for (Series s : list) {
            String[] nodes = s.name().split("\\.", -1);
            StringBuilder key = new StringBuilder();
            for (int i = 0; i < nodes.length; i++) {
                if (!drop.contains((long) i)) {
                    if (!key.isEmpty()) {
                        key.append('.');
                    }
                    key.append(nodes[i]);
                }
            }
            groups.computeIfAbsent(key.toString(), k -> new ArrayList<>()).add(s);
        }
        List<Series> out = new ArrayList<>(groups.size());
        for (Map.Entry<String, List<Series>> g : groups.entrySet()) {
            List<Series> r = aggregate(g.getValue(), func, null, ctx, args, 1);
            if (!r.isEmpty()) {
                out.add(r.get(0).withName(g.getKey()));
            }
        }
        return out;
    }

    /** The shared body of the {@code *SeriesWithWildcards} functions: node positions from argument {@code from} on. */
    static Object withPositionsFrom(Args args, int from, String func, EvalContext ctx) {
        List<Long> positions = new ArrayList<>();
        for (Object p : args.multi(from)) {
            if (!(p instanceof Number n)) {
                throw args.error(from, "positions must be integers, got " + p);
            }
            positions.add(n.longValue());
        }
        return byWildcards(args.series(0), func, positions, ctx, args);
    }
}
