package io.tally.query.expr;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

class ParserTest {

    private static Expr.Call call(String target) {
        return (Expr.Call) Parser.parse(target);
    }

    @Test
    void pathsKeepGlobsBracesAndTaggedNames() {
        assertThat(Parser.parse("a.b-c.*.{x,y}z.[0-9]?")).isEqualTo(new Expr.Path("a.b-c.*.{x,y}z.[0-9]?", 0));
        assertThat(Parser.parse("disk.used;dc=eu-west;host=h3")).isInstanceOf(Expr.Path.class);
        assertThat(((Expr.Path) Parser.parse("x{,-old}.{a,b{c,d}}")).text()).isEqualTo("x{,-old}.{a,b{c,d}}");
    }

    @Test
    void escapesInPathsKeepTheCharacterAndDropTheBackslash() {
        assertThat(((Expr.Path) Parser.parse("a\\,b.c\\(1\\)\\=x")).text()).isEqualTo("a,b.c(1)=x");
    }

    @Test
    void callsWithEveryKindOfArgument() {
        String text = "f(a.b, 1, -2.5, 1e3, 2E-2, true, FALSE, None, inf, 'x', \"y\")";
        Expr.Call c = call(text);
        assertThat(c.name()).isEqualTo("f");
        List<Expr> a = c.args();
        assertThat(a.get(0)).isEqualTo(new Expr.Path("a.b", 2));
        assertThat(((Expr.Num) a.get(1)).value()).isEqualTo(1L);
        assertThat(((Expr.Num) a.get(2)).value()).isEqualTo(-2.5);
        assertThat(((Expr.Num) a.get(3)).value()).isEqualTo(1000.0);
        assertThat(((Expr.Num) a.get(4)).value()).isEqualTo(0.02);
        assertThat(a.get(5)).isEqualTo(new Expr.Bool(true, text.indexOf("true")));
        assertThat(((Expr.Bool) a.get(6)).value()).isFalse();
        assertThat(a.get(7)).isInstanceOf(Expr.NoneLit.class);
        assertThat(((Expr.Num) a.get(8)).value()).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(a.get(9)).isEqualTo(new Expr.Str("x", text.indexOf("'x'")));
        assertThat(((Expr.Str) a.get(10)).value()).isEqualTo("y");
        assertThat(c.raw()).isEqualTo(text);
    }

    @Test
    void numbersOnlyWhenAnArgumentEndsAfterThem() {
        assertThat(call("f(1h)").args().get(0)).isEqualTo(new Expr.Path("1h", 2));
        assertThat(call("f(1e+06)").args().get(0)).isInstanceOf(Expr.Path.class);
        assertThat(call("f( 5 )").args().get(0)).isEqualTo(new Expr.Num(5L, 3));
        assertThat(call("f(true.x)").args().get(0)).isEqualTo(new Expr.Path("true.x", 2));
        assertThat(((Expr.Num) call("f(99999999999999999999)").args().get(0)).value()).isEqualTo(1e20);
    }

    @Test
    void stringsKeepEscapesAsWritten() {
        assertThat(call("f('a\\'b', \"\\1 x\", '\\d+')").args()).extracting(e -> ((Expr.Str) e).value())
                .containsExactly("a\\'b", "\\1 x", "\\d+");
    }

    @Test
    void keywordArgumentsFollowPositionalOnes() {
        Expr.Call c = call("f(x, 2, xFilesFactor=0.5, func = 'max')");
        assertThat(c.args()).hasSize(2);
        assertThat(c.kwargs()).extracting(Expr.Kwarg::name).containsExactly("xFilesFactor", "func");
        assertThatThrownBy(() -> Parser.parse("f(a=1, x)")).hasMessageStartingWith("col 8: positional argument");
    }

    @Test
    void pipesBecomeTheFirstArgument() {
        Expr.Call c = call("a.b|scale(2) | alias('x')");
        assertThat(c.name()).isEqualTo("alias");
        Expr.Call inner = (Expr.Call) c.args().get(0);
        assertThat(inner.name()).isEqualTo("scale");
        assertThat(inner.args()).containsExactly(new Expr.Path("a.b", 0), new Expr.Num(2L, 10));
        assertThat(call("sumSeries(a|scale(2), b)").args().get(0)).isInstanceOf(Expr.Call.class);
    }

    @Test
    void templatesTakeLiteralValues() {
        Expr.Template t = (Expr.Template) Parser.parse("template(a.$host.b, host='web1')");
        assertThat(t.inner()).isEqualTo(new Expr.Path("a.$host.b", 9));
        assertThat(t.kwargs()).extracting(Expr.Kwarg::name).containsExactly("host");
        Expr.Template p = (Expr.Template) Parser.parse("template(sumSeries(a.$1), 'x', 2)");
        assertThat(p.args()).hasSize(2);
        assertThatThrownBy(() -> Parser.parse("template(a.$1, b.c)")).hasMessageContaining("invalid template()");
    }

    static Stream<Arguments> syntaxErrors() {
        return Stream.of(
                Arguments.of("sumSeries(a.b",
                        "col 14: expected ',' or ')' to continue the arguments of sumSeries(), found end of input"),
                Arguments.of("alias(a, 'x)", "col 10: unterminated string: missing closing '"),
                Arguments.of("f(a,)", "col 5: expected a metric path, a function call or a value, found ')'"),
                Arguments.of("a.b)", "col 4: unexpected ')' after the end of the expression"),
                Arguments.of("a..b", "col 3: expected a path element after '.', found '.'"),
                Arguments.of("f(a b)", "col 5: expected ',' or ')' after an argument of f(), found 'b'"),
                Arguments.of("a|b", "col 3: expected a function call after '|'"),
                Arguments.of("'x'", "col 1: expected a metric path, a function call or a value, found '''"),
                Arguments.of("a.{b,c", "col 3: unterminated '{' in a path"),
                Arguments.of("   ", "col 4: empty target"));
    }

    @ParameterizedTest
    @MethodSource("syntaxErrors")
    void syntaxErrorsPointAtTheColumn(String target, String message) {
        assertThatThrownBy(() -> Parser.parse(target)).isInstanceOf(ExpressionException.class).hasMessage(message);
    }

    @Test
    void theColumnIsAvailableToCallers() {
        ExpressionException e = (ExpressionException) catchThrowable(() -> Parser.parse("scale(a.b, 2"));
        assertThat(e.column()).isEqualTo(13);
    }
}
