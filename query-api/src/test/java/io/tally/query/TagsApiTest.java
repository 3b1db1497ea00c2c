package io.tally.query;

import io.tally.engine.config.AggregationMethod;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TagsApiTest {
    private static final MetricsApi.Out PLAIN = new MetricsApi.Out(false, true, null);

    private final TagsApi api = new TagsApi(new FakeReader()
            .add("a.b;x=1;y=2", 0, 10, AggregationMethod.AVERAGE)
            .add("a.b;x=2", 0, 10, AggregationMethod.AVERAGE)
            .add("plain.one", 0, 10, AggregationMethod.AVERAGE), QueryLimits.defaults());

    @Test
    void valueOfFindsWholeSegmentsOnly() {
        assertThat(TagsApi.valueOf("m;ab=1;b=2;bb=3", ";b=")).isEqualTo("2");
        assertThat(TagsApi.valueOf("m;ab=1;bb=3", ";b=")).isNull();
        assertThat(TagsApi.valueOf("m;b=x=y", ";b=")).isEqualTo("x=y");
        assertThat(TagsApi.nameOf("m.n;b=1")).isEqualTo("m.n");
        assertThat(TagsApi.nameOf("m.n")).isEqualTo("m.n");
    }

    @Test
    void limitParsing() {
        assertThat(TagsApi.limit(null, 7)).isEqualTo(7);
        assertThat(TagsApi.limit(" ", 7)).isEqualTo(7);
        assertThat(TagsApi.limit(" 12 ", 7)).isEqualTo(12);
        assertThatThrownBy(() -> TagsApi.limit("1.5", 7)).isInstanceOf(BadRequestException.class)
                .hasMessageContaining("'limit'");
        assertThatThrownBy(() -> TagsApi.limit("-1", 7)).isInstanceOf(BadRequestException.class)
                .hasMessageContaining(">= 0");
    }

    @Test
    void expressionsMustParseAndOneMustRequireAValue() {
        TagsApi.checkExpressions(List.of("x=", "y!="));
        TagsApi.checkExpressions(List.of("x=~a"));
        assertThatThrownBy(() -> TagsApi.checkExpressions(List.of())).isInstanceOf(BadRequestException.class);
        assertThatThrownBy(() -> TagsApi.checkExpressions(List.of("x=", "y=~.*", "z!=~.")))
                .isInstanceOf(BadRequestException.class).hasMessageContaining("non-empty value");
        assertThatThrownBy(() -> TagsApi.checkExpressions(List.of("x=1", "y"))).isInstanceOf(BadRequestException.class)
                .hasMessageContaining("'y'");
    }

    @Test
    void autoCompleteWithOnlyEmptyMatchingExpressionsIsRejected() {
        assertThatThrownBy(() -> api.autoCompleteValues("x", List.of("y="), "", 10, PLAIN))
                .isInstanceOf(BadRequestException.class);
    }

    @Test
    void badFilterRegexIsABadRequest() {
        assertThatThrownBy(() -> api.listTags("(", TagsApi.NO_LIMIT, PLAIN)).isInstanceOf(BadRequestException.class)
                .hasMessageContaining("'filter'");
    }

    @Test
    void detailsCountPerValue() {
        assertThat(api.tagDetails("x", null, TagsApi.NO_LIMIT, PLAIN).toString()).isEqualTo(
                "{\"tag\": \"x\", \"values\": [{\"value\": \"1\", \"count\": 1}, {\"value\": \"2\", \"count\": 1}]}");
        assertThat(api.tagDetails("name", null, TagsApi.NO_LIMIT, PLAIN).toString()).isEqualTo(
                "{\"tag\": \"name\", \"values\": [{\"value\": \"a.b\", \"count\": 2}, "
                        + "{\"value\": \"plain.one\", \"count\": 1}]}");
        assertThat(api.tagDetails("", null, TagsApi.NO_LIMIT, PLAIN).toString()).isEqualTo("null");
    }
}
