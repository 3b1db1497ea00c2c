package io.tally.query.federation;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FederationNamesTest {

    @Test
    void firstDotSkipsBracesAndSets() {
        assertThat(Federation.firstDot("regions.eu.x", 0)).isEqualTo(7);
        assertThat(Federation.firstDot("{a.b,c}.x", 0)).isEqualTo(7);
        assertThat(Federation.firstDot("[.]x.y", 0)).isEqualTo(4);
        assertThat(Federation.firstDot("a\\.b.c", 0)).isEqualTo(4);
        assertThat(Federation.firstDot("abc", 0)).isEqualTo(-1);
        assertThat(Federation.firstDot("regions.eu.x", 8)).isEqualTo(10);
    }

    @Test
    void theRegionTagJoinsTheOthersInOrder() {
        assertThat(Federation.withRegionTag("cpu", "eu")).isEqualTo("cpu;region=eu");
        assertThat(Federation.withRegionTag("cpu;host=a;zone=b", "eu")).isEqualTo("cpu;host=a;region=eu;zone=b");
        assertThat(Federation.withRegionTag("cpu;region=old", "eu")).isEqualTo("cpu;region=eu");
    }
}
