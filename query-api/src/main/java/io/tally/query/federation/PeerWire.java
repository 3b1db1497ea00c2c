package io.tally.query.federation;

import io.tally.engine.api.FindNode;
import io.tally.engine.api.SeriesData;
import io.tally.engine.codec.BlockCodec;
import io.tally.engine.codec.BlockEncoder;
import io.tally.engine.codec.CorruptBlockException;
import io.tally.engine.codec.GrowableBuffer;
import io.tally.engine.config.AggregationMethod;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The binary bodies of the peer protocol (docs/FEDERATION.md), big-endian, version byte first. The HTTP layer
 * gzips them; this class sees plain bytes.
 *
 * <pre>
 * find  := u8 version=1, u8 kind=1, u32 count, count × (u16 pathLen, pathLen bytes UTF-8, u8 leaf)
 * fetch := u8 version=1, u8 kind=2, u32 count, count × series
 * series:= u16 nameLen, nameLen bytes UTF-8, i64 start, i64 step, u32 n, u8 aggregation (whisper code),
 *          f64 xFilesFactor, ceil(n / 65536) × (u32 blockLen, blockLen bytes: a block of docs/FORMAT-BLOCK.md)
 * </pre>
 *
 * Values travel in the storage engine's block encoding ({@link BlockCodec}: presence runs, then decimal, XOR or
 * constant coding, bit-exact, NaN = no value), usually a few bits per point, so the gzip on top is cheap.
 *
 * Decoding checks every length against the bytes left, so a truncated or hostile body fails with
 * {@link IllegalArgumentException} instead of allocating without bound. Stateless and thread-safe.
 */
public final class PeerWire {
    public static final String CONTENT_TYPE = "application/x-tally-federation";
    static final int VERSION = 1;
    static final int KIND_FIND = 1;
    static final int KIND_FETCH = 2;
    /** Most decoded value bytes one answer may expand to (a small body of constant blocks can declare many). */
    static final long MAX_VALUE_BYTES = 512L << 20;

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
        int estimate = 16;
        for (SeriesData d : series) {
            estimate += 48 + d.name().length() + Math.min(d.values().length * 2, 1 << 20);
        }
        GrowableBuffer out = new GrowableBuffer(estimate);
        out.put((byte) VERSION);
        out.put((byte) KIND_FETCH);
        putInt(out, series.size());
        try (BlockEncoder encoder = new BlockEncoder(false)) {
            for (SeriesData d : series) {
                byte[] name = d.name().getBytes(StandardCharsets.UTF_8);
                if (name.length > 0xFFFF) {
                    throw new IllegalArgumentException("name longer than 65535 bytes");
                }
                out.put((byte) (name.length >>> 8));
                out.put((byte) name.length);
                out.put(name, 0, name.length);
                putLong(out, d.start());
                putLong(out, d.step());
                double[] v = d.values();
                putInt(out, v.length);
                out.put((byte) d.aggregation().code);
                putLong(out, Double.doubleToRawLongBits(d.xFilesFactor()));
                for (int from = 0; from < v.length; from += BlockCodec.MAX_SLOTS) {
                    int n = Math.min(BlockCodec.MAX_SLOTS, v.length - from);
                    double[] chunk = from == 0 && n == v.length ? v : Arrays.copyOfRange(v, from, from + n);
                    int at = out.size();
                    putInt(out, 0);
                    int len = encoder.encode(chunk, n, out);
                    for (int i = 0; i < 4; i++) {
                        out.set(at + i, (byte) (len >>> (24 - 8 * i)));
                    }
                }
            }
        }
        return out.toByteArray();
    }

    private static void putInt(GrowableBuffer out, int v) {
        for (int shift = 24; shift >= 0; shift -= 8) {
            out.put((byte) (v >>> shift));
        }
    }

    private static void putLong(GrowableBuffer out, long v) {
        for (int shift = 56; shift >= 0; shift -= 8) {
            out.put((byte) (v >>> shift));
        }
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
        long valueBytes = 0;
        for (int i = 0; i < count; i++) {
            String name = readString(in);
            need(in, 8 + 8 + 4 + 1 + 8);
            long start = in.getLong();
            long step = in.getLong();
            int n = in.getInt();
            int agg = in.get() & 0xFF;
            double xff = in.getDouble();
            // every block of up to 65536 slots takes at least its 4-byte length and a few header bytes
            long blocks = ((long) n + BlockCodec.MAX_SLOTS - 1) / BlockCodec.MAX_SLOTS;
            valueBytes += 8L * n;
            if (n < 0 || step <= 0 || blocks * 5 > in.remaining() || valueBytes > MAX_VALUE_BYTES) {
                throw new IllegalArgumentException("bad series header for " + name);
            }
            AggregationMethod method;
            try {
                method = AggregationMethod.fromCode(agg);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("bad aggregation code " + agg + " for " + name);
            }
            double[] values = new double[n];
            for (int from = 0; from < n; from += BlockCodec.MAX_SLOTS) {
                int slots = Math.min(BlockCodec.MAX_SLOTS, n - from);
                need(in, 4);
                int len = in.getInt();
                if (len < 0) {
                    throw new IllegalArgumentException("bad block length for " + name);
                }
                need(in, len);
                double[] target = slots == n ? values : new double[slots];
                int decoded;
                try {
                    decoded = BlockCodec.decode(in.array(), in.position(), len, target);
                } catch (CorruptBlockException e) {
                    throw new IllegalArgumentException("corrupt values of " + name + ": " + e.getMessage());
                }
                if (decoded != slots) {
                    throw new IllegalArgumentException("block of " + name + " holds " + decoded + " values, "
                            + "expected " + slots);
                }
                if (target != values) {
                    System.arraycopy(target, 0, values, from, slots);
                }
                in.position(in.position() + len);
            }
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
