package io.tally.query.functions.transform;

import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.expr.Param;
import io.tally.query.expr.ParamType;
import io.tally.query.expr.SeriesWise;
import io.tally.query.functions.Fn;

import java.util.Map;
import java.util.TreeMap;

/**
 * {@code timeSlice(seriesList, startSliceAt, endSliceAt='now')}: values outside {@code [start, end]} become null.
 * As in graphite-web, point times are counted from the request's {@code from}.
 */
public final class TimeSlice extends Fn implements SeriesWise {
    public TimeSlice() {
        super(spec("timeSlice", TRANSFORM, doc("Keeps only the values between two times (inclusive), in the from / "
                + "until time format; the rest become null.",
                "timeSlice(network.core.port1,\"00:00 20140101\",\"11:59 20140630\")",
                "timeSlice(network.core.port1,\"12:00 20140630\",\"now\")"))
                .params(SERIES_LIST, Param.required("startSliceAt", ParamType.DATE),
                        Param.optional("endSliceAt", ParamType.DATE, "now")));
    }

    @Override
    public Object apply(Args args, EvalContext ctx) {
        long start = time(args, ctx, 1, null);
        long end = time(args, ctx, 2, "now");
        return each(args.series(0), s -> {
            double[] v = s.values();
            double[] out = new double[v.length];
            long t = ctx.from();
            for (int i = 0; i < v.length; i++) {
                out[i] = t < start || t > end ? Double.NaN : v[i];
                t += s.step();
            }
            String name = "timeSlice(" + s.name() + ", " + start + ", " + end + ")";
            Map<String, String> tags = new TreeMap<>(s.tags());
            tags.put("timeSliceStart", Long.toString(start));
            tags.put("timeSliceEnd", Long.toString(end));
            return s.toBuilder().name(name).values(out).tags(tags).build();
        });
    }
}
