package io.tally.engine.api;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A compact, reusable buffer of datapoints on their way from a receiver into storage.
 *
 * <p>Records are laid out back to back in one {@code byte[]}: {@code u16 nameLength, name (UTF-8, canonical),
 * i64 timestamp (epoch seconds), f64 value}, all big-endian. The name must already be canonical (tags sorted,
 * empty nodes collapsed) and the timestamp final ({@code -1} already replaced by the arrival time). Adding never
 * allocates; a full batch refuses the point and the caller hands it to the {@link IngestSink} and asks for a new one.
 *
 * <p>This byte layout is also the unit a distributed deployment would publish (one batch, one Kafka record), so
 * keep it self-describing and free of ids that only one process knows.
 */
public final class PointBatch {
    /** Per-record overhead besides the name bytes. */
    public static final int RECORD_OVERHEAD = 2 + 8 + 8;
    public static final int MAX_NAME_BYTES = 0xFFFF;

    private final byte[] buf;
    private final int partition;
    private int length;
    private int count;

    public PointBatch(int capacityBytes) {
        this(capacityBytes, -1);
    }

    /** A batch whose points all belong to {@code partition} of its sink (see {@link IngestSink#newBatch(int)}). */
    public PointBatch(int capacityBytes, int partition) {
        this.buf = new byte[capacityBytes];
        this.partition = partition;
    }

    /** The sink partition all points belong to, or -1 when they may belong to any. Not part of the byte layout. */
    public int partition() {
        return partition;
    }

    /** Adds one point; returns false (and adds nothing) when the batch has no room for it. */
    public boolean add(byte[] name, int off, int len, long timestamp, double value) {
        if (len > MAX_NAME_BYTES) {
            throw new IllegalArgumentException("metric name longer than " + MAX_NAME_BYTES + " bytes");
        }
        int need = RECORD_OVERHEAD + len;
        if (length + need > buf.length) {
            return false;
        }
        int p = length;
        buf[p++] = (byte) (len >>> 8);
        buf[p++] = (byte) len;
        System.arraycopy(name, off, buf, p, len);
        p += len;
        putLong(buf, p, timestamp);
        p += 8;
        putLong(buf, p, Double.doubleToRawLongBits(value));
        length = p + 8;
        count++;
        return true;
    }

    /** Convenience for tests, self-metrics and slow paths: encodes {@code name} as UTF-8. */
    public boolean add(String name, long timestamp, double value) {
        byte[] b = name.getBytes(StandardCharsets.UTF_8);
        return add(b, 0, b.length, timestamp, value);
    }

    /** True if a record with a name of {@code nameLen} bytes would still fit. */
    public boolean hasRoom(int nameLen) {
        return length + RECORD_OVERHEAD + nameLen <= buf.length;
    }

    public int count() {
        return count;
    }

    public int length() {
        return length;
    }

    public boolean isEmpty() {
        return count == 0;
    }

    public byte[] array() {
        return buf;
    }

    public int capacity() {
        return buf.length;
    }

    public void clear() {
        length = 0;
        count = 0;
    }

    /** Receives each record of a batch; the name is a slice of the batch's own array, valid only during the call. */
    @FunctionalInterface
    public interface Visitor {
        void point(byte[] buf, int nameOff, int nameLen, long timestamp, double value);
    }

    public void forEach(Visitor v) {
        forEach(buf, 0, length, v);
    }

    /** Walks records in any array that holds this layout (a batch, or a copy of one in a log). */
    public static void forEach(byte[] buf, int from, int to, Visitor v) {
        int p = from;
        while (p < to) {
            int len = ((buf[p] & 0xFF) << 8) | (buf[p + 1] & 0xFF);
            p += 2;
            int nameOff = p;
            p += len;
            long ts = getLong(buf, p);
            p += 8;
            double value = Double.longBitsToDouble(getLong(buf, p));
            p += 8;
            v.point(buf, nameOff, len, ts, value);
        }
    }

    public static void putLong(byte[] b, int p, long v) {
        BIG_ENDIAN_LONGS.set(b, p, v);
    }

    public static long getLong(byte[] b, int p) {
        return (long) BIG_ENDIAN_LONGS.get(b, p);
    }

    private static final VarHandle BIG_ENDIAN_LONGS = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.BIG_ENDIAN);
}
