package io.tally.engine.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The configuration files the Graphite conformance oracle uses parse and match as carbon would. */
class ConformanceConfigTest {
    static Path conformanceDir() {
        Path dir = Path.of(System.getProperty("tally.shared", "../../shared")).resolve("conformance");
        assertThat(dir.resolve("storage-schemas.conf")).as("shared/conformance (set -Dtally.shared)").exists();
        return dir;
    }

    @Test
    void storageSchemasParseAndMatch() throws Exception {
        StorageSchemas s = StorageSchemas.load(conformanceDir().resolve("storage-schemas.conf"));
        assertThat(s.warnings()).isEmpty();
        assertThat(s.schemas()).extracting(Schema::name).containsExactly("oracle", "default");
        Schema oracle = s.match("oracle.x.count");
        assertThat(oracle.name()).isEqualTo("oracle");
        assertThat(oracle.archives()).containsExactly(
                new Archive(10, 8640), new Archive(60, 43200), new Archive(3600, 17520));
        Schema tagged = s.match("disk.used;dc=us-east;host=h1;mount=root");
        assertThat(tagged.name()).isEqualTo("default");
        assertThat(tagged.archives()).isEqualTo(oracle.archives());
        assertThat(tagged.maxRetentionSeconds()).isEqualTo(2 * 365 * 86400L);
    }

    @Test
    void storageAggregationParsesAndMatches() throws Exception {
        StorageAggregation a = StorageAggregation.load(conformanceDir().resolve("storage-aggregation.conf"));
        assertThat(a.warnings()).isEmpty();
        assertThat(a.match("oracle.x.count")).isEqualTo(new AggregationPolicy("count", AggregationMethod.SUM, 0));
        assertThat(a.match("oracle.x.max")).isEqualTo(new AggregationPolicy("max", AggregationMethod.MAX, 0));
        assertThat(a.match("oracle.x.min")).isEqualTo(new AggregationPolicy("min", AggregationMethod.MIN, 0));
        assertThat(a.match("oracle.x.last")).isEqualTo(new AggregationPolicy("last", AggregationMethod.LAST, 0));
        assertThat(a.match("oracle.x.counter"))
                .isEqualTo(new AggregationPolicy("default_average", AggregationMethod.AVERAGE, 0.5));
        assertThat(a.match("disk.used;dc=us-east;host=h1;mount=root").name()).isEqualTo("default_average");
    }
}
