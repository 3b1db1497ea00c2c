package io.tally.query.functions;

import io.tally.query.expr.FunctionInfo;
import io.tally.query.expr.Param;
import io.tally.query.expr.SeriesFunction;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class FunctionRegistryTest {
    private static final Set<String> GROUPS = Set.of("Combine", "Transform", "Calculate", "Filter Series",
            "Filter Data", "Sorting", "Alias", "Graph", "Special");
    private static final List<Class<?>> TESTS = List.of(CombineFunctionsTest.class, TransformFunctionsTest.class,
            CalculateFunctionsTest.class, FilterFunctionsTest.class, SortingFunctionsTest.class,
            AliasFunctionsTest.class, GraphFunctionsTest.class, SpecialFunctionsTest.class);

    @Test
    void graphiteAliasesResolveToTheirFunctions() {
        FunctionRegistry r = FunctionRegistry.standard();
        assertThat(r.find("sum")).isSameAs(r.find("sumSeries"));
        assertThat(r.find("avg")).isSameAs(r.find("averageSeries"));
        assertThat(r.find("map")).isSameAs(r.find("mapSeries"));
        assertThat(r.find("reduce")).isSameAs(r.find("reduceSeries"));
        assertThat(r.find("pct")).isSameAs(r.find("asPercent"));
        assertThat(r.find("time")).isSameAs(r.find("timeFunction"));
        assertThat(r.find("sin")).isSameAs(r.find("sinFunction"));
        assertThat(r.find("randomWalk")).isSameAs(r.find("randomWalkFunction"));
        assertThat(r.find("xFilesFactor")).isSameAs(r.find("setXFilesFactor"));
        // graphite registers the logarithm as log only
        assertThat(r.find("logarithm")).isNull();
    }

    @Test
    void everyFunctionDescribesItself() {
        for (SeriesFunction f : FunctionRegistry.standard().byName().values()) {
            FunctionInfo info = f.info();
            assertThat(info.description()).as(info.name()).isNotBlank();
            assertThat(GROUPS).as(info.name()).contains(info.group());
            for (int i = 0; i < info.params().size(); i++) {
                Param p = info.params().get(i);
                assertThat(p.name()).as(info.name()).isNotBlank();
                if (p.multiple()) {
                    assertThat(i).as(info.name() + ": only the last parameter may be multiple")
                            .isEqualTo(info.params().size() - 1);
                }
            }
        }
    }

    /** carbonapi's rule: every function has its own test (a test method named after it). */
    @Test
    void everyFunctionHasItsOwnTest() {
        Set<String> tested = new HashSet<>();
        for (Class<?> c : TESTS) {
            for (Method m : c.getDeclaredMethods()) {
                if (m.isAnnotationPresent(Test.class)) {
                    tested.add(m.getName());
                }
            }
        }
        List<String> untested = new ArrayList<>();
        for (SeriesFunction f : new HashSet<>(FunctionRegistry.standard().byName().values())) {
            if (!tested.contains(f.info().name())) {
                untested.add(f.info().name());
            }
        }
        assertThat(untested).isEmpty();
    }

    /** docs/FUNCTIONS.md must not drift: every function and alias has a row there. */
    @Test
    void theFunctionTableListsEveryFunction() throws IOException {
        Path doc = Path.of("..", "docs", "FUNCTIONS.md");
        Assumptions.assumeTrue(Files.isRegularFile(doc), "docs/FUNCTIONS.md not beside the module");
        String text = Files.readString(doc);
        for (SeriesFunction f : FunctionRegistry.standard().byName().values()) {
            assertThat(text).as(f.info().name()).contains("| `" + f.info().name() + "` |");
            for (String alias : f.info().aliases()) {
                assertThat(text).as(alias).contains("`" + alias + "`");
            }
        }
    }
}
