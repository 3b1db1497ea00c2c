package io.tally.engine.storage;

import java.util.Arrays;

/** A growable big-endian byte buffer for building records and files; reused, so steady state does not allocate. */
final class Bytes {
    byte[] buf;
    int len;

    Bytes(int capacity) {
        buf = new byte[capacity];
    }

    void clear() {
        len = 0;
    }

    void ensure(int extra) {
        if (len + extra > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + extra));
        }
    }

    void u8(int v) {
        ensure(1);
        buf[len++] = (byte) v;
    }

    void u16(int v) {
        ensure(2);
        buf[len++] = (byte) (v >>> 8);
        buf[len++] = (byte) v;
    }

    void u32(int v) {
        ensure(4);
        putInt(buf, len, v);
        len += 4;
    }

    void u64(long v) {
        ensure(8);
        putLong(buf, len, v);
        len += 8;
    }

    void f64(double v) {
        u64(Double.doubleToRawLongBits(v));
    }

    /** Unsigned LEB128 of a non-negative value. */
    void varint(long v) {
        ensure(10);
        while ((v & ~0x7FL) != 0) {
            buf[len++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[len++] = (byte) v;
    }

    void bytes(byte[] b, int off, int n) {
        ensure(n);
        System.arraycopy(b, off, buf, len, n);
        len += n;
    }

    static void putInt(byte[] b, int p, int v) {
        b[p] = (byte) (v >>> 24);
        b[p + 1] = (byte) (v >>> 16);
        b[p + 2] = (byte) (v >>> 8);
        b[p + 3] = (byte) v;
    }

    static void putLong(byte[] b, int p, long v) {
        putInt(b, p, (int) (v >>> 32));
        putInt(b, p + 4, (int) v);
    }

    static int getInt(byte[] b, int p) {
        return ((b[p] & 0xFF) << 24) | ((b[p + 1] & 0xFF) << 16) | ((b[p + 2] & 0xFF) << 8) | (b[p + 3] & 0xFF);
    }

    static long getLong(byte[] b, int p) {
        return ((long) getInt(b, p) << 32) | (getInt(b, p + 4) & 0xFFFFFFFFL);
    }

    static int getU16(byte[] b, int p) {
        return ((b[p] & 0xFF) << 8) | (b[p + 1] & 0xFF);
    }

    /** A read cursor over a byte range; throws {@link java.io.IOException} subclasses on overrun via check(). */
    static final class Reader {
        final byte[] b;
        int p;
        final int end;

        Reader(byte[] b, int from, int to) {
            this.b = b;
            this.p = from;
            this.end = to;
        }

        void need(int n) throws CorruptDataException {
            if (p + n > end || n < 0) {
                throw new CorruptDataException("record truncated at byte " + p);
            }
        }

        int u8() throws CorruptDataException {
            need(1);
            return b[p++] & 0xFF;
        }

        int u16() throws CorruptDataException {
            need(2);
            int v = getU16(b, p);
            p += 2;
            return v;
        }

        int u32() throws CorruptDataException {
            need(4);
            int v = getInt(b, p);
            p += 4;
            return v;
        }

        long u64() throws CorruptDataException {
            need(8);
            long v = getLong(b, p);
            p += 8;
            return v;
        }

        long varint() throws CorruptDataException {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                int b = u8();
                v |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    return v;
                }
            }
            throw new CorruptDataException("varint too long at byte " + p);
        }

        double f64() throws CorruptDataException {
            return Double.longBitsToDouble(u64());
        }

        boolean done() {
            return p >= end;
        }
    }

    /** Malformed bytes in a WAL record, series table, manifest or segment. */
    static final class CorruptDataException extends java.io.IOException {
        CorruptDataException(String message) {
            super(message);
        }
    }
}
