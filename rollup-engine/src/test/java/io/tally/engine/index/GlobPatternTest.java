package io.tally.engine.index;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GlobPatternTest {

    @ParameterizedTest(name = "[{index}] ''{0}'' vs ''{1}'' -> {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            cpu            | cpu        | true
            cpu            | cpu0       | false
            cpu            | CPU        | false
            *              | anything   | true
            *              | ""         | false
            cpu*           | cpu        | true
            cpu*           | cpu_user   | true
            cpu*           | xcpu       | false
            *user          | cpu_user   | true
            ix*ehs*v       | ixABehsCDv | true
            ix*ehs*v       | ixehsv     | true
            ix*ehs*v       | ixehs      | false
            a*b*a          | aba        | true
            a*b*a          | abba       | true
            a*b*a          | ab         | false
            *a*a*          | xaxa       | true
            *a*a*          | xa         | false
            ?              | x          | true
            ?              | xy         | false
            host0?         | host01     | true
            host0?         | host0      | false
            ??*            | ab         | true
            ??*            | a          | false
            [abc]          | b          | true
            [abc]          | d          | false
            host0[1-3]     | host02     | true
            host0[1-3]     | host04     | false
            host0[2-3]     | host03     | true
            [a-z0-9]x      | 7x         | true
            [a-z0-9]x      | Ax         | false
            [!abc]         | d          | true
            [!abc]         | a          | false
            [!a-c]z        | dz         | true
            [^abc]         | ^          | true
            [^abc]         | a          | true
            [^abc]         | d          | false
            []a]           | ]          | true
            []a]           | a          | true
            [!]a]          | b          | true
            [!]a]          | ]          | false
            [-a]           | -          | true
            [a-]           | -          | true
            [a-]           | b          | false
            [z-a]          | m          | false
            [z-a]x         | x          | false
            [az-bc]        | a          | true
            [az-bc]        | c          | true
            [az-bc]        | b          | false
            [!z-a]         | q          | true
            [a-c-e]        | -          | true
            [a-c-e]        | d          | false
            [ab            | [ab        | true
            [ab            | a          | false
            a[             | a[         | true
            {a,b}          | a          | true
            {a,b}          | b          | true
            {a,b}          | ab         | false
            {cpu,mem}*     | memory     | true
            {a,b{c,d}}     | bd         | true
            {a,b{c,d}}     | b          | false
            x{,-old}       | x          | true
            x{,-old}       | x-old      | true
            x{,-old}       | x-new      | false
            {a,b}{c,d}     | bc         | true
            {a,b}{c,d}     | ab         | false
            {a*,*b}        | zzb        | true
            {a*,*b}        | zz         | false
            {h[12],x?}     | h2         | true
            {h[12],x?}     | xy         | true
            {a,b           | {a,b       | true
            {a,b           | a          | false
            a}b            | a}b        | true
            a\\*b          | a*b        | true
            a\\*b          | axb        | false
            \\{a\\}        | {a}        | true
            q\\?           | q?         | true
            q\\?           | qx         | false
            *              | .hidden    | false
            .*             | .hidden    | false
            ?hidden        | .hidden    | false
            ;*             | ;x         | true
            a=*            | a=1        | true
            """)
    void matchesLikeFnmatchWithBraces(String pattern, String name, boolean expected) {
        assertThat(GlobPattern.compile(pattern).matches(name)).isEqualTo(expected);
    }

    @Test
    void questionMarkAndSetsConsumeWholeCodePoints() {
        String smile = new String(Character.toChars(0x1F600));
        assertThat(GlobPattern.compile("a?b").matches("a" + smile + "b")).isTrue();
        assertThat(GlobPattern.compile("a??b").matches("a" + smile + "b")).isFalse();
        assertThat(GlobPattern.compile("*?").matches(smile)).isTrue();
        assertThat(GlobPattern.compile("[" + smile + "]x").matches(smile + "x")).isTrue();
        assertThat(GlobPattern.compile("e*").matches("école")).isFalse();
        assertThat(GlobPattern.compile("é*").matches("élan")).isTrue();
    }

    @Test
    void literalPatternsAreRecognised() {
        assertThat(GlobPattern.compile("cpu").isLiteral()).isTrue();
        assertThat(GlobPattern.compile("a\\*b").isLiteral()).isTrue();
        assertThat(GlobPattern.compile("[ab").isLiteral()).isTrue();
        assertThat(GlobPattern.compile("{a,b}").isLiteral()).isFalse();
        assertThat(GlobPattern.compile("{a,b}").isLiteralSet()).isTrue();
        assertThat(GlobPattern.compile("{a,b}").literals()).containsExactly("a", "b");
        assertThat(GlobPattern.compile("{a,a}").isLiteral()).isTrue();
        assertThat(GlobPattern.compile("a*").isLiteral()).isFalse();
        assertThat(GlobPattern.compile("a?").isLiteralSet()).isFalse();
    }

    @Test
    void loneStarIsRecognised() {
        assertThat(GlobPattern.compile("*").matchesEveryVisibleName()).isTrue();
        assertThat(GlobPattern.compile("**").matchesEveryVisibleName()).isTrue();
        assertThat(GlobPattern.compile("{*,a}").matchesEveryVisibleName()).isTrue();
        assertThat(GlobPattern.compile("*a").matchesEveryVisibleName()).isFalse();
    }

    @Test
    void hugeBraceExpansionIsRefused() {
        String p = "{a,b}".repeat(13); // 8192 alternatives
        assertThatThrownBy(() -> GlobPattern.compile(p))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("more than 4096");
        assertThat(GlobPattern.compile("{a,b}".repeat(12)).matches("ab".repeat(6))).isTrue();
    }

    @Test
    void matchesAnyCharSequence() {
        assertThat(GlobPattern.compile("{cpu,mem,disk,net,io}").matches(new StringBuilder("net"))).isTrue();
        assertThat(GlobPattern.compile("c*u").matches(new StringBuilder("cpu"))).isTrue();
    }

    /** Differential test against a slow reference: brace expansion by string rewriting, then java.util.regex. */
    @Test
    void randomPatternsAgreeWithRegexReference() {
        Random rnd = new Random(20261122);
        String[] pieces = {"a", "b", "ab", "-", "*", "?", "[ab]", "[!a]", "[a-c]", "[]b]", "[", "x"};
        for (int i = 0; i < 3000; i++) {
            String pattern = randomPattern(rnd, pieces, 0);
            GlobPattern compiled = GlobPattern.compile(pattern);
            Pattern reference = Pattern.compile(GlobReference.nodeRegex(pattern));
            for (int j = 0; j < 20; j++) {
                StringBuilder name = new StringBuilder();
                int len = 1 + rnd.nextInt(6);
                for (int k = 0; k < len; k++) {
                    name.append("abcx-][!".charAt(rnd.nextInt(8)));
                }
                boolean expected = reference.matcher(name).matches();
                assertThat(compiled.matches(name.toString()))
                        .as("pattern %s name %s (reference %s)", pattern, name, reference)
                        .isEqualTo(expected);
            }
        }
    }

    private static String randomPattern(Random rnd, String[] pieces, int depth) {
        StringBuilder sb = new StringBuilder();
        int n = rnd.nextInt(4);
        for (int i = 0; i < n; i++) {
            if (depth < 2 && rnd.nextInt(5) == 0) {
                sb.append('{');
                int alts = 1 + rnd.nextInt(3);
                for (int a = 0; a < alts; a++) {
                    if (a > 0) {
                        sb.append(',');
                    }
                    sb.append(randomPattern(rnd, pieces, depth + 1));
                }
                sb.append('}');
            } else {
                sb.append(pieces[rnd.nextInt(pieces.length)]);
            }
        }
        return sb.toString();
    }
}
