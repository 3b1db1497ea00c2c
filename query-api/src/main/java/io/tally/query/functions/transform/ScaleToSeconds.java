package io.tally.query.functions.transform;

import io.tally.query.expr.Args;
import io.tally.query.expr.EvalContext;
import io.tally.query.expr.Param;
import io.tally.query.expr.ParamType;
import io.tally.query.expr.Py;
import io.tally.query.expr.SeriesMath;
import io.tally.query.expr.SeriesWise;
import io.tally.query.functions.Fn;

/** {@code scaleToSeconds(seriesList, seconds)}: values per step turned into values per {@code seconds}. */
public final class ScaleToSeconds extends Fn implements SeriesWise {
    public ScaleToSeconds() {
        super(spec("scaleToSeconds", TRANSFORM, doc("Scales values per step into values per the given number of "
                + "seconds (value * seconds / step), rounded to 6 decimals.", "scaleToSeconds(app.requests,1)"))
                .params(SERIES_LIST, Param.required("seconds", ParamType.FLOAT)));
    }

    @Override
    public Object apply(Args args, EvalContext ctx) {
        double seconds = args.dbl(1);
        String tag = floatText(args, 1, null);
        return each(args.series(0), s -> {
            double factor = seconds / s.step();
            return mapValues(s, "scaleToSeconds(" + s.name() + "," + Py.d(seconds) + ")", "scaleToSeconds", tag,
                    v -> SeriesMath.round(v * factor, 6));
        });
    }
}
