package io.tally.query.expr;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link SeriesMath#aggregateRows} reads series in whatever order is fastest; every position must still equal
 * {@link AggFunc#apply} over that position's row in series order, bit for bit (nulls, ragged lengths, -0.0,
 * infinities and the xFilesFactor included).
 */
class AggregateRowsTest {

    static Stream<Object[]> cases() {
        List<Object[]> out = new ArrayList<>();
        for (AggFunc f : AggFunc.values()) {
            for (int seed = 0; seed < 6; seed++) {
                out.add(new Object[] {f, seed});
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("cases")
    void equalsTheRowByRowReduction(AggFunc f, int seed) {
        Random rnd = new Random(seed * 31L + f.ordinal());
        int k = 1 + rnd.nextInt(seed < 3 ? 8 : 3000);
        int len = 1 + rnd.nextInt(400);
        double nullShare = rnd.nextDouble();
        List<Series> list = new ArrayList<>();
        for (int j = 0; j < k; j++) {
            int n = rnd.nextInt(5) == 0 ? rnd.nextInt(len + 1) : len;
            double[] v = new double[n];
            for (int i = 0; i < n; i++) {
                double r = rnd.nextDouble();
                v[i] = r < nullShare ? Double.NaN
                        : r < nullShare + 0.01 ? (rnd.nextBoolean() ? -0.0 : Double.POSITIVE_INFINITY)
                        : Math.round((rnd.nextDouble() - 0.3) * 1e6) / 100.0;
            }
            list.add(Series.builder("s" + j, 0, 10L * len, 10, v).build());
        }
        SeriesMath.Normalized n = SeriesMath.normalize(list);
        double xff = seed % 2 == 0 ? 0 : 0.5;
        double[] got = SeriesMath.aggregateRows(n, f, xff);
        assertThat(got).hasSize(n.length());
        double[] row = new double[k];
        for (int i = 0; i < n.length(); i++) {
            int known = 0;
            for (int j = 0; j < k; j++) {
                row[j] = SeriesMath.at(n.series().get(j), i);
                known += Double.isNaN(row[j]) ? 0 : 1;
            }
            double want = SeriesMath.xff(known, k, xff) ? f.apply(row, 0, k) : Double.NaN;
            assertThat(Double.doubleToRawLongBits(got[i]))
                    .as("%s position %d: got %s, want %s", f, i, got[i], want)
                    .isEqualTo(Double.doubleToRawLongBits(want));
        }
    }
}
