package io.tally.query;

import io.tally.query.expr.FunctionInfo;
import io.tally.query.expr.Param;
import io.tally.query.expr.SeriesFunction;
import io.tally.query.functions.FunctionRegistry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /functions} and {@code /functions/<name>} (spec §3.7), generated from the functions' own metadata in
 * graphite-web's shape: an object keyed by function name (aliases included), each entry {@code name},
 * {@code function} (Python-style signature), {@code description} (reStructuredText), {@code module}, {@code group}
 * and {@code params}. Strict JSON: infinite defaults are written {@code 1e9999}. Framework-free.
 */
public final class FunctionsApi {
    private static final String MODULE = "graphite.render.functions";

    private final FunctionRegistry registry;

    public FunctionsApi(FunctionRegistry registry) {
        this.registry = registry;
    }

    /**
     * The index.
     *
     * @param grouped nest the entries by group ({@code grouped=1|true})
     * @param group   only this group, or null
     * @param pie     {@code type=pie}: graphite's pie-chart reducers, which Tally does not implement (empty)
     */
    public JsonWriter list(boolean grouped, String group, boolean pie, boolean pretty, String jsonp) {
        JsonWriter w = new JsonWriter(1 << 16, pretty, true);
        if (jsonp != null) {
            w.raw(jsonp).raw("(");
        }
        w.beginObject();
        if (!pie) {
            if (grouped) {
                Map<String, List<Map.Entry<String, SeriesFunction>>> byGroup = new LinkedHashMap<>();
                for (Map.Entry<String, SeriesFunction> e : registry.byName().entrySet()) {
                    String g = e.getValue().info().group();
                    if (group == null || group.equals(g)) {
                        byGroup.computeIfAbsent(g, k -> new ArrayList<>()).add(e);
                    }
                }
                for (Map.Entry<String, List<Map.Entry<String, SeriesFunction>>> g : byGroup.entrySet()) {
                    w.name(g.getKey()).beginObject();
                    for (Map.Entry<String, SeriesFunction> e : g.getValue()) {
                        w.name(e.getKey());
                        write(w, e.getKey(), e.getValue().info());
                    }
                    w.endObject();
                }
            } else {
                for (Map.Entry<String, SeriesFunction> e : registry.byName().entrySet()) {
                    if (group == null || group.equals(e.getValue().info().group())) {
                        w.name(e.getKey());
                        write(w, e.getKey(), e.getValue().info());
                    }
                }
            }
        }
        w.endObject();
        if (jsonp != null) {
            w.raw(")");
        }
        return w;
    }

    /** One function's entry, or null when no function has that name. */
    public JsonWriter describe(String name, boolean pretty, String jsonp) {
        SeriesFunction f = registry.find(name);
        if (f == null) {
            return null;
        }
        JsonWriter w = new JsonWriter(4096, pretty, true);
        if (jsonp != null) {
            w.raw(jsonp).raw("(");
        }
        write(w, name, f.info());
        if (jsonp != null) {
            w.raw(")");
        }
        return w;
    }

    /** {@code {"error": message}}, graphite's error body for these endpoints. */
    public static JsonWriter error(String message) {
        JsonWriter w = new JsonWriter(128, false, true);
        w.beginObject().name("error").value(message).endObject();
        return w;
    }

    private static void write(JsonWriter w, String name, FunctionInfo info) {
        w.beginObject();
        w.name("name").value(name);
        w.name("function").value(info.signature(name));
        w.name("description").value(info.description());
        w.name("module").value(MODULE);
        w.name("group").value(info.group());
        w.name("params").beginArray();
        for (Param p : info.params()) {
            w.beginObject();
            w.name("name").value(p.name());
            w.name("type").value(p.type().graphiteName());
            if (p.required()) {
                w.name("required").value(true);
            }
            if (p.defaultValue() != null) {
                w.name("default");
                value(w, p.defaultValue());
            }
            if (p.multiple()) {
                w.name("multiple").value(true);
            }
            if (!p.options().isEmpty()) {
                // graphite sorts options by their Python str()
                List<Object> options = new ArrayList<>(p.options());
                options.sort((a, b) -> io.tally.query.expr.Py.str(a).compareTo(io.tally.query.expr.Py.str(b)));
                w.name("options").beginArray();
                for (Object o : options) {
                    value(w, o);
                }
                w.endArray();
            }
            if (!p.suggestions().isEmpty()) {
                w.name("suggestions").beginArray();
                for (Object o : p.suggestions()) {
                    value(w, o);
                }
                w.endArray();
            }
            w.endObject();
        }
        w.endArray();
        w.endObject();
    }

    private static void value(JsonWriter w, Object v) {
        switch (v) {
            case null -> w.nullValue();
            case String s -> w.value(s);
            case Boolean b -> w.value(b);
            case Long l -> w.value(l);
            case Integer i -> w.value((long) i);
            case Double d -> w.value(d);
            default -> w.value(v.toString());
        }
    }
}
