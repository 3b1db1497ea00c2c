package io.tally.engine.codec;

import java.util.Arrays;

/**
 * An append-only byte buffer that grows by doubling; meant to be reused (call {@link #clear()}) so that encoding
 * many blocks in a row allocates nothing once the buffer has reached its working size.
 *
 * <p>Not thread-safe. {@link #array()} exposes the backing array (valid in {@code [0, size())}) so callers can
 * write it out without a copy; the array is replaced when the buffer grows.
 */
public final class GrowableBuffer {
    private byte[] buf;
    private int size;

    public GrowableBuffer() {
        this(256);
    }

    public GrowableBuffer(int initialCapacity) {
        if (initialCapacity < 0) {
            throw new IllegalArgumentException("negative capacity: " + initialCapacity);
        }
        this.buf = new byte[Math.max(16, initialCapacity)];
    }

    /** Number of bytes written so far. */
    public int size() {
        return size;
    }

    /** The backing array; bytes {@code [0, size())} are valid. */
    public byte[] array() {
        return buf;
    }

    /** Forgets the content, keeps the capacity. */
    public void clear() {
        size = 0;
    }

    /** Shrinks the content to its first {@code newSize} bytes. */
    public void truncate(int newSize) {
        if (newSize < 0 || newSize > size) {
            throw new IllegalArgumentException("cannot truncate " + size + " bytes to " + newSize);
        }
        size = newSize;
    }

    /** Makes room for at least {@code extra} more bytes. */
    public void ensureRoom(int extra) {
        int need = size + extra;
        if (need < 0) {
            throw new IllegalStateException("buffer would exceed 2 GiB");
        }
        if (need > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(need, buf.length * 2));
        }
    }

    public void put(byte b) {
        if (size == buf.length) {
            ensureRoom(1);
        }
        buf[size++] = b;
    }

    public void put(byte[] src, int off, int len) {
        ensureRoom(len);
        System.arraycopy(src, off, buf, size, len);
        size += len;
    }

    /** Overwrites an already written byte. */
    public void set(int index, byte b) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("index " + index + " outside [0, " + size + ")");
        }
        buf[index] = b;
    }

    /** A copy of {@code [from, size())}. */
    public byte[] copyFrom(int from) {
        return Arrays.copyOfRange(buf, from, size);
    }

    /** A copy of the content. */
    public byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }
}
