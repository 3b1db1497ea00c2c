package io.tally.engine.storage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * A shard's series definitions as of a checkpoint. Immutable; a checkpoint writes a new one only when series were
 * added since the last one (series are never changed or removed, so the count identifies the set).
 *
 * <p>Version 2 (written): {@code "TLYSER02", u32 count, u32 rawLength, raw DEFLATE of count × series record (see
 * {@link SeriesCodec}) inflating to exactly rawLength bytes, u32 crc32c(everything before)}. Names share long
 * prefixes and every series of a schema has the same archive list, so deflate takes the table to about a tenth.
 * Version 1 ({@code "TLYSER01", u32 count, records, crc}) is still read.
 */
final class SeriesTable {
    private static final byte[] MAGIC_V1 = "TLYSER01".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MAGIC_V2 = "TLYSER02".getBytes(StandardCharsets.US_ASCII);
    /** DEFLATE never expands more than about 1032:1; a larger claimed body is corrupt, not allocated. */
    private static final long MAX_RATIO = 1032;

    private SeriesTable() {
    }

    static void write(Path file, Series[] all) throws IOException {
        Bytes raw = new Bytes(64 + all.length * 64);
        for (Series s : all) {
            SeriesCodec.write(s, raw);
        }
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        Bytes b = new Bytes(64 + raw.len / 4);
        try {
            b.bytes(MAGIC_V2, 0, 8);
            b.u32(all.length);
            b.u32(raw.len);
            deflater.setInput(raw.buf, 0, raw.len);
            deflater.finish();
            byte[] out = new byte[64 * 1024];
            while (!deflater.finished()) {
                int n = deflater.deflate(out);
                b.bytes(out, 0, n);
            }
        } finally {
            deflater.end();
        }
        CRC32C crc = new CRC32C();
        crc.update(b.buf, 0, b.len);
        b.u32((int) crc.getValue());
        Fsync.writeAtomically(file, b.buf, b.len);
    }

    static List<Series> read(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        boolean v1 = all.length >= 16 && Arrays.equals(all, 0, 8, MAGIC_V1, 0, 8);
        boolean v2 = all.length >= 20 && Arrays.equals(all, 0, 8, MAGIC_V2, 0, 8);
        if (!v1 && !v2) {
            throw new Bytes.CorruptDataException(file + ": not a series table");
        }
        CRC32C crc = new CRC32C();
        crc.update(all, 0, all.length - 4);
        if ((int) crc.getValue() != Bytes.getInt(all, all.length - 4)) {
            throw new Bytes.CorruptDataException(file + ": checksum mismatch");
        }
        int n = Bytes.getInt(all, 8);
        Bytes.Reader r;
        if (v1) {
            r = new Bytes.Reader(all, 12, all.length - 4);
        } else {
            long rawLength = Bytes.getInt(all, 12) & 0xffffffffL;
            int deflated = all.length - 4 - 16;
            if (rawLength > Math.min(Integer.MAX_VALUE - 64, deflated * MAX_RATIO + 64)) {
                throw new Bytes.CorruptDataException(file + ": series table body too large (" + rawLength + ")");
            }
            byte[] body = inflate(file, all, 16, deflated, (int) rawLength);
            r = new Bytes.Reader(body, 0, body.length);
        }
        if (n < 0) {
            throw new Bytes.CorruptDataException(file + ": negative series count");
        }
        List<Series> out = new ArrayList<>(Math.min(n, 1 << 20));
        for (int i = 0; i < n; i++) {
            out.add(SeriesCodec.read(r));
        }
        return out;
    }

    private static byte[] inflate(Path file, byte[] src, int off, int len, int rawLength) throws IOException {
        Inflater inflater = new Inflater(true);
        try {
            inflater.setInput(src, off, len);
            byte[] body = new byte[rawLength];
            byte[] spill = new byte[1];
            int got = 0;
            while (!inflater.finished()) {
                int k = got < rawLength ? inflater.inflate(body, got, rawLength - got) : inflater.inflate(spill);
                if (k == 0 && !inflater.finished() && (inflater.needsInput() || inflater.needsDictionary())) {
                    break;
                }
                got += k;
                if (got > rawLength) {
                    break;
                }
            }
            if (got != rawLength || !inflater.finished() || inflater.getRemaining() != 0) {
                throw new Bytes.CorruptDataException(file + ": series table body does not inflate to "
                        + rawLength + " bytes");
            }
            return body;
        } catch (DataFormatException e) {
            throw new Bytes.CorruptDataException(file + ": series table body is not valid deflate: "
                    + e.getMessage());
        } finally {
            inflater.end();
        }
    }
}
