package io.tally.query.federation;

import io.tally.engine.api.FindNode;
import io.tally.engine.api.SeriesData;
import io.tally.engine.config.AggregationMethod;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The binary bodies of the peer protocol (docs/FEDERATION.md), big-endian, version byte first. The HTTP layer
 * gzips them; this class sees plain bytes.
 *
 * <pre>
 * find  := u8 version=1, u8 kind=1, u32 count, count × (u16 pathLen, pathLen bytes UTF-8, u8 leaf)
 * fetch := u8 version=1, u8 kind=2, u32 count, count × series
 * series:= u16 nameLen, nameLen bytes UTF-8, i64 start, i64 step, u32 n, u8 aggregation (whisper code),
 *          f64 xFilesFactor, n × f64 value (NaN = null)
 * </pre>
 *
 * Decoding checks every length against the bytes left, so a truncated or hostile body fails with
 * {@link IllegalArgumentException} instead of allocating without bound. Stateless and thread-safe.
 */
public final class PeerWire {
    public static final String CONTENT_TYPE = "application/x-tally-federation";
    static final int VERSION = 1;
    static final int KIND_FIND = 1;
    static final int KIND_FETCH = 2;

    private PeerWire() {
    }

    public static byte[] encodeFind(List<FindNode> nodes) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(16 + nodes.size() * 40);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeByte(KIND_FIND);
            out.writeInt(nodes.size());
            for (FindNode n : nodes) {
                writeString(out, n.path());
                out.writeByte(n.leaf() ? 1 : 0);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static byte[] encodeFetch(List<SeriesData> series) {
        byte[][] names = new byte[series.size()][];
        long size = 6;
        for (int i = 0; i < names.length; i++) {
            SeriesData d = series.get(i);
            names[i] = d.name().getBytes(StandardCharsets.UTF_8);
            if (names[i].length > 0xFFFF) {
                throw new IllegalArgumentException("name longer than 65535 bytes");
            }
            size += 2 + names[i].length + 8 + 8 + 4 + 1 + 8 + 8L * d.values().length;
        }
        if (size > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("answer larger than 2 GiB");
        }
        ByteBuffer out = ByteBuffer.allocate((int) size);
        out.put((byte) VERSION).put((byte) KIND_FETCH).putInt(series.size());
        for (int i = 0; i < names.length; i++) {
            SeriesData d = series.get(i);
            out.putShort((short) names[i].length).put(names[i]);
            out.putLong(d.start()).putLong(d.step()).putInt(d.values().length).put((byte) d.aggregation().code)
                    .putDouble(d.xFilesFactor());
            out.asDoubleBuffer().put(d.values());
            out.position(out.position() + 8 * d.values().length);
        }
        return out.array();
    }

    /** @throws IllegalArgumentException for a malformed body */
    public static List<FindNode> decodeFind(byte[] body) {
        ByteBuffer in = ByteBuffer.wrap(body);
        int count = header(in, KIND_FIND, 3);
        List<FindNode> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String path = readString(in);
            need(in, 1);
            out.add(new FindNode(path, in.get() != 0));
        }
        trailing(in);
        return out;
    }

    /** @throws IllegalArgumentException for a malformed body */
    public static List<SeriesData> decodeFetch(byte[] body) {
        ByteBuffer in = ByteBuffer.wrap(body);
        int count = header(in, KIND_FETCH, 31);
        List<SeriesData> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String name = readString(in);
            need(in, 8 + 8 + 4 + 1 + 8);
            long start = in.getLong();
            long step = in.getLong();
            int n = in.getInt();
            int agg = in.get() & 0xFF;
            double xff = in.getDouble();
            if (n < 0 || step <= 0 || (long) n * 8 > in.remaining()) {
                throw new IllegalArgumentException("bad series header for " + name);
            }
            AggregationMethod method;
            try {
                method = AggregationMethod.fromCode(agg);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("bad aggregation code " + agg + " for " + name);
            }
            double[] values = new double[n];
            in.asDoubleBuffer().get(values);
            in.position(in.position() + n * 8);
            out.add(new SeriesData(name, start, start + n * step, step, values, method, xff));
        }
        trailing(in);
        return out;
    }

    private static int header(ByteBuffer in, int kind, int minPerItem) {
        need(in, 6);
        int version = in.get() & 0xFF;
        int k = in.get() & 0xFF;
        if (version != VERSION || k != kind) {
            throw new IllegalArgumentException("unexpected body version " + version + " kind " + k);
        }
        int count = in.getInt();
        if (count < 0 || (long) count * minPerItem > in.remaining()) {
            throw new IllegalArgumentException("bad item count " + count);
        }
        return count;
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length > 0xFFFF) {
            throw new IllegalArgumentException("name longer than 65535 bytes");
        }
        out.writeShort(b.length);
        out.write(b);
    }

    private static String readString(ByteBuffer in) {
        need(in, 2);
        int len = in.getShort() & 0xFFFF;
        need(in, len);
        String s = new String(in.array(), in.arrayOffset() + in.position(), len, StandardCharsets.UTF_8);
        in.position(in.position() + len);
        return s;
    }

    private static void need(ByteBuffer in, int n) {
        if (in.remaining() < n) {
            throw new IllegalArgumentException("truncated body");
        }
    }

    private static void trailing(ByteBuffer in) {
        if (in.hasRemaining()) {
            throw new IllegalArgumentException(in.remaining() + " unexpected trailing bytes");
        }
    }
}
