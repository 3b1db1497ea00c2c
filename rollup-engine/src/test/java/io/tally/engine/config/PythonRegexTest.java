package io.tally.engine.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PythonRegexTest {

    private static boolean search(String python, String input) {
        return PythonRegex.compile(python).matcher(input).find();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "(?P<host>[^.]+)\\.(?P=host)      | (?<host>[^.]+)\\.\\k<host>",
            "^carbon\\.                       | ^carbon\\.",
            "abc\\Z                           | abc\\z",
            "a{x}                             | a\\{x}",
            "a{                               | a\\{",
            "a{}                              | a\\{}",
            "a{,3}                            | a{0,3}",
            "a{2,}                            | a{2,}",
            "a{,}                             | a{0,}",
            "a{2}b{1,3}                       | a{2}b{1,3}",
            "[[]                              | [\\[]",
            "[]a]                             | [\\]a]",
            "[^]a]                            | [^\\]a]",
            "[a&&b]                           | [a\\&\\&b]",
            "x(?#a comment)y                  | xy",
            "(?i)web                          | (?i)web",
            "(?a)\\w+                         | \\w+",
            "(?u:x)                           | (?:x)",
            "(?-i:x)                          | (?-i:x)",
            "\"(?:a|b)(?=c)(?!d)(?<=e)(?<!f)\" | \"(?:a|b)(?=c)(?!d)(?<=e)(?<!f)\"",
            "\\v                              | \\x0B",
            "[\\b]                            | [\\x08]",
            "\\0                              | \\x{0}",
            "\\012                            | \\x{a}",
            "\\U0001F600                      | \\x{0001F600}",
    })
    void translatesSyntax(String python, String java) {
        assertThat(PythonRegex.translate(python).javaRegex()).isEqualTo(java);
    }

    @Test
    void renamesGroupNamesJavaCannotSpell() {
        PythonRegex.Translation t = PythonRegex.translate("(?P<app_metric>.+)-(?P<appmetric>x)-(?P<_1>y)(?P=app_metric)");
        assertThat(t.groupNames()).containsExactly(
                org.assertj.core.api.Assertions.entry("app_metric", "appmetric2"),
                org.assertj.core.api.Assertions.entry("appmetric", "appmetric"),
                org.assertj.core.api.Assertions.entry("_1", "g1"));
        var m = t.compile().matcher("a.b-x-ya.b");
        assertThat(m.matches()).isTrue();
        assertThat(m.group(t.groupNames().get("app_metric"))).isEqualTo("a.b");
    }

    @Test
    void matchesLikePythonSearch() {
        assertThat(search("^carbon\\.", "carbon.agents")).isTrue();
        assertThat(search("^carbon\\.", "xcarbon.agents")).isFalse();
        assertThat(search("\\.count$", "a.b.count")).isTrue();
        assertThat(search("\\.count\\Z", "a.b.count\n")).isFalse();
        assertThat(search("\\.count$", "a.b.count\n")).isTrue();
        assertThat(search("host{1,}", "hostt")).isTrue();
        assertThat(search("a{x}", "a{x}")).isTrue();
        assertThat(search("[[]x", "[x")).isTrue();
        assertThat(search("(?i)WEB", "web01")).isTrue();
    }

    @Test
    void wordAndDigitClassesAreUnicodeLikePython3() {
        assertThat(search("^\\w+$", "café")).isTrue();
        assertThat(search("^\\d+$", "١٢")).isTrue();
        assertThat(search("(?a)^\\w+$", "café")).isFalse();
        assertThat(search("(?i)^CAFÉ$", "café")).isTrue();
    }

    @Test
    void rejectsWhatPythonRejectsOrJavaCannotExpress() {
        assertThatThrownBy(() -> PythonRegex.compile("\\h")).isInstanceOf(PatternSyntaxException.class)
                .hasMessageContaining("bad escape \\h");
        assertThatThrownBy(() -> PythonRegex.compile("\\p{L}")).isInstanceOf(PatternSyntaxException.class);
        assertThatThrownBy(() -> PythonRegex.compile("(a)?(?(1)b|c)"))
                .hasMessageContaining("conditional groups");
        assertThatThrownBy(() -> PythonRegex.compile("(?P=nope)")).hasMessageContaining("unknown group name 'nope'");
        assertThatThrownBy(() -> PythonRegex.compile("(?P<a>x)(?P<a>y)"))
                .hasMessageContaining("redefinition of group name 'a'");
        assertThatThrownBy(() -> PythonRegex.compile("(?P<1a>x)")).hasMessageContaining("bad character in group name");
        assertThatThrownBy(() -> PythonRegex.compile("[abc")).hasMessageContaining("unterminated character set");
        assertThatThrownBy(() -> PythonRegex.compile("(abc")).isInstanceOf(PatternSyntaxException.class)
                .satisfies(e -> assertThat(((PatternSyntaxException) e).getPattern()).isEqualTo("(abc"));
        assertThatThrownBy(() -> PythonRegex.compile("abc\\")).hasMessageContaining("bad escape (end of pattern)");
    }

    @Test
    void compilesWithUnicodeClassesUnlessAscii() {
        assertThat(PythonRegex.translate("x").flags()).isEqualTo(Pattern.UNICODE_CHARACTER_CLASS);
        assertThat(PythonRegex.translate("(?a)x").flags()).isZero();
    }
}
