package io.tally.query.functions.filter;

import io.tally.query.expr.AggFunc;
import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.expr.Param;
import io.tally.query.expr.ParamType;
import io.tally.query.expr.Series;
import io.tally.query.functions.Fn;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** {@code mostDeviant(seriesList, n)}: the n series with the largest variance; all-null series are dropped. */
public final class MostDeviant extends Fn {
    public MostDeviant() {
        super(spec("mostDeviant", FILTER_SERIES, doc("Keeps the n series whose values vary the most (largest "
                + "variance over the range).", "mostDeviant(server*.instance*.memory.free, 5)"))
                .params(SERIES_LIST, Param.required("n", ParamType.INTEGER)));
    }

    @Override
    public Object apply(Args args, EvalContext ctx) {
        long n = args.integer(1);
        List<Series> kept = new ArrayList<>();
        List<Double> sigmas = new ArrayList<>();
        for (Series s : args.series(0)) {
            double mean = AggFunc.AVERAGE.apply(s.values());
            if (Double.isNaN(mean)) {
                continue;
            }
            double sq = 0;
            int known = 0;
            for (double v : s.values()) {
                if (!Double.isNaN(v)) {
                    sq += (v - mean) * (v - mean);
                    known++;
                }
            }
            kept.add(s);
            sigmas.add(sq / known);
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < kept.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.comparingDouble((Integer i) -> sigmas.get(i)).reversed());
        List<Series> out = new ArrayList<>();
        for (int i : order) {
            out.add(kept.get(i));
        }
        return Highest.slice(out, n);
    }
}
