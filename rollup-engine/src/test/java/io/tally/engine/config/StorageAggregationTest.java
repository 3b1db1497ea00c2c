package io.tally.engine.config;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StorageAggregationTest {

    private static StorageAggregation parse(String text) throws ConfigException {
        return StorageAggregation.parse(text, "storage-aggregation.conf");
    }

    @Test
    void readsTheSpecExampleWithCaseInsensitiveKeys() throws ConfigException {
        StorageAggregation a = parse("""
                [min]
                pattern = \\.min$
                xFilesFactor = 0.1
                aggregationMethod = min

                [sum]
                pattern = \\.count$
                xFilesFactor = 0
                aggregationMethod = max     ; shipped example: max for monotonic counters, sum for statsd-style

                [default_average]
                pattern = .*
                xfilesfactor = 0.5
                AGGREGATIONMETHOD = average
                """);
        assertThat(a.match("app.latency.min")).isEqualTo(new AggregationPolicy("min", AggregationMethod.MIN, 0.1));
        assertThat(a.match("app.hits.count")).isEqualTo(new AggregationPolicy("sum", AggregationMethod.MAX, 0.0));
        assertThat(a.match("app.minimum"))
                .isEqualTo(new AggregationPolicy("default_average", AggregationMethod.AVERAGE, 0.5));
        assertThat(a.policies()).extracting(AggregationPolicy::name).containsExactly("min", "sum", "default_average");
    }

    @Test
    void omittedKeysTakeWhisperDefaultsAndTheSectionStillMatches() throws ConfigException {
        StorageAggregation a = parse("""
                [sums]
                pattern = \\.sum$
                aggregationMethod = sum
                [lax]
                pattern = \\.gauge$
                xFilesFactor = 0
                [rest]
                pattern = .*
                aggregationMethod = last
                """);
        assertThat(a.match("x.sum")).isEqualTo(new AggregationPolicy("sums", AggregationMethod.SUM, 0.5));
        assertThat(a.match("x.gauge")).isEqualTo(new AggregationPolicy("lax", AggregationMethod.AVERAGE, 0.0));
        assertThat(a.match("x.y").method()).isEqualTo(AggregationMethod.LAST);
    }

    @Test
    void fallsBackToWhisperDefaults() throws ConfigException {
        StorageAggregation a = parse("[max]\npattern = \\.max$\naggregationMethod = max\n");
        assertThat(a.match("x.min")).isSameAs(StorageAggregation.FALLBACK);
        assertThat(StorageAggregation.FALLBACK.method()).isEqualTo(AggregationMethod.AVERAGE);
        assertThat(StorageAggregation.FALLBACK.xFilesFactor()).isEqualTo(0.5);
        assertThat(StorageAggregation.defaults().match("anything"))
                .isEqualTo(new AggregationPolicy("default", AggregationMethod.AVERAGE, 0.5));
    }

    @Test
    void acceptsEveryWhisperMethod() throws ConfigException {
        for (AggregationMethod m : AggregationMethod.values()) {
            StorageAggregation a = parse("[s]\npattern = .*\naggregationMethod = " + m.graphiteName() + "\n");
            assertThat(a.match("x").method()).isEqualTo(m);
        }
    }

    @Test
    void rejectsAnUnknownMethod() {
        assertThatThrownBy(() -> parse("[p]\npattern = .*\naggregationMethod = median\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("storage-aggregation.conf line 3 [p] aggregationMethod: unknown method 'median' (use"
                        + " average, sum, last, max, min, avg_zero, absmax or absmin)");
    }

    @Test
    void rejectsAnXFilesFactorOutsideZeroToOneOrNotANumber() {
        assertThatThrownBy(() -> parse("[p]\npattern = .*\nxFilesFactor = 1.5\n"))
                .hasMessage("storage-aggregation.conf line 3 [p] xFilesFactor: '1.5' is outside [0, 1] (use a"
                        + " fraction between 0 and 1, e.g. 0.5)");
        assertThatThrownBy(() -> parse("[p]\npattern = .*\nxFilesFactor = half\n"))
                .hasMessage("storage-aggregation.conf line 3 [p] xFilesFactor: 'half' is not a number (use a"
                        + " fraction between 0 and 1, e.g. 0.5)");
        assertThatThrownBy(() -> parse("[p]\npattern = .*\nxFilesFactor = NaN\n"))
                .hasMessageContaining("'NaN' is not a number");
    }

    @Test
    void acceptsPythonFloatSpellings() throws ConfigException {
        assertThat(parse("[p]\npattern = .*\nxFilesFactor = .25\n").match("x").xFilesFactor()).isEqualTo(0.25);
        assertThat(parse("[p]\npattern = .*\nxFilesFactor = 5e-1\n").match("x").xFilesFactor()).isEqualTo(0.5);
        assertThat(parse("[p]\npattern = .*\nxFilesFactor = 1\n").match("x").xFilesFactor()).isEqualTo(1.0);
    }

    @Test
    void sectionsWithoutPatternAreSkippedWithAWarning() throws ConfigException {
        StorageAggregation a = parse("[nopattern]\naggregationMethod = sum\n[all]\nmatch-all = yes\n"
                + "aggregationMethod = max\n");
        assertThat(a.policies()).extracting(AggregationPolicy::name).containsExactly("all");
        assertThat(a.match("x").method()).isEqualTo(AggregationMethod.MAX);
        assertThat(a.warnings()).containsExactly(
                "storage-aggregation.conf line 1 [nopattern] has no 'pattern'; section skipped");
    }

    @Test
    void aBadRegexRefusesTheFile() {
        assertThatThrownBy(() -> parse("[p]\npattern = [a-\naggregationMethod = sum\n"))
                .hasMessageStartingWith("storage-aggregation.conf line 2 [p] pattern: invalid regular expression"
                        + " '[a-': ");
    }

    @Test
    void policyValidatesItsFields() {
        assertThatThrownBy(() -> new AggregationPolicy("x", null, 0.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AggregationPolicy("x", AggregationMethod.SUM, -0.1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
