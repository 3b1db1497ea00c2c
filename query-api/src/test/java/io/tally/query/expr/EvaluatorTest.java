package io.tally.query.expr;

import org.junit.jupiter.api.Test;

import static io.tally.query.expr.Fixture.N;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EvaluatorTest {
    private final Fixture f = new Fixture()
            .add("a.x", 110, 10, 1, 2, 3, 4, 5, 6)
            .add("a.y", 110, 10, 10, N, 30, 40, 50, 60)
            .add("b.z", 110, 10, 7, 7, 7, 7, 7, 7);

    @Test
    void pathsFetchSortedSeriesWithTheirPathExpression() {
        assertThat(f.eval("a.*")).extracting(Series::name).containsExactly("a.x", "a.y");
        assertThat(f.eval("a.*")).extracting(Series::pathExpression).containsOnly("a.*");
        assertThat(f.eval("nothing.*")).isEmpty();
    }

    @Test
    void keywordArgumentsBindByName() {
        assertThat(f.one("movingWindow(a.x, windowSize=2, func='max')").name()).isEqualTo("movingMax(a.x,2)");
        assertThat(f.one("scale(factor=3, seriesList=a.x)").values()).startsWith(3, 6);
    }

    @Test
    void bindingErrorsPointAtTheArgument() {
        assertThatThrownBy(() -> f.eval("scale(a.x)"))
                .hasMessage("col 6: scale() is missing its required parameter factor (scale(seriesList, factor))");
        assertThatThrownBy(() -> f.eval("scale(a.x, 1, 2)"))
                .hasMessage("col 15: too many arguments for scale() (it takes 2 arguments: scale(seriesList, factor))");
        assertThatThrownBy(() -> f.eval("scale(a.x, nope=1)"))
                .hasMessage("col 12: scale() has no parameter named nope (scale(seriesList, factor))");
        assertThatThrownBy(() -> f.eval("scale(a.x, 'abc')"))
                .hasMessage("col 12: scale(): parameter factor must be a number, got 'abc'");
        assertThatThrownBy(() -> f.eval("sumSeries(a.x, fooBar(a.y))"))
                .hasMessage("col 16: Received request for unknown function: fooBar");
        assertThatThrownBy(() -> f.eval("movingAverage(a.x, 'abc')"))
                .hasMessageStartingWith("col 20: movingAverage(): invalid interval 'abc'");
    }

    @Test
    void templatesReplaceVariablesInPaths() {
        assertThat(f.eval("template(a.$v, v='y')")).extracting(Series::name).containsExactly("a.y");
        assertThat(f.eval("template(sumSeries($1.$2), 'a', '*')")).extracting(Series::name)
                .containsExactly("sumSeries(a.*)");
        assertThat(f.one("template(scale(a.x, $k), k=2)").values()).startsWith(2, 4);
    }

    @Test
    void aSetXFilesFactorAppliesToTheRestOfTheRequest() {
        Series s = f.one("sumSeries(setXFilesFactor(a.y, 0.6), a.x|removeBelowValue(3))");
        assertThat(s.values()).containsExactly(N, N, 33, 44, 55, 66);
    }
}
