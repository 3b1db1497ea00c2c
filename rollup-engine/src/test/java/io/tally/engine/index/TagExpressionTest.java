package io.tally.engine.index;

import io.tally.engine.index.TagExpression.Operator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TagExpressionTest {

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            dc=us-east      | dc   | EQ        | us-east
            dc!=us-east     | dc   | NE        | us-east
            dc=~us-.*       | dc   | MATCH     | us-.*
            dc!=~us-.*      | dc   | NOT_MATCH | us-.*
            dc=             | dc   | EQ        | ""
            dc!=            | dc   | NE        | ""
            k==v            | k    | EQ        | =v
            k=a=b           | k    | EQ        | a=b
            k=~             | k    | MATCH     | ""
            a~b=c           | a~b  | EQ        | c
            """)
    void parsesLikeGraphite(String text, String tag, Operator op, String value) {
        TagExpression e = TagExpression.parse(text);
        assertThat(e.tag()).isEqualTo(tag);
        assertThat(e.operator()).isEqualTo(op);
        assertThat(e.value()).isEqualTo(value);
        assertThat(e.toString()).isEqualTo(text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "dc", "=x", "!=x", "dc!x", "a;b=c", "dc=a;b", "dc=~("})
    void rejectsMalformed(String text) {
        assertThatThrownBy(() -> TagExpression.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(text.isEmpty() ? "''" : text);
    }

    @Test
    void missingTagReadsAsEmpty() {
        assertThat(TagExpression.parse("dc=").matchesEmpty()).isTrue();
        assertThat(TagExpression.parse("dc!=").matchesEmpty()).isFalse();
        assertThat(TagExpression.parse("dc=x").matchesEmpty()).isFalse();
        assertThat(TagExpression.parse("dc!=x").matchesEmpty()).isTrue();
        assertThat(TagExpression.parse("dc=~x*").matchesEmpty()).isTrue();
        assertThat(TagExpression.parse("dc=~x+").matchesEmpty()).isFalse();
        assertThat(TagExpression.parse("dc!=~x+").matchesEmpty()).isTrue();
        assertThat(TagExpression.parse("dc!=~.*").matchesEmpty()).isFalse();
    }

    @Test
    void regexIsAnchoredAtTheStartOnly() {
        TagExpression e = TagExpression.parse("host=~web");
        assertThat(e.test("web01")).isTrue();
        assertThat(e.test("myweb")).isFalse();
        assertThat(TagExpression.parse("host=~web$").test("web01")).isFalse();
        assertThat(TagExpression.parse("host=~^web").test("web01")).isTrue();
        assertThat(TagExpression.parse("host=~a|web").test("web")).isTrue();
        assertThat(TagExpression.parse("host!=~web").test("web01")).isFalse();
        assertThat(TagExpression.parse("host!=~web").test("db01")).isTrue();
    }

    @Test
    void regexIsCaseSensitive() {
        assertThat(TagExpression.parse("host=~Web").test("web")).isFalse();
        assertThat(TagExpression.parse("host=Web").test("web")).isFalse();
    }

    @Test
    void pythonNamedGroupsAreTranslated() {
        assertThat(TagExpression.parse("h=~(?P<n>ab)(?P=n)").test("abab")).isTrue();
        assertThat(TagExpression.parse("h=~(?P<n>ab)(?P=n)").test("abac")).isFalse();
        assertThat(TagExpression.parse("h=~ab\\Z").test("ab")).isTrue();
        assertThat(TagExpression.parse("h=~ab\\Z").test("abc")).isFalse();
        assertThat(TagExpression.parse("h=~[[a]x").test("[x")).isTrue();
        assertThat(TagExpression.parse("h=~[a&&b]").test("&")).isTrue();
        assertThat(TagExpression.translatePythonRegex("[(?P<x>]")).isEqualTo("[(?P<x>]");
        assertThat(TagExpression.translatePythonRegex("[]\\Z]")).isEqualTo("[]\\Z]");
    }
}
