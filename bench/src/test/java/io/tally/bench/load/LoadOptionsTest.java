package io.tally.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class LoadOptionsTest {

    @Test
    void defaultsAreTheReferenceWorkload() {
        LoadOptions o = LoadOptions.parse(List.of(), 1_700_000_005L);
        assertThat(o.series()).isEqualTo(100_000);
        assertThat(o.points()).isEqualTo(100);
        assertThat(o.connections()).isEqualTo(2);
        assertThat(o.step()).isEqualTo(10);
        assertThat(o.start()).isEqualTo(1_700_000_005L - 1000 - 5);
        assertThat(o.verifying()).isFalse();
    }

    @Test
    void acceptsBothValueForms() {
        LoadOptions o = LoadOptions.parse(List.of("--series=10", "--port", "2103", "--verify-api", "prometheus",
                "--verify-url", "http://127.0.0.1:1/", "--shape", "noise"), 0);
        assertThat(o.series()).isEqualTo(10);
        assertThat(o.port()).isEqualTo(2103);
        assertThat(o.verifyApi()).isEqualTo("prometheus");
        assertThat(o.shape()).isEqualTo(Workload.Shape.NOISE);
        assertThat(o.verifying()).isTrue();
    }

    @Test
    void unknownOptionNamesItself() {
        assertThatThrownBy(() -> LoadOptions.parse(List.of("--serie", "5"), 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--serie");
    }

    @Test
    void nonPositiveCountIsRejected() {
        assertThatThrownBy(() -> LoadOptions.parse(List.of("--connections", "0"), 0))
                .hasMessageContaining("--connections");
    }

    @Test
    void urlAndWhisperTogetherAreRejected() {
        assertThatThrownBy(() -> LoadOptions.parse(List.of("--verify-url", "http://x", "--verify-whisper", "/tmp"), 0))
                .hasMessageContaining("not both");
    }

    @Test
    void aNamePrefixIsOneNodePutBeforeEveryName() {
        LoadOptions o = LoadOptions.parse(List.of("--name-prefix", "warmup"), 0);
        assertThat(o.namePrefix()).isEqualTo("warmup");
        assertThat(LoadOptions.parse(List.of(), 0).namePrefix()).isEmpty();
        Workload w = new Workload(3, 2, 10, 1_700_000_000L, 42, Workload.Shape.REALISTIC, 1, o.namePrefix());
        assertThat(w.name(2)).isEqualTo("warmup." + Workload.nameOf(2));
        assertThatThrownBy(() -> LoadOptions.parse(List.of("--name-prefix", "a.b"), 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--name-prefix");
    }
}
