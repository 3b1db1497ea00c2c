package io.tally.dashboards;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The pages over real HTTP: content types, caching headers, conditional requests, and nothing outside the list. */
class PagesExtensionTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    static Path dir;
    private static LiveTally tally;
    private static PagesExtension pages;

    @BeforeAll
    static void start() throws Exception {
        pages = new PagesExtension();
        tally = LiveTally.start(dir, List.of(pages));
    }

    @AfterAll
    static void stop() throws Exception {
        tally.close();
    }

    private static HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(tally.base() + path)).GET();
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/ui", "/ui/", "/ui/status", "/ui/alerts", "/ui/browse", "/ui/graph", "/ui/graph.html"})
    void pagesAreHtmlRevalidatedWithAnETagAndAStrictPolicy(String path) throws Exception {
        HttpResponse<String> r = get(path);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-cache");
        assertThat(r.headers().firstValue("ETag")).hasValueSatisfying(e -> assertThat(e).matches("\"[0-9a-f]{20}\""));
        assertThat(r.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(
                c -> assertThat(c).contains("script-src 'self'").doesNotContain("unsafe-inline"));
        assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(r.body()).startsWith("<!doctype html>").contains("<nav class=\"nav\">")
                .doesNotContain("{{").contains("?v=" + pages.version());
    }

    @Test
    void theCurrentPageIsMarkedInTheNav() throws Exception {
        assertThat(get("/ui/browse").body()).contains("<a href=\"/ui/browse\" aria-current=\"page\">Metrics</a>")
                .contains("<a href=\"/ui/graph\">Graph</a>");
    }

    @Test
    void everyAssetAPageReferencesIsServedWithItsTypeAndCachedForGoodAtTheCurrentVersion() throws Exception {
        for (String page : PagesExtension.pagePaths()) {
            Matcher m = Pattern.compile("(?:href|src)=\"(/ui/assets/[^\"]+)\"").matcher(get(page).body());
            int found = 0;
            while (m.find()) {
                found++;
                HttpResponse<String> r = get(m.group(1));
                assertThat(r.statusCode()).as(m.group(1)).isEqualTo(200);
                assertThat(r.headers().firstValue("Cache-Control")).hasValue("public, max-age=31536000, immutable");
                String name = m.group(1).substring("/ui/assets/".length(), m.group(1).indexOf('?'));
                assertThat(r.headers().firstValue("Content-Type")).hasValue(PagesExtension.contentType(name));
            }
            assertThat(found).as(page).isGreaterThanOrEqualTo(3);
        }
    }

    @Test
    void anAssetWithoutTheCurrentVersionIsRevalidated() throws Exception {
        HttpResponse<String> r = get("/ui/assets/tally.css?v=old");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/css; charset=utf-8");
        assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-cache");
    }

    @Test
    void aMatchingIfNoneMatchAnswers304WithoutABody() throws Exception {
        String etag = get("/ui/assets/common.js").headers().firstValue("ETag").orElseThrow();
        HttpResponse<String> r = get("/ui/assets/common.js", "If-None-Match", "\"x\", W/" + etag);
        assertThat(r.statusCode()).isEqualTo(304);
        assertThat(r.body()).isEmpty();
        assertThat(get("/ui/assets/common.js", "If-None-Match", "\"other\"").statusCode()).isEqualTo(200);
    }

    @Test
    void headAnswersTheHeadersWithoutABody() throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(tally.base() + "/ui/alerts"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEmpty();
        assertThat(Long.parseLong(r.headers().firstValue("Content-Length").orElseThrow()))
                .isEqualTo(get("/ui/alerts").body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/ui/nope", "/ui/assets/nope.js", "/ui/assets/..%2Fpages%2Fstatus.html",
            "/ui/assets/%2E%2E%2F%2E%2E%2FPagesExtension.class", "/ui/assets/", "/ui/status.htm",
            "/ui/..%2F..%2Fetc%2Fpasswd", "/ui/assets/alerts.html", "/nonexistent", "/index.html"})
    void namesOutsideTheFixedListAre404(String path) throws Exception {
        HttpResponse<String> r = get(path);
        assertThat(r.statusCode()).as(path).isEqualTo(404);
        assertThat(r.body()).doesNotContain("<!doctype");
    }

    @Test
    void theGraphiteApiStillAnswersBesideThePages() throws Exception {
        assertThat(get("/health").body()).contains("\"region\"");
        assertThat(get("/metrics/find?query=servers.*").body()).contains("web01");
    }

    @Test
    void matchesReadsEntityTagLists() {
        assertThat(PagesExtension.matches(null, "\"a\"")).isFalse();
        assertThat(PagesExtension.matches("*", "\"a\"")).isTrue();
        assertThat(PagesExtension.matches("\"b\" , \"a\"", "\"a\"")).isTrue();
        assertThat(PagesExtension.matches("\"b\"", "\"a\"")).isFalse();
    }
}
