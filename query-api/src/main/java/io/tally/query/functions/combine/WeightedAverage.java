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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * {@code weightedAverage(seriesListAvg, seriesListWeight, *nodes)}: {@code sum(avg * weight) / sum(weight)} per
 * point, averages and weights matched by node key.
 */
public final class WeightedAverage extends Fn {
    public WeightedAverage() {
        super(spec("weightedAverage", COMBINE, doc("The weighted average of a list of averages, each weighted by the "
                + "weight series with the same node values.",
                "weightedAverage(*.transactions.mean,*.transactions.count,0)"))
                .params(Param.required("seriesListAvg", ParamType.SERIES_LIST),
                        Param.required("seriesListWeight", ParamType.SERIES_LIST),
                        Param.optional("nodes", ParamType.NODE_OR_TAG).asMultiple()));
    }

    @Override
    public Object apply(Args args, EvalContext ctx) {
        List<Series> avgs = args.series(0);
        List<Series> weights = args.series(1);
        List<Object> nodes = args.multi(2);
        if (avgs.size() != weights.size()) {
            throw args.error(1, "weightedAverage must receive the same number of series for seriesListAvg and "
                    + "seriesListWeight but received respectively " + avgs.size() + " and " + weights.size());
        }
        Map<String, Series[]> pairs = new LinkedHashMap<>();
        for (int i = 0; i < avgs.size(); i++) {
            pairs.computeIfAbsent(Nodes.key(avgs.get(i), nodes), k -> new Series[2])[0] = avgs.get(i);
            pairs.computeIfAbsent(Nodes.key(weights.get(i), nodes), k -> new Series[2])[1] = weights.get(i);
        }
        double xff = ctx.xFilesFactor();
        List<Series> products = new ArrayList<>();
        for (Series[] p : pairs.values()) {
            if (p[0] == null || p[1] == null) {
                continue;
            }
            Series a = p[0];
            Series w = p[1];
            int n = Math.max(a.size(), w.size());
            double[] v = new double[n];
            for (int i = 0; i < n; i++) {
                double x = SeriesMath.at(a, i);
                double y = SeriesMath.at(w, i);
                v[i] = Double.isNaN(x) || Double.isNaN(y) ? Double.NaN : x * y;
            }
            products.add(Series.builder("product(" + w.name() + "," + a.name() + ")", a.start(), a.end(), a.step(), v)
                    .xFilesFactor(xff).build());
        }
        if (products.isEmpty()) {
            return List.of();
        }
        Series sumProducts = aggregate(products, "sum", null, ctx, args, 0).get(0);
        Series sumWeights = aggregate(weights, "sum", null, ctx, args, 0).get(0);
        int n = Math.max(sumProducts.size(), sumWeights.size());
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            double x = SeriesMath.at(sumProducts, i);
            double y = SeriesMath.at(sumWeights, i);
            v[i] = Double.isNaN(x) || Double.isNaN(y) || y == 0 ? Double.NaN : x / y;
        }
        List<String> nodeText = new ArrayList<>();
        for (Object o : nodes) {
            nodeText.add(Py.str(o));
        }
        String name = "weightedAverage(" + String.join(",", pathExpressions(avgs)) + ", "
                + String.join(",", pathExpressions(weights)) + ", " + String.join(",", nodeText) + ")";
        return List.of(Series.builder(name, sumProducts.start(), sumProducts.end(), sumProducts.step(), v)
                .xFilesFactor(xff).build());
    }

    private static TreeSet<String> pathExpressions(List<Series> l) {
        TreeSet<String> out = new TreeSet<>();
        for (Series s : l) {
            out.add(s.pathExpression());
        }
        return out;
    }
}
