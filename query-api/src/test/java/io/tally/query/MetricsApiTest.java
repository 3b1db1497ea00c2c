package io.tally.query;

import io.tally.engine.api.FindNode;
import io.tally.engine.config.AggregationMethod;
import io.tally.engine.util.ManualClock;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MetricsApiTest {
    private static final MetricsApi.Out PLAIN = new MetricsApi.Out(false, true, null);

    private final FakeReader reader = new FakeReader()
            .add("servers.web01.cpu", 0, 10, AggregationMethod.AVERAGE)
            .add("servers.web01.load", 0, 10, AggregationMethod.AVERAGE)
            .add("servers.web02.cpu", 0, 10, AggregationMethod.AVERAGE)
            .add("servers.sparse", 0, 10, AggregationMethod.AVERAGE)
            .add("servers.sparse.count", 0, 10, AggregationMethod.SUM);
    private final MetricsApi api = new MetricsApi(reader, QueryLimits.defaults(), new ManualClock(1000));

    private String find(String query, String format, boolean leavesOnly, boolean wildcards) {
        return api.find(query, format, leavesOnly, wildcards, false, -1, PLAIN).toString();
    }

    @Test
    void treeJsonListsBranchesThenLeavesAndHidesTheLeafTwinOfABranch() {
        assertThat(find("servers.*", null, false, false)).isEqualTo("["
                + "{\"text\": \"sparse\", \"id\": \"servers.sparse\", \"allowChildren\": 1, \"expandable\": 1, \"leaf\": 0}, "
                + "{\"text\": \"web01\", \"id\": \"servers.web01\", \"allowChildren\": 1, \"expandable\": 1, \"leaf\": 0}, "
                + "{\"text\": \"web02\", \"id\": \"servers.web02\", \"allowChildren\": 1, \"expandable\": 1, \"leaf\": 0}]");
    }

    @Test
    void treeJsonIdsKeepTheQueryPrefixAsWrittenAndDeduplicateByName() {
        assertThat(find("servers.web*.cpu", "treejson", false, false)).isEqualTo("["
                + "{\"text\": \"cpu\", \"id\": \"servers.web*.cpu\", \"allowChildren\": 0, \"expandable\": 0, \"leaf\": 1}]");
    }

    @Test
    void wildcardsAddsAStarEntryWhenMoreThanOneMatch() {
        assertThat(find("servers.web01.*", "treejson", false, true)).startsWith("["
                + "{\"text\": \"*\", \"id\": \"servers.web01.*\", \"allowChildren\": 0, \"expandable\": 0, \"leaf\": 1}, "
                + "{\"text\": \"cpu\"");
        assertThat(find("servers.web01.cpu", "treejson", false, true)).doesNotContain("\"*\"");
    }

    @Test
    void completerListsBothTwinsAndRewritesTheQuery() {
        assertThat(find("servers.sp", "completer", false, false)).isEqualTo("{\"metrics\": ["
                + "{\"path\": \"servers.sparse.\", \"name\": \"sparse\", \"is_leaf\": \"0\"}, "
                + "{\"path\": \"servers.sparse\", \"name\": \"sparse\", \"is_leaf\": \"1\"}]}");
        assertThat(MetricsApi.completerQuery("a..b", false)).isEqualTo("a*.b*");
        assertThat(MetricsApi.completerQuery("a.x,y.c*", true)).isEqualTo("a.{x,y}.c*");
    }

    @Test
    void jsonFormatSortsByPathAndMarksLeaves() {
        assertThat(find("servers.sparse*", "json", false, false)).isEqualTo("["
                + "{\"path\": \"servers.sparse\", \"is_leaf\": false}, "
                + "{\"path\": \"servers.sparse\", \"is_leaf\": true, \"intervals\": []}]");
    }

    @Test
    void leavesOnlyDropsBranches() {
        assertThat(find("servers.*", "completer", true, false)).isEqualTo("{\"metrics\": ["
                + "{\"path\": \"servers.sparse\", \"name\": \"sparse\", \"is_leaf\": \"1\"}]}");
    }

    @Test
    void nodelistCollectsOneNodePosition() {
        assertThat(api.find("servers.*.*", "nodelist", false, false, false, 1, PLAIN).toString())
                .isEqualTo("{\"nodes\": [\"sparse\", \"web01\", \"web02\"]}");
    }

    @Test
    void badFindInput() {
        assertThatThrownBy(() -> find(null, null, false, false)).isInstanceOf(BadRequestException.class)
                .hasMessage("Missing required parameter 'query'");
        assertThatThrownBy(() -> find("", null, false, false)).hasMessage("Required parameter 'query' is empty");
        assertThatThrownBy(() -> find("a", "xml", false, false)).hasMessage("Invalid value for 'format' parameter");
    }

    @Test
    void expandUnionsOrGroupsQueries() {
        List<String> qs = List.of("servers.web0[12]", "servers.web01.*");
        assertThat(api.expand(qs, false, false, PLAIN).toString()).isEqualTo("{\"results\": ["
                + "\"servers.web01\", \"servers.web01.cpu\", \"servers.web01.load\", \"servers.web02\"]}");
        assertThat(api.expand(qs, true, true, PLAIN).toString()).isEqualTo("{\"results\": {"
                + "\"servers.web0[12]\": [], \"servers.web01.*\": [\"servers.web01.cpu\", \"servers.web01.load\"]}}");
    }

    @Test
    void indexListsEveryLeafSorted() {
        assertThat(api.index(PLAIN).toString()).isEqualTo("[\"servers.sparse\", \"servers.sparse.count\", "
                + "\"servers.web01.cpu\", \"servers.web01.load\", \"servers.web02.cpu\"]");
    }

    @Test
    void findNodesFromTheFakeAreSortedBranchFirst() {
        assertThat(reader.find("servers.sparse", 10))
                .containsExactly(new FindNode("servers.sparse", false), new FindNode("servers.sparse", true));
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
            "*|treejson|false|true", "a.b.*|treejson|false|true", "a.{x,y}.c|treejson|false|true",
            "a.b[0-9].c|,|false|true", "a.b|completer|false|true", "a.*.*|treejson|false|false",
            "a*.b*|treejson|false|false", "a*.b|completer|false|false", "a.b;tag=x|treejson|false|false",
            "a.*|pickle|false|false", "a.*|msgpack|false|false"})
    void cheapFindsHaveWildcardsInAtMostOneLevel(String query, String format, boolean variants, boolean cheap) {
        assertThat(MetricsApi.cheapFind(query, format, variants)).as(query + " " + format).isEqualTo(cheap);
    }
}
