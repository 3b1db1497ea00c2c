package io.tally.engine.storage;

import io.tally.engine.config.AggregationMethod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.CRC32C;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SeriesTableTest {
    @TempDir
    Path dir;

    private static Series[] sample(int n) {
        Series[] all = new Series[n];
        for (int i = 0; i < n; i++) {
            all[i] = new Series(i, "app" + (i % 20) + ".eu-west.host" + (i / 20) + ".os.cpu.user;dc=x" + (i % 3),
                    new int[] {10, 60, 3600}, new int[] {8640, 43200, 17520},
                    i % 2 == 0 ? AggregationMethod.AVERAGE : AggregationMethod.SUM, i % 2 == 0 ? 0.5 : 0);
        }
        return all;
    }

    private static void assertSame(List<Series> read, Series[] written) {
        assertThat(read).hasSize(written.length);
        for (int i = 0; i < written.length; i++) {
            Bytes a = new Bytes(64);
            Bytes b = new Bytes(64);
            SeriesCodec.write(written[i], a);
            SeriesCodec.write(read.get(i), b);
            assertThat(java.util.Arrays.copyOf(b.buf, b.len)).as("series " + i)
                    .isEqualTo(java.util.Arrays.copyOf(a.buf, a.len));
        }
    }

    @Test
    void roundTripsAndCompresses() throws Exception {
        Series[] all = sample(5000);
        Path f = dir.resolve("series.tbl");
        SeriesTable.write(f, all);
        assertSame(SeriesTable.read(f), all);
        Bytes raw = new Bytes(64);
        for (Series s : all) {
            SeriesCodec.write(s, raw);
        }
        assertThat(Files.size(f)).isLessThan(raw.len / 4);
    }

    @Test
    void emptyTableRoundTrips() throws Exception {
        Path f = dir.resolve("empty.tbl");
        SeriesTable.write(f, new Series[0]);
        assertThat(SeriesTable.read(f)).isEmpty();
    }

    @Test
    void readsVersionOneTables() throws Exception {
        Series[] all = sample(50);
        Bytes b = new Bytes(1024);
        b.bytes("TLYSER01".getBytes(StandardCharsets.US_ASCII), 0, 8);
        b.u32(all.length);
        for (Series s : all) {
            SeriesCodec.write(s, b);
        }
        CRC32C crc = new CRC32C();
        crc.update(b.buf, 0, b.len);
        b.u32((int) crc.getValue());
        Path f = dir.resolve("v1.tbl");
        Files.write(f, java.util.Arrays.copyOf(b.buf, b.len));
        assertSame(SeriesTable.read(f), all);
    }

    @Test
    void flippedByteFailsTheChecksum() throws Exception {
        Path f = dir.resolve("series.tbl");
        SeriesTable.write(f, sample(100));
        byte[] bytes = Files.readAllBytes(f);
        bytes[bytes.length / 2] ^= 0x40;
        Files.write(f, bytes);
        assertThatThrownBy(() -> SeriesTable.read(f)).isInstanceOf(Bytes.CorruptDataException.class)
                .hasMessageContaining("checksum");
    }

    @Test
    void absurdBodyLengthIsRefusedBeforeAllocating() throws Exception {
        Path f = dir.resolve("series.tbl");
        SeriesTable.write(f, sample(10));
        byte[] bytes = Files.readAllBytes(f);
        Bytes.putInt(bytes, 12, Integer.MAX_VALUE - 100);
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length - 4);
        Bytes.putInt(bytes, bytes.length - 4, (int) crc.getValue());
        Files.write(f, bytes);
        assertThatThrownBy(() -> SeriesTable.read(f)).isInstanceOf(Bytes.CorruptDataException.class)
                .hasMessageContaining("too large");
    }

    @Test
    void readsVersionTwoTables() throws Exception {
        Series[] all = sample(300);
        Path f = writeFrame("v2.tbl", "TLYSER02", all.length, records(all));
        assertSame(SeriesTable.read(f), all);
    }

    /** Version 2's body: the series records one after another. */
    private static Bytes records(Series[] all) {
        Bytes raw = new Bytes(1024);
        for (Series s : all) {
            SeriesCodec.write(s, raw);
        }
        return raw;
    }

    private static byte[] deflate(Bytes raw) {
        java.util.zip.Deflater d = new java.util.zip.Deflater(java.util.zip.Deflater.DEFAULT_COMPRESSION, true);
        d.setInput(raw.buf, 0, raw.len);
        d.finish();
        byte[] out = new byte[raw.len + 64];
        int n = d.deflate(out);
        d.end();
        return java.util.Arrays.copyOf(out, n);
    }

    /** A version 2 or 3 file as the writer frames it: magic, count, raw length, deflated body, CRC. */
    private Path writeFrame(String file, String magic, int count, Bytes raw) throws java.io.IOException {
        byte[] deflated = deflate(raw);
        Bytes b = new Bytes(256);
        b.bytes(magic.getBytes(StandardCharsets.US_ASCII), 0, 8);
        b.u32(count);
        b.u32(raw.len);
        b.bytes(deflated, 0, deflated.length);
        withCrc(b);
        Path f = dir.resolve(file);
        Files.write(f, java.util.Arrays.copyOf(b.buf, b.len));
        return f;
    }

    private static void withCrc(Bytes b) {
        CRC32C crc = new CRC32C();
        crc.update(b.buf, 0, b.len);
        b.u32((int) crc.getValue());
    }

    @Test
    void frontCodedNamesRoundTripWhateverTheyShare() throws Exception {
        String[] names = {"a", "a.b", "a", "ab", "é.ü.名前", "é.ü.名", "é.üx", "", "x".repeat(65_535), "x".repeat(3)};
        Series[] all = new Series[names.length];
        for (int i = 0; i < names.length; i++) {
            // ids need not ascend; policies alternate
            all[i] = new Series(names.length * 7 - i * 5, names[i], new int[] {60 + i % 2}, new int[] {1440},
                    AggregationMethod.fromCode(1 + i % 8), i * 0.1);
        }
        Path f = dir.resolve("names.tbl");
        SeriesTable.write(f, all);
        assertSame(SeriesTable.read(f), all);
    }

    @Test
    void columnsAreMuchSmallerThanDeflatedRecords() throws Exception {
        // as reporters create series: each host sends its metrics together
        String[] metrics = {"cpu.user", "cpu.system", "memory.used", "disk.read_bytes", "latency.p99", "requests"};
        Series[] all = new Series[20_000];
        for (int i = 0; i < all.length; i++) {
            int host = i / metrics.length;
            all[i] = new Series(i, "app" + host % 7 + ".eu-west.host" + String.format("%04d", host) + ".api."
                    + metrics[i % metrics.length], new int[] {10, 60, 3600}, new int[] {8640, 43200, 17520},
                    AggregationMethod.AVERAGE, 0.5);
        }
        Path f = dir.resolve("series.tbl");
        SeriesTable.write(f, all);
        int rowWise = deflate(records(all)).length;
        assertThat(Files.size(f)).as("version 3 against version 2's body").isLessThan(rowWise / 3);
    }

    @Test
    void malformedColumnsAreRefusedWithAReason() throws Exception {
        // a well-formed file (right checksum, right length) whose body names a policy that does not exist
        Bytes raw = new Bytes(64);
        raw.varint(1);
        raw.u8(1);
        raw.f64(0.5);
        raw.u8(1);
        raw.u32(60);
        raw.u32(1440);
        raw.varint(0); // id 0
        raw.varint(3); // policy 3 of 1
        raw.varint(0);
        raw.varint(1);
        raw.u8('a');
        Path f = writeFrame("bad.tbl", "TLYSER03", 1, raw);
        assertThatThrownBy(() -> SeriesTable.read(f)).isInstanceOf(Bytes.CorruptDataException.class)
                .hasMessageContaining("policy 3 of 1");
    }

    @Test
    void aSeriesCountTheBodyCannotHoldIsRefusedBeforeAllocating() throws Exception {
        Bytes raw = new Bytes(64);
        raw.varint(0);
        Path f = writeFrame("huge.tbl", "TLYSER03", Integer.MAX_VALUE, raw);
        assertThatThrownBy(() -> SeriesTable.read(f)).isInstanceOf(Bytes.CorruptDataException.class)
                .hasMessageContaining("2147483647 series in a body of");
    }
}
