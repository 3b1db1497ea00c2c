package io.tally.engine.index;

import io.tally.engine.api.LimitExceededException;
import org.junit.jupiter.api.Test;
import org.roaringbitmap.RoaringBitmap;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SeriesIndexTagsTest {
    private static final String[] SERIES = {
        "disk.used;dc=us-east;host=h1;mount=root",
        "disk.used;dc=us-east;host=h2;mount=root",
        "disk.used;dc=eu-west;host=h3;mount=root",
        "disk.used;dc=eu-west;host=h3;mount=data",
        "cpu.load;dc=us-east;host=h1",
        "cpu.load;dc=us-east;host=h2",
        "cpu.load;dc=eu-west;host=h3",
        "http.requests;dc=us-east;host=h1;status=200",
        "http.requests;dc=us-east;host=h1;status=500",
        "http.requests;dc=eu-west;host=h3;status=200",
        "plain.cpu.load",
        "plain.disk.used",
    };

    private final SeriesIndex index = build();

    private static SeriesIndex build() {
        SeriesIndex index = new SeriesIndex();
        for (int i = 0; i < SERIES.length; i++) {
            index.add(i, SERIES[i]);
        }
        return index;
    }

    private List<String> find(String... exprs) {
        RoaringBitmap ids = index.matchTags(List.of(exprs), 1000);
        return ids.stream().mapToObj(index::name).sorted().toList();
    }

    @Test
    void equalityAndAnd() {
        assertThat(find("dc=us-east")).containsExactly(
                "cpu.load;dc=us-east;host=h1", "cpu.load;dc=us-east;host=h2",
                "disk.used;dc=us-east;host=h1;mount=root", "disk.used;dc=us-east;host=h2;mount=root",
                "http.requests;dc=us-east;host=h1;status=200", "http.requests;dc=us-east;host=h1;status=500");
        assertThat(find("name=cpu.load", "dc=eu-west")).containsExactly("cpu.load;dc=eu-west;host=h3");
        assertThat(find("dc=mars")).isEmpty();
        assertThat(find("name=~disk.*", "host!=h2")).containsExactly(
                "disk.used;dc=eu-west;host=h3;mount=data", "disk.used;dc=eu-west;host=h3;mount=root",
                "disk.used;dc=us-east;host=h1;mount=root");
    }

    @Test
    void plainSeriesCarryOnlyTheirNameTag() {
        assertThat(find("name=plain.cpu.load")).containsExactly("plain.cpu.load");
        assertThat(find("name=~plain\\.")).containsExactly("plain.cpu.load", "plain.disk.used");
        assertThat(find("name=~plain", "dc=")).containsExactly("plain.cpu.load", "plain.disk.used");
        assertThat(find("name=~.*load")).containsExactly(
                "cpu.load;dc=eu-west;host=h3", "cpu.load;dc=us-east;host=h1", "cpu.load;dc=us-east;host=h2",
                "plain.cpu.load");
        assertThat(find("name=~.", "name!=cpu.load", "dc=")).containsExactly("plain.cpu.load", "plain.disk.used");
    }

    @Test
    void emptyValueMeansAbsentAndNotEqualEmptyMeansPresent() {
        assertThat(find("name=~disk", "mount=")).isEmpty();
        assertThat(find("name=~http", "status!=")).hasSize(3);
        assertThat(find("name=~cpu", "status=")).hasSize(3);
        assertThat(find("mount!=")).hasSize(4);
        assertThat(find("mount!=", "mount!=root")).containsExactly("disk.used;dc=eu-west;host=h3;mount=data");
    }

    @Test
    void notEqualMatchesSeriesLackingTheTag() {
        assertThat(find("dc=eu-west", "status!=200")).containsExactly(
                "cpu.load;dc=eu-west;host=h3", "disk.used;dc=eu-west;host=h3;mount=data",
                "disk.used;dc=eu-west;host=h3;mount=root");
    }

    @Test
    void regexMatchingEmptyAlsoMatchesSeriesLackingTheTag() {
        assertThat(find("dc=eu-west", "status=~(200)?$")).containsExactly(
                "cpu.load;dc=eu-west;host=h3", "disk.used;dc=eu-west;host=h3;mount=data",
                "disk.used;dc=eu-west;host=h3;mount=root", "http.requests;dc=eu-west;host=h3;status=200");
        // !=~ whose regex matches "" requires the tag: series without it read as "" which the regex matches
        assertThat(find("dc=us-east", "status!=~5?")).isEmpty();
        assertThat(find("dc=us-east", "status!=~5")).containsExactly(
                "cpu.load;dc=us-east;host=h1", "cpu.load;dc=us-east;host=h2",
                "disk.used;dc=us-east;host=h1;mount=root", "disk.used;dc=us-east;host=h2;mount=root",
                "http.requests;dc=us-east;host=h1;status=200");
    }

    @Test
    void regexIsStartAnchoredAndCaseSensitive() {
        assertThat(find("host=~h")).hasSize(10);
        assertThat(find("host=~1")).isEmpty();
        assertThat(find("host=~.*1")).hasSize(4);
        assertThat(find("host=~H")).isEmpty();
        assertThat(find("host=~h1$", "name=~c")).containsExactly("cpu.load;dc=us-east;host=h1");
        assertThat(find("host=~^h3", "name!=~cpu|disk")).containsExactly("http.requests;dc=eu-west;host=h3;status=200");
    }

    @Test
    void atLeastOneExpressionMustRequireAValue() {
        assertThatThrownBy(() -> index.matchTags(List.of("dc=", "host!=x", "a=~.*"), 10))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one tag expression must require a non-empty value");
        assertThatThrownBy(() -> index.matchTags(List.of(), 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> index.matchTags(List.of("dc"), 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'dc'");
    }

    @Test
    void limitNamesTheSetting() {
        assertThatThrownBy(() -> index.matchTags(List.of("dc=us-east"), 5))
                .isInstanceOf(LimitExceededException.class)
                .extracting(e -> ((LimitExceededException) e).setting()).isEqualTo("query.max-series");
    }

    @Test
    void tagNamesAutocomplete() {
        assertThat(index.tagNames("", List.of(), 100)).containsExactly("dc", "host", "mount", "name", "status");
        assertThat(index.tagNames("h", List.of(), 100)).containsExactly("host");
        assertThat(index.tagNames(null, List.of(), 2)).containsExactly("dc", "host");
        assertThat(index.tagNames("", List.of("name=disk.used"), 100)).containsExactly("dc", "host", "mount");
        assertThat(index.tagNames("", List.of("dc=us-east"), 2)).containsExactly("host", "mount");
        assertThat(index.tagNames("s", List.of("dc=us-east"), 100)).containsExactly("status");
        assertThat(index.tagNames("", List.of("name=plain.cpu.load"), 100)).isEmpty();
        assertThat(index.tagNames("", List.of("name=~plain"), 100)).isEmpty();
        assertThat(index.tagNames("", List.of("dc=mars"), 100)).isEmpty();
    }

    @Test
    void tagValuesAutocomplete() {
        assertThat(index.tagValues("dc", "", List.of(), 100)).containsExactly("eu-west", "us-east");
        assertThat(index.tagValues("host", "h", List.of(), 2)).containsExactly("h1", "h2");
        assertThat(index.tagValues("host", "", List.of("name=http.requests"), 100)).containsExactly("h1", "h3");
        assertThat(index.tagValues("status", "", List.of("dc=us-east"), 100)).containsExactly("200", "500");
        assertThat(index.tagValues("nope", "", List.of(), 100)).isEmpty();
        assertThat(index.tagValues("nope", "", List.of("dc=us-east"), 100)).isEmpty();
        assertThat(index.tagValues("name", "", List.of(), 100))
                .containsExactly("cpu.load", "disk.used", "http.requests", "plain.cpu.load", "plain.disk.used");
        assertThat(index.tagValues("name", "plain.d", List.of(), 100)).containsExactly("plain.disk.used");
        assertThat(index.tagValues("name", "plain.", List.of(), 1)).containsExactly("plain.cpu.load");
        assertThat(index.tagValues("name", "p", List.of(), 100)).containsExactly("plain.cpu.load", "plain.disk.used");
        assertThat(index.tagValues("name", "", List.of("host=h3"), 100))
                .containsExactly("cpu.load", "disk.used", "http.requests");
        assertThat(index.tagValues("name", "", List.of("name=~.*used"), 100))
                .containsExactly("disk.used", "plain.disk.used");
    }

    @Test
    void valuesFollowRemovals() {
        SeriesIndex idx = build();
        idx.remove(3); // the only mount=data
        assertThat(idx.tagValues("mount", "", List.of(), 100)).containsExactly("root");
        idx.remove(7);
        idx.remove(8);
        idx.remove(9);
        assertThat(idx.tagNames("", List.of(), 100)).containsExactly("dc", "host", "mount", "name");
        assertThat(idx.matchTags(List.of("status=~.+"), 10).isEmpty()).isTrue();
        idx.remove(10);
        idx.remove(11);
        assertThat(idx.matchTags(List.of("name=~plain"), 10).isEmpty()).isTrue();
    }

    @Test
    void regexCacheNeverServesStaleResults() {
        SeriesIndex idx = build();
        assertThat(idx.matchTags(List.of("host=~h[0-9]+$"), 100).getCardinality()).isEqualTo(10);
        idx.add(100, "x;host=h42");
        assertThat(idx.matchTags(List.of("host=~h[0-9]+$"), 100).getCardinality()).isEqualTo(11);
        idx.remove(100);
        assertThat(idx.matchTags(List.of("host=~h[0-9]+$"), 100).getCardinality()).isEqualTo(10);
        RoaringBitmap mine = idx.matchTags(List.of("host=~h[0-9]+$"), 100);
        mine.clear(); // callers own what they get
        assertThat(idx.matchTags(List.of("host=~h[0-9]+$"), 100).getCardinality()).isEqualTo(10);
    }

    @Test
    void leniencyForOddTaggedNames() {
        SeriesIndex idx = new SeriesIndex();
        idx.add(0, "~tilde.name;a=1;bad;=x;b=;a=2;name=ignored");
        assertThat(idx.matchTags(List.of("name=tilde.name"), 10).toArray()).containsExactly(0);
        assertThat(idx.matchTags(List.of("a=2"), 10).toArray()).containsExactly(0);
        assertThat(idx.matchTags(List.of("a=1"), 10).isEmpty()).isTrue();
        assertThat(idx.tagNames("", List.of(), 10)).containsExactly("a", "name");
        idx.remove(0);
        assertThat(idx.tagNames("", List.of(), 10)).isEmpty();
    }
}
