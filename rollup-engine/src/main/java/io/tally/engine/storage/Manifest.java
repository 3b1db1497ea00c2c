package io.tally.engine.storage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * A shard's manifest: which files make up its durable state. Replaced atomically (temp, fsync, rename) after
 * every checkpoint and compaction; files it does not name are leftovers of an interrupted checkpoint.
 *
 * <pre>
 * tally-manifest 1
 * wal-start &lt;hex seq&gt;        first WAL segment not covered by the segments below
 * series &lt;file&gt;              the series table
 * segment &lt;file&gt;             one line per live segment
 * crc &lt;hex crc32c of all previous lines&gt;
 * </pre>
 */
record Manifest(long walStart, String seriesTable, List<String> segments) {
    static final String FILE = "MANIFEST";

    static void write(Path dir, Manifest m) throws IOException {
        StringBuilder sb = new StringBuilder();
        sb.append("tally-manifest 1\n");
        sb.append("wal-start ").append(Long.toHexString(m.walStart)).append('\n');
        if (m.seriesTable != null) {
            sb.append("series ").append(m.seriesTable).append('\n');
        }
        for (String s : m.segments) {
            sb.append("segment ").append(s).append('\n');
        }
        CRC32C crc = new CRC32C();
        byte[] body = sb.toString().getBytes(StandardCharsets.UTF_8);
        crc.update(body);
        sb.append("crc ").append(Long.toHexString(crc.getValue())).append('\n');
        byte[] all = sb.toString().getBytes(StandardCharsets.UTF_8);
        Fsync.writeAtomically(dir.resolve(FILE), all, all.length);
    }

    /** Null when the shard has never checkpointed. */
    static Manifest read(Path dir) throws IOException {
        Path f = dir.resolve(FILE);
        if (!Files.exists(f)) {
            return null;
        }
        String text = Files.readString(f, StandardCharsets.UTF_8);
        int crcAt = text.lastIndexOf("crc ");
        if (crcAt < 0 || !text.startsWith("tally-manifest 1\n")) {
            throw new Bytes.CorruptDataException(f + ": not a Tally manifest");
        }
        CRC32C crc = new CRC32C();
        crc.update(text.substring(0, crcAt).getBytes(StandardCharsets.UTF_8));
        if (!Long.toHexString(crc.getValue()).equals(text.substring(crcAt + 4).trim())) {
            throw new Bytes.CorruptDataException(f + ": checksum mismatch");
        }
        long walStart = 1;
        String table = null;
        List<String> segs = new ArrayList<>();
        for (String line : text.substring(0, crcAt).split("\n")) {
            if (line.startsWith("wal-start ")) {
                walStart = Long.parseUnsignedLong(line.substring(10), 16);
            } else if (line.startsWith("series ")) {
                table = line.substring(7);
            } else if (line.startsWith("segment ")) {
                segs.add(line.substring(8));
            }
        }
        return new Manifest(walStart, table, List.copyOf(segs));
    }
}
