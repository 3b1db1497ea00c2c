package io.tally.engine.storage;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link NameHash} decides the shard directory of every stored series, so its values may never change. */
class NameHashTest {

    /** The definition, a byte at a time: eight bytes little-endian per round, then the last 0-7 bytes. */
    private static int reference(byte[] b, int off, int len) {
        long h = 0x9E3779B97F4A7C15L ^ len;
        int i = off;
        for (; i + 8 <= off + len; i += 8) {
            long w = 0;
            for (int k = 7; k >= 0; k--) {
                w = (w << 8) | (b[i + k] & 0xFFL);
            }
            h = (h ^ w) * 0xFF51AFD7ED558CCDL;
            h ^= h >>> 32;
        }
        long tail = 0;
        for (int shift = 0; i < off + len; i++, shift += 8) {
            tail |= (b[i] & 0xFFL) << shift;
        }
        h = (h ^ tail) * 0xC4CEB9FE1A85EC53L;
        h ^= h >>> 29;
        return (int) h ^ (int) (h >>> 32);
    }

    @Test
    void knownNamesKeepTheirHashes() {
        // values of format 1 (computed with the byte-at-a-time code it shipped with): a change here moves existing
        // series to other shard directories
        assertThat(hash("a")).isEqualTo(reference("a".getBytes(StandardCharsets.UTF_8), 0, 1));
        assertThat(hash("")).isEqualTo(-1622587736);
        assertThat(hash("servers.prod.web042.cpu.user")).isEqualTo(851660823);
        assertThat(hash("disk.used;dc=us-east;host=h1")).isEqualTo(1070498436);
    }

    @Test
    void everyLengthAndOffsetAgreesWithTheDefinition() {
        Random r = new Random(11);
        for (int i = 0; i < 100_000; i++) {
            int len = r.nextInt(40);
            int off = r.nextInt(9);
            byte[] b = new byte[off + len + r.nextInt(10)]; // sometimes the name ends the array, sometimes not
            r.nextBytes(b);
            assertThat(NameHash.hash(b, off, len)).isEqualTo(reference(b, off, len));
        }
    }

    private static int hash(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return NameHash.hash(b, 0, b.length);
    }
}
