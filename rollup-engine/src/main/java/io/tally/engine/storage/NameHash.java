package io.tally.engine.storage;

/** The hash of a series name's bytes, which places the series in a shard and in its shard's table. */
final class NameHash {
    private NameHash() {
    }

    /** FNV-1a over the name bytes; decides a series' shard, so it must never change between versions. */
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
}
