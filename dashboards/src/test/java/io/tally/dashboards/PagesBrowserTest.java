package io.tally.dashboards;

import io.tally.alerting.AlertingConfig;
import io.tally.alerting.AlertingService;
import io.tally.engine.util.Clock;
import io.tally.engine.util.ManualClock;
import io.tally.engine.util.MetricsRegistry;
import io.tally.query.QueryLimits;
import io.tally.query.Renderer;
import io.tally.query.federation.Federation;
import io.tally.query.functions.FunctionRegistry;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.function.DoubleUnaryOperator;
import java.util.logging.Level;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Tally's pages in headless Chromium (Debian's chromium and chromedriver) against a real Tally: real series in a
 * real engine, the Graphite API, {@link PagesExtension} and the real alerting ({@link AlertingService} over a
 * {@link Renderer} of that engine, its routes on the same port) on one port. Alerting runs on a {@link ManualClock}
 * half an hour behind the wall clock, without its scheduler: the test writes points and calls
 * {@code runDue} itself. Federation tests start other regions ({@link PeerNode}). One browser for the class; every
 * test reads the browser log and fails on any console error it did not expect. Screenshots go to
 * target/screenshots/. Skipped only when /usr/bin/chromedriver is absent.
 */
class PagesBrowserTest {
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final Duration WAIT = Duration.ofSeconds(20);

    private static final String SECRET = "pages test federation secret";
    private static final String ALERTS = """
            alerts:
              - id: api-errors
                name: API error rate
                group: checkout
                labels: {team: payments}
                annotations: {summary: "errors {{value}}/s in {{region}}"}
                query: {target: 'apps.${region}.api.errors', window: 5m}
                reduce: avg
                condition: {direction: above, warn: 100, crit: 200}
              - id: disk-free
                name: Disk free
                group: checkout
                query: {target: 'servers.${region}.disk.free', window: 5m}
                reduce: last
                condition: {direction: below, warn: 20, crit: 10}
              - id: queue-depth
                name: Queue depth
                group: checkout
                query: {target: 'apps.${region}.queue.depth', window: 5m}
                condition: {direction: above, warn: 1000, crit: 5000}
              - id: latency
                name: Latency p99
                group: checkout
                query: {target: 'apps.${region}.latency.p99', window: 5m}
                for: 10m
                condition: {direction: above, warn: 1, crit: 2}
              - id: batch-lag
                name: Batch lag
                group: infra
                query: {target: 'apps.${region}.batch.lag', window: 5m}
                condition: {direction: above, crit: 60}
              - id: room-temp
                name: Room temperature
                group: infra
                query: {target: 'servers.${region}.temp', window: 5m}
                reduce: last
                condition: {direction: outside, warn: [18, 27], crit: [15, 30]}
              - id: errors-vs-lag
                name: Failed against done jobs
                group: infra
                query: {target: 'apps.${region}.jobs.failed', window: 5m}
                compare: {peers: 'apps.${region}.jobs.done', mode: ratio}
                condition: {direction: above, warn: 2, crit: 3}
            """;

    @TempDir
    static Path dir;
    private static LiveTally tally;
    private static AlertingService alerting;
    /** Alerting's clock: an aligned minute half an hour ago, so every point it reads lies in the real past. */
    private static ManualClock alertClock;
    private static long t0;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static ChromeDriver browser;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Files.isExecutable(CHROMEDRIVER), "no /usr/bin/chromedriver (Debian package chromium-driver)");
        t0 = Clock.SYSTEM.nowSeconds() / 60 * 60 - 1800;
        alertClock = new ManualClock(t0);
        Path alertsFile = dir.resolve("alerts.yaml");
        Files.writeString(alertsFile, ALERTS);
        tally = LiveTally.start(dir, engine -> {
            alerting = AlertingService.create(AlertingConfig.defaults(alertsFile),
                    new Renderer(engine, QueryLimits.defaults(), alertClock, FunctionRegistry.standard()),
                    alertClock, new MetricsRegistry(), null, LiveTally.REGION, List.of(LiveTally.REGION));
            return List.of(new PagesExtension(), alerting.httpExtension());
        }, false, null);
        String r = LiveTally.REGION;
        level("apps." + r + ".api.errors", t0 - 3600, t0, t -> 12);
        level("servers." + r + ".disk.free", t0 - 3600, t0, t -> 15);
        level("apps." + r + ".queue.depth", t0 - 3600, t0, t -> 3000);
        level("apps." + r + ".batch.lag", t0 - 3600, t0, t -> 5);
        level("apps." + r + ".latency.p99", t0 - 3600, t0, t -> 0.5);
        alerting.engine().runDue(alertClock.currentTimeMillis());
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1280,900", "--lang=en-US", "--no-first-run", "--disable-extensions");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().scriptTimeout(WAIT);
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (tally != null) {
            tally.close();
        }
        if (alerting != null) {
            alerting.close();
        }
    }

    @BeforeEach
    void reset() {
        browser.manage().window().setSize(new Dimension(1280, 900));
    }

    /** Writes a minutely series over [from, until] (epoch seconds). */
    private static void level(String name, long from, long until, DoubleUnaryOperator value) throws Exception {
        tally.series(name, from, until, value);
    }

    /** A write call of alerting's JSON API with the token. */
    private static HttpResponse<String> post(String path, String json) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(tally.base() + path))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + LiveTally.TOKEN)
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @AfterEach
    void leavePage() {
        browser.get("about:blank"); // stops the board's timers before the next test
        browser.manage().logs().get(LogType.BROWSER);
    }

    private static void open(String path) {
        browser.get(tally.base() + path);
    }

    /**
     * Waits, without polling, until an element matching {@code css} exists and {@code attribute} (null: any) has
     * {@code value}: a MutationObserver in the page answers the async script as soon as the DOM satisfies it.
     */
    private static WebElement waitUntil(String css, String attribute, String value) {
        Object found = ((JavascriptExecutor) browser).executeAsyncScript("""
                const [css, attribute, value, done] = arguments;
                const hit = () => {
                  for (const e of document.querySelectorAll(css)) {
                    if (attribute === null ? e.getClientRects().length > 0 : e.getAttribute(attribute) === value) return e;
                  }
                  return null;
                };
                const now = hit();
                if (now) { done(now); return; }
                const observer = new MutationObserver(() => {
                  const e = hit();
                  if (e) { observer.disconnect(); done(e); }
                });
                observer.observe(document.documentElement, {subtree: true, childList: true, attributes: true, characterData: true});
                """, css, attribute, value);
        assertThat(found).as(css).isInstanceOf(WebElement.class);
        return (WebElement) found;
    }

    private static WebElement waitFor(String css) {
        return waitUntil(css, null, null);
    }

    private static void waitForAttribute(String css, String attribute, String value) {
        waitUntil(css, attribute, value);
    }

    private static void screenshot(String name) throws Exception {
        File f = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(f.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    /** Warnings and errors the browser logged since the last read (console messages and failed loads). */
    private static List<String> browserLog() {
        return browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.WARNING.intValue())
                .map(LogEntry::getMessage)
                .toList();
    }

    /** Console errors since the last read, minus failed loads of URLs the test expects to fail. */
    private static List<String> consoleErrors(String... expectedFailingUrls) {
        return withoutExpected(browserLog(), expectedFailingUrls);
    }

    private static List<String> withoutExpected(List<String> log, String... expectedFailingUrls) {
        return log.stream()
                .filter(m -> Stream.of(expectedFailingUrls)
                        .noneMatch(u -> m.contains(u) && m.contains("Failed to load resource")))
                .toList();
    }

    /** Scrolls the status page's regions into the viewport (screenshots show the viewport only). */
    private static void showRegions() {
        ((JavascriptExecutor) browser).executeScript("document.getElementById('regions').scrollIntoView();");
    }

    private static boolean fitsTheViewport() {
        Object r = ((JavascriptExecutor) browser).executeScript(
                "return document.documentElement.scrollWidth <= window.innerWidth;");
        return Boolean.TRUE.equals(r);
    }

    @Test
    void statusPageShowsHealthVersionSelfMetricsAndNoFederation() throws Exception {
        open("/");
        waitForAttribute("#figures", "data-state", "ready");
        waitForAttribute("#regions", "data-state", "none");
        waitForAttribute("#node", "data-state", "ready");
        assertThat(browser.findElement(By.id("health")).getText()).isEqualTo("ok");
        assertThat(browser.findElement(By.id("region")).getText()).isEqualTo(LiveTally.REGION);
        assertThat(browser.findElement(By.id("version")).getText()).matches("\\d+\\.\\d+\\.\\d+.*");
        assertThat(browser.findElement(By.id("series")).getText()).isEqualTo("1234");
        assertThat(browser.findElement(By.id("agents")).getText()).contains("tally.agents." + LiveTally.HOST);
        assertThat(browser.findElement(By.cssSelector(".figure[data-label='points received /s'] .value")).getText())
                .isEqualTo("250");
        assertThat(browser.findElement(By.cssSelector(".figure[data-label='WAL size'] .value")).getText())
                .isEqualTo("32.0 MiB");
        assertThat(browser.findElements(By.cssSelector(".figure svg path.series"))).isNotEmpty();
        assertThat(browser.findElement(By.id("regions")).getText()).contains("federation not configured");
        screenshot("status");
        assertThat(consoleErrors()).isEmpty();
    }

    @Test
    void statusPageShowsEachRegionAndWhetherItIsReachable(@TempDir Path other) throws Exception {
        try (PeerNode eu = PeerNode.start(other.resolve("eu"), "eu-west", SECRET, "servers.web01.cpu", "apps.x");
             PeerNode us = PeerNode.start(other.resolve("us"), "us-east", SECRET, "servers.web01.cpu")) {
            us.stop(); // its address now refuses connections
            Federation.Settings settings = Federation.Settings.of(LiveTally.REGION, List.of(eu.asPeer(), us.asPeer()),
                    SECRET);
            try (LiveTally federated = LiveTally.start(other.resolve("main"), e -> List.of(new PagesExtension()),
                    false, settings)) {
                browser.get(federated.base() + "/ui/status");
                waitForAttribute("#regions", "data-state", "ready");
                List<WebElement> rows = browser.findElements(By.cssSelector("#regions tr[data-region]"));
                assertThat(rows).extracting(r -> r.getAttribute("data-region"))
                        .containsExactly("eu-west", LiveTally.REGION, "us-east");
                String reachable = "td[data-label='reachable']";

                WebElement up = rows.get(0);
                assertThat(up.getAttribute("data-reachable")).isEqualTo("yes");
                assertThat(up.findElement(By.cssSelector(reachable)).getText()).isEqualTo("yes");
                assertThat(up.findElement(By.cssSelector("td.breaker")).getText()).isEqualTo("closed");
                assertThat(up.findElement(By.cssSelector("td.last-ok")).getText()).endsWith("ago");
                assertThat(up.findElement(By.cssSelector("td.last-error")).getText()).isEqualTo("—");
                assertThat(up.findElement(By.cssSelector("td.num")).getText()).isEqualTo("2");
                assertThat(up.getText()).contains(eu.asPeer().url().toString());

                WebElement self = rows.get(1);
                assertThat(self.findElement(By.cssSelector(reachable)).getText()).isEqualTo("this node");

                WebElement down = rows.get(2);
                assertThat(down.getAttribute("data-reachable")).isEqualTo("no");
                assertThat(down.findElement(By.cssSelector(reachable)).getText()).isEqualTo("no");
                assertThat(down.findElement(By.cssSelector("td.last-ok")).getText()).isEqualTo("—");
                assertThat(down.findElement(By.cssSelector("td.last-error")).getText()).startsWith("unreachable");
                assertThat(down.findElement(By.cssSelector("td.num")).getText()).isEqualTo("0");
                showRegions();
                screenshot("status-regions");
                assertThat(consoleErrors()).isEmpty();

                browser.manage().window().setSize(new Dimension(390, 844));
                assertThat(fitsTheViewport()).as("the regions table on a phone").isTrue();
                showRegions();
                screenshot("status-regions-phone");

                browser.findElement(By.cssSelector("#regions tr[data-region='eu-west'] a")).click();
                waitForAttribute("#tree", "data-state", "ready");
                assertThat(browser.findElements(By.cssSelector("#tree > li")).stream().map(e -> e.getAttribute("data-id")))
                        .containsExactly("regions.eu-west.apps", "regions.eu-west.servers");
                assertThat(consoleErrors()).isEmpty();
            }
        }
    }

    @Test
    void graphPageDrawsATargetAndTheTimeRangePickerRedrawsIt() throws Exception {
        open("/ui/graph?target=servers.web01.cpu&from=-1h");
        waitForAttribute("#chart", "data-state", "drawn");
        String oneHour = browser.findElement(By.cssSelector("#chart path.series")).getAttribute("d");
        assertThat(oneHour).startsWith("M");
        assertThat(browser.findElement(By.id("meta")).getText()).startsWith("1 series, 60 points");
        new Actions(browser).moveToElement(browser.findElement(By.cssSelector("#chart svg"))).perform();
        assertThat(waitFor("#chart .readout").getText()).contains("servers.web01.cpu: ");
        screenshot("graph-1h");

        browser.findElement(By.cssSelector("#presets button[data-from='-7d']")).click();
        waitForAttribute("#chart", "data-from", "-7d");
        waitForAttribute("#chart", "data-state", "drawn");
        assertThat(browser.findElement(By.cssSelector("#chart path.series")).getAttribute("d")).isNotEqualTo(oneHour);
        assertThat(browser.getCurrentUrl()).contains("from=-7d");
        assertThat(browser.findElement(By.cssSelector("#presets button[data-from='-7d']")).getAttribute("aria-pressed"))
                .isEqualTo("true");
        assertThat(browser.findElement(By.id("png-link")).getAttribute("href"))
                .contains("/render?").contains("format=png").contains("from=-7d").contains("target=servers.web01.cpu");
        screenshot("graph-7d");

        WebElement from = browser.findElement(By.id("from"));
        from.clear();
        from.sendKeys("-3h");
        WebElement until = browser.findElement(By.id("until"));
        until.clear();
        until.sendKeys("-2h");
        browser.findElement(By.cssSelector("#range-form button[type=submit]")).click();
        waitForAttribute("#chart", "data-until", "-2h");
        waitForAttribute("#chart", "data-state", "drawn");
        assertThat(browser.findElement(By.id("meta")).getText()).startsWith("1 series, 60 points");
        assertThat(consoleErrors()).isEmpty();
    }

    @Test
    void graphPageShowsABadTargetReadably() throws Exception {
        open("/ui/graph?target=sumSeries(servers.*.cpu");
        waitForAttribute("#chart", "data-state", "error");
        String error = waitFor("#error").getText();
        assertThat(error).startsWith("HTTP 400: ").doesNotContain("<").doesNotContain("&quot;");
        screenshot("graph-error");
        List<String> log = browserLog();
        assertThat(log).as("the browser log is read").anyMatch(m -> m.contains("400"));
        assertThat(withoutExpected(log, "/render?")).isEmpty();
    }

    @Test
    void metricBrowserExpandsNodesLazilyAndLeadsToTheGraph() throws Exception {
        open("/ui/browse");
        waitForAttribute("#tree", "data-state", "ready");
        assertThat(browser.findElements(By.cssSelector("#tree li[data-id='servers.web01']"))).isEmpty();
        assertThat(browser.findElements(By.cssSelector("#tree li[data-id='_tagged']"))).isEmpty();
        browser.findElement(By.cssSelector("#tree li[data-id='servers'] > .toggle")).click();
        waitFor("#tree li[data-id='servers.web01']");
        browser.findElement(By.cssSelector("#tree li[data-id='servers.web01'] > .toggle")).click();
        WebElement leaf = waitFor("#tree li.leaf[data-id='servers.web01.cpu'] a");
        assertThat(browser.findElement(By.cssSelector("#tree li[data-id='servers'] > .toggle")).getAttribute("aria-expanded"))
                .isEqualTo("true");

        waitForAttribute("#tags", "data-state", "ready");
        browser.findElement(By.xpath("//div[@id='tags']/button[text()='dc']")).click();
        waitFor("#values a.tag");
        assertThat(browser.findElements(By.cssSelector("#values a.tag")).stream().map(WebElement::getText))
                .containsExactly("dc1", "dc2");
        String tagged = browser.findElement(By.xpath("//div[@id='values']/a[text()='dc1']")).getAttribute("href");
        screenshot("browse");
        assertThat(consoleErrors()).isEmpty();

        leaf.click();
        waitForAttribute("#chart", "data-state", "drawn");
        assertThat(browser.getCurrentUrl()).contains("/ui/graph?target=servers.web01.cpu");

        browser.get(tagged);
        waitForAttribute("#chart", "data-state", "drawn");
        assertThat(browser.findElement(By.cssSelector("#chart path.series")).getAttribute("data-target"))
                .isEqualTo("disk.used;dc=dc1;rack=a1");
        assertThat(consoleErrors()).isEmpty();
    }

    @Test
    void alertBoardFollowsTheRealAlertingThroughASilenceAnAckAndAStateChange() throws Exception {
        String r = LiveTally.REGION;
        String api = "tr[data-alert='api-errors']";
        String disk = "tr[data-alert='disk-free']";
        String queue = "tr[data-alert='queue-depth']";
        open("/ui/alerts?refresh=3600&group=checkout");
        waitForAttribute("#board", "data-state", "ready");
        assertThat(browser.findElements(By.cssSelector("tr[data-alert='batch-lag']")))
                .as("group=checkout goes to the API").isEmpty();
        assertThat(browser.findElement(By.cssSelector(api)).getAttribute("data-state")).isEqualTo("OK");
        assertThat(browser.findElement(By.cssSelector(api + " td.value")).getText()).isEqualTo("12");
        assertThat(browser.findElement(By.cssSelector(api)).getText()).contains("API error rate")
                .contains("[" + r + "]").contains("warn ≥ 100, crit ≥ 200").contains("in " + r).contains("ago");
        assertThat(browser.findElement(By.cssSelector(api + " svg path.series")).getAttribute("d")).startsWith("M");
        assertThat(browser.findElement(By.cssSelector(api + " td[data-label='graph'] a")).getAttribute("href"))
                .contains("target=apps." + r + ".api.errors");
        assertThat(browser.findElement(By.cssSelector(disk)).getAttribute("data-state")).isEqualTo("WARNING");
        assertThat(browser.findElement(By.cssSelector(disk)).getText()).contains("warn ≤ 20, crit ≤ 10");
        assertThat(browser.findElement(By.cssSelector(disk + " td.value")).getText()).isEqualTo("15");
        assertThat(browser.findElement(By.cssSelector(queue)).getAttribute("data-state")).isEqualTo("WARNING");

        HttpResponse<String> ack = post("/alerting/api/v1/alerts/disk-free/instances/" + r + "/ack",
                "{\"by\": \"alice\", \"comment\": \"looking\", \"expires\": \"20m\"}");
        assertThat(ack.statusCode()).as(ack.body()).isEqualTo(200);
        HttpResponse<String> silence = post("/alerting/api/v1/silences", "{\"matchers\": [\"alert=queue-depth\"], "
                + "\"duration\": \"1h\", \"created_by\": \"ops\", \"comment\": \"deploy\"}");
        assertThat(silence.statusCode()).as(silence.body()).isEqualTo(200);
        String silenceId = new JsonObject(silence.body()).getString("id");
        browser.findElement(By.id("refresh")).click();
        waitForAttribute(disk, "data-state", "OK");
        waitForAttribute(queue, "data-state", "OK");
        assertThat(browser.findElement(By.cssSelector(disk)).getText()).contains("ack").contains("real WARNING");
        assertThat(browser.findElement(By.cssSelector(disk + " .mark.acked")).getAttribute("title"))
                .isEqualTo("acknowledged by alice");
        assertThat(browser.findElement(By.cssSelector(queue)).getText()).contains("silenced").contains("real WARNING");
        assertThat(browser.findElement(By.cssSelector(queue + " .mark.silenced")).getAttribute("title"))
                .startsWith("silenced by ops until ").contains(": deploy (silence " + silenceId + ")");
        screenshot("alerts-silenced-acked");
        assertThat(consoleErrors()).isEmpty();

        open("/ui/alerts?refresh=1&group=checkout");
        waitForAttribute(api, "data-state", "OK");
        level("apps." + r + ".api.errors", t0 + 60, t0 + 300, t -> 250);
        level("servers." + r + ".disk.free", t0 + 60, t0 + 300, t -> 15);
        level("apps." + r + ".queue.depth", t0 + 60, t0 + 300, t -> 3000);
        level("apps." + r + ".latency.p99", t0 + 60, t0 + 300, t -> 3);
        alertClock.setSeconds(t0 + 360);
        alerting.engine().runDue(alertClock.currentTimeMillis());
        waitForAttribute(api, "data-state", "CRITICAL"); // the board's own refresh, every second
        assertThat(browser.findElement(By.cssSelector(api + " .state")).getText()).isEqualTo("CRITICAL");
        assertThat(browser.findElement(By.cssSelector(api + " td.value")).getText()).isEqualTo("250");
        assertThat(browser.findElement(By.cssSelector(api)).getText()).contains("warn ≥ 100, crit ≥ 200");
        assertThat(browser.findElement(By.cssSelector(api + " .state")).getCssValue("background-color"))
                .isEqualTo("rgba(207, 34, 46, 1)");
        assertThat(browser.findElements(By.cssSelector("#board tbody tr")).getFirst().getAttribute("data-alert"))
                .as("worst first").isEqualTo("api-errors");
        assertThat(browser.findElement(By.cssSelector(disk)).getText()).as("the ack lasts while the state stays")
                .contains("ack");
        String latency = "tr[data-alert='latency']";
        assertThat(browser.findElement(By.cssSelector(latency)).getAttribute("data-state")).as("for: 10m")
                .isEqualTo("OK");
        assertThat(browser.findElement(By.cssSelector(latency)).getText()).contains("pending CRITICAL");
        screenshot("alerts");

        browser.manage().window().setSize(new Dimension(390, 844));
        waitForAttribute("#board", "data-state", "ready");
        assertThat(fitsTheViewport()).as("no horizontal scrolling on a phone").isTrue();
        screenshot("alerts-phone");
        assertThat(consoleErrors()).isEmpty();
    }

    @Test
    void alertBoardSaysAlertingIsNotEnabledWhenTheApiIsAbsent(@TempDir Path other) throws Exception {
        try (LiveTally plain = LiveTally.start(other, List.of(new PagesExtension()))) {
            browser.get(plain.base() + "/ui/alerts");
            waitForAttribute("#board", "data-state", "disabled");
            assertThat(browser.findElement(By.id("board")).getText()).contains("alerting not enabled");
            assertThat(browser.findElement(By.id("error")).isDisplayed()).isFalse();
            screenshot("alerts-disabled");
            List<String> log = browserLog();
            assertThat(log).anyMatch(m -> m.contains("/alerting/api/v1/alerts") && m.contains("404"));
            assertThat(withoutExpected(log, "/alerting/api/v1/alerts")).isEmpty();
        }
    }

    @Test
    void alertBoardShowsRangesAndComparisons() throws Exception {
        // other tests move the alert clock: write this test's series up to a fresh evaluation and run it
        String r = LiveTally.REGION;
        alertClock.advanceSeconds(60);
        long now = alertClock.nowSeconds();
        level("servers." + r + ".temp", now - 3600, now, t -> 31);
        level("apps." + r + ".jobs.failed", now - 3600, now, t -> 12);
        level("apps." + r + ".jobs.done", now - 3600, now, t -> 5);
        alerting.engine().runDue(alertClock.currentTimeMillis());
        open("/ui/alerts?refresh=3600&group=infra");
        waitForAttribute("#board", "data-state", "ready");
        String temp = "tr[data-alert='room-temp']";
        String ratio = "tr[data-alert='errors-vs-lag']";
        assertThat(browser.findElement(By.cssSelector(temp)).getAttribute("data-state")).isEqualTo("CRITICAL");
        assertThat(browser.findElement(By.cssSelector(temp)).getText())
                .contains("warn outside [18, 27], crit outside [15, 30]");
        assertThat(browser.findElement(By.cssSelector(temp + " td.value")).getText()).isEqualTo("31");
        assertThat(browser.findElement(By.cssSelector(ratio)).getAttribute("data-state")).isEqualTo("WARNING");
        assertThat(browser.findElement(By.cssSelector(ratio + " td.value")).getText()).isEqualTo("2.40×"); // 12 / 5
        assertThat(browser.findElement(By.cssSelector(ratio + " td.value")).getAttribute("title"))
                .isEqualTo("times the peers' mean");
        screenshot("alerts-ranges");
        assertThat(consoleErrors()).isEmpty();
    }

    @Test
    void everyPageFitsAPhoneScreen() throws Exception {
        browser.manage().window().setSize(new Dimension(390, 844));
        for (String page : PagesExtension.pagePaths()) {
            open(page + (page.endsWith("graph") ? "?target=servers.*.cpu" : ""));
            waitFor("nav.nav a[aria-current='page']");
            assertThat(fitsTheViewport()).as(page).isTrue();
        }
        screenshot("graph-phone");
        assertThat(consoleErrors()).isEmpty();
    }
}
