package io.tally.engine.rules;

import io.tally.engine.config.ConfigException;
import io.tally.engine.rules.AggregationRules.Match;
import io.tally.engine.rules.AggregationRules.Method;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AggregationRulesTest {

    private static AggregationRules parse(String text) throws ConfigException {
        return AggregationRules.parse(text, "aggregation-rules.conf");
    }

    private static List<String> outputs(AggregationRules r, String metric) {
        return r.match(metric).stream().map(Match::output).toList();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "<env>.applications.<app>.*.requests | (?P<env>[^.]+?)\\.applications\\.(?P<app>[^.]+?)\\.[^.]+\\.requests$",
            "<env>.applications.<app>.*.<<app_metric>> | (?P<env>[^.]+?)\\.applications\\.(?P<app>[^.]+?)\\.[^.]+\\.(?P<app_metric>.+?)$",
            "<env>.applications.<app>.<domain>\\d{2}.requests | (?P<env>[^.]+?)\\.applications\\.(?P<app>[^.]+?)\\.(?P<domain>[^.]+?)\\d{2}\\.requests$",
            "app.web*.cpu | app\\.web[^.]*\\.cpu$",
            "app.*.*x*.cpu | app\\.[^.]+\\.[^.]*x[^.]*\\.cpu$",
            "pre<x>post.b | pre(?P<x>[^.]+?)post\\.b$",
            "a<<rest>>z | a(?P<rest>.+?)z$",
            "<a>-<b>.c | (?P<a>[^.]+?)-<b>\\.c$",
            "x<*>.y | x(?P<*>[^.]+?)\\.y$",
    })
    void translatesInputPatternsExactlyAsCarbon(String input, String python) {
        assertThat(AggregationRules.inputRegex(input)).isEqualTo(python);
    }

    @Test
    void matchesTheSpecExamples() throws ConfigException {
        AggregationRules r = parse("""
                <env>.applications.<app>.all.requests (60) = sum <env>.applications.<app>.*.requests
                <env>.applications.<app>.all.<app_metric> (60) = sum <env>.applications.<app>.*.<<app_metric>>
                <env>.applications.<app>.<domain>.requests (60) = sum <env>.applications.<app>.<domain>\\d{2}.requests
                """);
        assertThat(outputs(r, "prod.applications.shop.web01.requests")).containsExactly(
                "prod.applications.shop.all.requests",
                "prod.applications.shop.all.requests",
                "prod.applications.shop.web.requests");
        assertThat(outputs(r, "prod.applications.shop.host1.db.query.time"))
                .as("<<app_metric>> spans dots")
                .containsExactly("prod.applications.shop.all.db.query.time");
        assertThat(outputs(r, "prod.applications.shop.requests")).isEmpty();
        assertThat(outputs(r, "prod.applications.shop.webxx.requests"))
                .containsExactly("prod.applications.shop.all.requests", "prod.applications.shop.all.requests");
    }

    @Test
    void anchorsAtBothEnds() throws ConfigException {
        AggregationRules r = parse("a.<x> (10) = sum a.<x>\n");
        assertThat(outputs(r, "a.b")).containsExactly("a.b");
        assertThat(outputs(r, "za.b")).isEmpty();
        assertThat(outputs(r, "a.b.c")).isEmpty();
    }

    @Test
    void starNodesNeedOneCharacterAndStayWithinANode() throws ConfigException {
        AggregationRules r = parse("""
                out.star (10) = sum a.*.b
                out.partial (10) = sum app.web*.cpu
                """);
        assertThat(outputs(r, "a.x.b")).containsExactly("out.star");
        assertThat(outputs(r, "a..b")).isEmpty();
        assertThat(outputs(r, "a.x.y.b")).isEmpty();
        assertThat(outputs(r, "app.web.cpu")).containsExactly("out.partial");
        assertThat(outputs(r, "app.web01.cpu")).containsExactly("out.partial");
        assertThat(outputs(r, "app.web.01.cpu")).isEmpty();
    }

    @Test
    void onlyTheFirstFieldOfANodeIsACaptureAsInCarbon() throws ConfigException {
        assertThat(parse("<a>.x (10) = sum <a>-<b>.y\n").rules().getFirst().regex().matcher("p-<b>.y").lookingAt())
                .isTrue();
        assertThatThrownBy(() -> parse("<a>.<b>.x (10) = sum <a>-<b>.y\n"))
                .hasMessageContaining("uses <b>, which the input pattern does not capture (it captures a)");
        assertThatThrownBy(() -> parse("all.<m> (60) = sum <m>;dc=<<tags>>\n"))
                .as("a <<field>> node keeps the text around it verbatim")
                .hasMessageContaining("uses <m>, which the input pattern does not capture (it captures tags)");
    }

    @Test
    void tagsOfTaggedSeriesAreMatchedAsText() throws ConfigException {
        AggregationRules r = parse("all.<m> (60) = sum disk.<m>\nby_dc.<dc> (60) = sum disk.used;dc=<dc>;host=h1\n");
        assertThat(outputs(r, "disk.used;dc=us-east;host=h1"))
                .containsExactly("all.used;dc=us-east;host=h1", "by_dc.us-east");
    }

    @Test
    void readsRuleFields() throws ConfigException {
        AggregationRules r = parse("""
                # comment

                   out.<x> (300) = p95 in.<x>.*
                out2 60 = count in.*
                out3 ((15)) = avg in.*
                """);
        AggregationRules.Rule rule = r.rules().getFirst();
        assertThat(rule.line()).isEqualTo(3);
        assertThat(rule.frequency()).isEqualTo(300);
        assertThat(rule.method()).isEqualTo(Method.P95);
        assertThat(rule.outputTemplate()).isEqualTo("out.<x>");
        assertThat(rule.inputPattern()).isEqualTo("in.<x>.*");
        assertThat(rule).hasToString("out.<x> (300) = p95 in.<x>.*");
        assertThat(r.rules()).extracting(AggregationRules.Rule::frequency).containsExactly(300, 60, 15);
        assertThat(rule.outputFor("in.a.b")).isEqualTo("out.a");
        assertThat(rule.outputFor("in.a")).isNull();
    }

    @Test
    void knowsEveryMethod() {
        for (String name : List.of("sum", "avg", "min", "max", "count", "last", "p50", "p75", "p80", "p90", "p95",
                "p99", "p999")) {
            assertThat(Method.parse(name)).as(name).isNotNull();
            assertThat(Method.parse(name).configName).isEqualTo(name);
        }
        assertThat(Method.P999.quantile).isEqualTo(0.999);
        assertThat(Method.P50.isPercentile()).isTrue();
        assertThat(Method.SUM.isPercentile()).isFalse();
        assertThat(Method.parse("SUM")).isNull();
        assertThat(Method.parse("median")).isNull();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "out (60) sum in.* | 'out (60) sum in.*' is not a rule (write: output_template (frequency) = method input_pattern)",
            "out = sum in.* | 'out = sum in.*' is not a rule (write: output_template (frequency) = method input_pattern)",
            "out (60) = sum in.* extra | 'out (60) = sum in.* extra' is not a rule (write: output_template (frequency) = method input_pattern)",
            "out (0) = sum in.* | frequency '(0)' is not a positive number of seconds (write e.g. (60))",
            "out (1m) = sum in.* | frequency '(1m)' is not a positive number of seconds (write e.g. (60))",
            "out (60) = median in.* | unknown method 'median' (use sum, avg, min, max, count, last, p50, p75, p80, p90, p95, p99, p999)",
            "out (60) = sum in.(x | input pattern 'in.(x' gives the invalid regular expression 'in\\.(x$': Unclosed group",
            "out.<y> (60) = sum in.<x> | output template 'out.<y>' uses <y>, which the input pattern does not capture (it captures x)",
            "out.<y (60) = sum in.<y> | output template 'out.<y' has a '<' without '>'",
            "out.y> (60) = sum in.<y> | output template 'out.y>' has a '>' without '<'",
            "out.<x> (60) = sum in.<x>.<x> | input pattern 'in.<x>.<x>' gives the invalid regular expression 'in\\.(?P<x>[^.]+?)\\.(?P<x>[^.]+?)$': redefinition of group name 'x'",
    })
    void malformedLinesRefuseTheFileNamingTheLine(String line, String detail) {
        assertThatThrownBy(() -> parse("# first\n" + line + "\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("aggregation-rules.conf line 2: " + detail);
    }

    @Test
    void cachesMatchesPerName() throws ConfigException {
        AggregationRules r = AggregationRules.parse("out.<x> (60) = sum in.<x>\n", "rules", 10);
        List<Match> first = r.match("in.a");
        assertThat(r.match("in.a")).isSameAs(first);
        assertThat(r.match("nope")).isEmpty();
        for (int i = 0; i < 1000; i++) {
            r.match("in." + i);
        }
        assertThat(r.cachedNames()).isLessThanOrEqualTo(10);
        assertThat(r.match("in.a")).isEqualTo(first);
    }

    @Test
    void emptyRulesMatchNothing() throws ConfigException {
        assertThat(AggregationRules.empty().match("a.b")).isEmpty();
        assertThat(parse("# only comments\n\n").isEmpty()).isTrue();
        assertThat(AggregationRules.empty()).hasToString("(no aggregation rules)");
    }

    @Test
    void loadsAFile(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path f = dir.resolve("aggregation-rules.conf");
        Files.writeString(f, "out.<x> (60) = sum in.<x>\nbad line\n");
        assertThatThrownBy(() -> AggregationRules.load(f)).hasMessageStartingWith(f + " line 2: 'bad line'");
        Files.writeString(f, "out.<x> (60) = sum in.<x>\n");
        assertThat(outputs(AggregationRules.load(f), "in.q")).containsExactly("out.q");
    }
}
