package io.tally.bench.load;

import java.io.IOException;

/**
 * Reads the few numbers the probes need out of Graphite render JSON and Prometheus query JSON, without a JSON
 * library (the bench module adds no dependencies). Tolerant of whitespace and of extra fields such as Graphite's
 * {@code "tags"}; strict enough to fail loudly on anything that is not the expected structure.
 */
final class JsonScan {

    private JsonScan() {
    }

    /** Number of non-null values over every {@code "datapoints"} array of a Graphite render answer. */
    static long countNonNull(String json) throws IOException {
        return Math.round(scanDatapoints(json, false));
    }

    /** Sum of the non-null values over every {@code "datapoints"} array, rounded to the nearest integer. */
    static long sumValues(String json) throws IOException {
        return Math.round(scanDatapoints(json, true));
    }

    /**
     * The value of a Prometheus instant-query answer ({@code {"status":"success","data":{"result":[{"value":[t,"v"]}]}}}),
     * summed over results; an empty result is 0.
     */
    static long prometheusValue(String json) throws IOException {
        if (!json.contains("\"status\":\"success\"")) {
            throw new IOException("query failed: " + excerpt(json));
        }
        double sum = 0;
        int at = 0;
        while ((at = json.indexOf("\"value\"", at)) >= 0) {
            at = expect(json, skipTo(json, at + 7, ':') + 1, '[') + 1;
            at = skipTo(json, at, ',') + 1;
            at = expect(json, at, '"') + 1;
            int close = json.indexOf('"', at);
            if (close < 0) {
                throw new IOException("unterminated value string: " + excerpt(json));
            }
            sum += parse(json.substring(at, close));
            at = close + 1;
        }
        return Math.round(sum);
    }

    /** Walks every {@code [value, timestamp]} pair; adds 1 (or the value) per non-null value. */
    private static double scanDatapoints(String json, boolean addValues) throws IOException {
        double total = 0;
        int at = 0;
        while ((at = json.indexOf("\"datapoints\"", at)) >= 0) {
            at = expect(json, skipTo(json, at + 12, ':') + 1, '[') + 1;
            while (true) {
                at = skipSpaceAndCommas(json, at);
                if (charAt(json, at) == ']') {
                    at++;
                    break;
                }
                at = skipSpace(json, expect(json, at, '[') + 1);
                int tokenEnd = tokenEnd(json, at);
                String token = json.substring(at, tokenEnd);
                if (!token.equals("null")) {
                    total += addValues ? parse(token) : 1;
                }
                at = skipTo(json, tokenEnd, ']') + 1;
            }
        }
        return total;
    }

    private static double parse(String token) throws IOException {
        try {
            return Double.parseDouble(token);
        } catch (NumberFormatException e) {
            throw new IOException("not a number: '" + token + "'", e);
        }
    }

    private static int tokenEnd(String json, int at) {
        int i = at;
        while (i < json.length() && ",] \t\r\n".indexOf(json.charAt(i)) < 0) {
            i++;
        }
        return i;
    }

    private static int skipSpace(String json, int at) {
        while (at < json.length() && Character.isWhitespace(json.charAt(at))) {
            at++;
        }
        return at;
    }

    private static int skipSpaceAndCommas(String json, int at) {
        while (at < json.length() && (json.charAt(at) == ',' || Character.isWhitespace(json.charAt(at)))) {
            at++;
        }
        return at;
    }

    private static int skipTo(String json, int at, char wanted) throws IOException {
        int i = json.indexOf(wanted, at);
        if (i < 0) {
            throw new IOException("expected '" + wanted + "' after offset " + at + ": " + excerpt(json));
        }
        return i;
    }

    private static int expect(String json, int at, char wanted) throws IOException {
        at = skipSpace(json, at);
        if (charAt(json, at) != wanted) {
            throw new IOException("expected '" + wanted + "' at offset " + at + ": " + excerpt(json));
        }
        return at;
    }

    private static char charAt(String json, int at) throws IOException {
        if (at >= json.length()) {
            throw new IOException("truncated JSON: " + excerpt(json));
        }
        return json.charAt(at);
    }

    static String excerpt(String text) {
        return text.length() <= 300 ? text : text.substring(0, 300) + "...";
    }
}
