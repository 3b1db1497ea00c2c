package io.tally.query;

import io.tally.query.expr.Series;
import io.tally.query.graph.GraphOptions;
import io.tally.query.graph.GraphRenderer;

import java.time.Instant;
import java.time.ZoneId;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.List;

/**
 * Serialises render results in every format Tally serves (spec §3.1.4), as graphite-web does:
 * <ul>
 *   <li>{@code json}: {@code maxDataPoints} consolidation, then {@link RenderJson}.</li>
 *   <li>{@code csv}: one row {@code name,YYYY-MM-DD HH:MM:SS,value} per value (Python's csv module: fields with
 *       {@code ,}, {@code "} or line breaks quoted, rows ended by CRLF), the time in the request's zone, an empty
 *       field for null, floats in Python repr.</li>
 *   <li>{@code raw}: per series {@code name,start,end,step|v1,v2,...} and a newline, null as {@code None}.</li>
 *   <li>{@code pickle} / {@code msgpack}: a list of {@code {name, start, end, step, values, pathExpression,
 *       valuesPerPoint, consolidationFunc, xFilesFactor}} (graphite's {@code TimeSeries.getInfo()}), null as
 *       {@code None}/{@code nil}.</li>
 *   <li>{@code png} / {@code svg}: a line graph drawn by {@link GraphRenderer} with the request's graph
 *       parameters; svg with {@code jsonp} is the document as a JSON string passed to the callback.</li>
 * </ul>
 * Like graphite-web, only json consolidates to {@code maxDataPoints} and honours {@code noNullPoints}; the other
 * formats carry every value of the series ({@code start + i * step}). Per point the writers allocate nothing except
 * the JDK's shortest-decimal conversion of non-integral values, and CSV looks up a zone offset only when a
 * transition is crossed. Framework-free; call from a worker thread for large answers.
 */
public final class RenderOutput {
    private RenderOutput() {
    }

    public static Body write(List<Series> series, RenderRequest r) {
        return switch (r.format()) {
            case JSON -> Body.of(r.jsonp() != null ? "text/javascript" : RenderFormat.JSON.contentType(),
                    RenderJson.write(Consolidation.apply(series, r.maxDataPoints()), r.noNullPoints(), r.pretty(),
                            r.jsonp()));
            case CSV -> Body.of(RenderFormat.CSV.contentType(), csv(series, r.zone()));
            case RAW -> Body.of(RenderFormat.RAW.contentType(), raw(series));
            case PICKLE -> {
                PickleWriter w = pickle(series);
                yield new Body(RenderFormat.PICKLE.contentType(), w.array(), w.length());
            }
            case MSGPACK -> {
                MsgpackWriter w = msgpack(series);
                yield new Body(RenderFormat.MSGPACK.contentType(), w.array(), w.length());
            }
            case PNG -> picture(RenderFormat.PNG, GraphRenderer.png(series, graph(r), r.from(), r.until(), r.zone()));
            case SVG -> svg(GraphRenderer.svg(series, graph(r), r.from(), r.until(), r.zone()), r.jsonp());
        };
    }

    private static GraphOptions graph(RenderRequest r) {
        return r.graph() != null ? r.graph() : GraphOptions.defaults();
    }

    /** graphite-web answers {@code format=svg&jsonp=cb} with {@code cb("<svg text as a JSON string>")}. */
    private static Body svg(byte[] svg, String jsonp) {
        if (jsonp == null) {
            return picture(RenderFormat.SVG, svg);
        }
        JsonWriter w = new JsonWriter(svg.length + jsonp.length() + 64, false, false);
        w.raw(jsonp).raw("(").value(new String(svg, java.nio.charset.StandardCharsets.UTF_8)).raw(")");
        return Body.of("text/javascript", w);
    }

    private static Body picture(RenderFormat f, byte[] bytes) {
        return new Body(f.contentType(), bytes, bytes.length);
    }

    static JsonWriter csv(List<Series> series, ZoneId zone) {
        JsonWriter w = new JsonWriter(estimate(series, 40), false, false);
        ZoneRules rules = zone.getRules();
        for (Series s : series) {
            String name = csvField(s.name());
            double[] values = s.values();
            long offsetFrom = Long.MAX_VALUE; // [offsetFrom, offsetUntil) is where `offset` holds
            long offsetUntil = Long.MIN_VALUE;
            int offset = 0;
            for (int i = 0; i < values.length; i++) {
                long t = s.start() + i * s.step();
                if (t < offsetFrom || t >= offsetUntil) {
                    Instant at = Instant.ofEpochSecond(t);
                    offset = rules.getOffset(at).getTotalSeconds();
                    if (rules.isFixedOffset()) {
                        offsetFrom = Long.MIN_VALUE;
                        offsetUntil = Long.MAX_VALUE;
                    } else {
                        ZoneOffsetTransition next = rules.nextTransition(at);
                        offsetFrom = t;
                        offsetUntil = next == null ? Long.MAX_VALUE : next.toEpochSecond();
                    }
                }
                w.rawUtf8(name).rawChar(',');
                dateTime(w, t + offset);
                w.rawChar(',');
                if (!Double.isNaN(values[i])) {
                    w.rawRepr(values[i]);
                }
                w.rawChar('\r').rawChar('\n');
            }
        }
        return w;
    }

    /** Python's csv quoting (QUOTE_MINIMAL, excel dialect). */
    static String csvField(String s) {
        boolean quote = false;
        for (int i = 0; i < s.length() && !quote; i++) {
            char c = s.charAt(i);
            quote = c == ',' || c == '"' || c == '\r' || c == '\n';
        }
        return quote ? '"' + s.replace("\"", "\"\"") + '"' : s;
    }

    /** {@code YYYY-MM-DD HH:MM:SS} of local epoch seconds (civil-from-days, proleptic Gregorian). */
    static void dateTime(JsonWriter w, long local) {
        long days = Math.floorDiv(local, 86_400L);
        int secs = (int) Math.floorMod(local, 86_400L);
        long z = days + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long doe = z - era * 146_097;
        long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        long day = doy - (153 * mp + 2) / 5 + 1;
        long month = mp < 10 ? mp + 3 : mp - 9;
        long year = yoe + era * 400 + (month <= 2 ? 1 : 0);
        pad(w, year, 4).rawChar('-');
        pad(w, month, 2).rawChar('-');
        pad(w, day, 2).rawChar(' ');
        pad(w, secs / 3600, 2).rawChar(':');
        pad(w, secs / 60 % 60, 2).rawChar(':');
        pad(w, secs % 60, 2);
    }

    private static JsonWriter pad(JsonWriter w, long v, int width) {
        if (v < 0) {
            return w.rawLong(v);
        }
        for (long limit = 10; width > 1; width--, limit *= 10) {
            if (v < limit) {
                w.rawChar('0');
            }
        }
        return w.rawLong(v);
    }

    static JsonWriter raw(List<Series> series) {
        JsonWriter w = new JsonWriter(estimate(series, 12), false, false);
        for (Series s : series) {
            w.rawUtf8(s.name()).rawChar(',').rawLong(s.start()).rawChar(',').rawLong(s.end()).rawChar(',')
                    .rawLong(s.step()).rawChar('|');
            double[] values = s.values();
            for (int i = 0; i < values.length; i++) {
                if (i > 0) {
                    w.rawChar(',');
                }
                if (Double.isNaN(values[i])) {
                    w.rawChar('N').rawChar('o').rawChar('n').rawChar('e');
                } else {
                    w.rawRepr(values[i]);
                }
            }
            w.rawChar('\n');
        }
        return w;
    }

    static PickleWriter pickle(List<Series> series) {
        PickleWriter w = new PickleWriter(estimate(series, 9));
        w.beginList();
        for (Series s : series) {
            w.beginDict();
            w.value("name").value(s.name());
            w.value("start").value(s.start());
            w.value("end").value(s.end());
            w.value("step").value(s.step());
            w.value("values").beginList();
            for (double v : s.values()) {
                w.valueOrNone(v);
            }
            w.endList();
            w.value("pathExpression").value(s.pathExpression());
            w.value("valuesPerPoint").value(s.valuesPerPoint());
            w.value("consolidationFunc").value(s.consolidationName());
            w.value("xFilesFactor").value(s.xFilesFactor());
            w.endDict();
        }
        w.endList();
        return w.finish();
    }

    static MsgpackWriter msgpack(List<Series> series) {
        MsgpackWriter w = new MsgpackWriter(estimate(series, 9));
        w.array(series.size());
        for (Series s : series) {
            w.map(9);
            w.value("name").value(s.name());
            w.value("start").value(s.start());
            w.value("end").value(s.end());
            w.value("step").value(s.step());
            w.value("values").array(s.size());
            for (double v : s.values()) {
                w.valueOrNil(v);
            }
            w.value("pathExpression").value(s.pathExpression());
            w.value("valuesPerPoint").value(s.valuesPerPoint());
            w.value("consolidationFunc").value(s.consolidationName());
            w.value("xFilesFactor").value(s.xFilesFactor());
        }
        return w;
    }

    private static int estimate(List<Series> series, int bytesPerPoint) {
        long n = 64;
        for (Series s : series) {
            n += 160 + 2L * s.name().length() + (long) bytesPerPoint * s.size();
        }
        return (int) Math.min(n, 1 << 30);
    }
}
