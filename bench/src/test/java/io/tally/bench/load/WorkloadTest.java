package io.tally.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class WorkloadTest {

    private static final long START = 1_700_000_000L;

    private static Workload workload(int series, int points, long seed, int connections) {
        return new Workload(series, points, 10, START, seed, Workload.Shape.REALISTIC, connections);
    }

    /** series name -> its lines in time order, over all connections. */
    private static Map<String, List<String>> linesBySeries(ByteBuffer[][] chunks) {
        Map<String, List<String>> bySeries = new HashMap<>();
        for (ByteBuffer[] connection : chunks) {
            for (ByteBuffer chunk : connection) {
                Workload.text(chunk).lines().forEach(line ->
                        bySeries.computeIfAbsent(line.substring(0, line.indexOf(' ')), k -> new java.util.ArrayList<>()).add(line));
            }
        }
        return bySeries;
    }

    @Test
    void sameSeedGivesSameBytes() {
        ByteBuffer[][] a = workload(500, 5, 7, 2).encode();
        ByteBuffer[][] b = workload(500, 5, 7, 2).encode();
        for (int c = 0; c < 2; c++) {
            for (int t = 0; t < 5; t++) {
                assertThat(a[c][t]).isEqualTo(b[c][t]);
            }
        }
    }

    @Test
    void otherSeedGivesOtherValues() {
        assertThat(Workload.text(workload(100, 2, 1, 1).encode()[0][1]))
                .isNotEqualTo(Workload.text(workload(100, 2, 2, 1).encode()[0][1]));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 7})
    void seriesValuesDoNotDependOnConnectionCount(int connections) {
        assertThat(linesBySeries(workload(420, 4, 11, connections).encode()))
                .isEqualTo(linesBySeries(workload(420, 4, 11, 2).encode()));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void everyChunkHoldsOnePointOfEachOfItsSeriesAtItsStep(int connections) {
        Workload w = workload(333, 6, 3, connections);
        ByteBuffer[][] chunks = w.encode();
        for (int c = 0; c < connections; c++) {
            int[] own = w.seriesOf(c);
            for (int t = 0; t < w.points(); t++) {
                List<String> lines = Workload.text(chunks[c][t]).lines().toList();
                assertThat(lines).hasSize(own.length);
                for (int i = 0; i < own.length; i++) {
                    String[] fields = lines.get(i).split(" ");
                    assertThat(fields).hasSize(3);
                    assertThat(fields[0]).isEqualTo(w.name(own[i]));
                    assertThat(Double.parseDouble(fields[1])).isFinite();
                    assertThat(Long.parseLong(fields[2])).isEqualTo(START + 10L * t);
                }
            }
        }
    }

    @Test
    void namesAreUniqueAndFiveOrSixNodesDeep() {
        Workload w = workload(20_000, 1, 1, 2);
        Set<String> names = new HashSet<>();
        Set<Integer> depths = new HashSet<>();
        for (int s = 0; s < w.seriesCount(); s++) {
            String name = w.name(s);
            assertThat(name).matches("app[0-9]+\\.[a-z-]+\\.host[0-9]{3,}\\.[a-z]+\\.[a-z0-9_.]+");
            depths.add(name.split("\\.").length);
            names.add(name);
        }
        assertThat(names).hasSize(w.seriesCount());
        assertThat(depths).containsExactlyInAnyOrder(5, 6);
    }

    @Test
    void countersNeverDecreaseAndConstantsNeverChange() {
        Workload w = workload(Workload.METRICS_PER_HOST * 4, 30, 5, 1);
        Map<String, List<String>> bySeries = linesBySeries(w.encode());
        for (int s = 0; s < w.seriesCount(); s++) {
            MetricTemplate t = MetricTemplate.REALISTIC_HOST.get(s % Workload.METRICS_PER_HOST);
            List<Double> values = bySeries.get(w.name(s)).stream().map(l -> Double.parseDouble(l.split(" ")[1])).toList();
            for (int i = 1; i < values.size(); i++) {
                switch (t.kind()) {
                    case COUNTER -> assertThat(values.get(i)).as(w.name(s)).isGreaterThanOrEqualTo(values.get(i - 1));
                    case CONSTANT -> assertThat(values.get(i)).as(w.name(s)).isEqualTo(values.get(0));
                    case GAUGE -> assertThat(values.get(i) * Math.pow(10, t.decimals()))
                            .as(w.name(s)).isBetween((double) t.low() - 0.5, (double) t.high() + 0.5);
                    case NOISE -> { }
                }
            }
        }
    }

    @Test
    void sampleStartsWithTheSeriesEachConnectionSendsLast() {
        Workload w = workload(1_000, 1, 1, 2);
        int[] sample = w.sample(10);
        int[] first = w.seriesOf(0);
        int[] second = w.seriesOf(1);
        assertThat(sample).hasSize(10).doesNotHaveDuplicates();
        assertThat(sample[0]).isEqualTo(first[first.length - 1]);
        assertThat(sample[1]).isEqualTo(second[second.length - 1]);
    }

    @Test
    void sampleIsCappedAtSeriesCount() {
        assertThat(workload(3, 1, 1, 2).sample(50)).containsExactlyInAnyOrder(0, 1, 2);
    }
}
