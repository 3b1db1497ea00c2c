package io.tally.query.expr;

import java.util.List;

/**
 * A render function's self-description, from which {@code /functions} is generated.
 *
 * @param name        the primary name (graphite's Python function's registered name)
 * @param aliases     further names it answers to ({@code sum} for {@code sumSeries})
 * @param group       graphite's category: Combine, Transform, Calculate, Filter Series, Filter Data, Sorting,
 *                    Alias, Graph, Special
 * @param description reStructuredText help (Grafana shows it in the editor)
 * @param params      declared parameters in order
 * @param aggregator  usable as a {@code groupByNode}/{@code groupByTags} callback
 */
public record FunctionInfo(String name, List<String> aliases, String group, String description, List<Param> params,
                           boolean aggregator) {

    public FunctionInfo {
        aliases = List.copyOf(aliases);
        params = List.copyOf(params);
    }

    /**
     * The Python-style signature graphite prints: {@code movingAverage(seriesList, windowSize, xFilesFactor=None)}.
     */
    public String signature(String asName) {
        StringBuilder b = new StringBuilder(asName).append('(');
        for (int i = 0; i < params.size(); i++) {
            Param p = params.get(i);
            if (i > 0) {
                b.append(", ");
            }
            if (p.multiple()) {
                b.append('*').append(p.name());
            } else if (p.required()) {
                b.append(p.name());
            } else {
                b.append(p.name()).append('=').append(pyLiteral(p.defaultValue()));
            }
        }
        return b.append(')').toString();
    }

    private static String pyLiteral(Object v) {
        if (v instanceof String s) {
            return "'" + s + "'";
        }
        return Py.str(v);
    }
}
