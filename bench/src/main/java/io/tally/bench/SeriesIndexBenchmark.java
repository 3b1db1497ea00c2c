package io.tally.bench;

import io.tally.engine.api.FindNode;
import io.tally.engine.index.SeriesIndex;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.roaringbitmap.RoaringBitmap;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@link SeriesIndex} over 1M plain names six levels deep ({@code svc<0-9>.dc<0-4>.host<0-99>.<cpu|mem|disk|net|io>.
 * <user|sys|idle|wait>.m<0-9>}) and 1M tagged names ({@code requests;dc=..;host=..;status=..;svc=..}).
 *
 * <p>Run: {@code mvn -B -o -q -pl bench -am package -DskipTests && java -jar bench/target/benchmarks.jar
 * SeriesIndex -f1 -wi 2 -i 3 -r 2s}. Setup prints the retained heap per series of both indexes.
 *
 * <p>Last results (2026-11-22, 2-core VM shared with other builds, load average 4-7, so errors are wide;
 * Temurin 25, -f1 -wi 2 -i 3 -r 2s, µs/op, answer size in brackets). Heap per series: plain 62 bytes, tagged 145
 * bytes including the canonical name string.
 * <pre>
 * findPrefix               svc3.dc4.*                             [100 branches]            38
 * findMiddleWildcard       svc3.*.host42.*.user.m7                [25 leaves]                7
 * findWide                 svc3.dc4.host1*.cpu.user.*             [110 leaves]              30
 * findLeadingStars         *.*.*.cpu.user.m7                      [5,000 leaves]          3133 (path strings + sort)
 * matchLeavesSelective     svc3.*.host42.*.user.m7                [25 ids, trie walk]        3
 * matchLeavesLeadingStar   *.*.host42.*.*.m7                      [1,000 ids, postings]     41
 * matchLeavesBroad         *.*.*.cpu.*.m7                         [20,000 ids, postings]    91
 * matchLeavesGlob          svc3.dc4.host[1-4]?.*.*.m0             [800 ids, postings]      179
 * matchTagsEq              dc=dc3, status=500                     [21,429 ids]             103
 * matchTagsRegexCached     name=requests, host=~host1[0-9]$       [4,000 ids, cached]       29
 * matchTagsRegexUncached   host=~host1[0-9]$|x&lt;n&gt;, status=200      [new regex each call]   335
 * matchTagsPlainNameRegex  name=~svc3\.dc4\.host4(2|3)\.|x&lt;n&gt;     [400 ids, new regex each call, trie
 *                                                                  walk with hitEnd pruning] 116
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
public class SeriesIndexBenchmark {
    private static final int N = 1_000_000;
    private static final String[] GROUPS = {"cpu", "mem", "disk", "net", "io"};
    private static final String[] KINDS = {"user", "sys", "idle", "wait"};
    private static final String[] STATUS = {"200", "404", "500", "302"};

    private SeriesIndex plain;
    private SeriesIndex tagged;
    private int counter;

    /** Name {@code i} of the plain set: 10 svc x 5 dc x 100 hosts x 5 groups x 4 kinds x 10 metrics = 1M. */
    static String plainName(int i) {
        return "svc" + (i / 100_000) + ".dc" + (i / 20_000 % 5) + ".host" + (i / 200 % 100) + "."
                + GROUPS[i / 40 % 5] + "." + KINDS[i / 10 % 4] + ".m" + (i % 10);
    }

    static String taggedName(int i) {
        return "requests;dc=dc" + (i % 10) + ";host=host" + (i / 10 % 2500) + ";status=" + STATUS[(i / 7) % 4]
                + ";svc=svc" + (i / 25_000 % 40);
    }

    @Setup(Level.Trial)
    public void setUp() {
        long before = usedHeap();
        plain = new SeriesIndex();
        for (int i = 0; i < N; i++) {
            plain.add(i, plainName(i));
        }
        long mid = usedHeap();
        tagged = new SeriesIndex();
        for (int i = 0; i < N; i++) {
            tagged.add(i, taggedName(i));
        }
        long after = usedHeap();
        System.out.printf("%nheap per series: plain %.1f bytes, tagged %.1f bytes (incl. the canonical string)%n",
                (mid - before) / (double) N, (after - mid) / (double) N);
        System.out.printf("sizes: findPrefix %d, findMiddleWildcard %d, findWide %d, findLeadingStars %d, matchLeavesSelective %d, "
                        + "matchLeavesLeadingStar %d, matchLeavesBroad %d, matchLeavesGlob %d, matchTagsEq %d, "
                        + "matchTagsRegexCached %d, matchTagsPlainNameRegex %d%n",
                findPrefix().size(), findMiddleWildcard().size(), findWide().size(),
                findLeadingStars().size(), matchLeavesSelective().getCardinality(), matchLeavesLeadingStar().getCardinality(),
                matchLeavesBroad().getCardinality(), matchLeavesGlob().getCardinality(),
                matchTagsEq().getCardinality(), matchTagsRegexCached().getCardinality(),
                matchTagsPlainNameRegex().getCardinality());
    }

    private static long usedHeap() {
        Runtime rt = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            used = Math.min(used, rt.totalMemory() - rt.freeMemory());
        }
        return used;
    }

    @Benchmark
    public List<FindNode> findPrefix() {
        return plain.find("svc3.dc4.*", 100_000);
    }

    @Benchmark
    public List<FindNode> findMiddleWildcard() {
        return plain.find("svc3.*.host42.*.user.m7", 100_000);
    }

    @Benchmark
    public List<FindNode> findWide() {
        return plain.find("svc3.dc4.host1*.cpu.user.*", 100_000);
    }

    @Benchmark
    public List<FindNode> findLeadingStars() {
        return plain.find("*.*.*.cpu.user.m7", 100_000);
    }

    @Benchmark
    public RoaringBitmap matchLeavesSelective() {
        return plain.matchLeaves("svc3.*.host42.*.user.m7", 1_000_000);
    }

    @Benchmark
    public RoaringBitmap matchLeavesLeadingStar() {
        return plain.matchLeaves("*.*.host42.*.*.m7", 1_000_000);
    }

    @Benchmark
    public RoaringBitmap matchLeavesBroad() {
        return plain.matchLeaves("*.*.*.cpu.*.m7", 1_000_000);
    }

    @Benchmark
    public RoaringBitmap matchLeavesGlob() {
        return plain.matchLeaves("svc3.dc4.host[1-4]?.*.*.m0", 1_000_000);
    }

    @Benchmark
    public RoaringBitmap matchTagsEq() {
        return tagged.matchTags(List.of("dc=dc3", "status=500"), 1_000_000);
    }

    @Benchmark
    public RoaringBitmap matchTagsRegexCached() {
        return tagged.matchTags(List.of("name=requests", "host=~host1[0-9]$"), 1_000_000);
    }

    @Benchmark
    public RoaringBitmap matchTagsRegexUncached() {
        return tagged.matchTags(List.of("host=~host1[0-9]$|x" + (counter++), "status=200"), 1_000_000);
    }

    @Benchmark
    public RoaringBitmap matchTagsPlainNameRegex() {
        return plain.matchTags(List.of("name=~svc3\\.dc4\\.host4(2|3)\\.|x" + (counter++)), 1_000_000);
    }
}
