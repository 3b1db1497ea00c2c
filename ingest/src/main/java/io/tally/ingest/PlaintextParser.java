package io.tally.ingest;

import io.tally.engine.api.IngestSink;
import io.tally.engine.name.MetricName;
import io.tally.engine.util.ByteLanes;
import io.tally.engine.util.Clock;
import io.tally.engine.util.MetricsRegistry;
import io.tally.engine.util.RateLimitedLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.LongAdder;

/**
 * Carbon's plaintext line protocol over byte ranges (graphite-compat §1.2, §1.5, §1.7):
 * {@code <metric path> <value> <timestamp>\n}.
 *
 * <p>Semantics: a line is split on runs of whitespace (space, tab, CR, VT, FF, 0x1C-0x1F, as Python's
 * {@code str.split()}); exactly three fields; value and timestamp parse like Python's {@code float()}; NaN values
 * are dropped and counted; {@code int(ts) == -1} becomes the arrival time; the timestamp is truncated to the
 * resolution; the name is canonicalised by {@link MetricName}. Optionally ({@link Options#acceptMissingTimestamp})
 * a missing timestamp or {@code N} means arrival time.
 *
 * <p>Bad lines never throw: each is counted under {@code ingest.<protocol>.bad_lines.<reason>} (one reason per line,
 * checked in the order too_long, utf8, empty, fields, value, timestamp, name/tags) and logged at a limited rate,
 * quoted. Empty lines are counted but not logged.
 *
 * <p>Resumable: {@link #parse} consumes complete lines and returns where the incomplete tail starts; the caller
 * keeps that tail and passes it again with more bytes. A tail longer than the line limit is counted once and
 * skipped up to the next newline, across calls, without buffering it. In {@link Options#datagram} mode a CR also
 * ends a line and the last line of a range is complete ({@code endOfInput}).
 *
 * <p>Per line there is no allocation, no exception and no String, except on the rare exotic number forms and when
 * a log line is actually written. Not thread-safe: one instance per connection (or datagram channel).
 */
public final class PlaintextParser {
    /** Parser settings. {@code timestampResolution} is carbon's MIN_TIMESTAMP_RESOLUTION (1 = whole seconds). */
    public record Options(int maxLineLength, boolean acceptMissingTimestamp, int timestampResolution,
                          boolean datagram) {
        public static final int DEFAULT_MAX_LINE_LENGTH = 16 * 1024;

        public Options {
            if (maxLineLength < 16) {
                throw new IllegalArgumentException("maxLineLength must be at least 16, got " + maxLineLength);
            }
            if (timestampResolution < 1) {
                throw new IllegalArgumentException("timestampResolution must be >= 1, got " + timestampResolution);
            }
        }

        public static Options defaults() {
            return new Options(DEFAULT_MAX_LINE_LENGTH, false, 1, false);
        }

        public Options withDatagram(boolean d) {
            return new Options(maxLineLength, acceptMissingTimestamp, timestampResolution, d);
        }
    }

    static final int FIELDS = 0;
    static final int VALUE = 1;
    static final int TIMESTAMP = 2;
    static final int TOO_LONG = 3;
    static final int NAME = 4;
    static final int TAGS = 5;
    static final int UTF8 = 6;
    static final int EMPTY = 7;
    static final int UNTERMINATED = 8;
    /** Counter suffixes: {@code ingest.<protocol>.bad_lines.<reason>}. */
    public static final String[] REASONS = {
        "fields", "value", "timestamp", "too_long", "name", "tags", "utf8", "empty", "unterminated"
    };

    private static final Logger LOG = LoggerFactory.getLogger(PlaintextParser.class);
    private static final boolean[] WS = new boolean[256];

    static {
        for (char c : new char[] {' ', '\t', '\r', 0x0B, 0x0C, 0x1C, 0x1D, 0x1E, 0x1F}) {
            WS[c] = true;
        }
    }

    private final Options options;
    private final Clock clock;
    private final RateLimitedLog rateLimit;
    private final String protocol;
    private final PointWriter writer;
    private final PythonFloat number = new PythonFloat();
    private final LongAdder[] badCounters;
    private final long[] bad = new long[REASONS.length];
    private final LongAdder nanCounter;
    private long nan;
    private boolean discarding;
    private Object source = "?";

    /**
     * @param protocol counter infix, e.g. {@code plaintext_tcp}
     * @param rateLimit shared by all connections of a receiver, so one noisy client cannot flood the log
     */
    public PlaintextParser(Options options, IngestSink sink, Clock clock, MetricsRegistry metrics, String protocol,
                           RateLimitedLog rateLimit) {
        this.options = options;
        this.clock = clock;
        this.rateLimit = rateLimit;
        this.protocol = protocol;
        this.writer = new PointWriter(sink, metrics.counter("ingest." + protocol + ".points"));
        this.badCounters = new LongAdder[REASONS.length];
        for (int i = 0; i < REASONS.length; i++) {
            badCounters[i] = metrics.counter("ingest." + protocol + ".bad_lines." + REASONS[i]);
        }
        this.nanCounter = metrics.counter("ingest." + protocol + ".nan_dropped");
    }

    /** What log lines name as the sender (its toString is called only when a line is logged). */
    public void setSource(Object source) {
        this.source = source;
    }

    /**
     * Parses the complete lines of {@code buf[from, to)}. Returns the index of the first byte not consumed (the start
     * of an incomplete last line, at most {@code maxLineLength} bytes before {@code to}); with {@code endOfInput}
     * everything is consumed and the last line needs no newline.
     */
    public int parse(byte[] buf, int from, int to, boolean endOfInput) {
        int p = from;
        if (discarding) {
            while (p < to && buf[p] != '\n') {
                p++;
            }
            if (p == to) {
                if (endOfInput) {
                    discarding = false;
                }
                return to;
            }
            discarding = false;
            p++;
        }
        final boolean datagram = options.datagram;
        final int max = options.maxLineLength;
        while (p < to) {
            int e = p;
            int acc = 0;
            if (datagram) {
                while (e < to) {
                    byte c = buf[e];
                    if (c == '\n' || c == '\r') {
                        break;
                    }
                    acc |= c;
                    e++;
                }
            } else {
                e = lineEnd(buf, e, to);
                acc = nonAscii ? -1 : 0;
            }
            if (e == to && !endOfInput) {
                if (e - p > max) {
                    bad(TOO_LONG, buf, p, e, 0);
                    discarding = true;
                    return to;
                }
                return p;
            }
            if (e - p > max) {
                bad(TOO_LONG, buf, p, e, 0);
            } else if (acc < 0 && !MetricName.isValidUtf8(buf, p, e)) {
                bad(UTF8, buf, p, e, 0);
            } else {
                line(buf, p, e);
            }
            if (datagram && e + 1 < to && buf[e] == '\r' && buf[e + 1] == '\n') {
                e++;
            }
            p = e + 1;
        }
        return to;
    }

    /** Set by {@link #lineEnd}: the line holds a byte outside ASCII. */
    private boolean nonAscii;

    /** The index of the first newline in {@code buf[from, to)}, or {@code to}; sets {@link #nonAscii}. */
    private int lineEnd(byte[] buf, int from, int to) {
        int e = from;
        long seen = 0; // the bytes before the newline, or'ed together: a high bit means non-ASCII
        for (; e + 8 <= to; e += 8) {
            long x = (long) ByteLanes.WORDS.get(buf, e);
            long nl = ByteLanes.equal(x, NEWLINES);
            if (nl != 0) {
                int k = ByteLanes.first(nl);
                nonAscii = ((seen | (x & ByteLanes.below(k))) & ByteLanes.HIGH) != 0;
                return e + k;
            }
            seen |= x;
        }
        int acc = 0;
        while (e < to && buf[e] != '\n') {
            acc |= buf[e++];
        }
        nonAscii = acc < 0 || (seen & ByteLanes.HIGH) != 0;
        return e;
    }

    private static final long NEWLINES = ByteLanes.broadcast('\n');

    /** The connection ended with {@code buf[from, to)} as an unterminated line: carbon discards it, so do we. */
    public void endOfStream(byte[] buf, int from, int to) {
        if (to > from && !discarding) {
            bad(UNTERMINATED, buf, from, to, 0);
        }
        discarding = false;
    }

    /** Hands the pending batch to the sink and publishes counters; call at the end of each socket read. */
    public void flush() {
        for (int i = 0; i < bad.length; i++) {
            if (bad[i] != 0) {
                badCounters[i].add(bad[i]);
                bad[i] = 0;
            }
        }
        if (nan != 0) {
            nanCounter.add(nan);
            nan = 0;
        }
        writer.flush();
    }

    /** True once after the sink asked to pause reading. */
    public boolean takePauseRequest() {
        return writer.takePauseRequest();
    }

    private void line(byte[] b, int s, int e) {
        int a = skipSpace(b, s, e);
        int z = trimSpace(b, a, e);
        if (a == z) {
            bad[EMPTY]++;
            return;
        }
        int n1 = a;
        int n2 = nameEnd(b, a, z);
        int v1 = skipSpace(b, n2, z);
        int v2 = skipField(b, v1, z);
        int t1 = skipSpace(b, v2, z);
        int t2 = skipField(b, t1, z);
        boolean missingTs = t1 == t2;
        if (t2 != z || v1 == v2 || (missingTs && !options.acceptMissingTimestamp)) {
            bad(FIELDS, b, s, e, 0);
            return;
        }
        if (!number.parse(b, v1, v2)) {
            bad(VALUE, b, s, e, 0);
            return;
        }
        double value = number.value();
        double ts;
        if (missingTs || (options.acceptMissingTimestamp && t2 - t1 == 1 && b[t1] == 'N')) {
            ts = -1;
        } else if (number.parse(b, t1, t2)) {
            ts = number.value();
        } else {
            bad(TIMESTAMP, b, s, e, 0);
            return;
        }
        if (value != value) {
            nan++;
            return;
        }
        long t = PointWriter.timestamp(ts, clock, options.timestampResolution);
        if (t == PointWriter.BAD_TIMESTAMP) {
            bad(TIMESTAMP, b, s, e, 0);
            return;
        }
        int r = writer.add(b, n1, n2 - n1, t, value);
        if (r != PointWriter.OK) {
            bad(r == PointWriter.TOO_BIG_FOR_BATCH ? NAME
                    : r == MetricName.BAD_UTF8 ? UTF8
                    : MetricName.isTagError(r) ? TAGS : NAME, b, s, e, r);
        }
    }

    /*
     * The scans of a line's fields are methods of their own, away from line(): a loop inside line() would make the
     * JIT compile an on-stack replacement of all of it (with the writer it inlines) for each loop, before compiling it
     * normally anyway.
     */

    /** The first index in {@code [a, z)} that is not whitespace, or {@code z}. */
    private static int skipSpace(byte[] b, int a, int z) {
        while (a < z && WS[b[a] & 0xFF]) {
            a++;
        }
        return a;
    }

    /** The end of {@code [a, z)} without its trailing whitespace. */
    private static int trimSpace(byte[] b, int a, int z) {
        while (z > a && WS[b[z - 1] & 0xFF]) {
            z--;
        }
        return z;
    }

    /** The first index in {@code [a, z)} that is whitespace, or {@code z}. */
    private static int skipField(byte[] b, int a, int z) {
        while (a < z && !WS[b[a] & 0xFF]) {
            a++;
        }
        return a;
    }

    /** {@link #skipField} for the name, the longest field: eight bytes at a time up to its first byte at most 0x20. */
    private static int nameEnd(byte[] b, int a, int z) {
        for (; a + 8 <= z; a += 8) {
            long space = ByteLanes.atMostSpace((long) ByteLanes.WORDS.get(b, a));
            if (space != 0) {
                return skipField(b, a + ByteLanes.first(space), z); // a control character is part of the field
            }
        }
        return skipField(b, a, z);
    }

    private void bad(int reason, byte[] b, int s, int e, int nameCode) {
        bad[reason]++;
        if (reason == EMPTY || !rateLimit.permit()) {
            return;
        }
        LOG.warn("{}: invalid line from {} ({}), ignoring it: {}", protocol, source, explain(reason, nameCode),
                Quote.bytes(b, s, e));
    }

    private String explain(int reason, int nameCode) {
        return switch (reason) {
            case FIELDS -> "expected '<metric path> <value> <timestamp>', three fields separated by whitespace";
            case VALUE -> "value is not a number";
            case TIMESTAMP -> "timestamp is not a number of seconds";
            case TOO_LONG -> "line longer than " + options.maxLineLength + " bytes; raise maxLineLength to accept it";
            case UTF8 -> "line is not valid UTF-8";
            case UNTERMINATED -> "connection closed in the middle of a line";
            case NAME, TAGS -> nameCode == PointWriter.TOO_BIG_FOR_BATCH ? "metric name too long for a batch"
                    : MetricName.reason(nameCode);
            default -> REASONS[reason];
        };
    }
}
