package io.tally.query.federation;

import io.tally.engine.api.FindNode;
import io.tally.engine.api.SeriesData;
import io.tally.engine.config.AggregationMethod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PeerWireTest {

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 42, 1234})
    void fetchBodiesRoundTrip(long seed) {
        Random rnd = new Random(seed);
        List<SeriesData> in = new ArrayList<>();
        for (int i = rnd.nextInt(20); i > 0; i--) {
            double[] v = new double[rnd.nextInt(200)];
            for (int j = 0; j < v.length; j++) {
                int k = rnd.nextInt(10);
                v[j] = k == 0 ? Double.NaN : k == 1 ? Double.POSITIVE_INFINITY : rnd.nextGaussian() * 1e6;
            }
            long step = 1 + rnd.nextInt(3600);
            long start = rnd.nextInt(1 << 30) * step;
            AggregationMethod m = AggregationMethod.values()[rnd.nextInt(AggregationMethod.values().length)];
            in.add(new SeriesData("s" + i + ".\u00e9;tag=" + rnd.nextInt(), start, start + v.length * step, step, v,
                    m, rnd.nextDouble()));
        }
        List<SeriesData> out = PeerWire.decodeFetch(PeerWire.encodeFetch(in));
        assertThat(out).hasSameSizeAs(in);
        for (int i = 0; i < in.size(); i++) {
            SeriesData a = in.get(i);
            SeriesData b = out.get(i);
            assertThat(b.name()).isEqualTo(a.name());
            assertThat(new long[] {b.start(), b.end(), b.step()}).containsExactly(a.start(), a.end(), a.step());
            assertThat(b.aggregation()).isEqualTo(a.aggregation());
            assertThat(b.xFilesFactor()).isEqualTo(a.xFilesFactor());
            assertThat(Arrays.equals(b.values(), a.values())).isTrue();
        }
    }

    @Test
    void longEmptyAndAllNullSeriesRoundTrip() {
        double[] longOne = new double[150_000];
        for (int i = 0; i < longOne.length; i++) {
            longOne[i] = i % 7 == 0 ? Double.NaN : i * 0.25;
        }
        double[] nulls = new double[100];
        Arrays.fill(nulls, Double.NaN);
        List<SeriesData> in = List.of(
                new SeriesData("long", 60, 60 + 60L * longOne.length, 60, longOne, AggregationMethod.AVERAGE, 0),
                new SeriesData("empty", 60, 60, 60, new double[0], AggregationMethod.SUM, 0),
                new SeriesData("nulls", 60, 6060, 60, nulls, AggregationMethod.MAX, 1));
        List<SeriesData> out = PeerWire.decodeFetch(PeerWire.encodeFetch(in));
        assertThat(out).extracting(SeriesData::name).containsExactly("long", "empty", "nulls");
        assertThat(Arrays.equals(out.get(0).values(), longOne)).isTrue();
        assertThat(out.get(1).values()).isEmpty();
        assertThat(Arrays.equals(out.get(2).values(), nulls)).isTrue();
    }

    @Test
    void findBodiesRoundTrip() {
        List<FindNode> in = List.of(new FindNode("a.b", false), new FindNode("a.b", true), new FindNode("x", true));
        assertThat(PeerWire.decodeFind(PeerWire.encodeFind(in))).isEqualTo(in);
    }

    @ParameterizedTest
    @ValueSource(longs = {7, 8, 9})
    void truncatedOrCorruptBodiesAreRejected(long seed) {
        byte[] body = PeerWire.encodeFetch(List.of(new SeriesData("a", 60, 180, 60, new double[] {1, 2},
                AggregationMethod.SUM, 0.5)));
        Random rnd = new Random(seed);
        byte[] cut = Arrays.copyOf(body, rnd.nextInt(body.length));
        assertThatThrownBy(() -> PeerWire.decodeFetch(cut)).isInstanceOf(IllegalArgumentException.class);
        byte[] huge = body.clone();
        huge[2] = 0x7F; // a count far beyond the bytes present
        assertThatThrownBy(() -> PeerWire.decodeFetch(huge)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PeerWire.decodeFind(body)).isInstanceOf(IllegalArgumentException.class);
    }
}
