package io.tally.query.expr;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/** graphite's tag parsing of series names ({@code path;tag=value;...}). */
public final class Tags {
    private Tags() {
    }

    /**
     * The tags graphite-web gives a new series of this name: for a tagged name {@code path;k=v;...} every tag plus
     * {@code name} = the part before the first {@code ;}; for anything else, or a name that looks like a function call,
     * or a tagged name with a malformed segment, just {@code {name: <name>}}. Sorted, unmodifiable.
     */
    public static Map<String, String> parse(String name) {
        int semi = name.indexOf(';');
        if (semi <= 0 || looksLikeCall(name)) {
            return Map.of("name", name); // the usual plain name: one entry, no sorted map needed
        }
        TreeMap<String, String> tags = new TreeMap<>();
        int p = semi + 1;
        while (p <= name.length()) {
            int next = name.indexOf(';', p);
            if (next < 0) {
                next = name.length();
            }
            int eq = name.indexOf('=', p);
            if (eq <= p || eq >= next - 1) { // empty tag, missing '=' or empty value
                tags.clear();
                tags.put("name", name);
                return Collections.unmodifiableMap(tags);
            }
            tags.put(name.substring(p, eq), name.substring(eq + 1, next));
            p = next + 1;
        }
        tags.put("name", name.substring(0, semi));
        return Collections.unmodifiableMap(tags);
    }

    /** graphite's {@code ^[a-z]+[(].+[)]$} (case-insensitive) test for function-wrapped names. */
    static boolean looksLikeCall(String name) {
        int i = 0;
        while (i < name.length() && Character.isLetter(name.charAt(i)) && name.charAt(i) < 128) {
            i++;
        }
        return i > 0 && i < name.length() - 2 && name.charAt(i) == '(' && name.charAt(name.length() - 1) == ')';
    }
}
