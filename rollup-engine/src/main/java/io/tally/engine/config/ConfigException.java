package io.tally.engine.config;

/**
 * A configuration file Tally refuses to use. The message names where the problem is (file, line, section, key)
 * and what to change, e.g. {@code storage-schemas.conf line 7 [carbon] retentions: '60s:1x' unknown unit 'x' (use
 * s, m, h, d, w or y)}. Parts that do not apply are left out of the message.
 */
public final class ConfigException extends Exception {
    private final String source;
    private final int line;
    private final String section;
    private final String key;
    private final String detail;

    /** A problem not yet tied to a place in a file (e.g. from {@link StorageSchemas#parseRetentions}). */
    public ConfigException(String detail) {
        this(null, 0, null, null, detail);
    }

    /**
     * @param source  file name as the user knows it, or null
     * @param line    1-based line number, or 0 when unknown
     * @param section INI section name without brackets, or null
     * @param key     key within the section, or null
     * @param detail  what is wrong and how to fix it
     */
    public ConfigException(String source, int line, String section, String key, String detail) {
        super(format(source, line, section, key, detail));
        this.source = source;
        this.line = line;
        this.section = section;
        this.key = key;
        this.detail = detail;
    }

    /** The same problem, located. */
    public ConfigException at(String source, int line, String section, String key) {
        ConfigException located = new ConfigException(source, line, section, key, detail);
        located.setStackTrace(getStackTrace());
        return located;
    }

    private static String format(String source, int line, String section, String key, String detail) {
        StringBuilder sb = new StringBuilder();
        if (source != null) {
            sb.append(source);
        }
        if (line > 0) {
            sb.append(sb.isEmpty() ? "line " : " line ").append(line);
        }
        if (section != null) {
            sb.append(sb.isEmpty() ? "[" : " [").append(section).append(']');
        }
        if (key != null) {
            sb.append(sb.isEmpty() ? "" : " ").append(key);
        }
        return sb.isEmpty() ? detail : sb.append(": ").append(detail).toString();
    }

    public String source() {
        return source;
    }

    public int line() {
        return line;
    }

    public String section() {
        return section;
    }

    public String key() {
        return key;
    }

    /** The message without its location. */
    public String detail() {
        return detail;
    }
}
