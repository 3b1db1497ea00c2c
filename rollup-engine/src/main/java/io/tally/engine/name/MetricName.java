package io.tally.engine.name;

import io.tally.engine.util.ByteLanes;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Validation and canonicalisation of metric names, at the byte level and without allocation.
 *
 * <p>Three input forms (graphite-compat §1.3, §1.4):
 * <ul>
 *   <li>plain {@code a.b.c}: empty nodes are collapsed ({@code a..b} → {@code a.b}), leading and trailing dots
 *       stripped;</li>
 *   <li>tagged {@code name;tag=value;...}: the name part is collapsed like a plain name and loses its leading
 *       {@code ~} characters (carbon stores the sanitised name), the {@code ;tag=value} strings are sorted bytewise,
 *       the last duplicate of a tag wins, a {@code name} tag is dropped (the real name overrides it);</li>
 *   <li>OpenMetrics style {@code name{tag="v\"1",tag2="v2"}} (recognised, as carbon does, when the input ends with
 *       <code>"}</code> and holds exactly one <code>{</code>): converted to the tagged form.</li>
 * </ul>
 * Every input must be valid UTF-8 without whitespace or control characters. Rejections are negative codes
 * ({@link #EMPTY} ...), explained by {@link #reason(int)}. Canonicalisation is idempotent.
 *
 * <p>Design (zero allocation): the output is never longer than the input, so callers pass an {@code out} array at
 * least as long as the input. Tag sorting needs an index of segments; it is kept inside {@code out} itself, in
 * 4-byte records (u16 segment start relative to {@code off}, u16 segment length) at the very end of {@code out}.
 * Every segment occupies at least 4 input bytes ({@code ;t=v}), and every output segment at least 4 bytes, so while
 * segment {@code i} is written the records {@code i+1..} are still beyond the write position: the write of the
 * segments in sorted order never overtakes the index it reads from. The index is sorted by the decoded
 * {@code tag=value} string (tie: input position). Because a tag name cannot contain {@code =}, all segments with
 * the same tag are adjacent in that order, so "last duplicate wins" is one pass over runs.
 *
 * <p>Thread-safe (no state). {@code in} and {@code out} must be different arrays.
 */
public final class MetricName {
    /** Longest accepted input (and so output), the limit of {@code PointBatch}. */
    public static final int MAX_LENGTH = 0xFFFF;

    public static final int EMPTY = -1;
    public static final int TOO_LONG = -2;
    public static final int BAD_UTF8 = -3;
    public static final int BAD_CHAR = -4;
    public static final int BAD_TAG = -5;
    public static final int BAD_TAG_NAME = -6;
    public static final int BAD_TAG_VALUE = -7;
    public static final int BAD_OPENMETRICS = -8;

    private static final String[] REASONS = {
        "empty metric name (or a name made only of dots, or of '~' in a tagged name)",
        "metric name longer than " + MAX_LENGTH + " bytes",
        "metric name is not valid UTF-8",
        "metric name contains whitespace or a control character",
        "bad tag segment: expected ;tag=value with a non-empty tag and value",
        "bad tag name: tag names may not contain ';', '!', '^' or '='",
        "bad tag value: tag values may not contain ';' or start with '~'",
        "bad OpenMetrics-style name: expected name{tag=\"value\",...} with exactly one '{'"
    };

    private MetricName() {
    }

    /** A short explanation of a negative code returned by {@link #canonicalize(byte[], int, int, byte[])}. */
    public static String reason(int code) {
        int i = -code - 1;
        return i >= 0 && i < REASONS.length ? REASONS[i] : "unknown metric name error " + code;
    }

    /** True if {@code code} says the failure is in the tags (rather than the name itself). */
    public static boolean isTagError(int code) {
        return code == BAD_TAG || code == BAD_TAG_NAME || code == BAD_TAG_VALUE || code == BAD_OPENMETRICS;
    }

    /**
     * Writes the canonical form of {@code in[off, off+len)} to {@code out[0, n)} and returns {@code n}, or a negative
     * error code. {@code out.length} must be at least {@code min(len, MAX_LENGTH)}; {@code out} is used as scratch
     * beyond {@code n}.
     */
    public static int canonicalize(byte[] in, int off, int len, byte[] out) {
        if (len == 0) {
            return EMPTY;
        }
        if (len > MAX_LENGTH) {
            return TOO_LONG;
        }
        if (in == out) {
            throw new IllegalArgumentException("in and out must be different arrays");
        }
        if (out.length < len) {
            throw new IllegalArgumentException("out holds " + out.length + " bytes, need " + len);
        }
        int end = off + len;
        int check = checkBytes(in, off, end);
        if (check < 0) {
            return check;
        }
        int n;
        if (len >= 2 && in[end - 2] == '"' && in[end - 1] == '}' && (check & HAS_BRACE) != 0) {
            n = openMetrics(in, off, end, out);
        } else if ((check & HAS_SEMI) != 0) {
            n = tagged(in, off, end, out);
        } else {
            n = collapse(in, off, end, out, 0, false);
            if (n == 0) {
                return EMPTY;
            }
        }
        if (n > 0 && looksLikeOpenMetrics(out, n)) {
            return BAD_OPENMETRICS;
        }
        return n;
    }

    /**
     * A fast test for the usual case: true when {@code in[off, off+len)} is a plain name that is already canonical,
     * so that {@link #canonicalize(byte[], int, int, byte[])} would return it unchanged. It accepts only printable
     * ASCII without {@code ;} and {@code {} (no tags, no OpenMetrics form), no empty node and no leading or trailing
     * dot; anything else answers false and must go through {@code canonicalize}.
     */
    public static boolean isCanonicalPlain(byte[] in, int off, int len) {
        if (len == 0 || len > MAX_LENGTH) {
            return false;
        }
        int end = off + len;
        int p = off;
        // eight bytes at a time (ByteLanes): each mask marks the bytes that disqualify the name
        long dotBefore = 0x80; // the byte before the word is a dot (marked in byte 0's place): a leading dot
        for (; p + 8 <= end; p += 8) {
            long x = (long) ByteLanes.WORDS.get(in, p);
            long dots = ByteLanes.equal(x, DOTS);
            long bad = ByteLanes.atMostSpace(x) | ByteLanes.delOrAbove(x) | ByteLanes.equal(x, SEMICOLONS)
                    | ByteLanes.equal(x, BRACES) | (dots & ((dots << 8) | dotBefore)); // a dot after a dot: empty node
            if (bad != 0) {
                return false;
            }
            dotBefore = dots >>> 56;
        }
        byte prev = p == off ? (byte) '.' : in[p - 1];
        for (; p < end; p++) {
            byte c = in[p];
            if (c <= 0x20 || c >= 0x7F || c == ';' || c == '{' || (c == '.' && prev == '.')) {
                return false; // (bytes are signed: non-ASCII is negative, so <= 0x20)
            }
            prev = c;
        }
        return prev != '.';
    }

    private static final long DOTS = ByteLanes.broadcast('.');
    private static final long SEMICOLONS = ByteLanes.broadcast(';');
    private static final long BRACES = ByteLanes.broadcast('{');

    /** String form of {@link #canonicalize(byte[], int, int, byte[])}; throws with a clear message when invalid. */
    public static String canonicalize(String name) {
        byte[] in;
        try {
            ByteBuffer bb = StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(name));
            in = new byte[bb.remaining()];
            bb.get(in);
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("invalid metric name '" + name + "': " + reason(BAD_UTF8), e);
        }
        byte[] out = new byte[Math.max(1, Math.min(in.length, MAX_LENGTH))];
        int n = canonicalize(in, 0, in.length, out);
        if (n < 0) {
            String shown = name.length() > 200 ? name.substring(0, 200) + "..." : name;
            throw new IllegalArgumentException("invalid metric name '" + shown + "': " + reason(n));
        }
        return new String(out, 0, n, StandardCharsets.UTF_8);
    }

    /**
     * The tags of a metric name, {@code name} first, then the others in canonical order. A plain name has only the
     * {@code name} tag. The argument is canonicalised first (throws like {@link #canonicalize(String)}).
     */
    public static Map<String, String> tags(String name) {
        String canonical = canonicalize(name);
        Map<String, String> tags = new LinkedHashMap<>();
        int semi = canonical.indexOf(';');
        tags.put("name", semi < 0 ? canonical : canonical.substring(0, semi));
        while (semi >= 0) {
            int next = canonical.indexOf(';', semi + 1);
            String seg = next < 0 ? canonical.substring(semi + 1) : canonical.substring(semi + 1, next);
            int eq = seg.indexOf('=');
            tags.put(seg.substring(0, eq), seg.substring(eq + 1));
            semi = next;
        }
        return Collections.unmodifiableMap(tags);
    }

    /** True if {@code b[from, to)} is well-formed UTF-8 (no overlongs, surrogates or code points past U+10FFFF). */
    public static boolean isValidUtf8(byte[] b, int from, int to) {
        int p = from;
        while (p < to) {
            int c = b[p];
            if (c >= 0) {
                p++;
                continue;
            }
            c &= 0xFF;
            int need;
            int lo = 0x80;
            int hi = 0xBF;
            if (c >= 0xC2 && c <= 0xDF) {
                need = 1;
            } else if (c >= 0xE0 && c <= 0xEF) {
                need = 2;
                lo = c == 0xE0 ? 0xA0 : 0x80;
                hi = c == 0xED ? 0x9F : 0xBF;
            } else if (c >= 0xF0 && c <= 0xF4) {
                need = 3;
                lo = c == 0xF0 ? 0x90 : 0x80;
                hi = c == 0xF4 ? 0x8F : 0xBF;
            } else {
                return false;
            }
            if (p + need >= to) {
                return false;
            }
            int c1 = b[p + 1] & 0xFF;
            if (c1 < lo || c1 > hi) {
                return false;
            }
            for (int i = 2; i <= need; i++) {
                if ((b[p + i] & 0xC0) != 0x80) {
                    return false;
                }
            }
            p += need + 1;
        }
        return true;
    }

    // ---------------------------------------------------------------------------------------------------------
    // byte checks

    private static final int HAS_SEMI = 1;
    private static final int HAS_BRACE = 2;

    /**
     * Validates UTF-8 and rejects whitespace/control characters. Returns flags (>= 0) or an error code; an encoding
     * error anywhere wins over a bad character (so the result does not depend on which comes first).
     */
    private static int checkBytes(byte[] in, int from, int to) {
        int flags = 0;
        int braces = 0;
        boolean badChar = false;
        int p = from;
        while (p < to) {
            int b = in[p];
            if (b >= 0) {
                if (b <= 0x20 || b == 0x7F) {
                    badChar = true;
                } else if (b == ';') {
                    flags |= HAS_SEMI;
                } else if (b == '{') {
                    braces++;
                }
                p++;
                continue;
            }
            b &= 0xFF;
            int cp;
            int need;
            int lo = 0x80;
            int hi = 0xBF;
            if (b >= 0xC2 && b <= 0xDF) {
                need = 1;
                cp = b & 0x1F;
            } else if (b >= 0xE0 && b <= 0xEF) {
                need = 2;
                cp = b & 0x0F;
                if (b == 0xE0) {
                    lo = 0xA0;
                } else if (b == 0xED) {
                    hi = 0x9F;
                }
            } else if (b >= 0xF0 && b <= 0xF4) {
                need = 3;
                cp = b & 0x07;
                if (b == 0xF0) {
                    lo = 0x90;
                } else if (b == 0xF4) {
                    hi = 0x8F;
                }
            } else {
                return BAD_UTF8;
            }
            if (p + need >= to) {
                return BAD_UTF8; // truncated sequence
            }
            int c1 = in[p + 1] & 0xFF;
            if (c1 < lo || c1 > hi) {
                return BAD_UTF8;
            }
            cp = (cp << 6) | (c1 & 0x3F);
            for (int i = 2; i <= need; i++) {
                int c = in[p + i] & 0xFF;
                if ((c & 0xC0) != 0x80) {
                    return BAD_UTF8;
                }
                cp = (cp << 6) | (c & 0x3F);
            }
            if (isUnicodeSpaceOrControl(cp)) {
                badChar = true;
            }
            p += need + 1;
        }
        if (badChar) {
            return BAD_CHAR;
        }
        if (braces == 1) {
            flags |= HAS_BRACE;
        } else if (braces > 1 && to - from >= 2 && in[to - 2] == '"' && in[to - 1] == '}') {
            return BAD_OPENMETRICS;
        }
        return flags;
    }

    /** Non-ASCII code points Python's str.split() treats as whitespace, and the C1 controls. */
    static boolean isUnicodeSpaceOrControl(int cp) {
        return cp <= 0xA0
                || cp == 0x1680
                || (cp >= 0x2000 && cp <= 0x200A)
                || cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
    }

    private static boolean looksLikeOpenMetrics(byte[] b, int n) {
        if (n < 2 || b[n - 2] != '"' || b[n - 1] != '}') {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (b[i] == '{') {
                return true;
            }
        }
        return false;
    }

    /**
     * Copies {@code in[from, to)} to {@code out} at {@code pos} without empty nodes and without leading/trailing
     * dots; with {@code stripTilde} a leading run of {@code ~} and {@code .} is dropped. Returns the new position.
     */
    private static int collapse(byte[] in, int from, int to, byte[] out, int pos, boolean stripTilde) {
        int p = from;
        while (p < to && (in[p] == '.' || (stripTilde && in[p] == '~'))) {
            p++;
        }
        int start = pos;
        for (; p < to; p++) {
            byte c = in[p];
            if (c == '.' && out[pos - 1] == '.') {
                continue; // pos > start here: the first copied byte is never a dot
            }
            out[pos++] = c;
        }
        if (pos > start && out[pos - 1] == '.') {
            pos--;
        }
        return pos;
    }

    // ---------------------------------------------------------------------------------------------------------
    // tagged forms

    /** name;tag=value;... */
    private static int tagged(byte[] in, int off, int end, byte[] out) {
        int semi = off;
        while (in[semi] != ';') {
            semi++;
        }
        if (semi == off) {
            return EMPTY;
        }
        int base = out.length;
        int k = 0;
        int s = semi + 1;
        while (true) {
            int e = s;
            while (e < end && in[e] != ';') {
                e++;
            }
            int eq = s;
            while (eq < e && in[eq] != '=') {
                eq++;
            }
            if (eq == s || eq == e || eq + 1 == e) {
                return BAD_TAG;
            }
            if (!tagNameOk(in, s, eq)) {
                return BAD_TAG_NAME;
            }
            if (in[eq + 1] == '~') {
                return BAD_TAG_VALUE;
            }
            k++;
            putEntry(out, base - 4 * k, s - off, e - s);
            if (e == end) {
                break;
            }
            s = e + 1;
        }
        // entries were written backwards from the end; reverse to input order
        reverseEntries(out, base - 4 * k, k);
        int n = collapse(in, off, semi, out, 0, true);
        if (n == 0) {
            return EMPTY;
        }
        return emitTags(in, off, out, n, k, false);
    }

    /** name{tag="value",...}  (exactly one '{', ends with "}) */
    private static int openMetrics(byte[] in, int off, int end, byte[] out) {
        int brace = off;
        while (in[brace] != '{') {
            brace++;
        }
        if (brace == off) {
            return EMPTY;
        }
        for (int i = off; i < brace; i++) {
            if (in[i] == ';') {
                return BAD_OPENMETRICS;
            }
        }
        int rend = end - 1; // without the final '}'
        int base = out.length;
        int k = 0;
        int p = brace + 1;
        while (p < rend) {
            int t0 = p;
            while (p < rend && in[p] != '=') {
                p++;
            }
            if (p == t0 || p + 1 >= rend || in[p + 1] != '"') {
                return BAD_OPENMETRICS;
            }
            int eq = p;
            p += 2;
            int v0 = p;
            while (true) {
                if (p >= rend) {
                    return BAD_OPENMETRICS;
                }
                byte c = in[p];
                if (c == '\\') {
                    if (p + 1 < rend && (in[p + 1] == '"' || in[p + 1] == '\\')) {
                        p += 2;
                    } else {
                        return BAD_OPENMETRICS;
                    }
                } else if (c == '"') {
                    break;
                } else {
                    p++;
                }
            }
            if (p == v0) {
                return BAD_OPENMETRICS;
            }
            int segEnd = ++p; // after the closing quote
            if (p < rend) {
                if (in[p] == ',') {
                    p++;
                } else if (in[p] == ':' && p + 1 < rend && in[p + 1] == ',') {
                    p += 2;
                } else {
                    return BAD_OPENMETRICS;
                }
            }
            if (!tagNameOk(in, t0, eq)) {
                return BAD_TAG_NAME;
            }
            for (int i = v0; i < segEnd - 1; i++) {
                if (in[i] == ';') {
                    return BAD_TAG_VALUE;
                }
            }
            if (in[v0] == '~') {
                return BAD_TAG_VALUE;
            }
            k++;
            putEntry(out, base - 4 * k, t0 - off, segEnd - t0);
        }
        reverseEntries(out, base - 4 * k, k);
        int n = collapse(in, off, brace, out, 0, true);
        if (n == 0) {
            return EMPTY;
        }
        return emitTags(in, off, out, n, k, true);
    }

    private static boolean tagNameOk(byte[] in, int from, int to) {
        for (int i = from; i < to; i++) {
            byte c = in[i];
            if (c == ';' || c == '!' || c == '^' || c == '=') {
                return false;
            }
        }
        return true;
    }

    /**
     * Sorts the {@code k} entries at the end of {@code out}, drops superseded duplicates and the {@code name} tag,
     * and writes {@code ;tag=value} segments after the name at {@code out[n]}. Returns the total length.
     */
    private static int emitTags(byte[] in, int off, byte[] out, int n, int k, boolean om) {
        int base = out.length - 4 * k;
        heapSort(in, off, out, base, k, om);
        // compact survivors towards the end, walking runs of equal tag from the last one
        int w = out.length; // survivors occupy [w, out.length)
        int i = k - 1;
        while (i >= 0) {
            int runEnd = i;
            int bestPos = entryStart(out, base + 4 * i);
            int bestLen = entryLen(out, base + 4 * i);
            while (i > 0 && sameTag(in, off, out, base + 4 * (i - 1), base + 4 * runEnd)) {
                i--;
                int st = entryStart(out, base + 4 * i);
                if (st > bestPos) {
                    bestPos = st;
                    bestLen = entryLen(out, base + 4 * i);
                }
            }
            i--;
            if (!isNameTag(in, off + bestPos, bestLen)) {
                w -= 4;
                putEntry(out, w, bestPos, bestLen);
            }
        }
        int p = n;
        for (int e = w; e < out.length; e += 4) {
            int s = off + entryStart(out, e);
            int segEnd = s + entryLen(out, e);
            out[p++] = ';';
            if (!om) {
                System.arraycopy(in, s, out, p, segEnd - s);
                p += segEnd - s;
            } else {
                int q = s;
                while (in[q] != '=') {
                    out[p++] = in[q++];
                }
                out[p++] = '=';
                q += 2;
                int last = segEnd - 1; // closing quote
                while (q < last) {
                    byte c = in[q];
                    if (c == '\\') {
                        out[p++] = in[q + 1];
                        q += 2;
                    } else {
                        out[p++] = c;
                        q++;
                    }
                }
            }
        }
        return p;
    }

    private static boolean isNameTag(byte[] in, int s, int len) {
        return len >= 5 && in[s] == 'n' && in[s + 1] == 'a' && in[s + 2] == 'm' && in[s + 3] == 'e' && in[s + 4] == '=';
    }

    private static boolean sameTag(byte[] in, int off, byte[] out, int ea, int eb) {
        int a = off + entryStart(out, ea);
        int b = off + entryStart(out, eb);
        while (true) {
            byte x = in[a++];
            byte y = in[b++];
            if (x != y) {
                return false;
            }
            if (x == '=') {
                return true;
            }
        }
    }

    private static void putEntry(byte[] out, int at, int start, int len) {
        out[at] = (byte) (start >>> 8);
        out[at + 1] = (byte) start;
        out[at + 2] = (byte) (len >>> 8);
        out[at + 3] = (byte) len;
    }

    private static int entryStart(byte[] out, int at) {
        return ((out[at] & 0xFF) << 8) | (out[at + 1] & 0xFF);
    }

    private static int entryLen(byte[] out, int at) {
        return ((out[at + 2] & 0xFF) << 8) | (out[at + 3] & 0xFF);
    }

    private static void swapEntries(byte[] out, int a, int b) {
        for (int i = 0; i < 4; i++) {
            byte t = out[a + i];
            out[a + i] = out[b + i];
            out[b + i] = t;
        }
    }

    private static void reverseEntries(byte[] out, int base, int k) {
        for (int i = 0, j = k - 1; i < j; i++, j--) {
            swapEntries(out, base + 4 * i, base + 4 * j);
        }
    }

    /** Decoded {@code tag=value} comparison of two entries, ties broken by input position. */
    private static int compare(byte[] in, int off, byte[] out, int ea, int eb, boolean om) {
        int sa = off + entryStart(out, ea);
        int sb = off + entryStart(out, eb);
        int endA = sa + entryLen(out, ea);
        int endB = sb + entryLen(out, eb);
        if (!om) {
            int c = java.util.Arrays.compareUnsigned(in, sa, endA, in, sb, endB);
            return c != 0 ? c : Integer.compare(sa, sb);
        }
        // OpenMetrics: tag bytes, '=', then the value without quotes and with \" and \\ unescaped
        int pa = sa;
        int pb = sb;
        boolean va = false;
        boolean vb = false;
        while (true) {
            int ca;
            if (va) {
                if (pa >= endA - 1) {
                    ca = -1;
                } else if (in[pa] == '\\') {
                    ca = in[pa + 1] & 0xFF;
                    pa += 2;
                } else {
                    ca = in[pa++] & 0xFF;
                }
            } else {
                ca = in[pa] & 0xFF;
                if (ca == '=') {
                    va = true;
                    pa += 2;
                } else {
                    pa++;
                }
            }
            int cb;
            if (vb) {
                if (pb >= endB - 1) {
                    cb = -1;
                } else if (in[pb] == '\\') {
                    cb = in[pb + 1] & 0xFF;
                    pb += 2;
                } else {
                    cb = in[pb++] & 0xFF;
                }
            } else {
                cb = in[pb] & 0xFF;
                if (cb == '=') {
                    vb = true;
                    pb += 2;
                } else {
                    pb++;
                }
            }
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            if (ca < 0) {
                return Integer.compare(sa, sb);
            }
        }
    }

    private static void heapSort(byte[] in, int off, byte[] out, int base, int k, boolean om) {
        if (k < 2) {
            return;
        }
        if (k <= 12) { // insertion sort for the common handful of tags
            for (int i = 1; i < k; i++) {
                for (int j = i; j > 0 && compare(in, off, out, base + 4 * (j - 1), base + 4 * j, om) > 0; j--) {
                    swapEntries(out, base + 4 * (j - 1), base + 4 * j);
                }
            }
            return;
        }
        for (int i = k / 2 - 1; i >= 0; i--) {
            siftDown(in, off, out, base, i, k, om);
        }
        for (int end = k - 1; end > 0; end--) {
            swapEntries(out, base, base + 4 * end);
            siftDown(in, off, out, base, 0, end, om);
        }
    }

    private static void siftDown(byte[] in, int off, byte[] out, int base, int i, int size, boolean om) {
        while (true) {
            int l = 2 * i + 1;
            if (l >= size) {
                return;
            }
            int big = l;
            if (l + 1 < size && compare(in, off, out, base + 4 * (l + 1), base + 4 * l, om) > 0) {
                big = l + 1;
            }
            if (compare(in, off, out, base + 4 * big, base + 4 * i, om) <= 0) {
                return;
            }
            swapEntries(out, base + 4 * i, base + 4 * big);
            i = big;
        }
    }
}
