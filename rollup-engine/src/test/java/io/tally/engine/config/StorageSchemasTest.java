package io.tally.engine.config;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StorageSchemasTest {

    private static StorageSchemas parse(String text) throws ConfigException {
        return StorageSchemas.parse(text, "storage-schemas.conf");
    }

    @Test
    void firstMatchingSectionWinsWithUnanchoredSearch() throws ConfigException {
        StorageSchemas s = parse("""
                [carbon]
                pattern = ^carbon\\.
                retentions = 60:90d

                [web]
                pattern = web\\d+
                retentions = 10s:6h,1m:7d

                [default]
                pattern = .*
                retentions = 60s:1d,5m:30d,1h:3y
                """);
        assertThat(s.match("carbon.agents.a.cpu").name()).isEqualTo("carbon");
        assertThat(s.match("carbon.agents.a.cpu").archives()).containsExactly(new Archive(60, 129600));
        assertThat(s.match("servers.web01.cpu").name()).isEqualTo("web");
        assertThat(s.match("servers.db.carbon.x").name()).isEqualTo("default");
        assertThat(s.match("servers.db").archives()).containsExactly(
                new Archive(60, 1440), new Archive(300, 8640), new Archive(3600, 26280));
        assertThat(s.schemas()).extracting(Schema::name).containsExactly("carbon", "web", "default");
    }

    @Test
    void fallsBackToSixtySecondsForSevenDays() throws ConfigException {
        StorageSchemas s = parse("[only]\npattern = ^only\\.\nretentions = 10s:1d\n");
        Schema f = s.match("other.metric");
        assertThat(f).isSameAs(StorageSchemas.FALLBACK);
        assertThat(f.archives()).containsExactly(new Archive(60, 10080));
    }

    @Test
    void sortsArchivesFinestFirst() throws ConfigException {
        StorageSchemas s = parse("[a]\npattern = .\nretentions = 1h:2y, 10s:1d, 1m:30d\n");
        assertThat(s.match("x").archives()).extracting(Archive::secondsPerPoint).containsExactly(10, 60, 3600);
    }

    @Test
    void matchesTaggedSeriesByTheirCanonicalName() throws ConfigException {
        StorageSchemas s = parse("""
                [east]
                pattern = ;dc=us-east(;|$)
                retentions = 10s:1d
                [rest]
                pattern = .*
                retentions = 1m:1d
                """);
        assertThat(s.match("disk.used;dc=us-east;host=h1").name()).isEqualTo("east");
        assertThat(s.match("disk.used;dc=us-east2;host=h1").name()).isEqualTo("rest");
    }

    @Test
    void aBadRetentionNamesFileLineSectionAndKey() {
        String text = """
                # comment
                ; another comment

                [default]
                pattern = .*
                [carbon]
                retentions = 60s:1x
                pattern = ^carbon\\.
                """;
        assertThatThrownBy(() -> parse(text)).isInstanceOf(ConfigException.class)
                .hasMessage("storage-schemas.conf line 7 [carbon] retentions: '60s:1x' unknown unit 'x'"
                        + " (use s, m, h, d, w or y)")
                .satisfies(e -> {
                    ConfigException c = (ConfigException) e;
                    assertThat(c.line()).isEqualTo(7);
                    assertThat(c.section()).isEqualTo("carbon");
                    assertThat(c.key()).isEqualTo("retentions");
                    assertThat(c.source()).isEqualTo("storage-schemas.conf");
                });
    }

    @Test
    void anInvalidArchiveListRefusesTheFile() {
        assertThatThrownBy(() -> parse("[a]\npattern = x\nretentions = 180s:1d,300s:7d\n"))
                .hasMessage("storage-schemas.conf line 3 [a] retentions: precision 3m of 3m:1d does not divide"
                        + " precision 5m of 5m:1w (each coarser precision must be a multiple of the finer one)");
    }

    @Test
    void aBadRegexRefusesTheFile() {
        assertThatThrownBy(() -> parse("[a]\npattern = ^(carbon\nretentions = 1m:1d\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("storage-schemas.conf line 2 [a] pattern: invalid regular expression"
                        + " '^(carbon': ");
    }

    @Test
    void sectionsMissingPatternOrRetentionsAreSkippedWithAWarning() throws ConfigException {
        StorageSchemas s = parse("""
                [nopattern]
                retentions = 10s:1d
                [noretentions]
                pattern = .*
                [emptypattern]
                pattern =
                retentions = 10s:1d
                [whitelist]
                list = mylist
                retentions = 10s:1d
                [ok]
                pattern = .*
                retentions = 1m:1d
                """);
        assertThat(s.schemas()).extracting(Schema::name).containsExactly("ok");
        assertThat(s.warnings()).containsExactly(
                "storage-schemas.conf line 1 [nopattern] has no 'pattern'; section skipped",
                "storage-schemas.conf line 3 [noretentions] has no 'retentions'; section skipped",
                "storage-schemas.conf line 5 [emptypattern] has no 'pattern'; section skipped",
                "storage-schemas.conf line 8 [whitelist] uses 'list', which Tally does not support; section skipped");
    }

    @Test
    void unknownKeysAreIgnoredWithAWarning() throws ConfigException {
        StorageSchemas s = parse("[a]\npattern = .*\nretention = 1m:1d\nretentions = 1m:1d\n");
        assertThat(s.schemas()).hasSize(1);
        assertThat(s.warnings()).containsExactly("storage-schemas.conf line 3 [a] unknown key 'retention' ignored"
                + " (keys: pattern, retentions, match-all)");
    }

    @Test
    void matchAllMatchesEverything() throws ConfigException {
        StorageSchemas s = parse("[a]\npattern = ^a\\.\nretentions = 1m:1d\n[all]\nmatch-all = true\n"
                + "retentions = 10s:1d\n");
        assertThat(s.match("a.b").name()).isEqualTo("a");
        assertThat(s.match("anything;x=y").name()).isEqualTo("all");
        StorageSchemas off = parse("[all]\nmatch-all = false\nretentions = 10s:1d\n");
        assertThat(off.schemas()).isEmpty();
    }

    @Test
    void readsCarbonsIniDialect() throws ConfigException {
        StorageSchemas s = parse("""
                # full-line comments with # and ;
                ; like this
                [Carbon Stats] \s
                PATTERN: ^carbon\\.          ; inline comment after whitespace
                Retentions = 10s:1d,   # another inline comment
                   1m:30d,
                   1h:2y
                """);
        Schema c = s.match("carbon.x");
        assertThat(c.name()).isEqualTo("Carbon Stats");
        assertThat(c.archives()).containsExactly(new Archive(10, 8640), new Archive(60, 43200),
                new Archive(3600, 17520));
        assertThat(s.match("xcarbon.y")).isSameAs(StorageSchemas.FALLBACK);
    }

    @Test
    void continuationNeedsDeeperIndentThanItsKey() throws ConfigException {
        StorageSchemas s = parse("""
                [a]
                  pattern = ^a\\.
                  retentions = 10s:1d,

                      # a comment inside the value
                      1m:30d
                """);
        assertThat(s.match("a.b").archives()).containsExactly(new Archive(10, 8640), new Archive(60, 43200));
        assertThat(s.warnings()).isEmpty();
    }

    @Test
    void acceptsWindowsLineEndings() throws ConfigException {
        StorageSchemas s = parse("[a]\r\npattern = ^a$\r\nretentions = 1m:1d\r\n");
        assertThat(s.match("a").name()).isEqualTo("a");
    }

    @Test
    void defaultSectionProvidesKeysForEveryOtherSection() throws ConfigException {
        StorageSchemas s = parse("""
                [DEFAULT]
                retentions = 1m:7d
                [a]
                pattern = ^a\\.
                [b]
                pattern = ^b\\.
                retentions = 10s:1d
                """);
        assertThat(s.match("a.x").archives()).containsExactly(new Archive(60, 10080));
        assertThat(s.match("b.x").archives()).containsExactly(new Archive(10, 8640));
        assertThat(s.warnings()).containsExactly("storage-schemas.conf line 1 [DEFAULT] has no 'pattern'; section"
                + " skipped");
    }

    @Test
    void rejectsMalformedIni() {
        assertThatThrownBy(() -> parse("pattern = .*\n"))
                .hasMessage("storage-schemas.conf line 1 pattern: key before the first [section] header");
        assertThatThrownBy(() -> parse("[a]\njust words\n"))
                .hasMessage("storage-schemas.conf line 2 [a]: 'just words' is neither [section], comment nor"
                        + " key = value");
        assertThatThrownBy(() -> parse("[a]\npattern = x\nretentions = 1m:1d\n[a]\n"))
                .hasMessage("storage-schemas.conf line 4 [a]: section [a] appears twice (section names must be"
                        + " unique)");
        assertThatThrownBy(() -> parse("[a]\npattern = x\npattern = y\n"))
                .hasMessage("storage-schemas.conf line 3 [a] pattern: key set twice in this section (first on"
                        + " line 2)");
        assertThatThrownBy(() -> parse("[]\n"))
                .hasMessage("storage-schemas.conf line 1: '[]' is not a section header (write [name])");
    }

    @Test
    void pythonRegexSyntaxIsAccepted() throws ConfigException {
        StorageSchemas s = parse("[a]\npattern = ^(?P<app>[a-z]+)\\.(?P=app)\\Z\nretentions = 1m:1d\n");
        assertThat(s.match("web.web").name()).isEqualTo("a");
        assertThat(s.match("web.db")).isSameAs(StorageSchemas.FALLBACK);
    }

    @Test
    void embeddedDefaultsAreValidAndDocumented() {
        StorageSchemas d = StorageSchemas.defaults();
        assertThat(d.warnings()).isEmpty();
        assertThat(d.match("carbon.agents.host.cpuUsage").archives()).containsExactly(new Archive(60, 129600));
        assertThat(d.match("servers.web01.cpu").archives()).containsExactly(
                new Archive(60, 20160), new Archive(600, 52560), new Archive(3600, 43800));
        assertThat(d.match("disk.used;dc=us-east").name()).isEqualTo("default");
    }

    @Test
    void loadsAFileAndNamesItInMessages(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path f = dir.resolve("storage-schemas.conf");
        Files.writeString(f, "[a]\npattern = .*\nretentions = 1m:1d\n");
        assertThat(StorageSchemas.load(f).match("x").name()).isEqualTo("a");
        Files.writeString(f, "[a]\npattern = .*\nretentions = 1m\n");
        assertThatThrownBy(() -> StorageSchemas.load(f)).hasMessageStartingWith(f + " line 3 [a] retentions: ");
        assertThatThrownBy(() -> StorageSchemas.load(dir.resolve("missing.conf"))).isInstanceOf(IOException.class);
    }

    @Test
    void schemaListIsImmutable() throws ConfigException {
        List<Schema> list = parse("[a]\npattern = .*\nretentions = 1m:1d\n").schemas();
        assertThatThrownBy(() -> list.add(StorageSchemas.FALLBACK)).isInstanceOf(UnsupportedOperationException.class);
    }
}
