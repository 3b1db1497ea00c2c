package io.tally.engine.storage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * A shard's series definitions as of a checkpoint. Immutable; a checkpoint writes a new one only when series were
 * added since the last one (series are never changed or removed, so the count identifies the set).
 *
 * <p>Version 3 (written): {@code "TLYSER03", u32 count, u32 rawLength, raw DEFLATE of a columnar body inflating to
 * exactly rawLength bytes, u32 crc32c(everything before)}. The body lists the distinct policies (aggregation,
 * xFilesFactor, archives) once, then every id as a delta, every series' policy index, and every name front-coded
 * against the one before (see docs/FORMAT.md). Series are created in bursts of one application's names, so
 * neighbours share most of their bytes; the table for 100k series of the load workload is 118 KB (version 2, the
 * same records deflated row by row: 758 KB). Versions 1 ({@code "TLYSER01", u32 count, records, crc}) and 2
 * ({@code "TLYSER02"}, like 3 with {@link SeriesCodec} records as the body) are still read.
 */
final class SeriesTable {
    private static final byte[] MAGIC_V1 = "TLYSER01".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MAGIC_V2 = "TLYSER02".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MAGIC_V3 = "TLYSER03".getBytes(StandardCharsets.US_ASCII);
    /** DEFLATE never expands more than about 1032:1; a larger claimed body is corrupt, not allocated. */
    private static final long MAX_RATIO = 1032;

    private SeriesTable() {
    }

    static void write(Path file, Series[] all) throws IOException {
        Bytes raw = columns(all);
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        Bytes b = new Bytes(64 + raw.len / 4);
        try {
            b.bytes(MAGIC_V3, 0, 8);
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

    /** The version 3 body: policies, id deltas, policy indexes, front-coded names. */
    private static Bytes columns(Series[] all) {
        Map<String, Integer> policyIndex = new HashMap<>();
        List<Series> policies = new ArrayList<>();
        int[] policyOf = new int[all.length];
        for (int i = 0; i < all.length; i++) {
            Series s = all[i];
            policyOf[i] = policyIndex.computeIfAbsent(s.method.code + "/" + Double.doubleToRawLongBits(s.xff) + "/"
                    + Arrays.toString(s.steps) + "/" + Arrays.toString(s.points), k -> {
                        policies.add(s);
                        return policies.size() - 1;
                    });
        }
        Bytes raw = new Bytes(64 + all.length * 16);
        raw.varint(policies.size());
        for (Series p : policies) {
            SeriesCodec.writePolicy(p, raw);
        }
        long previous = -1;
        for (Series s : all) {
            long d = s.id - previous - 1;
            raw.varint((d << 1) ^ (d >> 63)); // zigzag: ids normally ascend, but nothing relies on it
            previous = s.id;
        }
        for (int p : policyOf) {
            raw.varint(p);
        }
        byte[] prev = new byte[0];
        for (Series s : all) {
            byte[] name = s.nameBytes;
            int shared = Arrays.mismatch(prev, name);
            if (shared < 0) {
                shared = name.length; // the same name twice cannot happen, but would still round-trip
            }
            raw.varint(shared);
            raw.varint(name.length - shared);
            raw.bytes(name, shared, name.length - shared);
            prev = name;
        }
        return raw;
    }

    private static List<Series> readColumns(Path file, Bytes.Reader r, int n) throws IOException {
        if (n > (r.end - r.p) / 4) { // every series takes at least 4 bytes: id, policy, shared, suffix length
            throw new Bytes.CorruptDataException(file + ": " + n + " series in a body of " + (r.end - r.p) + " bytes");
        }
        long policyCount = r.varint();
        if (policyCount < 1 && n > 0 || policyCount > n) {
            throw new Bytes.CorruptDataException(file + ": " + policyCount + " policies for " + n + " series");
        }
        SeriesCodec.Policy[] policies = new SeriesCodec.Policy[(int) policyCount];
        for (int p = 0; p < policyCount; p++) {
            policies[p] = SeriesCodec.readPolicy(r, file + ": policy " + p);
        }
        int[] ids = new int[n];
        long previous = -1;
        for (int i = 0; i < n; i++) {
            long z = r.varint();
            long id = previous + 1 + ((z >>> 1) ^ -(z & 1));
            if (id < 0 || id > Integer.MAX_VALUE) {
                throw new Bytes.CorruptDataException(file + ": bad series id " + id);
            }
            ids[i] = (int) id;
            previous = id;
        }
        int[] policyOf = new int[n];
        for (int i = 0; i < n; i++) {
            long p = r.varint();
            if (p >= policyCount) {
                throw new Bytes.CorruptDataException(file + ": policy " + p + " of " + policyCount);
            }
            policyOf[i] = (int) p;
        }
        List<Series> out = new ArrayList<>(n);
        byte[] prev = new byte[0];
        for (int i = 0; i < n; i++) {
            long shared = r.varint();
            long rest = r.varint();
            if (shared > prev.length || shared + rest > MAX_NAME_BYTES) {
                throw new Bytes.CorruptDataException(file + ": bad name of series " + ids[i]);
            }
            r.need((int) rest);
            byte[] name = Arrays.copyOf(prev, (int) (shared + rest));
            System.arraycopy(r.b, r.p, name, (int) shared, (int) rest);
            r.p += (int) rest;
            SeriesCodec.Policy p = policies[policyOf[i]];
            out.add(new Series(ids[i], new String(name, StandardCharsets.UTF_8), p.steps(), p.points(), p.method(),
                    p.xff()));
            prev = name;
        }
        if (r.p != r.end) {
            throw new Bytes.CorruptDataException(file + ": " + (r.end - r.p) + " bytes after the last series");
        }
        return out;
    }

    /** Names are stored with a u16 length in WAL records; a longer one is corrupt. */
    private static final int MAX_NAME_BYTES = 0xffff;

    static List<Series> read(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        boolean v1 = all.length >= 16 && Arrays.equals(all, 0, 8, MAGIC_V1, 0, 8);
        boolean v2 = all.length >= 20 && Arrays.equals(all, 0, 8, MAGIC_V2, 0, 8);
        boolean v3 = all.length >= 20 && Arrays.equals(all, 0, 8, MAGIC_V3, 0, 8);
        if (!v1 && !v2 && !v3) {
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
        if (v3) {
            return readColumns(file, r, n);
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
