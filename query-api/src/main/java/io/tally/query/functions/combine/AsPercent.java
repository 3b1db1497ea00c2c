package io.tally.query.functions.combine;

import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.expr.Nodes;
import io.tally.query.expr.Param;
import io.tally.query.expr.ParamType;
import io.tally.query.expr.Py;
import io.tally.query.expr.Series;
import io.tally.query.expr.SeriesMath;
import io.tally.query.functions.Fn;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code asPercent(seriesList, total=None, *nodes)}: {@code 100 * value / total} per point, total being the sum of
 * all series (omitted), a number, one series, a list paired by sorted name, or with {@code nodes} the totals
 * matched by node key (unmatched keys give all-null {@code asPercent(x,MISSING)} / {@code asPercent(MISSING,y)}).
 * Division by zero or null gives null.
 */
public final class AsPercent extends Fn {
    public AsPercent() {
        super(spec("asPercent", COMBINE, doc("Each series as a percentage of a total: the sum of all the series "
                + "when total is omitted, a number, a single series, a list of the same length (paired by sorted "
                + "name), or, when nodes are given, the series or sums of totals that share the same node values. "
                + "Series or totals without a partner give all-null series named with MISSING.",
                "asPercent(Server01.connections.{failed,succeeded}, Server01.connections.attempted)",
                "asPercent(apache01.threads.busy,1500)", "asPercent(Server*.cpu.*.jiffies, None, 0)"))
                .aliases("pct")
                .params(SERIES_LIST, Param.optional("total", ParamType.ANY),
                        Param.optional("nodes", ParamType.NODE_OR_TAG).asMultiple()).aggregator());
    }

    @Override
    public Object apply(Args args, EvalContext ctx) {
        List<Series> list = args.series(0);
        SeriesMath.Normalized norm = SeriesMath.normalize(list);
        if (norm == null) {
            return List.of();
        }
        list = norm.series();
        double xff = ctx.xFilesFactor();
        Object total = args.value(1);
        List<Object> nodes = args.multi(2);
        if (!nodes.isEmpty()) {
            return byNodes(list, total, nodes, xff, args);
        }
        List<Series> out = new ArrayList<>(list.size());
        if (total instanceof List<?>) {
            List<Series> totals = args.series(1);
            if (totals.size() != 1 && totals.size() != list.size()) {
                throw args.error(1, "asPercent second argument must be missing, a single digit, reference exactly 1 "
                        + "series or reference the same number of series as the first argument");
            }
            if (totals.size() == list.size()) {
                List<Series> a = sortedByName(list);
                List<Series> b = sortedByName(totals);
                for (int i = 0; i < a.size(); i++) {
                    out.add(percentOf(a.get(i), b.get(i), xff));
                }
                return out;
            }
            SeriesMath.Normalized both = SeriesMath.normalize(list, totals);
            List<Series> norm2 = both.series();
            list = norm2.subList(0, list.size());
            Series t = norm2.get(list.size());
            for (Series s : list) {
                out.add(percent(s, s.name(), t.values(), t.name(), xff));
            }
            return out;
        }
        double[] totalValues;
        String totalText;
        if (total == null) {
            totalValues = SeriesMath.aggregateRows(norm, io.tally.query.expr.AggFunc.SUM, 0);
            totalText = "sumSeries(" + SeriesMath.pathExpressions(list) + ")";
        } else if (total instanceof Number n) {
            totalValues = new double[list.get(0).size()];
            java.util.Arrays.fill(totalValues, n.doubleValue());
            totalText = Py.str(total);
        } else {
            throw args.error(1, "total must be None, a number or a series list, got " + Py.str(total));
        }
        for (Series s : list) {
            out.add(percent(s, s.name(), totalValues, totalText, xff));
        }
        return out;
    }

    private static List<Series> sortedByName(List<Series> l) {
        List<Series> out = new ArrayList<>(l);
        out.sort(Comparator.comparing(Series::name));
        return out;
    }

    /** One series over one total series, both first normalised to a common step. */
    private static Series percentOf(Series s, Series total, double xff) {
        SeriesMath.Normalized pair = SeriesMath.normalize(List.of(s, total));
        Series a = pair.series().get(0);
        Series b = pair.series().get(1);
        int n = pair.length();
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = ratio(SeriesMath.at(a, i), SeriesMath.at(b, i));
        }
        String name = "asPercent(" + s.name() + "," + total.name() + ")";
        return Series.builder(name, pair.start(), pair.end(), pair.step(), v).xFilesFactor(xff).build();
    }

    private static Series percent(Series s, String name, double[] totals, String totalText, double xff) {
        int n = Math.max(s.size(), totals.length);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = ratio(SeriesMath.at(s, i), i < totals.length ? totals[i] : Double.NaN);
        }
        String label = "asPercent(" + name + "," + (totalText.isEmpty() ? s.pathExpression() : totalText) + ")";
        return Series.builder(label, s.start(), s.end(), s.step(), v).xFilesFactor(xff).build();
    }

    private static double ratio(double v, double total) {
        if (Double.isNaN(v) || Double.isNaN(total) || total == 0) {
            return Double.NaN;
        }
        return (v / total) * 100.0;
    }

    private static List<Series> byNodes(List<Series> list, Object total, List<Object> nodes, double xff, Args args) {
        List<String> keys = new ArrayList<>();
        Map<String, List<Series>> groups = new LinkedHashMap<>();
        for (Series s : list) {
            String key = Nodes.key(s, nodes);
            if (!groups.containsKey(key)) {
                keys.add(key);
            }
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(s);
        }
        Map<String, Series> totals = new LinkedHashMap<>();
        if (total == null) {
            for (String key : keys) {
                totals.put(key, sumOf(groups.get(key), xff));
            }
        } else if (total instanceof List<?>) {
            Map<String, List<Series>> tg = new LinkedHashMap<>();
            for (Series t : args.series(1)) {
                String key = Nodes.key(t, nodes);
                if (!tg.containsKey(key) && !groups.containsKey(key)) {
                    keys.add(key);
                }
                tg.computeIfAbsent(key, k -> new ArrayList<>()).add(t);
            }
            for (Map.Entry<String, List<Series>> e : tg.entrySet()) {
                totals.put(e.getKey(), sumOf(e.getValue(), xff));
            }
        } else {
            throw args.error(1, "total must be None or a seriesList when nodes are given");
        }
        List<Series> out = new ArrayList<>();
        for (String key : keys) {
            List<Series> members = groups.get(key);
            Series t = totals.get(key);
            if (members == null) {
                out.add(Series.builder("asPercent(MISSING," + t.name() + ")", t.start(), t.end(), t.step(),
                        SeriesMath.nulls(t.size())).xFilesFactor(xff).build());
                continue;
            }
            for (Series s : members) {
                if (t == null) {
                    out.add(Series.builder("asPercent(" + s.name() + ",MISSING)", s.start(), s.end(), s.step(),
                            SeriesMath.nulls(s.size())).xFilesFactor(xff).build());
                } else {
                    out.add(percentOf(s, t, xff));
                }
            }
        }
        return out;
    }

    /** One series as is, several summed into {@code sumSeries(<path expressions>)}. */
    private static Series sumOf(List<Series> group, double xff) {
        if (group.size() == 1) {
            return group.get(0);
        }
        SeriesMath.Normalized n = SeriesMath.normalize(group);
        String name = "sumSeries(" + SeriesMath.pathExpressions(n.series()) + ")";
        double[] v = SeriesMath.aggregateRows(n, io.tally.query.expr.AggFunc.SUM, 0);
        return Series.builder(name, n.start(), n.end(), n.step(), v).xFilesFactor(xff).build();
    }
}
