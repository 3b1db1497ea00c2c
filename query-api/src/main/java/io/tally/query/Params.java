package io.tally.query;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Request parameters as graphite-web sees them: the query string and an {@code application/x-www-form-urlencoded}
 * body merged into one multi-map (query-string values first, body values after, so the body wins for single-valued
 * parameters, like Django's {@code GET.copy().update(POST)}).
 *
 * <p>Decoding is lenient because Grafana posts {@code query=<raw text>} without URL-encoding it: {@code +} is a
 * space, a valid {@code %XX} is a byte, and anything else (a lone {@code %}, bad hex) is kept literally instead of
 * failing the request. Bytes are decoded as UTF-8 with replacement of malformed sequences.
 */
public final class Params {
    private final Map<String, List<String>> values = new LinkedHashMap<>();

    /** Adds every pair of an urlencoded string ({@code a=1&b=2}); null or empty adds nothing. */
    public Params addEncoded(String encoded) {
        if (encoded == null || encoded.isEmpty()) {
            return this;
        }
        int p = 0;
        int n = encoded.length();
        while (p <= n) {
            int amp = encoded.indexOf('&', p);
            if (amp < 0) {
                amp = n;
            }
            if (amp > p) {
                int eq = encoded.indexOf('=', p);
                String key;
                String value;
                if (eq < 0 || eq > amp) {
                    key = decode(encoded, p, amp);
                    value = "";
                } else {
                    key = decode(encoded, p, eq);
                    value = decode(encoded, eq + 1, amp);
                }
                add(key, value);
            }
            p = amp + 1;
        }
        return this;
    }

    public Params add(String key, String value) {
        values.computeIfAbsent(key, k -> new ArrayList<>(1)).add(value);
        return this;
    }

    /** Parameter names in first-seen order. */
    public java.util.Set<String> keys() {
        return java.util.Collections.unmodifiableSet(values.keySet());
    }

    public boolean has(String key) {
        return values.containsKey(key);
    }

    /** The last value of {@code key}, or null. */
    public String get(String key) {
        List<String> l = values.get(key);
        return l == null ? null : l.get(l.size() - 1);
    }

    public String get(String key, String fallback) {
        String v = get(key);
        return v == null ? fallback : v;
    }

    /** Every value of {@code key} and of its {@code key[]} spelling, in request order. */
    public List<String> all(String key) {
        List<String> out = new ArrayList<>();
        List<String> a = values.get(key);
        if (a != null) {
            out.addAll(a);
        }
        List<String> b = values.get(key + "[]");
        if (b != null) {
            out.addAll(b);
        }
        return out;
    }

    /** graphite-web's {@code queryParamAsInt}-style flag: true for {@code 1}, {@code true}, {@code yes}, {@code on}. */
    public boolean flag(String key) {
        String v = get(key);
        if (v == null) {
            return false;
        }
        return switch (v.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "1", "true", "yes", "on" -> true;
            default -> false;
        };
    }

    static String decode(String s, int from, int to) {
        boolean plain = true;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c == '+' || c == '%') {
                plain = false;
                break;
            }
        }
        if (plain) {
            return s.substring(from, to);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(to - from);
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c == '+') {
                out.write(' ');
            } else if (c == '%' && hex(s, i + 1, to) >= 0 && hex(s, i + 2, to) >= 0) {
                out.write(hex(s, i + 1, to) * 16 + hex(s, i + 2, to));
                i += 2;
            } else if (c < 0x80) {
                out.write(c);
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                if (Character.isHighSurrogate(c) && i + 1 < to) {
                    b = s.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
                    i++;
                }
                out.writeBytes(b);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static int hex(String s, int i, int to) {
        if (i >= to) {
            return -1;
        }
        char c = s.charAt(i);
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
