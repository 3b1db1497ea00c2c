package io.tally.engine.index;

import io.tally.engine.api.FindNode;
import io.tally.engine.api.LimitExceededException;
import org.junit.jupiter.api.Test;
import org.roaringbitmap.RoaringBitmap;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SeriesIndexTest {

    private static SeriesIndex indexOf(String... names) {
        SeriesIndex index = new SeriesIndex();
        for (int i = 0; i < names.length; i++) {
            index.add(i, names[i]);
        }
        return index;
    }

    private static List<String> paths(List<FindNode> nodes) {
        return nodes.stream().map(n -> n.path() + (n.leaf() ? "" : "/")).toList();
    }

    private static List<String> names(SeriesIndex index, RoaringBitmap ids) {
        return ids.stream().mapToObj(index::name).sorted().toList();
    }

    @Test
    void namesAndIdsRoundTrip() {
        SeriesIndex index = indexOf("a.b.c", "a.b", "x", "disk.used;dc=us;host=h1");
        assertThat(index.size()).isEqualTo(4);
        assertThat(index.name(0)).isEqualTo("a.b.c");
        assertThat(index.name(1)).isEqualTo("a.b");
        assertThat(index.name(2)).isEqualTo("x");
        assertThat(index.name(3)).isEqualTo("disk.used;dc=us;host=h1");
        assertThat(index.idOf("a.b.c")).isZero();
        assertThat(index.idOf("a.b")).isEqualTo(1);
        assertThat(index.idOf("a")).isEqualTo(-1);
        assertThat(index.idOf("a.b.c.d")).isEqualTo(-1);
        assertThat(index.idOf("disk.used;dc=us;host=h1")).isEqualTo(3);
        assertThat(index.idOf("disk.used")).isEqualTo(-1);
        assertThat(index.name(99)).isNull();
        assertThat(index.name(-1)).isNull();
    }

    @Test
    void addIsIdempotentAndRejectsConflicts() {
        SeriesIndex index = indexOf("a.b");
        index.add(0, "a.b");
        assertThat(index.size()).isEqualTo(1);
        assertThatThrownBy(() -> index.add(0, "a.c")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already 'a.b'");
        assertThatThrownBy(() -> index.add(1, "a.b")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already has id 0");
        assertThatThrownBy(() -> index.add(-1, "q")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> index.add(2, "")).isInstanceOf(IllegalArgumentException.class);
        index.add(100_000, "far.away");
        assertThat(index.name(100_000)).isEqualTo("far.away");
    }

    @Test
    void findReturnsNodesAtThePatternDepthSortedByPath() {
        SeriesIndex index = indexOf("srv.web02.cpu", "srv.web01.cpu", "srv.web01.mem", "srv.db01.cpu", "other.x");
        assertThat(paths(index.find("srv.*", 100))).containsExactly("srv.db01/", "srv.web01/", "srv.web02/");
        assertThat(paths(index.find("srv.web*.*", 100)))
                .containsExactly("srv.web01.cpu", "srv.web01.mem", "srv.web02.cpu");
        assertThat(paths(index.find("*", 100))).containsExactly("other/", "srv/");
        assertThat(paths(index.find("srv.web01.cpu", 100))).containsExactly("srv.web01.cpu");
        assertThat(paths(index.find("srv.web01", 100))).containsExactly("srv.web01/");
        assertThat(index.find("srv.nothing.*", 100)).isEmpty();
        assertThat(index.find("", 100)).isEmpty();
    }

    @Test
    void pathThatIsBothBranchAndLeafIsReturnedTwiceBranchFirst() {
        SeriesIndex index = indexOf("oracle.special.sparse", "oracle.special.sparse.count", "oracle.special.big");
        assertThat(index.find("oracle.special.*", 100)).containsExactly(
                new FindNode("oracle.special.big", true),
                new FindNode("oracle.special.sparse", false),
                new FindNode("oracle.special.sparse", true));
        assertThat(index.find("oracle.special.sparse", 100)).containsExactly(
                new FindNode("oracle.special.sparse", false),
                new FindNode("oracle.special.sparse", true));
        assertThat(names(index, index.matchLeaves("oracle.special.*", 100)))
                .containsExactly("oracle.special.big", "oracle.special.sparse");
    }

    @Test
    void sortingIsByWholePathNotByNodeName() {
        SeriesIndex index = indexOf("a.x", "a-b.y", "a.y");
        assertThat(paths(index.find("*.*", 100))).containsExactly("a-b.y", "a.x", "a.y");
        assertThat(index.allLeafNames()).containsExactly("a-b.y", "a.x", "a.y");
    }

    @Test
    void everyGlobFormWorksInFind() {
        SeriesIndex index = indexOf("h.host01", "h.host02", "h.host03", "h.host04", "h.db", "h.x-old", "h.x",
                "h.a*b", "h.^x");
        assertThat(paths(index.find("h.host0?", 100))).hasSize(4);
        assertThat(paths(index.find("h.host0[1-2]", 100))).containsExactly("h.host01", "h.host02");
        assertThat(paths(index.find("h.host0[!1-2]", 100))).containsExactly("h.host03", "h.host04");
        assertThat(paths(index.find("h.host0[^1]", 100))).containsExactly("h.host01"); // ^ is literal
        assertThat(paths(index.find("h.[^x]", 100))).containsExactly("h.x");
        assertThat(paths(index.find("h.[\\^]x", 100))).containsExactly("h.^x");
        assertThat(paths(index.find("h.{db,host04}", 100))).containsExactly("h.db", "h.host04");
        assertThat(paths(index.find("h.{d*,host0{1,3}}", 100))).containsExactly("h.db", "h.host01", "h.host03");
        assertThat(paths(index.find("h.x{,-old}", 100))).containsExactly("h.x", "h.x-old");
        assertThat(paths(index.find("h.a\\*b", 100))).containsExactly("h.a*b");
        assertThat(paths(index.find("h.*o*t*", 100))).hasSize(4);
    }

    @Test
    void wildcardsNeverCrossDots() {
        SeriesIndex index = indexOf("a.b.c");
        assertThat(index.find("a*", 100)).containsExactly(new FindNode("a", false));
        assertThat(index.find("a.*", 100)).containsExactly(new FindNode("a.b", false));
        assertThat(index.find("a.{b.c}", 100)).isEmpty();
        assertThat(index.matchLeaves("a.*", 100).isEmpty()).isTrue();
        assertThat(index.matchLeaves("*", 100).isEmpty()).isTrue();
    }

    @Test
    void hiddenAndEmptyNodesAreNeverMatchedByWildcards() {
        SeriesIndex index = indexOf("a.b", "a..c", "a.x.d");
        // "a..c" is not normalised: its middle node is empty, so only an exact lookup reaches it
        assertThat(paths(index.find("a.*", 100))).containsExactly("a.b", "a.x/");
        assertThat(index.idOf("a..c")).isEqualTo(1);
        assertThat(names(index, index.matchLeaves("a.*.*", 100))).containsExactly("a.x.d");
        assertThat(names(index, index.matchLeaves("*.*.c", 100))).isEmpty();
        assertThat(names(index, index.matchLeaves("a..c", 100))).containsExactly("a..c");
    }

    @Test
    void findLimitCountsNodes() {
        SeriesIndex index = indexOf("a.b", "a.b.c", "a.d");
        assertThat(index.find("a.*", 3)).hasSize(3);
        assertThatThrownBy(() -> index.find("a.*", 2))
                .isInstanceOf(LimitExceededException.class)
                .hasMessageContaining("find results exceeds the limit of 2")
                .extracting(e -> ((LimitExceededException) e).setting())
                .isEqualTo("query.max-find-results");
    }

    @Test
    void matchLeavesLimitNamesTheSetting() {
        SeriesIndex index = new SeriesIndex();
        for (int i = 0; i < 50; i++) {
            index.add(i, "svc.h" + i + ".cpu");
        }
        assertThat(index.matchLeaves("svc.*.cpu", 50).getCardinality()).isEqualTo(50);
        assertThatThrownBy(() -> index.matchLeaves("svc.*.cpu", 49))
                .isInstanceOf(LimitExceededException.class)
                .extracting(e -> ((LimitExceededException) e).setting())
                .isEqualTo("query.max-series");
        assertThatThrownBy(() -> index.matchLeaves("svc.*.*", 10)).isInstanceOf(LimitExceededException.class);
    }

    @Test
    void matchLeavesUsesPostingsForLaterLiterals() {
        SeriesIndex index = new SeriesIndex(false, 0);
        int id = 0;
        for (int a = 0; a < 5; a++) {
            for (int h = 0; h < 600; h++) {
                for (String m : new String[] {"cpu", "mem", "disk"}) {
                    index.add(id++, "x" + a + ".host" + h + ".y.sys." + m);
                }
            }
        }
        // walk budget 0: intersection of (0,x2), (2,y), (4,cpu); then *7 checked per candidate or by postings
        assertThat(names(index, index.matchLeaves("x2.*7.y.*.cpu", 1000)))
                .hasSize(60)
                .allMatch(n -> n.startsWith("x2.host") && n.endsWith("7.y.sys.cpu"));
        assertThat(index.matchLeaves("*.*.y.*.{cpu,mem}", 10_000).getCardinality()).isEqualTo(6000);
        assertThat(index.matchLeaves("*.host1[0-4].*.*.disk", 10_000).getCardinality()).isEqualTo(25);
        assertThat(index.matchLeaves("*.*.z.*.cpu", 10_000).isEmpty()).isTrue();
        assertThat(index.matchLeaves("*.*.y.*", 10_000).isEmpty()).isTrue();
    }

    @Test
    void removeForgetsSeriesAndPrunesEmptyBranches() {
        SeriesIndex index = indexOf("a.b.c", "a.b", "a.d.e");
        index.remove(0);
        assertThat(index.size()).isEqualTo(2);
        assertThat(index.name(0)).isNull();
        assertThat(index.idOf("a.b.c")).isEqualTo(-1);
        assertThat(index.find("a.b", 10)).containsExactly(new FindNode("a.b", true));
        index.remove(2);
        assertThat(paths(index.find("a.*", 10))).containsExactly("a.b");
        assertThat(index.matchLeaves("a.*.*", 10).isEmpty()).isTrue();
        index.remove(1);
        assertThat(index.find("*", 10)).isEmpty();
        assertThat(index.size()).isZero();
        index.remove(1);
        index.remove(12345);
        index.add(0, "a.b.c");
        assertThat(index.find("a.b.*", 10)).containsExactly(new FindNode("a.b.c", true));
    }

    @Test
    void taggedSeriesAreNotInTheTreeButFoundByExactName() {
        SeriesIndex index = indexOf("disk.used;dc=us;host=h1", "disk.free");
        assertThat(paths(index.find("*", 10))).containsExactly("disk/");
        assertThat(paths(index.find("disk.*", 10))).containsExactly("disk.free");
        assertThat(index.find("disk.used;dc=us;host=h1", 10))
                .containsExactly(new FindNode("disk.used;dc=us;host=h1", true));
        assertThat(index.find("disk.used;dc=us", 10)).isEmpty();
        assertThat(index.matchLeaves("disk.used;dc=us;host=h1", 10).toArray()).containsExactly(0);
        assertThat(index.allLeafNames()).containsExactly("disk.free", "disk.used;dc=us;host=h1");
    }

    @Test
    void graphiteTaggedTreeListsHashedPaths() {
        SeriesIndex index = new SeriesIndex(true);
        index.add(0, "cpu.load;dc=us-east;host=h1");
        index.add(1, "oracle.a");
        String path = "_tagged.94c.154.94c15479ef3f058ea27d98d94b05ef827679db3f004318641bb7da5fa6511708";
        assertThat(TaggedName.hashedPath("cpu.load;dc=us-east;host=h1")).isEqualTo(path);
        assertThat(paths(index.find("*", 10))).containsExactly("_tagged/", "oracle/");
        assertThat(index.allLeafNames()).containsExactly(path, "oracle.a");
        assertThat(index.idOf(path)).isZero();
        assertThat(index.name(0)).isEqualTo("cpu.load;dc=us-east;host=h1");
        assertThat(index.matchLeaves("_tagged.*.*.*", 10).toArray()).containsExactly(0);
        assertThat(index.matchTags(List.of("name=~.+"), 10).getCardinality()).isEqualTo(2);
        index.remove(0);
        assertThat(paths(index.find("*", 10))).containsExactly("oracle/");
    }

    @Test
    void wideBranchesStayCorrectAcrossTheSmallToHashedSwitch() {
        SeriesIndex index = new SeriesIndex();
        for (int i = 0; i < 200; i++) {
            index.add(i, "w.n" + i);
        }
        for (int i = 0; i < 200; i += 3) {
            index.remove(i);
        }
        for (int i = 0; i < 200; i++) {
            assertThat(index.idOf("w.n" + i)).isEqualTo(i % 3 == 0 ? -1 : i);
        }
        assertThat(index.find("w.*", 1000)).hasSize(200 - 67);
        assertThat(index.find("w.n1{0,1,2}", 1000)).hasSize(2);
    }

    @Test
    void malformedPatternsGiveClearErrors() {
        SeriesIndex index = indexOf("a");
        assertThatThrownBy(() -> index.find("{a,b}".repeat(13), 10))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("alternatives");
    }

    @Test
    void findAnswersAreReusedUntilASeriesIsAddedOrRemoved() {
        SeriesIndex index = indexOf("a.b.c", "a.b.d", "a.x");
        List<FindNode> first = index.find("a.*.*", 100);
        assertThat(index.find("a.*.*", 100)).as("the cached answer").isSameAs(first);
        assertThatThrownBy(() -> first.add(new FindNode("q", true))).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> index.find("a.*.*", 1)).as("a smaller limit still applies to a cached answer")
                .isInstanceOf(LimitExceededException.class);

        index.add(3, "a.b.e");
        assertThat(paths(index.find("a.*.*", 100))).containsExactly("a.b.c", "a.b.d", "a.b.e");
        index.remove(0);
        assertThat(paths(index.find("a.*.*", 100))).containsExactly("a.b.d", "a.b.e");
        assertThat(paths(index.find("a.*", 100))).containsExactly("a.b/", "a.x");
    }

    @Test
    void hugeFindAnswersAreNotKeptInTheCache() {
        SeriesIndex index = new SeriesIndex();
        int n = SeriesIndex.MAX_CACHED_FIND_NODES + 1;
        for (int i = 0; i < n; i++) {
            index.add(i, "big.s" + i);
        }
        List<FindNode> first = index.find("big.*", n);
        assertThat(first).hasSize(n);
        assertThat(index.find("big.*", n)).as("computed again").isNotSameAs(first).isEqualTo(first);
        List<FindNode> small = index.find("big.s1*1", n);
        assertThat(index.find("big.s1*1", n)).as("a small answer is still cached").isSameAs(small);
    }
}
