package io.tally.engine.codec;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Seeded synthetic series shapes for codec tests and the size report. Values are produced the way a carbon
 * client's text would parse them: decimals as {@code mantissa / 10^k}, which is the correctly rounded double of
 * the decimal string.
 */
final class BlockShapes {
    interface Generator {
        void fill(Random rnd, double[] out, int n);
    }

    /** A named shape with its weight in the illustrative whole-store mix (percent). */
    record Shape(String name, int mixWeight, Generator generator) {
        double[] generate(long seed, int n) {
            double[] v = new double[n];
            generator.fill(new Random(seed), v, n);
            return v;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static final List<Shape> ALL = List.of(
            new Shape("counter, slow (+0..10)", 10, BlockShapes::slowCounter),
            new Shape("counter, busy (+1000±100)", 10, BlockShapes::busyCounter),
            new Shape("counter, steady (+60)", 5, BlockShapes::steadyCounter),
            new Shape("gauge 2 decimals, walk", 15, (r, v, n) -> decimalWalk(r, v, n, 1234, 20, 2)),
            new Shape("gauge 1 decimal, walk", 10, (r, v, n) -> decimalWalk(r, v, n, 215, 2, 1)),
            new Shape("gauge negative, walk", 5, (r, v, n) -> decimalWalk(r, v, n, -525, 30, 2)),
            new Shape("constant", 10, (r, v, n) -> Arrays.fill(v, 0, n, 42.0)),
            new Shape("integers 0..3, rare change", 15, BlockShapes::rareSmallInts),
            new Shape("latency, full precision", 5, BlockShapes::fullPrecisionLatency),
            new Shape("bytes counter ~1e12", 5, BlockShapes::bigCounter),
            new Shape("tiny ~1e-6, 4 digits", 3, BlockShapes::tiny),
            new Shape("gauge with gaps (10% + holes)", 5, BlockShapes::gappyGauge),
            new Shape("sparse, 1 point", 2, BlockShapes::onePoint),
            new Shape("avg rollup of gauge (extra)", 0, BlockShapes::averagedGauge),
            new Shape("periodic pattern (extra)", 0, BlockShapes::periodic));

    private BlockShapes() {
    }

    static Shape byName(String prefix) {
        return ALL.stream().filter(s -> s.name().startsWith(prefix)).findFirst().orElseThrow();
    }

    private static void slowCounter(Random r, double[] v, int n) {
        long c = r.nextInt(1_000_000);
        for (int i = 0; i < n; i++) {
            c += r.nextInt(11);
            v[i] = c;
        }
    }

    private static void busyCounter(Random r, double[] v, int n) {
        long c = r.nextInt(1_000_000_000);
        for (int i = 0; i < n; i++) {
            c += Math.max(0, Math.round(1000 + r.nextGaussian() * 100));
            v[i] = c;
        }
    }

    private static void steadyCounter(Random r, double[] v, int n) {
        long c = r.nextInt(1_000_000);
        for (int i = 0; i < n; i++) {
            c += 60;
            v[i] = c;
        }
    }

    /** Random walk of mantissa / 10^decimals with Gaussian steps of {@code sigma} mantissa units. */
    private static void decimalWalk(Random r, double[] v, int n, long start, double sigma, int decimals) {
        long m = start;
        double pow = Math.pow(10, decimals);
        for (int i = 0; i < n; i++) {
            m += Math.round(r.nextGaussian() * sigma);
            v[i] = m / pow;
        }
    }

    private static void rareSmallInts(Random r, double[] v, int n) {
        int x = r.nextInt(4);
        for (int i = 0; i < n; i++) {
            if (r.nextInt(50) == 0) {
                x = r.nextInt(4);
            }
            v[i] = x;
        }
    }

    private static void fullPrecisionLatency(Random r, double[] v, int n) {
        for (int i = 0; i < n; i++) {
            v[i] = -Math.log(1 - r.nextDouble()) * 25.0;
        }
    }

    private static void bigCounter(Random r, double[] v, int n) {
        long c = 1_200_000_000_000L + r.nextInt(1_000_000_000);
        for (int i = 0; i < n; i++) {
            c += r.nextInt(500_000);
            v[i] = c;
        }
    }

    private static void tiny(Random r, double[] v, int n) {
        long m = 1234;
        for (int i = 0; i < n; i++) {
            m = Math.max(1000, Math.min(9999, m + Math.round(r.nextGaussian() * 15)));
            v[i] = m / 1e9;
        }
    }

    private static void gappyGauge(Random r, double[] v, int n) {
        decimalWalk(r, v, n, 1234, 20, 2);
        for (int i = 0; i < n; i++) {
            if (r.nextInt(10) == 0) {
                v[i] = Double.NaN;
            }
        }
        for (int hole = 0; hole < 2 && n > 8; hole++) {
            int len = 1 + r.nextInt(Math.max(1, n / 8));
            int at = r.nextInt(n - len + 1);
            Arrays.fill(v, at, at + len, Double.NaN);
        }
    }

    private static void onePoint(Random r, double[] v, int n) {
        Arrays.fill(v, 0, n, Double.NaN);
        v[r.nextInt(n)] = 1000 + r.nextInt(9000) / 100.0;
    }

    /** What an average rollup of 6 two-decimal samples stores: sums divided by 6, full-precision quotients. */
    private static void averagedGauge(Random r, double[] v, int n) {
        long m = 1234;
        for (int i = 0; i < n; i++) {
            double sum = 0;
            for (int j = 0; j < 6; j++) {
                m += Math.round(r.nextGaussian() * 20);
                sum += m / 100.0;
            }
            v[i] = sum / 6;
        }
    }

    /** A random cycle of 13 two-decimal values repeated: bit-packing sees noise, deflate sees repeats. */
    private static void periodic(Random r, double[] v, int n) {
        double[] cycle = new double[13];
        for (int i = 0; i < cycle.length; i++) {
            cycle[i] = r.nextInt(100_000) / 100.0;
        }
        for (int i = 0; i < n; i++) {
            v[i] = cycle[i % cycle.length];
        }
    }
}
