package io.tally.query;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A small streaming JSON writer into a growable {@code byte[]} that produces exactly what Python's {@code json.dumps}
 * produces for graphite-web: separators {@code ", "} and {@code ": "} in compact mode, two-space indentation and
 * {@code ","} in pretty mode, floats in Python {@code repr} form ({@code 1.0}, {@code 1e+16}, {@code 1e-05}), NaN as
 * {@code null} and infinities as {@code 1e9999} / {@code -1e9999} (strict JSON, as Grafana needs).
 *
 * <p>Design: the writer tracks nesting with a small int stack (per level: whether an element has been written), so
 * callers only say what they write, never where commas go. Writing a datapoint ({@code [v, ts]}) touches no
 * allocation except the JDK's shortest-decimal conversion of non-integral doubles, which goes through one reused
 * {@link StringBuilder}. Not thread-safe: one writer per response.
 */
public final class JsonWriter {
    private static final byte[] NULL = {'n', 'u', 'l', 'l'};
    private static final byte[] POS_INF = {'1', 'e', '9', '9', '9', '9'};
    private static final byte[] NEG_INF = {'-', '1', 'e', '9', '9', '9', '9'};
    private static final byte[] NAN = {'n', 'a', 'n'};
    private static final byte[] INF = {'i', 'n', 'f'};
    private static final byte[] NEG_INF_TEXT = {'-', 'i', 'n', 'f'};
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] LONG_MIN = Long.toString(Long.MIN_VALUE).getBytes(StandardCharsets.US_ASCII);

    private final boolean pretty;
    private final boolean ensureAscii;
    private final StringBuilder scratch = new StringBuilder(32);
    private final byte[] digits = new byte[20];
    private byte[] buf;
    private int len;
    /** Per open container: 0 = empty so far, 1 = has elements. */
    private int[] stack = new int[16];
    private int depth;
    private boolean afterKey;

    /**
     * @param pretty      indent by two spaces, one element per line (graphite's {@code pretty=1})
     * @param ensureAscii escape every non-ASCII character as {@code \\uXXXX} (Python's default), else raw UTF-8
     */
    public JsonWriter(int initialCapacity, boolean pretty, boolean ensureAscii) {
        this.buf = new byte[Math.max(64, initialCapacity)];
        this.pretty = pretty;
        this.ensureAscii = ensureAscii;
    }

    public JsonWriter(boolean pretty, boolean ensureAscii) {
        this(4096, pretty, ensureAscii);
    }

    public JsonWriter beginArray() {
        beforeValue();
        put((byte) '[');
        push();
        return this;
    }

    public JsonWriter endArray() {
        close((byte) ']');
        return this;
    }

    public JsonWriter beginObject() {
        beforeValue();
        put((byte) '{');
        push();
        return this;
    }

    public JsonWriter endObject() {
        close((byte) '}');
        return this;
    }

    /** Writes an object key; the next call must write its value. */
    public JsonWriter name(String key) {
        beforeValue();
        writeString(key);
        put((byte) ':');
        put((byte) ' ');
        afterKey = true;
        return this;
    }

    public JsonWriter value(String s) {
        beforeValue();
        if (s == null) {
            put(NULL);
        } else {
            writeString(s);
        }
        return this;
    }

    public JsonWriter value(long v) {
        beforeValue();
        writeLong(v);
        return this;
    }

    public JsonWriter value(boolean v) {
        beforeValue();
        if (v) {
            ensure(4);
            buf[len++] = 't';
            buf[len++] = 'r';
            buf[len++] = 'u';
            buf[len++] = 'e';
        } else {
            ensure(5);
            buf[len++] = 'f';
            buf[len++] = 'a';
            buf[len++] = 'l';
            buf[len++] = 's';
            buf[len++] = 'e';
        }
        return this;
    }

    /** A float in Python repr form; NaN becomes {@code null}, infinities {@code 1e9999} / {@code -1e9999}. */
    public JsonWriter value(double v) {
        beforeValue();
        writeDouble(v);
        return this;
    }

    public JsonWriter nullValue() {
        beforeValue();
        put(NULL);
        return this;
    }

    /** Appends raw ASCII text (for JSONP wrappers); bypasses structure tracking. */
    public JsonWriter raw(String ascii) {
        ensure(ascii.length());
        for (int i = 0; i < ascii.length(); i++) {
            buf[len++] = (byte) ascii.charAt(i);
        }
        return this;
    }

    /** Appends text as raw UTF-8, unescaped; bypasses structure tracking (text formats: csv, raw). */
    public JsonWriter rawUtf8(String s) {
        ensure(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                put((byte) c);
            } else if (c < 0x800) {
                put((byte) (0xC0 | (c >> 6)));
                put((byte) (0x80 | (c & 0x3F)));
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length()
                    && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                put((byte) (0xF0 | (cp >> 18)));
                put((byte) (0x80 | ((cp >> 12) & 0x3F)));
                put((byte) (0x80 | ((cp >> 6) & 0x3F)));
                put((byte) (0x80 | (cp & 0x3F)));
            } else if (Character.isSurrogate(c)) {
                put((byte) '?'); // a lone surrogate cannot be encoded as UTF-8
            } else {
                put((byte) (0xE0 | (c >> 12)));
                put((byte) (0x80 | ((c >> 6) & 0x3F)));
                put((byte) (0x80 | (c & 0x3F)));
            }
        }
        return this;
    }

    /** Appends one ASCII character; bypasses structure tracking. */
    public JsonWriter rawChar(char c) {
        put((byte) c);
        return this;
    }

    /** Appends an integer; bypasses structure tracking. */
    public JsonWriter rawLong(long v) {
        writeLong(v);
        return this;
    }

    /**
     * Appends Python's {@code repr(float)} ({@code 1.0}, {@code 1e-05}, {@code inf}, {@code nan}); bypasses
     * structure tracking. Allocation-free for integral values, like {@link #value(double)}.
     */
    public JsonWriter rawRepr(double v) {
        if (Double.isNaN(v)) {
            put(NAN);
        } else if (v == Double.POSITIVE_INFINITY) {
            put(INF);
        } else if (v == Double.NEGATIVE_INFINITY) {
            put(NEG_INF_TEXT);
        } else {
            writeDouble(v);
        }
        return this;
    }

    public int length() {
        return len;
    }

    /** The bytes written so far (a copy). */
    public byte[] toByteArray() {
        return Arrays.copyOf(buf, len);
    }

    /** The internal array; valid in {@code [0, length())} until the next write. */
    public byte[] array() {
        return buf;
    }

    @Override
    public String toString() {
        return new String(buf, 0, len, StandardCharsets.UTF_8);
    }

    // ---- structure ----

    private void push() {
        if (depth == stack.length) {
            stack = Arrays.copyOf(stack, depth * 2);
        }
        stack[depth++] = 0;
    }

    private void close(byte bracket) {
        if (depth == 0) {
            throw new IllegalStateException("nothing to close");
        }
        boolean hadElements = stack[--depth] != 0;
        if (pretty && hadElements) {
            newline();
        }
        put(bracket);
    }

    private void beforeValue() {
        if (afterKey) {
            afterKey = false;
            return;
        }
        if (depth == 0) {
            return;
        }
        if (stack[depth - 1] != 0) {
            put((byte) ',');
            if (!pretty) {
                put((byte) ' ');
            }
        } else {
            stack[depth - 1] = 1;
        }
        if (pretty) {
            newline();
        }
    }

    private void newline() {
        ensure(1 + 2 * depth);
        buf[len++] = '\n';
        for (int i = 0; i < depth; i++) {
            buf[len++] = ' ';
            buf[len++] = ' ';
        }
    }

    // ---- scalars ----

    private void writeLong(long v) {
        if (v == Long.MIN_VALUE) {
            put(LONG_MIN);
            return;
        }
        ensure(20);
        if (v < 0) {
            buf[len++] = '-';
            v = -v;
        }
        int n = 0;
        do {
            digits[n++] = (byte) ('0' + (v % 10));
            v /= 10;
        } while (v != 0);
        while (n > 0) {
            buf[len++] = digits[--n];
        }
    }

    private void writeDouble(double v) {
        if (Double.isNaN(v)) {
            put(NULL);
        } else if (v == Double.POSITIVE_INFINITY) {
            put(POS_INF);
        } else if (v == Double.NEGATIVE_INFINITY) {
            put(NEG_INF);
        } else if (v == Math.rint(v) && Math.abs(v) < 1e16) {
            // Integral: Python prints "12.0" (and "-0.0" for negative zero).
            if (v == 0 && Double.doubleToRawLongBits(v) != 0) {
                put((byte) '-');
            }
            writeLong((long) v);
            ensure(2);
            buf[len++] = '.';
            buf[len++] = '0';
        } else {
            scratch.setLength(0);
            scratch.append(v);
            if (indexOfE(scratch) < 0) {
                // Java and Python agree on shortest round-trip digits in plain notation (1e-3 <= |v| < 1e7).
                ensure(scratch.length());
                for (int i = 0; i < scratch.length(); i++) {
                    buf[len++] = (byte) scratch.charAt(i);
                }
            } else {
                writePythonRepr(scratch);
            }
        }
    }

    private static int indexOfE(CharSequence s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == 'E') {
                return i;
            }
        }
        return -1;
    }

    /**
     * Rewrites Java's computerized notation ({@code 1.5E-5}) into Python's repr: plain notation when the decimal
     * exponent lies in {@code [-4, 16)}, else {@code d.ddde±XX} with at least two exponent digits.
     */
    private void writePythonRepr(StringBuilder s) {
        int e = indexOfE(s);
        int p = 0;
        boolean negative = s.charAt(0) == '-';
        if (negative) {
            p = 1;
        }
        StringBuilder digitsOnly = new StringBuilder(24);
        for (int i = p; i < e; i++) {
            char c = s.charAt(i);
            if (c != '.') {
                digitsOnly.append(c);
            }
        }
        int exp = Integer.parseInt(s, e + 1, s.length(), 10);
        // Java's mantissa is d.ddd, so the value is 0.dddd x 10^(exp+1).
        int end = digitsOnly.length();
        while (end > 1 && digitsOnly.charAt(end - 1) == '0') {
            end--;
        }
        digitsOnly.setLength(end);
        if (digitsOnly.length() == 2) {
            // Java prints two digits where one would do if two are closer (subnormals); Python prints the shortest.
            exp = shortenToOneDigit(digitsOnly, exp, negative, s);
        }
        int decpt = exp + 1;
        StringBuilder out = new StringBuilder(32);
        if (negative) {
            out.append('-');
        }
        if (decpt > -4 && decpt <= 16) {
            if (decpt <= 0) {
                out.append("0.");
                for (int i = 0; i < -decpt; i++) {
                    out.append('0');
                }
                out.append(digitsOnly);
            } else if (decpt >= digitsOnly.length()) {
                out.append(digitsOnly);
                for (int i = digitsOnly.length(); i < decpt; i++) {
                    out.append('0');
                }
                out.append(".0");
            } else {
                out.append(digitsOnly, 0, decpt).append('.').append(digitsOnly, decpt, digitsOnly.length());
            }
        } else {
            out.append(digitsOnly.charAt(0));
            if (digitsOnly.length() > 1) {
                out.append('.').append(digitsOnly, 1, digitsOnly.length());
            }
            out.append('e').append(exp < 0 ? '-' : '+');
            int a = Math.abs(exp);
            if (a < 10) {
                out.append('0');
            }
            out.append(a);
        }
        ensure(out.length());
        for (int i = 0; i < out.length(); i++) {
            buf[len++] = (byte) out.charAt(i);
        }
    }

    /** If a one-digit decimal also reads back as the same double, keeps that one; returns the new exponent. */
    private static int shortenToOneDigit(StringBuilder digits, int exp, boolean negative, CharSequence original) {
        double v = Double.parseDouble(original.toString());
        int first = digits.charAt(0) - '0';
        for (int d : new int[]{first + (digits.charAt(1) >= '5' ? 1 : 0), first}) {
            int e = exp;
            int digit = d;
            if (digit == 10) {
                digit = 1;
                e++;
            }
            if (digit == 0) {
                continue;
            }
            if (Double.parseDouble((negative ? "-" : "") + digit + "e" + e) == v) {
                digits.setLength(0);
                digits.append((char) ('0' + digit));
                return e;
            }
        }
        return exp;
    }

    private void writeString(String s) {
        ensure(s.length() + 2);
        buf[len++] = '"';
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
                if (len == buf.length) {
                    grow(1);
                }
                buf[len++] = (byte) c;
            } else {
                writeEscaped(s, i, c);
                if (Character.isHighSurrogate(c) && !ensureAscii && i + 1 < s.length()
                        && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                }
            }
        }
        put((byte) '"');
    }

    private void writeEscaped(String s, int i, char c) {
        switch (c) {
            case '"' -> put2('\\', '"');
            case '\\' -> put2('\\', '\\');
            case '\n' -> put2('\\', 'n');
            case '\r' -> put2('\\', 'r');
            case '\t' -> put2('\\', 't');
            case '\b' -> put2('\\', 'b');
            case '\f' -> put2('\\', 'f');
            default -> {
                if (c < 0x20 || ensureAscii) {
                    unicodeEscape(c);
                } else if (c < 0x80) {
                    put((byte) c);
                } else if (c < 0x800) {
                    put((byte) (0xC0 | (c >> 6)));
                    put((byte) (0x80 | (c & 0x3F)));
                } else if (Character.isHighSurrogate(c) && i + 1 < s.length()
                        && Character.isLowSurrogate(s.charAt(i + 1))) {
                    int cp = Character.toCodePoint(c, s.charAt(i + 1));
                    put((byte) (0xF0 | (cp >> 18)));
                    put((byte) (0x80 | ((cp >> 12) & 0x3F)));
                    put((byte) (0x80 | ((cp >> 6) & 0x3F)));
                    put((byte) (0x80 | (cp & 0x3F)));
                } else if (Character.isSurrogate(c)) {
                    unicodeEscape(c); // a lone surrogate cannot be encoded as UTF-8
                } else {
                    put((byte) (0xE0 | (c >> 12)));
                    put((byte) (0x80 | ((c >> 6) & 0x3F)));
                    put((byte) (0x80 | (c & 0x3F)));
                }
            }
        }
    }

    private void unicodeEscape(char c) {
        ensure(6);
        buf[len++] = '\\';
        buf[len++] = 'u';
        buf[len++] = HEX[(c >> 12) & 0xF];
        buf[len++] = HEX[(c >> 8) & 0xF];
        buf[len++] = HEX[(c >> 4) & 0xF];
        buf[len++] = HEX[c & 0xF];
    }

    private void put2(char a, char b) {
        ensure(2);
        buf[len++] = (byte) a;
        buf[len++] = (byte) b;
    }

    private void put(byte b) {
        if (len == buf.length) {
            grow(1);
        }
        buf[len++] = b;
    }

    private void put(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, buf, len, b.length);
        len += b.length;
    }

    private void ensure(int n) {
        if (len + n > buf.length) {
            grow(n);
        }
    }

    private void grow(int n) {
        int cap = Math.max(buf.length * 2, len + n);
        if (cap < 0) {
            throw new OutOfMemoryError("JSON response larger than 2 GiB");
        }
        buf = Arrays.copyOf(buf, cap);
    }
}
