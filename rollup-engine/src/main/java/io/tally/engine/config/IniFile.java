package io.tally.engine.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The INI dialect carbon reads its storage files with (Python's ConfigParser plus carbon's section ordering):
 * sections in file order; full-line comments starting with {@code #} or {@code ;}; {@code key = value} or
 * {@code key: value} split at the first {@code =} or {@code :}; keys case-insensitive; keys and values trimmed;
 * a line indented deeper than the key before it continues that key's value (joined with a newline; blank and
 * comment lines in between are skipped); keys of a {@code [DEFAULT]} section are
 * defaults for every other section (the section itself is also listed in order, as carbon does).
 *
 * <p>Beyond ConfigParser, a {@code ;} or {@code #} preceded by whitespace starts an inline comment (metric names
 * cannot contain whitespace, so no useful pattern is affected). Errors ConfigParser raises are
 * {@link ConfigException}s: a key before any section, a line that is neither a section, a comment nor a key,
 * a duplicate section or a duplicate key within a section.
 */
final class IniFile {
    static final String DEFAULT_SECTION = "DEFAULT";

    /** A value and the line its key was on. */
    record Entry(String value, int line) {
    }

    /** A section: its name, header line and entries (lower-case keys, file order). */
    record Section(String name, int line, Map<String, Entry> entries) {
        String get(String key) {
            Entry e = entries.get(key);
            return e == null ? null : e.value();
        }

        int lineOf(String key) {
            Entry e = entries.get(key);
            return e == null ? line : e.line();
        }
    }

    private IniFile() {
    }

    static List<Section> parse(String text, String source) throws ConfigException {
        List<String> names = new ArrayList<>();
        List<Integer> lines = new ArrayList<>();
        List<Map<String, Entry>> maps = new ArrayList<>();
        Map<String, Entry> current = null;
        String currentKey = null;
        int keyIndent = 0;
        String[] rows = text.split("\r\n|\r|\n", -1);
        for (int idx = 0; idx < rows.length; idx++) {
            int lineNo = idx + 1;
            String raw = rows[idx];
            String stripped = raw.strip();
            if (stripped.isEmpty()) {
                continue;
            }
            if (stripped.charAt(0) == '#' || stripped.charAt(0) == ';') {
                continue;
            }
            int indent = raw.indexOf(stripped.charAt(0));
            if (currentKey != null && indent > keyIndent) {
                Entry prev = current.get(currentKey);
                String more = stripInlineComment(stripped).strip();
                current.put(currentKey, new Entry(prev.value().isEmpty() ? more : prev.value() + "\n" + more,
                        prev.line()));
                continue;
            }
            if (stripped.charAt(0) == '[') {
                int close = stripped.lastIndexOf(']');
                String name = close > 1 ? stripped.substring(1, close).strip() : "";
                if (name.isEmpty()) {
                    throw new ConfigException(source, lineNo, null, null,
                            "'" + stripped + "' is not a section header (write [name])");
                }
                if (names.contains(name)) {
                    throw new ConfigException(source, lineNo, name, null,
                            "section [" + name + "] appears twice (section names must be unique)");
                }
                names.add(name);
                lines.add(lineNo);
                current = new LinkedHashMap<>();
                maps.add(current);
                currentKey = null;
                continue;
            }
            int sep = firstSeparator(stripped);
            if (sep <= 0) {
                throw new ConfigException(source, lineNo, names.isEmpty() ? null : names.getLast(), null,
                        "'" + stripped + "' is neither [section], comment nor key = value");
            }
            String key = stripped.substring(0, sep).strip().toLowerCase(Locale.ROOT);
            String value = stripInlineComment(stripped.substring(sep + 1).strip()).strip();
            if (current == null) {
                throw new ConfigException(source, lineNo, null, key,
                        "key before the first [section] header");
            }
            if (current.containsKey(key)) {
                throw new ConfigException(source, lineNo, names.getLast(), key,
                        "key set twice in this section (first on line " + current.get(key).line() + ")");
            }
            current.put(key, new Entry(value, lineNo));
            currentKey = key;
            keyIndent = indent;
        }
        Map<String, Entry> defaults = Map.of();
        int d = names.indexOf(DEFAULT_SECTION);
        if (d >= 0) {
            defaults = maps.get(d);
        }
        List<Section> out = new ArrayList<>(names.size());
        for (int k = 0; k < names.size(); k++) {
            Map<String, Entry> entries = new LinkedHashMap<>();
            if (k != d) {
                entries.putAll(defaults);
            }
            entries.putAll(maps.get(k));
            out.add(new Section(names.get(k), lines.get(k), Collections.unmodifiableMap(entries)));
        }
        return out;
    }

    private static int firstSeparator(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '=' || c == ':') {
                return i;
            }
        }
        return -1;
    }

    /** Cuts a trimmed {@code value} at the first {@code ;} or {@code #} that follows whitespace. */
    static String stripInlineComment(String value) {
        for (int i = 1; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c == ';' || c == '#') && Character.isWhitespace(value.charAt(i - 1))) {
                return value.substring(0, i);
            }
        }
        return value;
    }
}
