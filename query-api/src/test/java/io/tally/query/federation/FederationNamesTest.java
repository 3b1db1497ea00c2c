package io.tally.query.federation;

import io.tally.engine.api.FindNode;
import io.tally.engine.api.SeriesData;
import io.tally.engine.api.StorageReader;
import io.tally.engine.util.ManualClock;
import io.tally.engine.util.MetricsRegistry;
import io.tally.query.QueryLimits;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;

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

    @Test
    void theRootNameIsConfigurableAndShadowsLocalNames() {
        StorageReader local = new StorageReader() {
            @Override
            public List<FindNode> find(String pattern, int limit) {
                return switch (pattern) {
                    case "*" -> List.of(new FindNode("app", false), new FindNode("world", false));
                    case "app.*" -> List.of(new FindNode("app.hits", true));
                    default -> List.of();
                };
            }

            @Override
            public List<String> findByTags(List<String> expressions, int limit) {
                return List.of();
            }

            @Override
            public List<String> tagNames(String prefix, List<String> expressions, int limit) {
                return List.of();
            }

            @Override
            public List<String> tagValues(String tag, String prefix, List<String> expressions, int limit) {
                return List.of();
            }

            @Override
            public SeriesData fetch(String name, long from, long until, long now) {
                return null;
            }

            @Override
            public int seriesCount() {
                return 1;
            }
        };
        Federation.Settings st = new Federation.Settings("eu", "world",
                List.of(new Federation.Peer("us", URI.create("http://127.0.0.1:9"))), "s", Duration.ofSeconds(1),
                false, 3, Duration.ofSeconds(30), Duration.ofSeconds(60), 1 << 20, null);
        try (Federation f = new Federation(st, local, QueryLimits.defaults(), new ManualClock(0),
                new MetricsRegistry())) {
            Federation.Call c = f.call();
            assertThat(c.find("*", 100)).extracting(FindNode::path).containsExactly("app", "world");
            assertThat(c.find("world.*", 100)).extracting(FindNode::path).containsExactly("world.eu", "world.us");
            // the shadowed local branch stays reachable below the own region
            assertThat(c.find("world.eu.*", 100)).extracting(FindNode::path)
                    .containsExactly("world.eu.app", "world.eu.world");
            assertThat(c.claimsPath("regions.*.x")).isFalse();
            assertThat(c.claimsPath("w*.*.x")).isTrue();
            assertThat(c.missing()).isEmpty();
        }
    }
}
