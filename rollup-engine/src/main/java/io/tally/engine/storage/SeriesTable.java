package io.tally.engine.storage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * A shard's series definitions as of a checkpoint: {@code "TLYSER01", u32 count, count × series record (see
 * {@link SeriesCodec}), u32 crc32c(everything before)}. Immutable; a new one per checkpoint.
 */
final class SeriesTable {
    private static final byte[] MAGIC = "TLYSER01".getBytes(StandardCharsets.US_ASCII);

    private SeriesTable() {
    }

    static void write(Path file, Series[] all) throws IOException {
        Bytes b = new Bytes(64 + all.length * 64);
        b.bytes(MAGIC, 0, 8);
        b.u32(all.length);
        for (Series s : all) {
            SeriesCodec.write(s, b);
        }
        CRC32C crc = new CRC32C();
        crc.update(b.buf, 0, b.len);
        b.u32((int) crc.getValue());
        Fsync.writeAtomically(file, b.buf, b.len);
    }

    static List<Series> read(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        if (all.length < 16 || !Arrays.equals(all, 0, 8, MAGIC, 0, 8)) {
            throw new Bytes.CorruptDataException(file + ": not a series table");
        }
        CRC32C crc = new CRC32C();
        crc.update(all, 0, all.length - 4);
        if ((int) crc.getValue() != Bytes.getInt(all, all.length - 4)) {
            throw new Bytes.CorruptDataException(file + ": checksum mismatch");
        }
        Bytes.Reader r = new Bytes.Reader(all, 8, all.length - 4);
        int n = r.u32();
        List<Series> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(SeriesCodec.read(r));
        }
        return out;
    }
}
