package io.tally.dashboards;

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
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Tally's pages in headless Chromium (Debian's chromium and chromedriver) against a real Tally: real series in a
 * real engine, the Graphite API and {@link PagesExtension} on one port, plus {@link FakeAlertsApi} for the board.
 * One browser for the class; every test reads the browser log and fails on any console error it did not expect.
 * Screenshots go to target/screenshots/. Skipped only when /usr/bin/chromedriver is absent.
 */
class PagesBrowserTest {
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    static Path dir;
    private static LiveTally tally;
    private static FakeAlertsApi alerts;
    private static ChromeDriver browser;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Files.isExecutable(CHROMEDRIVER), "no /usr/bin/chromedriver (Debian package chromium-driver)");
        alerts = new FakeAlertsApi();
        tally = LiveTally.start(dir, List.of(new PagesExtension(), alerts));
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
    }

    @BeforeEach
    void reset() {
        alerts.state.set("OK");
        alerts.enable();
        browser.manage().window().setSize(new Dimension(1280, 900));
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
    void statusPageListsFederatedRegionsWithTheirReachability(@TempDir Path other) throws Exception {
        try (LiveTally federated = LiveTally.start(other, List.of(new PagesExtension()), true)) {
            browser.get(federated.base() + "/ui/status");
            waitForAttribute("#regions", "data-state", "ready");
            List<WebElement> rows = browser.findElements(By.cssSelector("#regions tr[data-region]"));
            assertThat(rows).extracting(r -> r.getAttribute("data-region")).containsExactlyElementsOf(LiveTally.REGIONS);
            for (WebElement row : rows) {
                assertThat(row.findElement(By.cssSelector("td[data-label='reachable']")).getText()).isEqualTo("yes");
                assertThat(row.findElement(By.cssSelector("td.num")).getText()).isEqualTo("2");
            }
            screenshot("status-regions");
            assertThat(consoleErrors()).isEmpty();

            rows.getFirst().findElement(By.tagName("a")).click();
            waitForAttribute("#tree", "data-state", "ready");
            assertThat(browser.findElements(By.cssSelector("#tree > li")).stream().map(e -> e.getAttribute("data-id")))
                    .containsExactly("regions.eu-west.servers", "regions.eu-west.tally");
            assertThat(consoleErrors()).isEmpty();
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
    void alertBoardShowsEveryInstanceAndAStateChangeAfterTheAutoRefresh() throws Exception {
        open("/ui/alerts?refresh=1&group=checkout");
        waitForAttribute("#board", "data-state", "ready");
        assertThat(alerts.lastQuery.get()).as("the board's filters go to the API").isEqualTo("group=checkout");
        String api = "tr[data-alert='api-5xx-rate']";
        assertThat(browser.findElement(By.cssSelector(api)).getAttribute("data-state")).isEqualTo("OK");
        assertThat(browser.findElement(By.cssSelector(api + " td.value")).getText()).isEqualTo("12.1");
        assertThat(browser.findElement(By.cssSelector(api)).getText()).contains("warn ≥ 100, crit ≥ 200")
                .contains("[" + LiveTally.REGION + "]").contains("ago");
        assertThat(browser.findElement(By.cssSelector(api + " svg path.series")).getAttribute("d")).startsWith("M");
        String disk = "tr[data-alert='disk-free']";
        assertThat(browser.findElement(By.cssSelector(disk)).getText())
                .contains("silenced").contains("ack").contains("real WARNING").contains("warn ≤ 20, crit ≤ 10");
        int before = alerts.calls.get();

        alerts.state.set("CRITICAL");
        waitForAttribute(api, "data-state", "CRITICAL");
        assertThat(alerts.calls.get()).isGreaterThan(before);
        assertThat(browser.findElement(By.cssSelector(api + " .state")).getText()).isEqualTo("CRITICAL");
        assertThat(browser.findElement(By.cssSelector(api + " td.value")).getText()).isEqualTo("231");
        assertThat(browser.findElement(By.cssSelector(api + " .state")).getCssValue("background-color"))
                .isEqualTo("rgba(207, 34, 46, 1)");
        assertThat(browser.findElements(By.cssSelector("#board tbody tr")).getFirst().getAttribute("data-alert"))
                .as("worst first").isEqualTo("api-5xx-rate");
        screenshot("alerts");

        browser.manage().window().setSize(new Dimension(390, 844));
        waitForAttribute("#board", "data-state", "ready");
        assertThat(fitsTheViewport()).as("no horizontal scrolling on a phone").isTrue();
        screenshot("alerts-phone");
        assertThat(consoleErrors()).isEmpty();
    }

    @Test
    void alertBoardSaysAlertingIsNotEnabledWhenTheApiIsAbsent() throws Exception {
        alerts.disable();
        open("/ui/alerts");
        waitForAttribute("#board", "data-state", "disabled");
        assertThat(browser.findElement(By.id("board")).getText()).contains("alerting not enabled");
        assertThat(browser.findElement(By.id("error")).isDisplayed()).isFalse();
        List<String> log = browserLog();
        assertThat(log).anyMatch(m -> m.contains("/alerting/api/v1/alerts") && m.contains("404"));
        assertThat(withoutExpected(log, "/alerting/api/v1/alerts")).isEmpty();
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
