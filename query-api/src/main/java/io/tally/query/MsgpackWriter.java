package io.tally.query;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes MessagePack (the current spec, with the {@code str8} and {@code bin} types) for graphite-web's
 * {@code format=msgpack}: arrays and maps whose element counts the caller gives up front, UTF-8 text, integers in
 * their smallest encoding, floats as {@code float64}, {@code nil} and booleans. Not thread-safe.
 */
public final class MsgpackWriter {
    private byte[] buf;
    private int len;

    public MsgpackWriter(int initialCapacity) {
        buf = new byte[Math.max(64, initialCapacity)];
    }

    /** Starts an array of {@code n} elements; write them next. */
    public MsgpackWriter array(int n) {
        header(n, 0x90, 16, 0xdc, 0xdd);
        return this;
    }

    /** Starts a map of {@code n} key-value pairs; write them next, key then value. */
    public MsgpackWriter map(int n) {
        header(n, 0x80, 16, 0xde, 0xdf);
        return this;
    }

    /** A {@code str}; null writes {@code nil}. */
    public MsgpackWriter value(String s) {
        if (s == null) {
            return nil();
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        int n = b.length;
        ensure(5 + n);
        if (n < 32) {
            buf[len++] = (byte) (0xa0 | n);
        } else if (n < 256) {
            buf[len++] = (byte) 0xd9;
            buf[len++] = (byte) n;
        } else if (n < 65536) {
            buf[len++] = (byte) 0xda;
            putBE(n, 2);
        } else {
            buf[len++] = (byte) 0xdb;
            putBE(n, 4);
        }
        System.arraycopy(b, 0, buf, len, n);
        len += n;
        return this;
    }

    public MsgpackWriter value(long v) {
        ensure(9);
        if (v >= 0) {
            if (v < 128) {
                buf[len++] = (byte) v;
            } else if (v < 256) {
                buf[len++] = (byte) 0xcc;
                putBE(v, 1);
            } else if (v < 65536) {
                buf[len++] = (byte) 0xcd;
                putBE(v, 2);
            } else if (v < (1L << 32)) {
                buf[len++] = (byte) 0xce;
                putBE(v, 4);
            } else {
                buf[len++] = (byte) 0xcf;
                putBE(v, 8);
            }
        } else if (v >= -32) {
            buf[len++] = (byte) v;
        } else if (v >= Byte.MIN_VALUE) {
            buf[len++] = (byte) 0xd0;
            putBE(v, 1);
        } else if (v >= Short.MIN_VALUE) {
            buf[len++] = (byte) 0xd1;
            putBE(v, 2);
        } else if (v >= Integer.MIN_VALUE) {
            buf[len++] = (byte) 0xd2;
            putBE(v, 4);
        } else {
            buf[len++] = (byte) 0xd3;
            putBE(v, 8);
        }
        return this;
    }

    public MsgpackWriter value(double v) {
        ensure(9);
        buf[len++] = (byte) 0xcb;
        putBE(Double.doubleToRawLongBits(v), 8);
        return this;
    }

    /** A float, or {@code nil} when NaN (graphite's null). */
    public MsgpackWriter valueOrNil(double v) {
        return Double.isNaN(v) ? nil() : value(v);
    }

    public MsgpackWriter value(boolean v) {
        ensure(1);
        buf[len++] = (byte) (v ? 0xc3 : 0xc2);
        return this;
    }

    public MsgpackWriter nil() {
        ensure(1);
        buf[len++] = (byte) 0xc0;
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

    private void header(int n, int fix, int fixLimit, int op16, int op32) {
        if (n < 0) {
            throw new IllegalArgumentException("negative size " + n);
        }
        ensure(5);
        if (n < fixLimit) {
            buf[len++] = (byte) (fix | n);
        } else if (n < 65536) {
            buf[len++] = (byte) op16;
            putBE(n, 2);
        } else {
            buf[len++] = (byte) op32;
            putBE(n, 4);
        }
    }

    private void putBE(long v, int bytes) {
        for (int i = bytes - 1; i >= 0; i--) {
            buf[len++] = (byte) (v >>> (8 * i));
        }
    }

    private void ensure(int n) {
        if (len + n > buf.length) {
            int cap = Math.max(buf.length * 2, len + n);
            if (cap < 0) {
                throw new OutOfMemoryError("msgpack larger than 2 GiB");
            }
            buf = Arrays.copyOf(buf, cap);
        }
    }
}
