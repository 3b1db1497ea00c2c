package io.tally.engine.storage;

import io.tally.engine.config.AggregationMethod;

import java.nio.charset.StandardCharsets;

/**
 * Encoding of a series definition, shared by the WAL's SERIES record and the series table:
 * {@code u32 id, u8 aggregationCode, f64 xFilesFactor, u8 archiveCount, (u32 secondsPerPoint, u32 points)*,
 * u16 nameLength, name (UTF-8)}.
 */
final class SeriesCodec {
    private SeriesCodec() {
    }

    static void write(Series s, Bytes out) {
        out.u32(s.id);
        writePolicy(s, out);
        out.u16(s.nameBytes.length);
        out.bytes(s.nameBytes, 0, s.nameBytes.length);
    }

    static Series read(Bytes.Reader r) throws Bytes.CorruptDataException {
        int id = r.u32();
        if (id < 0) {
            throw new Bytes.CorruptDataException("bad series id " + id);
        }
        Policy p = readPolicy(r, "series " + id);
        int len = r.u16();
        r.need(len);
        String name = new String(r.b, r.p, len, StandardCharsets.UTF_8);
        r.p += len;
        return new Series(id, name, p.steps(), p.points(), p.method(), p.xff());
    }

    /**
     * What series of one schema and aggregation rule share: aggregation, xFilesFactor, archives ({@link #readPolicy}
     * returns the shared arrays of {@link Series#intern}).
     */
    record Policy(AggregationMethod method, double xff, int[] steps, int[] points) {
    }

    /** {@code u8 aggregationCode, f64 xFilesFactor, u8 archiveCount, (u32 secondsPerPoint, u32 points)*}. */
    static void writePolicy(Series s, Bytes out) {
        out.u8(s.method.code);
        out.f64(s.xff);
        out.u8(s.steps.length);
        for (int i = 0; i < s.steps.length; i++) {
            out.u32(s.steps[i]);
            out.u32(s.points[i]);
        }
    }

    /** Reads what {@link #writePolicy} wrote; {@code what} names the record in errors. */
    static Policy readPolicy(Bytes.Reader r, String what) throws Bytes.CorruptDataException {
        int code = r.u8();
        double xff = r.f64();
        int n = r.u8();
        if (n == 0 || code < 1 || code > 8) {
            throw new Bytes.CorruptDataException("bad definition of " + what);
        }
        int[] steps = new int[n];
        int[] points = new int[n];
        for (int i = 0; i < n; i++) {
            steps[i] = r.u32();
            points[i] = r.u32();
            if (steps[i] <= 0 || points[i] <= 0) {
                throw new Bytes.CorruptDataException("bad archive in " + what);
            }
        }
        return new Policy(AggregationMethod.fromCode(code), xff, Series.intern(steps), Series.intern(points));
    }
}
