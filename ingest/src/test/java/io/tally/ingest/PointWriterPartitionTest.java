package io.tally.ingest;

import io.tally.engine.api.IngestSink;
import io.tally.engine.api.PointBatch;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

import static org.assertj.core.api.Assertions.assertThat;

/** PointWriter with a partitioned sink: one batch per partition, each holding only its partition's points. */
class PointWriterPartitionTest {

    /** Three partitions by the name's last byte; records every offered batch with its partition. */
    static final class PartitionedSink implements IngestSink {
        final List<Integer> offeredPartitions = new ArrayList<>();
        final List<List<String>> offeredNames = new ArrayList<>();
        final int batchBytes;

        PartitionedSink(int batchBytes) {
            this.batchBytes = batchBytes;
        }

        @Override
        public PointBatch newBatch() {
            throw new AssertionError("a partitioned sink is asked for partition batches only");
        }

        @Override
        public PointBatch newBatch(int partition) {
            return new PointBatch(batchBytes, partition);
        }

        @Override
        public int partitions() {
            return 3;
        }

        @Override
        public int partitionOf(byte[] name, int off, int len) {
            return name[off + len - 1] % 3;
        }

        @Override
        public boolean offer(PointBatch batch) {
            List<String> names = new ArrayList<>();
            batch.forEach((buf, off, len, ts, v) -> names.add(new String(buf, off, len, StandardCharsets.UTF_8)));
            offeredPartitions.add(batch.partition());
            offeredNames.add(names);
            return true;
        }

        @Override
        public void whenWritable(Runnable callback) {
            callback.run();
        }
    }

    private static int add(PointWriter w, String name, long ts) {
        byte[] b = name.getBytes(StandardCharsets.UTF_8);
        return w.add(b, 0, b.length, ts, 1.0);
    }

    @Test
    void eachBatchHoldsOnlyItsPartitionInArrivalOrder() {
        PartitionedSink sink = new PartitionedSink(64 * 1024);
        LongAdder counter = new LongAdder();
        PointWriter w = new PointWriter(sink, counter);
        for (int i = 0; i < 30; i++) {
            assertThat(add(w, "a..b.m" + i, i)).isEqualTo(PointWriter.OK);
        }
        w.flush();
        assertThat(sink.offeredPartitions).containsExactlyInAnyOrder(0, 1, 2);
        for (int k = 0; k < sink.offeredNames.size(); k++) {
            int p = sink.offeredPartitions.get(k);
            List<String> names = sink.offeredNames.get(k);
            assertThat(names).isNotEmpty().allSatisfy(n -> {
                assertThat(n).startsWith("a.b.m"); // canonicalised before partitioning
                assertThat(n.charAt(n.length() - 1) % 3).isEqualTo(p);
            });
            assertThat(names).isSortedAccordingTo((x, y) -> Integer.compare(
                    Integer.parseInt(x.substring(5)), Integer.parseInt(y.substring(5))));
        }
        assertThat(counter.sum()).isEqualTo(30);
    }

    @Test
    void aFullPartitionBatchIsHandedOverAloneAndFlushSendsTheRest() {
        PartitionedSink sink = new PartitionedSink(3 * (PointBatch.RECORD_OVERHEAD + 2));
        PointWriter w = new PointWriter(sink, new LongAdder());
        for (String n : new String[] {"x0", "x0", "x0", "x0", "x1"}) { // '0' % 3 == 0, '1' % 3 == 1
            add(w, n, 10);
        }
        assertThat(sink.offeredPartitions).containsExactly(0);
        assertThat(sink.offeredNames.get(0)).containsExactly("x0", "x0", "x0");
        w.flush();
        assertThat(sink.offeredPartitions).containsExactly(0, 0, 1);
        w.flush();
        assertThat(sink.offeredPartitions).hasSize(3);
    }
}
