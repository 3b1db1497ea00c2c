package io.tally.query.expr;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PyRegexTest {

    @Test
    void grafanaWrapperKeepsTheNameAndAppendsTheRefId() {
        assertThat(PyRegex.compile("(^.*$)").sub("\\1 A", "servers.web01.cpu")).isEqualTo("servers.web01.cpu A");
    }

    @Test
    void backreferencesInPythonSyntaxOnly() {
        PyRegex re = PyRegex.compile("^a\\.(?P<host>[^.]+)\\.(\\w+)");
        assertThat(re.sub("\\2@\\g<host>|\\g<1>", "a.web.cpu")).isEqualTo("cpu@web|web");
        assertThat(PyRegex.compile("x").sub("$1 \\\\ \\n", "axb")).isEqualTo("a$1 \\ \nb");
        assertThat(PyRegex.compile("(a)|(b)").sub("[\\2]", "ab")).isEqualTo("[][b]");
    }

    @Test
    void replacesEveryMatch() {
        assertThat(PyRegex.compile("\\.").sub("_", "a.b.c")).isEqualTo("a_b_c");
    }

    @Test
    void searchIsUnanchored() {
        assertThat(PyRegex.compile("host0[12]").search("oracle.eu.host02.cpu")).isTrue();
        assertThat(PyRegex.compile("^host").search("oracle.host")).isFalse();
    }

    @Test
    void badPatternsAndTemplatesAreReported() {
        assertThatThrownBy(() -> PyRegex.compile("(")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid regular expression '('");
        assertThatThrownBy(() -> PyRegex.compile("(a)").sub("\\2", "a")).hasMessageContaining("invalid group");
        assertThatThrownBy(() -> PyRegex.compile("a").sub("\\q", "a")).hasMessageContaining("bad escape");
    }
}
