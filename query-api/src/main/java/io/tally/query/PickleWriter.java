package io.tally.query;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes a Python pickle (protocol 2) of plain data: lists, dicts, text, integers, floats, booleans and
 * {@code None}, for graphite-web cluster peers ({@code /render?format=pickle}, {@code /metrics/find?format=pickle}).
 *
 * <p>Design: only data opcodes are emitted ({@code PROTO}, {@code EMPTY_LIST}/{@code EMPTY_DICT}, {@code MARK},
 * {@code APPENDS}/{@code SETITEMS}, {@code BINUNICODE}, {@code BININT*}/{@code LONG1}, {@code BINFLOAT},
 * {@code NONE}, {@code NEWTRUE}/{@code NEWFALSE}, {@code STOP}) and no memo, so any unpickler, including the
 * restricted ones graphite-web uses for peers, reads the result without constructing objects. A container is
 * opened with its empty-container opcode followed by {@code MARK}; closing it emits {@code APPENDS} or
 * {@code SETITEMS}, which pops everything written since the mark into it. The caller must write dict entries as
 * key, value pairs. Not thread-safe: one writer per response.
 */
public final class PickleWriter {
    private static final byte PROTO = (byte) 0x80;
    private static final byte EMPTY_LIST = ']';
    private static final byte EMPTY_DICT = '}';
    private static final byte MARK = '(';
    private static final byte APPENDS = 'e';
    private static final byte SETITEMS = 'u';
    private static final byte BINUNICODE = 'X';
    private static final byte BININT = 'J';
    private static final byte BININT1 = 'K';
    private static final byte BININT2 = 'M';
    private static final byte LONG1 = (byte) 0x8a;
    private static final byte BINFLOAT = 'G';
    private static final byte NONE = 'N';
    private static final byte NEWTRUE = (byte) 0x88;
    private static final byte NEWFALSE = (byte) 0x89;
    private static final byte STOP = '.';

    private byte[] buf;
    private int len;
    private int depth;
    private boolean finished;

    public PickleWriter(int initialCapacity) {
        buf = new byte[Math.max(64, initialCapacity)];
        put(PROTO);
        put((byte) 2);
    }

    public PickleWriter beginList() {
        put(EMPTY_LIST);
        put(MARK);
        depth++;
        return this;
    }

    public PickleWriter endList() {
        close(APPENDS);
        return this;
    }

    public PickleWriter beginDict() {
        put(EMPTY_DICT);
        put(MARK);
        depth++;
        return this;
    }

    public PickleWriter endDict() {
        close(SETITEMS);
        return this;
    }

    /** A text value ({@code str}); null writes {@code None}. */
    public PickleWriter value(String s) {
        if (s == null) {
            return none();
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        ensure(5 + b.length);
        buf[len++] = BINUNICODE;
        putIntLE(b.length);
        System.arraycopy(b, 0, buf, len, b.length);
        len += b.length;
        return this;
    }

    /** An {@code int}, in the shortest of graphite's usual encodings. */
    public PickleWriter value(long v) {
        ensure(10);
        if (v >= 0 && v < 256) {
            buf[len++] = BININT1;
            buf[len++] = (byte) v;
        } else if (v >= 0 && v < 65536) {
            buf[len++] = BININT2;
            buf[len++] = (byte) v;
            buf[len++] = (byte) (v >>> 8);
        } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            buf[len++] = BININT;
            putIntLE((int) v);
        } else {
            buf[len++] = LONG1;
            buf[len++] = 8; // two's complement, little-endian, 8 bytes always suffice
            for (int i = 0; i < 8; i++) {
                buf[len++] = (byte) (v >>> (8 * i));
            }
        }
        return this;
    }

    /** A {@code float}; NaN and infinities are written as such (use {@link #none()} for a missing value). */
    public PickleWriter value(double v) {
        ensure(9);
        buf[len++] = BINFLOAT;
        long bits = Double.doubleToRawLongBits(v);
        for (int i = 7; i >= 0; i--) {
            buf[len++] = (byte) (bits >>> (8 * i));
        }
        return this;
    }

    /** A float, or {@code None} when NaN (graphite's null). */
    public PickleWriter valueOrNone(double v) {
        return Double.isNaN(v) ? none() : value(v);
    }

    public PickleWriter value(boolean v) {
        put(v ? NEWTRUE : NEWFALSE);
        return this;
    }

    public PickleWriter none() {
        put(NONE);
        return this;
    }

    /** Ends the pickle; the bytes are then {@code array()[0, length())}. */
    public PickleWriter finish() {
        if (depth != 0) {
            throw new IllegalStateException(depth + " container(s) still open");
        }
        if (!finished) {
            put(STOP);
            finished = true;
        }
        return this;
    }

    public byte[] array() {
        return buf;
    }

    public int length() {
        return len;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buf, len);
    }

    private void close(byte op) {
        if (depth == 0) {
            throw new IllegalStateException("nothing to close");
        }
        depth--;
        put(op);
    }

    private void putIntLE(int v) {
        buf[len++] = (byte) v;
        buf[len++] = (byte) (v >>> 8);
        buf[len++] = (byte) (v >>> 16);
        buf[len++] = (byte) (v >>> 24);
    }

    private void put(byte b) {
        ensure(1);
        buf[len++] = b;
    }

    private void ensure(int n) {
        if (len + n > buf.length) {
            int cap = Math.max(buf.length * 2, len + n);
            if (cap < 0) {
                throw new OutOfMemoryError("pickle larger than 2 GiB");
            }
            buf = Arrays.copyOf(buf, cap);
        }
    }
}
