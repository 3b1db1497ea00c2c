package io.tally.query.functions;

import io.tally.query.expr.Fixture;
import io.tally.query.expr.Series;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.tally.query.expr.Fixture.N;
import static org.assertj.core.api.Assertions.assertThat;

/** One test per Sorting function; sorts are stable and rank series without values lowest. */
class SortingFunctionsTest {
    private final Fixture f = new Fixture()
            .add("s.server10", 110, 10, 1, 9)
            .add("s.server2", 110, 10, 4, 4)
            .add("s.server3", 110, 10, -1, 12)
            .add("s.zero", 110, 10, -5, 0)
            .add("s.null", 110, 10, N, N)
            .window(100, 120);

    private List<String> names(String target) {
        return f.eval(target).stream().map(Series::name).toList();
    }

    @Test
    void sortBy() {
        assertThat(names("sortBy(s.*, 'max')")).containsExactly("s.null", "s.zero", "s.server2", "s.server10",
                "s.server3");
        assertThat(names("sortBy(s.*, 'sum', true)")).containsExactly("s.server3", "s.server10", "s.server2",
                "s.zero", "s.null");
    }

    @Test
    void sortByTotal() {
        assertThat(names("sortByTotal(s.*)")).containsExactly("s.server3", "s.server10", "s.server2", "s.zero",
                "s.null");
    }

    @Test
    void sortByMaxima() {
        assertThat(names("sortByMaxima(s.*)")).containsExactly("s.server3", "s.server10", "s.server2", "s.zero",
                "s.null");
    }

    @Test
    void sortByMinima() {
        assertThat(names("sortByMinima(s.*)")).containsExactly("s.server3", "s.server10", "s.server2");
    }

    @Test
    void sortByName() {
        assertThat(names("sortByName(group(s.server3, s.server10, s.server2))")).containsExactly("s.server10",
                "s.server2", "s.server3");
        assertThat(names("sortByName(group(s.server3, s.server10, s.server2), true)")).containsExactly(
                "s.server2", "s.server3", "s.server10");
        assertThat(names("sortByName(group(s.server3, s.server10, s.server2), true, true)")).containsExactly(
                "s.server10", "s.server3", "s.server2");
    }
}
