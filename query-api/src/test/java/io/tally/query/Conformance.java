package io.tally.query;

import io.tally.engine.config.AggregationMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Fixtures derived from the shared Graphite conformance set: the raw 10 s values the data set generator writes for
 * two series over the 6 h window before T = 1795323600, and graphite-web's recorded maxDataPoints answers for them.
 */
final class Conformance {
    static final long T = 1795323600L;

    private Conformance() {
    }

    static JsonObject resource(String name) {
        try (InputStream in = Conformance.class.getResourceAsStream("/conformance/" + name)) {
            return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A reader holding the conformance series (average rollup, as the conformance storage-aggregation says). */
    static FakeReader reader() {
        FakeReader r = new FakeReader();
        JsonObject raw = resource("raw_10s.json");
        for (String name : raw.fieldNames()) {
            JsonObject s = raw.getJsonObject(name);
            JsonArray vals = s.getJsonArray("values");
            double[] values = new double[vals.size()];
            for (int i = 0; i < values.length; i++) {
                Object v = vals.getValue(i);
                values[i] = v == null ? Double.NaN : ((Number) v).doubleValue();
            }
            r.add(name, s.getLong("start"), s.getLong("step"), AggregationMethod.AVERAGE, values);
        }
        return r;
    }

    static JsonObject expected() {
        return resource("mdp_expected.json");
    }
}
