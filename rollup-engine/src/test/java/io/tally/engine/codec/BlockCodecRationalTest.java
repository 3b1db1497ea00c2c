package io.tally.engine.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

/**
 * Rational DECIMAL blocks (flag 0x10): whisper-style averages round-trip bit-exactly, whatever the divisor, scale,
 * gaps, exceptions (averages over fewer points) and special values; the encoder picks the form for them. Seeded.
 */
class BlockCodecRationalTest {
    private static final int[] DIVISORS = {1, 2, 3, 5, 6, 7, 10, 12, 24, 30, 60, 64, 360, 1440};

    private static boolean rational(byte[] block) {
        return (block[1] & 0x10) != 0;
    }

    /** Averages of {@code ratio} decimal samples (scale digits), summed in order as whisper does. */
    private static double[] averages(Random rnd, int n, int ratio, int scale, double missingRate,
            double exceptionRate) {
        double pow = Math.pow(10, scale);
        long walk = rnd.nextInt(2_000_000) - 1_000_000L;
        long step = 1 + rnd.nextInt(rnd.nextBoolean() ? 50 : 5_000_000);
        boolean counter = rnd.nextBoolean();
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            if (rnd.nextDouble() < missingRate) {
                v[i] = Double.NaN;
                continue;
            }
            int count = rnd.nextDouble() < exceptionRate ? 1 + rnd.nextInt(ratio) : ratio;
            double sum = 0;
            for (int j = 0; j < count; j++) {
                walk += counter ? rnd.nextInt((int) step) : rnd.nextInt((int) (2 * step + 1)) - step;
                sum += scale == 0 ? (double) walk : walk / pow;
            }
            v[i] = sum / count;
        }
        return v;
    }

    @RepeatedTest(200)
    void whisperAveragesRoundTrip(RepetitionInfo info) throws Exception {
        Random rnd = new Random(info.getCurrentRepetition());
        int n = 1 + rnd.nextInt(rnd.nextBoolean() ? 64 : 2048);
        int ratio = DIVISORS[rnd.nextInt(DIVISORS.length)];
        double[] v = averages(rnd, n, ratio, rnd.nextInt(4), rnd.nextInt(3) * 0.05, rnd.nextInt(3) * 0.02);
        if (rnd.nextInt(4) == 0) {
            // specials and sign flips the residuals must carry
            for (int k = 0; k < 3; k++) {
                int i = rnd.nextInt(n);
                v[i] = switch (rnd.nextInt(4)) {
                    case 0 -> -0.0;
                    case 1 -> Double.NEGATIVE_INFINITY;
                    case 2 -> Double.MIN_VALUE;
                    default -> -v[i];
                };
            }
        }
        BlockCodecRoundTripTest.assertRoundTrip(v, n);
        try (BlockEncoder plain = new BlockEncoder(false)) {
            byte[] block = plain.encode(v, n);
            double[] out = new double[n];
            BlockCodec.decode(block, 0, block.length, out);
            for (int i = 0; i < n; i++) {
                assertThat(Double.doubleToRawLongBits(out[i])).as("slot %d", i).isEqualTo(
                        Double.isNaN(v[i]) ? Double.doubleToRawLongBits(out[i]) : Double.doubleToRawLongBits(v[i]));
            }
        }
    }

    @Test
    void mostWhisperAverageBlocksAreRationalAndNeverLarger() throws Exception {
        Random rnd = new Random(42);
        int rational = 0;
        try (BlockEncoder now = new BlockEncoder(); BlockEncoder old = new BlockEncoder(true, false)) {
            for (int b = 0; b < 100; b++) {
                int ratio = DIVISORS[1 + rnd.nextInt(DIVISORS.length - 1)];
                double[] v = averages(rnd, 1024, ratio, rnd.nextInt(3), 0, 0);
                byte[] block = now.encode(v, 1024);
                if (rational(block)) {
                    rational++;
                }
                assertThat(block.length).isLessThanOrEqualTo(old.encode(v, 1024).length);
            }
        }
        // the others are averages that are short decimals anyway (ratios 2, 5, 10) or need a divisor above 65536
        assertThat(rational).isGreaterThan(60);
    }

    @Test
    void averagesOfIntegersNeedNoResiduals() throws Exception {
        Random rnd = new Random(7);
        for (int ratio : new int[] {6, 60, 7, 24}) {
            double[] v = averages(rnd, 1024, ratio, 0, 0.1, 0);
            byte[] block = BlockCodecRoundTripTest.assertRoundTrip(v, 1024);
            assertThat(rational(block)).as("ratio %d", ratio).isTrue();
        }
    }

    @Test
    void nearDecimalFloatingSumsUseDivisorOneWithResiduals() throws Exception {
        // whisper "sum" rollups of 2-decimal gauges: decimals carrying floating-point error
        Random rnd = new Random(8);
        double[] v = new double[1024];
        long walk = 5000;
        for (int i = 0; i < v.length; i++) {
            double sum = 0;
            for (int j = 0; j < 6; j++) {
                walk += rnd.nextInt(41) - 20;
                sum += walk / 100.0;
            }
            v[i] = sum;
        }
        byte[] block = BlockCodecRoundTripTest.assertRoundTrip(v, v.length);
        assertThat(rational(block)).isTrue();
        assertThat(block.length).isLessThan(v.length * 3);
    }

    @Test
    void plainDecimalsAndNoiseDoNotUseTheRationalForm() throws Exception {
        Random rnd = new Random(9);
        double[] decimals = new double[720];
        double[] noise = new double[720];
        for (int i = 0; i < decimals.length; i++) {
            decimals[i] = rnd.nextInt(100_000) / 100.0;
            noise[i] = rnd.nextDouble() * 1000;
        }
        assertThat(rational(BlockCodecRoundTripTest.assertRoundTrip(decimals, 720))).isFalse();
        assertThat(rational(BlockCodecRoundTripTest.assertRoundTrip(noise, 720))).isFalse();
    }

    @Test
    void aReusedEncoderMatchesAFreshOneAcrossForms() {
        Random rnd = new Random(10);
        try (BlockEncoder reused = new BlockEncoder()) {
            for (int b = 0; b < 40; b++) {
                double[] v = b % 3 == 0 ? BlockShapes.byName("latency").generate(b, 500)
                        : averages(rnd, 500, DIVISORS[rnd.nextInt(DIVISORS.length)], rnd.nextInt(3), 0.05, 0.02);
                assertThat(reused.encode(v, 500)).isEqualTo(BlockCodec.encode(v, 500));
            }
        }
    }
}
