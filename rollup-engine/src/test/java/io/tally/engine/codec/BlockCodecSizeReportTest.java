package io.tally.engine.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Prints bytes per present point for each shape and the illustrative whole-store mix, and pins generous bounds
 * (sizes are deterministic for fixed seeds, so these are not flaky; they catch a codec that silently got worse).
 */
class BlockCodecSizeReportTest {
    private static final int[] SLOTS = {720, 4096};
    private static final int SEEDS = 8;

    /** Bytes per present point of a shape over SEEDS blocks of n slots. */
    private static double bytesPerPoint(BlockShapes.Shape shape, int n, BlockEncoder encoder) {
        long bytes = 0;
        long points = 0;
        for (int seed = 0; seed < SEEDS; seed++) {
            double[] v = shape.generate(seed, n);
            bytes += encoder.encode(v, n).length;
            for (int i = 0; i < n; i++) {
                if (!Double.isNaN(v[i])) {
                    points++;
                }
            }
        }
        return (double) bytes / points;
    }

    @Test
    void reportsBytesPerPointPerShape() {
        StringBuilder table = new StringBuilder();
        table.append(String.format(Locale.ROOT, "%n| shape | mix %% | 720 slots | 4096 slots | 720, no deflate |%n"));
        table.append("|---|---:|---:|---:|---:|\n");
        double mix720 = 0;
        double mix4096 = 0;
        int weights = 0;
        try (BlockEncoder encoder = new BlockEncoder(); BlockEncoder plain = new BlockEncoder(false)) {
            for (BlockShapes.Shape shape : BlockShapes.ALL) {
                double a = bytesPerPoint(shape, SLOTS[0], encoder);
                double b = bytesPerPoint(shape, SLOTS[1], encoder);
                double c = bytesPerPoint(shape, SLOTS[0], plain);
                table.append(String.format(Locale.ROOT, "| %s | %d | %.3f | %.3f | %.3f |%n",
                        shape.name(), shape.mixWeight(), a, b, c));
                mix720 += a * shape.mixWeight();
                mix4096 += b * shape.mixWeight();
                weights += shape.mixWeight();
            }
        }
        table.append(String.format(Locale.ROOT, "| **weighted mix** | %d | %.3f | %.3f | |%n",
                weights, mix720 / weights, mix4096 / weights));
        System.out.println(table);
        assertThat(weights).isEqualTo(100);
        assertThat(mix720 / weights).isLessThan(1.5);
    }

    @Test
    void decimalGaugeStaysUnderTwoBytesPerPoint() {
        try (BlockEncoder encoder = new BlockEncoder()) {
            assertThat(bytesPerPoint(BlockShapes.byName("gauge 2 decimals"), 720, encoder)).isLessThan(2.0);
            assertThat(bytesPerPoint(BlockShapes.byName("gauge with gaps"), 720, encoder)).isLessThan(2.0);
        }
    }

    @Test
    void easyShapesAreNearlyFree() {
        try (BlockEncoder encoder = new BlockEncoder()) {
            assertThat(bytesPerPoint(BlockShapes.byName("constant"), 720, encoder)).isLessThan(0.05);
            assertThat(bytesPerPoint(BlockShapes.byName("counter, steady"), 720, encoder)).isLessThan(0.05);
            assertThat(bytesPerPoint(BlockShapes.byName("integers 0..3"), 720, encoder)).isLessThan(0.15);
            assertThat(bytesPerPoint(BlockShapes.byName("counter, slow"), 720, encoder)).isLessThan(0.6);
        }
    }

    @Test
    void fullPrecisionNoiseCostsNoMoreThanRawDoubles() {
        try (BlockEncoder encoder = new BlockEncoder()) {
            assertThat(bytesPerPoint(BlockShapes.byName("latency"), 720, encoder)).isLessThan(8.1);
        }
    }
}
