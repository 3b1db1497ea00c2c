package io.tally.ingest;

import io.tally.engine.name.MetricName;
import io.tally.engine.util.Clock;
import io.tally.engine.util.MetricsRegistry;
import io.tally.engine.util.RateLimitedLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.concurrent.atomic.LongAdder;

/**
 * A pure data decoder for carbon's pickle frames (graphite-compat §1.6): {@code [(path, (timestamp, value)), ...]}
 * in pickle protocols 0 to 5, as Python 2 and 3 clients emit them.
 *
 * <p>Safety: nothing is constructed but entries of this decoder's own value tables. Opcodes that would import,
 * call or build objects (GLOBAL, STACK_GLOBAL, REDUCE, BUILD, INST, OBJ, NEWOBJ, NEWOBJ_EX, PERSID, BINPERSID,
 * EXT1/2/4, out-of-band buffers) and unknown opcodes reject the whole frame with a reason. Memory is bounded by the
 * frame (every value, list node and memo entry needs at least one opcode byte) and by {@link Limits}: nesting of
 * MARKs, total values plus list nodes, string length, memo index.
 *
 * <p>Value model: a value is an int handle into parallel arrays ({@code kind}, {@code num}, {@code a}, {@code b}).
 * Numbers live in {@code num} (long, or double bits); strings are {@code (offset, length)} into the frame, or into
 * {@code text} when an escape had to be decoded (protocol 0 {@code S}/{@code V}); lists and tuples are singly
 * linked node chains ({@code a} = head, {@code b} = tail, {@code num} = size), so APPEND on a memoised list is seen
 * through every reference, as in Python. Dicts and sets are opaque: they are accepted but their content is dropped.
 * The MARK stack holds stack heights (Python's metastack); operations see only the items above the last mark.
 *
 * <p>After STOP the result must be a list or tuple. Each element is checked on its own: a shape error, a
 * non-numeric timestamp or value, a bad name or timestamp skips that element only (counted under
 * {@code ingest.<protocol>.bad_elements.<reason>}); NaN values are dropped; the rest goes through the same
 * {@link PointWriter} tail as plaintext lines.
 *
 * <p>Not thread-safe. The tables are reused across frames, so one decoder per event-loop thread serves all its
 * connections; points go to the caller's (per-connection) {@link PointWriter}.
 */
public final class PickleDecoder {
    /** Hostile-input limits; see {@link #defaults()}. */
    public record Limits(int maxDepth, int maxElements, int maxStringBytes, int maxMemo) {
        public Limits {
            if (maxDepth < 4 || maxElements < 16 || maxStringBytes < 16 || maxMemo < 16) {
                throw new IllegalArgumentException("pickle limits too small: " + maxDepth + "/" + maxElements + "/"
                        + maxStringBytes + "/" + maxMemo);
            }
        }

        public static Limits defaults() {
            return new Limits(64, 4_000_000, MetricName.MAX_LENGTH, 4_000_000);
        }
    }

    public static final int OK = 0;
    public static final int TRUNCATED = -1;
    public static final int FORBIDDEN_OPCODE = -2;
    public static final int UNKNOWN_OPCODE = -3;
    public static final int STACK_UNDERFLOW = -4;
    public static final int BAD_ARGUMENT = -5;
    public static final int WRONG_TYPE = -6;
    public static final int TOO_DEEP = -7;
    public static final int TOO_MANY_ELEMENTS = -8;
    public static final int STRING_TOO_LONG = -9;
    public static final int BAD_MEMO = -10;
    public static final int NOT_A_LIST = -11;

    /** Counter suffixes for rejected frames: {@code ingest.<protocol>.bad_frames.<reason>}. */
    public static final String[] FRAME_REASONS = {
        "truncated", "forbidden_opcode", "unknown_opcode", "stack_underflow", "bad_argument", "wrong_type",
        "too_deep", "too_many_elements", "string_too_long", "bad_memo", "not_a_list"
    };
    /** Counter suffixes for skipped elements: {@code ingest.<protocol>.bad_elements.<reason>}. */
    public static final String[] ELEMENT_REASONS = {"shape", "number", "timestamp", "name", "tags", "utf8"};
    private static final int E_SHAPE = 0;
    private static final int E_NUMBER = 1;
    private static final int E_TIMESTAMP = 2;
    private static final int E_NAME = 3;
    private static final int E_TAGS = 4;
    private static final int E_UTF8 = 5;

    private static final Logger LOG = LoggerFactory.getLogger(PickleDecoder.class);

    private static final byte K_NONE = 0;
    private static final byte K_BOOL = 1;
    private static final byte K_INT = 2;
    private static final byte K_FLOAT = 3;
    private static final byte K_BIG = 4; // an int beyond 64 bits; num holds its double bits
    private static final byte K_STR = 5; // bytes in the frame
    private static final byte K_TSTR = 6; // bytes in text[]
    private static final byte K_LIST = 7;
    private static final byte K_TUPLE = 8;
    private static final byte K_DICT = 9;
    private static final byte K_SET = 10;
    private static final byte K_OTHER = 11;

    private final Limits limits;
    private final Clock clock;
    private final int resolution;
    private final String protocol;
    private final RateLimitedLog rateLimit;
    private final PythonFloat number = new PythonFloat();
    private final LongAdder frames;
    private final LongAdder[] badFrames;
    private final LongAdder[] badElements;
    private final LongAdder nanDropped;

    // value tables
    private byte[] kind = new byte[64];
    private long[] num = new long[64];
    private int[] va = new int[64];
    private int[] vb = new int[64];
    private int values;
    // list nodes
    private int[] nodeValue = new int[64];
    private int[] nodeNext = new int[64];
    private int nodes;
    // stacks
    private int[] stack = new int[64];
    private int sp;
    private int[] marks = new int[16];
    private int markTop;
    // memo: handle + 1, 0 = unset
    private int[] memo = new int[64];
    private int memoHigh;
    private int memoCount;
    // decoded strings
    private byte[] text = new byte[256];
    private int textLen;

    // current frame
    private byte[] buf;
    private int pos;
    private int end;
    private String detail = "";
    private int badOpcode = -1;

    public PickleDecoder(Limits limits, Clock clock, int timestampResolution, MetricsRegistry metrics,
                         String protocol, RateLimitedLog rateLimit) {
        this.limits = limits;
        this.clock = clock;
        this.resolution = timestampResolution;
        this.protocol = protocol;
        this.rateLimit = rateLimit;
        this.frames = metrics.counter("ingest." + protocol + ".frames");
        this.badFrames = new LongAdder[FRAME_REASONS.length];
        for (int i = 0; i < FRAME_REASONS.length; i++) {
            badFrames[i] = metrics.counter("ingest." + protocol + ".bad_frames." + FRAME_REASONS[i]);
        }
        this.badElements = new LongAdder[ELEMENT_REASONS.length];
        for (int i = 0; i < ELEMENT_REASONS.length; i++) {
            badElements[i] = metrics.counter("ingest." + protocol + ".bad_elements." + ELEMENT_REASONS[i]);
        }
        this.nanDropped = metrics.counter("ingest." + protocol + ".nan_dropped");
    }

    /** A short explanation of a negative frame code. */
    public static String reason(int code) {
        return switch (code) {
            case OK -> "ok";
            case TRUNCATED -> "truncated pickle (no STOP, or an argument runs past the frame)";
            case FORBIDDEN_OPCODE -> "opcode that builds objects or imports code, refused";
            case UNKNOWN_OPCODE -> "unknown opcode";
            case STACK_UNDERFLOW -> "stack underflow (malformed pickle)";
            case BAD_ARGUMENT -> "malformed opcode argument";
            case WRONG_TYPE -> "opcode applied to a value of the wrong type";
            case TOO_DEEP -> "too many nested MARKs";
            case TOO_MANY_ELEMENTS -> "too many values in one frame";
            case STRING_TOO_LONG -> "string or integer longer than the limit";
            case BAD_MEMO -> "memo index missing or beyond the limit";
            case NOT_A_LIST -> "payload is not a list or tuple of (path, (timestamp, value))";
            default -> "unknown pickle error " + code;
        };
    }

    /**
     * Decodes one frame {@code buf[off, off+len)} and adds its points to {@code out}. Returns {@link #OK} or the
     * negative reason the whole frame was rejected (already counted and logged). Never throws on bad input.
     */
    public int decode(byte[] buf, int off, int len, PointWriter out, Object source) {
        this.buf = buf;
        this.pos = off;
        this.end = off + len;
        int result;
        try {
            result = run();
            if (result >= 0) {
                result = emit(result, out, source);
            }
        } finally {
            reset();
        }
        if (result < 0) {
            badFrames[-result - 1].increment();
            if (rateLimit.permit()) {
                String what = badOpcode >= 0 ? detail + " (0x" + Integer.toHexString(badOpcode) + ")" : detail;
                LOG.warn("{}: pickle frame of {} bytes from {} rejected: {}{}", protocol, len, source,
                        reason(result), what.isEmpty() ? "" : ": " + what);
            }
        } else {
            frames.increment();
        }
        return result;
    }

    private void reset() {
        values = 0;
        nodes = 0;
        sp = 0;
        markTop = 0;
        Arrays.fill(memo, 0, memoHigh, 0);
        memoHigh = 0;
        memoCount = 0;
        textLen = 0;
        buf = null;
        detail = "";
        badOpcode = -1;
    }

    // ---------------------------------------------------------------------------------------------------------
    // the machine

    /** Runs to STOP; returns the result handle (>= 0) or an error code. */
    private int run() {
        while (pos < end) {
            int op = buf[pos++] & 0xFF;
            int r;
            switch (op) {
                case '(' -> r = mark();
                case '.' -> {
                    if (sp <= base()) {
                        return STACK_UNDERFLOW;
                    }
                    return stack[--sp];
                }
                case '0' -> r = sp > base() ? ok(sp--) : popMark();
                case '1' -> r = popMark();
                case '2' -> r = sp > base() ? push(stack[sp - 1]) : STACK_UNDERFLOW;
                case 'N' -> r = push(newValue(K_NONE, 0));
                case 0x88 -> r = push(newValue(K_BOOL, 1));
                case 0x89 -> r = push(newValue(K_BOOL, 0));
                case 'I' -> r = textInt(false);
                case 'L' -> r = textInt(true);
                case 'J' -> r = need(4) ? push(newValue(K_INT, le(4, true))) : TRUNCATED;
                case 'K' -> r = need(1) ? push(newValue(K_INT, le(1, false))) : TRUNCATED;
                case 'M' -> r = need(2) ? push(newValue(K_INT, le(2, false))) : TRUNCATED;
                case 0x8a -> r = need(1) ? binLong((int) le(1, false)) : TRUNCATED;
                case 0x8b -> r = need(4) ? binLong((int) le(4, true)) : TRUNCATED;
                case 'F' -> r = textFloat();
                case 'G' -> r = need(8) ? push(newValue(K_FLOAT, be8())) : TRUNCATED;
                case 'S' -> r = textString();
                case 'V' -> r = textUnicode();
                case 'U', 'C', 0x8c -> r = need(1) ? binString(le(1, false)) : TRUNCATED;
                case 'T' -> r = need(4) ? binString(le(4, true)) : TRUNCATED;
                case 'X', 'B' -> r = need(4) ? binString(le(4, false)) : TRUNCATED;
                case 0x8d, 0x8e, 0x96 -> r = need(8) ? binString(le8()) : TRUNCATED;
                case ']' -> r = push(newValue(K_LIST, 0));
                case ')' -> r = push(newValue(K_TUPLE, 0));
                case '}' -> r = push(newValue(K_DICT, 0));
                case 0x8f -> r = push(newValue(K_SET, 0));
                case 'l' -> r = sequenceFromMark(K_LIST);
                case 't' -> r = sequenceFromMark(K_TUPLE);
                case 0x85 -> r = tupleN(1);
                case 0x86 -> r = tupleN(2);
                case 0x87 -> r = tupleN(3);
                case 'a' -> r = append();
                case 'e' -> r = appends();
                case 'd' -> r = opaqueFromMark(K_DICT, true);
                case 0x91 -> r = opaqueFromMark(K_OTHER, false);
                case 's' -> r = setItem();
                case 'u' -> r = addItems(K_DICT, true);
                case 0x90 -> r = addItems(K_SET, false);
                case 'p' -> r = textPut();
                case 'q' -> r = need(1) ? put(le(1, false)) : TRUNCATED;
                case 'r' -> r = need(4) ? put(le(4, false)) : TRUNCATED;
                case 0x94 -> r = put(memoCount);
                case 'g' -> r = textGet();
                case 'h' -> r = need(1) ? get(le(1, false)) : TRUNCATED;
                case 'j' -> r = need(4) ? get(le(4, false)) : TRUNCATED;
                case 0x80 -> {
                    if (!need(1)) {
                        return TRUNCATED;
                    }
                    int proto = buf[pos++] & 0xFF;
                    r = proto <= 5 ? OK : fail(BAD_ARGUMENT, "unsupported protocol version");
                }
                case 0x95 -> {
                    r = need(8) ? OK : TRUNCATED;
                    pos += 8; // FRAME length: a read-ahead hint, irrelevant for an in-memory frame
                }
                case 'c' -> r = forbidden("GLOBAL", op);
                case 0x93 -> r = forbidden("STACK_GLOBAL", op);
                case 'R' -> r = forbidden("REDUCE", op);
                case 'b' -> r = forbidden("BUILD", op);
                case 'i' -> r = forbidden("INST", op);
                case 'o' -> r = forbidden("OBJ", op);
                case 0x81 -> r = forbidden("NEWOBJ", op);
                case 0x92 -> r = forbidden("NEWOBJ_EX", op);
                case 'P' -> r = forbidden("PERSID", op);
                case 'Q' -> r = forbidden("BINPERSID", op);
                case 0x82, 0x83, 0x84 -> r = forbidden("EXT", op);
                case 0x97, 0x98 -> r = forbidden("out-of-band buffer", op);
                default -> {
                    badOpcode = op;
                    r = UNKNOWN_OPCODE;
                }
            }
            if (r < 0) {
                return r;
            }
        }
        return TRUNCATED;
    }

    private static int ok(int ignored) {
        return OK;
    }

    private int fail(int code, String why) {
        detail = why;
        return code;
    }

    private int forbidden(String name, int op) {
        detail = name;
        badOpcode = op;
        return FORBIDDEN_OPCODE;
    }

    private int base() {
        return markTop == 0 ? 0 : marks[markTop - 1];
    }

    private boolean need(int n) {
        return end - pos >= n;
    }

    /** Little-endian integer of n bytes at pos (advances); signed means two's complement of those bytes. */
    private long le(int n, boolean signed) {
        long v = 0;
        for (int i = n - 1; i >= 0; i--) {
            v = (v << 8) | (buf[pos + i] & 0xFF);
        }
        pos += n;
        if (signed && n < 8) {
            int shift = 64 - 8 * n;
            v = (v << shift) >> shift;
        }
        return v;
    }

    /** Unsigned 8-byte little-endian length; lengths past Long.MAX_VALUE come out negative and are refused. */
    private long le8() {
        return le(8, false);
    }

    private long be8() {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (buf[pos + i] & 0xFF);
        }
        pos += 8;
        return v;
    }

    private int mark() {
        if (markTop == limits.maxDepth()) {
            return TOO_DEEP;
        }
        if (markTop == marks.length) {
            marks = Arrays.copyOf(marks, marks.length * 2);
        }
        marks[markTop++] = sp;
        return OK;
    }

    /** Python's pop_mark: drops the mark; the items above it stay in stack[base, old sp) until overwritten. */
    private int popMark() {
        if (markTop == 0) {
            return STACK_UNDERFLOW;
        }
        sp = marks[--markTop];
        return OK;
    }

    private int push(int handle) {
        if (handle < 0) {
            return handle;
        }
        if (sp == stack.length) {
            if (sp >= limits.maxElements()) {
                return TOO_MANY_ELEMENTS;
            }
            stack = Arrays.copyOf(stack, Math.min(limits.maxElements(), sp * 2));
        }
        stack[sp++] = handle;
        return OK;
    }

    /** A new value slot, or TOO_MANY_ELEMENTS. */
    private int newValue(byte k, long n) {
        if (values + nodes >= limits.maxElements()) {
            return TOO_MANY_ELEMENTS;
        }
        if (values == kind.length) {
            int cap = values * 2;
            kind = Arrays.copyOf(kind, cap);
            num = Arrays.copyOf(num, cap);
            va = Arrays.copyOf(va, cap);
            vb = Arrays.copyOf(vb, cap);
        }
        int h = values++;
        kind[h] = k;
        num[h] = n;
        va[h] = -1;
        vb[h] = -1;
        return h;
    }

    /** Appends {@code value} to the list/tuple {@code seq}. */
    private int addNode(int seq, int value) {
        if (values + nodes >= limits.maxElements()) {
            return TOO_MANY_ELEMENTS;
        }
        if (nodes == nodeValue.length) {
            nodeValue = Arrays.copyOf(nodeValue, nodes * 2);
            nodeNext = Arrays.copyOf(nodeNext, nodes * 2);
        }
        int n = nodes++;
        nodeValue[n] = value;
        nodeNext[n] = -1;
        if (vb[seq] < 0) {
            va[seq] = n;
        } else {
            nodeNext[vb[seq]] = n;
        }
        vb[seq] = n;
        num[seq]++;
        return OK;
    }

    private int sequenceFromMark(byte k) {
        if (markTop == 0) {
            return STACK_UNDERFLOW;
        }
        int from = marks[markTop - 1];
        int to = sp;
        popMark();
        int seq = newValue(k, 0);
        if (seq < 0) {
            return seq;
        }
        for (int i = from; i < to; i++) {
            int r = addNode(seq, stack[i]);
            if (r < 0) {
                return r;
            }
        }
        return push(seq);
    }

    private int tupleN(int n) {
        if (sp - base() < n) {
            return STACK_UNDERFLOW;
        }
        int seq = newValue(K_TUPLE, 0);
        if (seq < 0) {
            return seq;
        }
        for (int i = sp - n; i < sp; i++) {
            int r = addNode(seq, stack[i]);
            if (r < 0) {
                return r;
            }
        }
        sp -= n;
        return push(seq);
    }

    private int append() {
        if (sp - base() < 2) {
            return STACK_UNDERFLOW;
        }
        int value = stack[--sp];
        int list = stack[sp - 1];
        if (kind[list] != K_LIST) {
            return fail(WRONG_TYPE, "APPEND to a non-list");
        }
        return addNode(list, value);
    }

    private int appends() {
        if (markTop == 0) {
            return STACK_UNDERFLOW;
        }
        int from = marks[markTop - 1];
        int to = sp;
        popMark();
        if (sp <= base()) {
            return STACK_UNDERFLOW;
        }
        int list = stack[sp - 1];
        if (kind[list] != K_LIST) {
            return fail(WRONG_TYPE, "APPENDS to a non-list");
        }
        for (int i = from; i < to; i++) {
            int r = addNode(list, stack[i]);
            if (r < 0) {
                return r;
            }
        }
        return OK;
    }

    private int opaqueFromMark(byte k, boolean pairs) {
        if (markTop == 0) {
            return STACK_UNDERFLOW;
        }
        int count = sp - marks[markTop - 1];
        popMark();
        if (pairs && (count & 1) != 0) {
            return fail(BAD_ARGUMENT, "odd number of dict items");
        }
        return push(newValue(k, 0));
    }

    private int setItem() {
        if (sp - base() < 3) {
            return STACK_UNDERFLOW;
        }
        sp -= 2;
        return kind[stack[sp - 1]] == K_DICT ? OK : fail(WRONG_TYPE, "SETITEM on a non-dict");
    }

    private int addItems(byte target, boolean pairs) {
        if (markTop == 0) {
            return STACK_UNDERFLOW;
        }
        int count = sp - marks[markTop - 1];
        popMark();
        if (sp <= base()) {
            return STACK_UNDERFLOW;
        }
        if (kind[stack[sp - 1]] != target) {
            return fail(WRONG_TYPE, pairs ? "SETITEMS on a non-dict" : "ADDITEMS on a non-set");
        }
        return pairs && (count & 1) != 0 ? fail(BAD_ARGUMENT, "odd number of dict items") : OK;
    }

    private int put(long index) {
        if (sp <= base()) {
            return STACK_UNDERFLOW;
        }
        if (index < 0 || index >= limits.maxMemo()) {
            return fail(BAD_MEMO, "memo index " + index);
        }
        int i = (int) index;
        if (i >= memo.length) {
            memo = Arrays.copyOf(memo, (int) Math.min(limits.maxMemo(), Math.max(i + 1L, memo.length * 2L)));
        }
        if (memo[i] == 0) {
            memoCount++;
        }
        memo[i] = stack[sp - 1] + 1;
        memoHigh = Math.max(memoHigh, i + 1);
        return OK;
    }

    private int get(long index) {
        if (index < 0 || index >= memoHigh || memo[(int) index] == 0) {
            return fail(BAD_MEMO, "memo index " + index + " not set");
        }
        return push(memo[(int) index] - 1);
    }

    // ---- text (protocol 0) arguments -----------------------------------------------------------------------

    /** Ends the current text argument at the next newline; returns the newline's index or -1 (truncated). */
    private int line() {
        for (int i = pos; i < end; i++) {
            if (buf[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** Parses [+-]digits in buf[from, to) into a long; Long.MIN_VALUE if malformed, Long.MAX_VALUE if too big. */
    private static long decimal(byte[] b, int from, int to) {
        int p = from;
        boolean neg = false;
        if (p < to && (b[p] == '-' || b[p] == '+')) {
            neg = b[p] == '-';
            p++;
        }
        if (p == to) {
            return Long.MIN_VALUE;
        }
        long v = 0;
        int digits = 0;
        for (; p < to; p++) {
            int d = b[p] - '0';
            if (d < 0 || d > 9) {
                return Long.MIN_VALUE;
            }
            if (v != 0 || d != 0) {
                digits++;
            }
            v = v * 10 + d;
            if (digits > 18) {
                return Long.MAX_VALUE;
            }
        }
        return neg ? -v : v;
    }

    private int textInt(boolean longForm) {
        int nl = line();
        if (nl < 0) {
            return TRUNCATED;
        }
        int from = pos;
        int to = nl;
        pos = nl + 1;
        if (!longForm && to - from == 2 && buf[from] == '0' && (buf[from + 1] == '0' || buf[from + 1] == '1')) {
            return push(newValue(K_BOOL, buf[from + 1] - '0'));
        }
        if (longForm && to > from && buf[to - 1] == 'L') {
            to--;
        }
        long v = decimal(buf, from, to);
        if (v == Long.MIN_VALUE) {
            return fail(BAD_ARGUMENT, longForm ? "LONG" : "INT");
        }
        if (v == Long.MAX_VALUE) {
            if (to - from > limits.maxStringBytes()) {
                return STRING_TOO_LONG;
            }
            double d = new BigInteger(new String(buf, from, to - from, java.nio.charset.StandardCharsets.US_ASCII))
                    .doubleValue();
            return push(newValue(K_BIG, Double.doubleToRawLongBits(d)));
        }
        return push(newValue(K_INT, v));
    }

    private int binLong(int n) {
        if (n < 0) {
            return fail(BAD_ARGUMENT, "negative LONG4 length");
        }
        if (n > limits.maxStringBytes()) {
            return STRING_TOO_LONG;
        }
        if (!need(n)) {
            return TRUNCATED;
        }
        if (n == 0) {
            return push(newValue(K_INT, 0));
        }
        if (n <= 8) {
            return push(newValue(K_INT, le(n, true)));
        }
        byte[] bigEndian = new byte[n]; // rare: integers beyond 64 bits
        for (int i = 0; i < n; i++) {
            bigEndian[i] = buf[pos + n - 1 - i];
        }
        pos += n;
        double d = new BigInteger(bigEndian).doubleValue();
        return push(newValue(K_BIG, Double.doubleToRawLongBits(d)));
    }

    private int textFloat() {
        int nl = line();
        if (nl < 0) {
            return TRUNCATED;
        }
        int from = pos;
        pos = nl + 1;
        int a = from;
        int z = nl;
        while (a < z && buf[a] == ' ') {
            a++;
        }
        while (z > a && buf[z - 1] == ' ') {
            z--;
        }
        if (!number.parse(buf, a, z)) {
            return fail(BAD_ARGUMENT, "FLOAT");
        }
        return push(newValue(K_FLOAT, Double.doubleToRawLongBits(number.value())));
    }

    private int binString(long n) {
        if (n < 0) {
            return fail(BAD_ARGUMENT, "negative string length");
        }
        if (n > limits.maxStringBytes()) {
            return STRING_TOO_LONG;
        }
        if (!need((int) n)) {
            return TRUNCATED;
        }
        int h = newValue(K_STR, 0);
        if (h < 0) {
            return h;
        }
        va[h] = pos;
        vb[h] = (int) n;
        pos += (int) n;
        return push(h);
    }

    private void ensureText(int extra) {
        if (textLen + extra > text.length) {
            text = Arrays.copyOf(text, Math.max(textLen + extra, text.length * 2));
        }
    }

    /** Protocol 0 {@code S'...'\n}: a quoted Python 2 str literal with backslash escapes. */
    private int textString() {
        int nl = line();
        if (nl < 0) {
            return TRUNCATED;
        }
        int from = pos;
        int to = nl;
        pos = nl + 1;
        if (to - from < 2 || buf[from] != buf[to - 1] || (buf[from] != '\'' && buf[from] != '"')) {
            return fail(BAD_ARGUMENT, "STRING argument must be quoted");
        }
        from++;
        to--;
        if (to - from > limits.maxStringBytes()) {
            return STRING_TOO_LONG;
        }
        ensureText(to - from);
        int start = textLen;
        int p = from;
        while (p < to) {
            byte c = buf[p++];
            if (c != '\\') {
                text[textLen++] = c;
                continue;
            }
            if (p == to) {
                return fail(BAD_ARGUMENT, "trailing backslash in STRING");
            }
            byte e = buf[p++];
            switch (e) {
                case '\n' -> { }
                case '\\', '\'', '"' -> text[textLen++] = e;
                case 'a' -> text[textLen++] = 7;
                case 'b' -> text[textLen++] = 8;
                case 'f' -> text[textLen++] = 12;
                case 'n' -> text[textLen++] = '\n';
                case 'r' -> text[textLen++] = '\r';
                case 't' -> text[textLen++] = '\t';
                case 'v' -> text[textLen++] = 11;
                case 'x' -> {
                    int hi = p < to ? Character.digit(buf[p], 16) : -1;
                    int lo = p + 1 < to ? Character.digit(buf[p + 1], 16) : -1;
                    if (hi < 0 || lo < 0) {
                        return fail(BAD_ARGUMENT, "invalid \\x escape in STRING");
                    }
                    text[textLen++] = (byte) (hi * 16 + lo);
                    p += 2;
                }
                default -> {
                    if (e >= '0' && e <= '7') {
                        int v = e - '0';
                        for (int i = 0; i < 2 && p < to && buf[p] >= '0' && buf[p] <= '7'; i++) {
                            v = v * 8 + (buf[p++] - '0');
                        }
                        text[textLen++] = (byte) v;
                    } else {
                        text[textLen++] = '\\';
                        text[textLen++] = e;
                    }
                }
            }
        }
        return pushText(start);
    }

    /** Protocol 0 {@code V...\n}: raw-unicode-escape (latin-1 bytes plus \\uXXXX / \\UXXXXXXXX), stored as UTF-8. */
    private int textUnicode() {
        int nl = line();
        if (nl < 0) {
            return TRUNCATED;
        }
        int from = pos;
        int to = nl;
        pos = nl + 1;
        if (to - from > limits.maxStringBytes()) {
            return STRING_TOO_LONG;
        }
        ensureText(2 * (to - from));
        int start = textLen;
        int p = from;
        while (p < to) {
            int c = buf[p] & 0xFF;
            if (c != '\\') {
                putUtf8(c);
                p++;
                continue;
            }
            int run = p;
            while (run < to && buf[run] == '\\') {
                run++;
            }
            int count = run - p;
            boolean escape = (count & 1) == 1 && run < to && (buf[run] == 'u' || buf[run] == 'U');
            int literal = escape ? count - 1 : count;
            for (int i = 0; i < literal; i++) {
                text[textLen++] = '\\';
            }
            p = run;
            if (escape) {
                int digits = buf[run] == 'u' ? 4 : 8;
                if (run + 1 + digits > to) {
                    return fail(BAD_ARGUMENT, "truncated \\uXXXX escape in UNICODE");
                }
                int cp = 0;
                for (int i = 0; i < digits; i++) {
                    int d = Character.digit(buf[run + 1 + i], 16);
                    if (d < 0) {
                        return fail(BAD_ARGUMENT, "truncated \\uXXXX escape in UNICODE");
                    }
                    cp = (cp << 4) | d;
                }
                if (cp < 0 || cp > 0x10FFFF) {
                    return fail(BAD_ARGUMENT, "\\U escape beyond U+10FFFF in UNICODE");
                }
                putUtf8(cp);
                p = run + 1 + digits;
            }
        }
        return pushText(start);
    }

    /** Encodes a code point as UTF-8 (lone surrogates too, which MetricName later rejects as invalid UTF-8). */
    private void putUtf8(int cp) {
        if (cp < 0x80) {
            text[textLen++] = (byte) cp;
        } else if (cp < 0x800) {
            text[textLen++] = (byte) (0xC0 | (cp >> 6));
            text[textLen++] = (byte) (0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            text[textLen++] = (byte) (0xE0 | (cp >> 12));
            text[textLen++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
            text[textLen++] = (byte) (0x80 | (cp & 0x3F));
        } else {
            text[textLen++] = (byte) (0xF0 | (cp >> 18));
            text[textLen++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
            text[textLen++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
            text[textLen++] = (byte) (0x80 | (cp & 0x3F));
        }
    }

    private int pushText(int start) {
        int h = newValue(K_TSTR, 0);
        if (h < 0) {
            return h;
        }
        va[h] = start;
        vb[h] = textLen - start;
        return push(h);
    }

    private int textPut() {
        int nl = line();
        if (nl < 0) {
            return TRUNCATED;
        }
        long i = decimal(buf, pos, nl);
        pos = nl + 1;
        return i == Long.MIN_VALUE ? fail(BAD_ARGUMENT, "PUT") : put(i);
    }

    private int textGet() {
        int nl = line();
        if (nl < 0) {
            return TRUNCATED;
        }
        long i = decimal(buf, pos, nl);
        pos = nl + 1;
        return i == Long.MIN_VALUE ? fail(BAD_ARGUMENT, "GET") : get(i);
    }

    // ---------------------------------------------------------------------------------------------------------
    // the payload

    private int emit(int result, PointWriter out, Object source) {
        if (kind[result] != K_LIST && kind[result] != K_TUPLE) {
            return NOT_A_LIST;
        }
        for (int n = va[result]; n >= 0; n = nodeNext[n]) {
            element(nodeValue[n], out, source);
        }
        return OK;
    }

    private boolean isPair(int h) {
        return (kind[h] == K_LIST || kind[h] == K_TUPLE) && num[h] == 2;
    }

    private void element(int e, PointWriter out, Object source) {
        if (!isPair(e)) {
            badElement(E_SHAPE, "element is not a (path, (timestamp, value)) pair", -1, source);
            return;
        }
        int path = nodeValue[va[e]];
        int dp = nodeValue[nodeNext[va[e]]];
        if (!isPair(dp)) {
            badElement(E_SHAPE, "datapoint is not a (timestamp, value) pair", path, source);
            return;
        }
        int tsH = nodeValue[va[dp]];
        int valueH = nodeValue[nodeNext[va[dp]]];
        if (!numeric(tsH)) {
            badElement(E_NUMBER, "timestamp is not a number", path, source);
            return;
        }
        double ts = number.value();
        if (!numeric(valueH)) {
            badElement(E_NUMBER, "value is not a number", path, source);
            return;
        }
        double value = number.value();
        if (kind[path] != K_STR && kind[path] != K_TSTR) {
            badElement(E_NAME, "metric path is not a string", -1, source);
            return;
        }
        if (value != value) {
            nanDropped.increment();
            return;
        }
        long t = PointWriter.timestamp(ts, clock, resolution);
        if (t == PointWriter.BAD_TIMESTAMP) {
            badElement(E_TIMESTAMP, "timestamp out of range", path, source);
            return;
        }
        byte[] src = kind[path] == K_STR ? buf : text;
        int r = out.add(src, va[path], vb[path], t, value);
        if (r != PointWriter.OK) {
            int reason = r == MetricName.BAD_UTF8 ? E_UTF8 : MetricName.isTagError(r) ? E_TAGS : E_NAME;
            badElement(reason, r == PointWriter.TOO_BIG_FOR_BATCH ? "metric name too long for a batch"
                    : MetricName.reason(r), path, source);
        }
    }

    /** Python's float(x) for the value kinds carbon meets; the result is left in {@code number}. */
    private boolean numeric(int h) {
        switch (kind[h]) {
            case K_INT, K_BOOL -> {
                return setNumber((double) num[h]);
            }
            case K_FLOAT -> {
                return setNumber(Double.longBitsToDouble(num[h]));
            }
            case K_BIG -> {
                double d = Double.longBitsToDouble(num[h]);
                return !Double.isInfinite(d) && setNumber(d);
            }
            case K_STR, K_TSTR -> {
                byte[] src = kind[h] == K_STR ? buf : text;
                int a = va[h];
                int z = a + vb[h];
                while (a < z && (src[a] == ' ' || src[a] == '\t' || src[a] == '\n' || src[a] == '\r')) {
                    a++;
                }
                while (z > a && (src[z - 1] == ' ' || src[z - 1] == '\t' || src[z - 1] == '\n' || src[z - 1] == '\r')) {
                    z--;
                }
                return number.parse(src, a, z);
            }
            default -> {
                return false;
            }
        }
    }

    private boolean setNumber(double d) {
        number.set(d);
        return true;
    }

    private void badElement(int reason, String why, int path, Object source) {
        badElements[reason].increment();
        if (rateLimit.permit()) {
            String shown = path >= 0 && (kind[path] == K_STR || kind[path] == K_TSTR)
                    ? Quote.bytes(kind[path] == K_STR ? buf : text, va[path], va[path] + vb[path]) : "";
            LOG.warn("{}: skipped pickle element from {}: {} {}", protocol, source, why, shown);
        }
    }
}
