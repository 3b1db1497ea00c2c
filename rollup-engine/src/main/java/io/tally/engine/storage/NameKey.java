package io.tally.engine.storage;

import java.util.Arrays;

/**
 * A series name as bytes, usable as a hash-map key. The writer thread keeps one mutable probe instance pointing
 * into the current batch, so looking up an existing series allocates nothing; stored keys own their bytes.
 */
final class NameKey {
    private byte[] b;
    private int off;
    private int len;
    private int hash;

    NameKey() {
    }

    NameKey(byte[] own) {
        set(own, 0, own.length);
    }

    NameKey set(byte[] buf, int offset, int length) {
        this.b = buf;
        this.off = offset;
        this.len = length;
        this.hash = hash(buf, offset, length);
        return this;
    }

    /** FNV-1a over the name bytes; also decides a series' shard, so it must never change between versions. */
    static int hash(byte[] buf, int offset, int length) {
        int h = 0x811C9DC5;
        for (int i = offset; i < offset + length; i++) {
            h ^= buf[i] & 0xFF;
            h *= 0x01000193;
        }
        return h;
    }

    static int shardOf(int hash, int shards) {
        return Math.floorMod(hash ^ (hash >>> 16), shards);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NameKey k && k.hash == hash && k.len == len
                && Arrays.equals(b, off, off + len, k.b, k.off, k.off + k.len);
    }
}
