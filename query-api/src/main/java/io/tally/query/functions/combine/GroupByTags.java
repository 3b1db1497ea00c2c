package io.tally.query.functions.combine;

import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.expr.Param;
import io.tally.query.expr.ParamType;
import io.tally.query.expr.Py;
import io.tally.query.expr.Series;
import io.tally.query.expr.Tags;
import io.tally.query.functions.Fn;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code groupByTags(seriesList, callback, *tags)}: groups by the values of the given tags; each group is reduced
 * with the callback and named {@code <name>;tag=value;...} (tags sorted, a missing tag as an empty value), where
 * {@code <name>} is the common {@code name} tag of all inputs or else the callback, or each series' own name when
 * {@code name} is among the tags. The result's tags are parsed from that name.
 */
public final class GroupByTags extends Fn {
    public GroupByTags() {
        super(spec("groupByTags", COMBINE, doc("Groups the series by the values of the given tags and reduces each "
                + "group with the callback; results are named like tagged series, e.g. cpu;dc=dc1.",
                "seriesByTag(\"name=cpu\")|groupByTags(\"average\",\"dc\")"))
                .params(SERIES_LIST, Param.required("callback", ParamType.AGG_OR_SERIES_FUNC),
                        Param.required("tags", ParamType.TAG).asMultiple()));
    }

    @Override
    public Object apply(Args args, EvalContext ctx) {
        List<Series> list = args.series(0);
        String callback = args.string(1);
        List<String> tags = new ArrayList<>();
        for (Object t : args.multi(2)) {
            tags.add(Py.str(t));
        }
        if (tags.isEmpty()) {
            throw args.error(2, "no tags specified");
        }
        boolean byName = tags.contains("name");
        String common = callback;
        if (!byName) {
            Set<String> names = new HashSet<>();
            for (Series s : list) {
                names.add(s.tags().get("name"));
            }
            if (names.size() == 1) {
                common = names.iterator().next();
            }
        }
        Map<String, List<Series>> groups = new LinkedHashMap<>();
        for (Series s : list) {
            List<String> parts = new ArrayList<>();
            for (String t : tags) {
                if (!t.equals("name") || !byName) {
                    parts.add(t + "=" + s.tags().getOrDefault(t, ""));
                }
            }
            parts.sort(null);
            String key = (byName ? s.tags().get("name") : common) + (parts.isEmpty() ? "" : ";" + String.join(";",
                    parts));
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(s);
        }
        List<Series> out = new ArrayList<>(groups.size());
        for (Map.Entry<String, List<Series>> g : groups.entrySet()) {
            Series r = GroupByNodes.reduce(g.getValue(), callback, ctx, args, 1);
            if (r != null) {
                String key = g.getKey();
                out.add(r.toBuilder().name(key).pathExpression(key).tags(Tags.parse(key)).build());
            }
        }
        return out;
    }
}
