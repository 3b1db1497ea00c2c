package io.tally.engine.rules;

import io.tally.engine.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.tally.engine.rules.RewriteRules.Section.POST;
import static io.tally.engine.rules.RewriteRules.Section.PRE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RewriteRulesTest {

    private static RewriteRules parse(String text) throws ConfigException {
        return RewriteRules.parse(text, "rewrite-rules.conf");
    }

    @Test
    void appliesTheSpecExample() throws ConfigException {
        RewriteRules r = parse("""
                [pre]
                ^collectd\\.([a-z0-9]+)\\. = servers.\\1.
                [post]
                _sum$ =
                """);
        assertThat(r.rewrite("collectd.web01.cpu.idle", PRE)).isEqualTo("servers.web01.cpu.idle");
        assertThat(r.rewrite("collectd.Web01.cpu", PRE)).isEqualTo("collectd.Web01.cpu");
        assertThat(r.rewrite("app.requests_sum", POST)).isEqualTo("app.requests");
        assertThat(r.rewrite("app.requests_sum", PRE)).isEqualTo("app.requests_sum");
        assertThat(r.rewrite("collectd.web01.cpu", POST)).isEqualTo("collectd.web01.cpu");
    }

    @Test
    void replacesAllOccurrencesLikeReSub() throws ConfigException {
        RewriteRules r = parse("[pre]\n- = _\nx* = -\n");
        assertThat(r.rules(PRE).get(0).apply("a-b-c")).isEqualTo("a_b_c");
        assertThat(r.rules(PRE).get(1).apply("abxd")).isEqualTo("-a-b--d-");
    }

    @Test
    void appliesRulesSequentiallyInFileOrder() throws ConfigException {
        RewriteRules r = parse("[PRE]\n^a\\. = b.\n^b\\. = c.\n[Post]\n^c = d\n");
        assertThat(r.rewrite("a.x", PRE)).isEqualTo("c.x");
        assertThat(r.rewrite("b.x", PRE)).isEqualTo("c.x");
        assertThat(r.rewrite(r.rewrite("a.x", PRE), POST)).isEqualTo("d.x");
    }

    @Test
    void supportsPythonBackreferenceForms() throws ConfigException {
        RewriteRules r = parse("""
                [pre]
                ^(?P<host>[^.]+)\\.(?P<metric_name>.*)$ = \\g<metric_name>.by_host.\\g<host>
                ^([a-z]+)(\\d+)?$ = \\g<1>-\\2-\\g<0>
                """);
        assertThat(r.rules(PRE).get(0).apply("web01.cpu.user")).isEqualTo("cpu.user.by_host.web01");
        assertThat(r.rules(PRE).get(1).apply("web42")).isEqualTo("web-42-web42");
        assertThat(r.rules(PRE).get(1).apply("web")).as("an unmatched group gives ''").isEqualTo("web--web");
    }

    @Test
    void handlesTemplateEscapesLikePython() throws ConfigException {
        RewriteRules r = parse("[pre]\n^a = x\\\\y\\.z\\101\n");
        assertThat(r.rules(PRE).get(0).apply("a")).isEqualTo("x\\y\\.zA");
    }

    @Test
    void twoDigitGroupReferences() throws ConfigException {
        String groups = "(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)(k)";
        RewriteRules r = parse("[pre]\n" + groups + " = \\11\\1\\10\n");
        assertThat(r.rewrite("abcdefghijk", PRE)).isEqualTo("kaj");
    }

    @Test
    void skipsInvalidRegexesAndReplacementsWithAWarning() throws ConfigException {
        RewriteRules r = parse("""
                [pre]
                ^(unclosed = x
                a = \\q
                a = \\3
                b = \\g<nope>
                ^ok = fine
                """);
        assertThat(r.rules(PRE)).extracting(RewriteRules.Rule::pattern).containsExactly("^ok");
        assertThat(r.rewrite("ok.x", PRE)).isEqualTo("fine.x");
        assertThat(r.warnings()).hasSize(4);
        assertThat(r.warnings().get(0)).startsWith("rewrite-rules.conf line 2 [pre]: invalid regular expression"
                + " '^(unclosed'").endsWith("; rule skipped");
        assertThat(r.warnings().get(1)).isEqualTo("rewrite-rules.conf line 3 [pre]: invalid replacement '\\q' (bad"
                + " escape \\q); rule skipped");
        assertThat(r.warnings().get(2)).contains("invalid group reference 3");
        assertThat(r.warnings().get(3)).contains("unknown group name 'nope'");
    }

    @Test
    void aLineWithoutEqualsRefusesTheFile() {
        assertThatThrownBy(() -> parse("[pre]\n# fine\n^foo bar\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("rewrite-rules.conf line 3 [pre]: '^foo bar' is not a rule (write: regex = replacement)");
    }

    @Test
    void everythingAfterTheFirstEqualsIsTheReplacement() throws ConfigException {
        RewriteRules r = parse("[pre]\n  ^a  =  b=c  \n");
        assertThat(r.rules(PRE).get(0).replacement()).isEqualTo("b=c");
        assertThat(r.rewrite("a.x", PRE)).isEqualTo("b=c.x");
    }

    @Test
    void rulesOutsidePreAndPostAreIgnored() throws ConfigException {
        RewriteRules r = parse("^x = y\n[other]\n^a = b\n");
        assertThat(r.isEmpty()).isTrue();
        assertThat(r.warnings()).containsExactly(
                "rewrite-rules.conf line 1: rule before [pre] or [post] ignored",
                "rewrite-rules.conf line 2: section [other] is not used (rules belong in [pre] or [post])");
    }

    @Test
    void reportsEmptiness() throws ConfigException {
        assertThat(RewriteRules.empty().isEmpty()).isTrue();
        assertThat(parse("# nothing\n\n[pre]\n").isEmpty()).isTrue();
        RewriteRules pre = parse("[pre]\na = b\n");
        assertThat(pre.isEmpty()).isFalse();
        assertThat(pre.isEmpty(PRE)).isFalse();
        assertThat(pre.isEmpty(POST)).isTrue();
    }

    @Test
    void unchangedNamesAreReturnedAsIs() throws ConfigException {
        RewriteRules r = parse("[pre]\n^nomatch = x\n");
        String name = "servers.web01.cpu";
        assertThat(r.rewrite(name, PRE)).isSameAs(name);
        assertThat(RewriteRules.empty().rewrite(name, POST)).isSameAs(name);
    }

    @Test
    void isSafeToUseFromSeveralThreads() throws Exception {
        RewriteRules r = parse("[pre]\n^collectd\\.([a-z0-9]+)\\. = servers.\\1.\n\\.value$ =\n-+ = _\n");
        Random random = new Random(42);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            names.add((random.nextBoolean() ? "collectd." : "other.") + "h" + random.nextInt(50) + ".cpu-"
                    + random.nextInt(4) + (random.nextBoolean() ? ".value" : ""));
        }
        List<String> expected = names.stream().map(n -> r.rewrite(n, PRE)).toList();
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<List<String>>> results = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                results.add(pool.submit(() -> names.stream().map(n -> r.rewrite(n, PRE)).toList()));
            }
            for (Future<List<String>> f : results) {
                assertThat(f.get()).isEqualTo(expected);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(expected.get(0)).doesNotContain("-").doesNotEndWith(".value");
    }
}
