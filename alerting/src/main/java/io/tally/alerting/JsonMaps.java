package io.tally.alerting;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns Vert.x JSON values into the plain maps and lists {@link DefinitionParser} reads (as YAML produces). */
public final class JsonMaps {
    private JsonMaps() {
    }

    /** The warn or crit threshold in JSON: a number, {@code [low, high]} for outside and inside, or null. */
    public static Object threshold(AlertDefinition.Condition c, boolean crit) {
        double t = crit ? c.crit() : c.warn();
        if (Double.isNaN(t)) {
            return null;
        }
        if (!c.direction().ranged()) {
            return t;
        }
        double high = crit ? c.critHigh() : c.warnHigh();
        // an open end (a Nagios range such as "10:" or "~:5") is null: JSON has no infinity
        return new JsonArray().add(Double.isInfinite(t) ? null : t).add(Double.isInfinite(high) ? null : high);
    }

    public static Map<String, Object> plain(Map<String, Object> m) {
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, value(v)));
        return out;
    }

    @SuppressWarnings("unchecked")
    static Object value(Object v) {
        if (v instanceof JsonObject o) {
            return plain(o.getMap());
        }
        if (v instanceof Map<?, ?> m) {
            return plain((Map<String, Object>) m);
        }
        if (v instanceof JsonArray a) {
            return list(a.getList());
        }
        if (v instanceof List<?> l) {
            return list((List<Object>) l);
        }
        return v;
    }

    private static List<Object> list(List<Object> l) {
        List<Object> out = new ArrayList<>(l.size());
        for (Object o : l) {
            out.add(value(o));
        }
        return out;
    }
}
