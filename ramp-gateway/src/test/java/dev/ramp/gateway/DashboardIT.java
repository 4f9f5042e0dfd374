package dev.ramp.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ramp.core.eval.Context;
import dev.ramp.sdk.RampClient;
import dev.ramp.server.RampServer;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

/**
 * The dashboard in a real headless Chromium (Debian's {@code chromium} and {@code chromium-driver}), against a real
 * server: a flag toggled and edited in the browser reaches a running SDK client, and a canary release of a route
 * that a real gateway serves to real backends under a paced load is followed live and aborted with its button.
 * Sign-in and the first toggle use the keyboard. Screenshots go to {@code target/screenshots/}. Without the browser the tests are skipped, except when
 * {@code CI=true}: there they fail, since CI installs it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardIT {
    private static final String ADMIN = "dashboard.test.admin.token.0123456789";
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The most requests the load sends, whatever happens: about three minutes at its pace. */
    private static final int MAX_REQUESTS = 18_000;
    private static final Duration UI = Duration.ofSeconds(20);

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private RampServer server;
    private ChromeDriverService service;
    private ChromeDriver browser;

    @BeforeAll
    void start(@TempDir Path data) throws IOException {
        boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        String missing = "the dashboard's browser tests need " + CHROMIUM + " and " + CHROMEDRIVER
                + " (Debian's chromium and chromium-driver; .ci/run installs them)";
        if ("true".equals(System.getenv("CI"))) {
            assertThat(installed).as("CI=true: " + missing).isTrue();
        }
        Assumptions.assumeTrue(installed, "skipped: " + missing);
        server = RampServer.builder().port(0).adminToken(ADMIN).dataDirectory(data).releaseTick(Duration.ofMillis(200))
                .start();
        // The driver's path is given, so Selenium Manager never runs (it would try to download a driver).
        service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort()
                .withLogFile(new File("target/chromedriver.log")).build();
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                        "--window-size=1280,1100", "--no-first-run", "--disable-extensions", "--disable-sync",
                        "--disable-background-networking", "--disable-component-update");
        options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
        browser = new ChromeDriver(service, options);
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (service != null) {
            service.stop();
        }
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void signIn() {
        browser.get(server.url() + "/");
        browser.executeScript("sessionStorage.clear()");
        browser.navigate().refresh();
        WebElement token = visible(By.id("token"));
        token.sendKeys("not-a-token-of-this-server");
        browser.findElement(By.cssSelector("#sign-in button[type=submit]")).click();
        awaitUi(() -> browser.findElement(By.id("error")).getText()
                .contains("Sign-in failed: the token is not valid: unknown or revoked"));
        assertThat(browser.findElement(By.id("nav")).isDisplayed()).isFalse();

        token.clear();
        token.sendKeys(ADMIN, Keys.ENTER);
        awaitUi(() -> browser.findElement(By.id("nav")).isDisplayed());
        assertThat(browser.findElement(By.id("error")).isDisplayed()).isFalse();
    }

    @AfterEach
    void browserLog(TestInfo test) {
        for (LogEntry entry : browser.manage().logs().get(LogType.BROWSER)) {
            System.out.println("browser console (" + test.getDisplayName() + "): " + entry);
        }
    }

    @Test
    void aFlagToggledAndEditedInTheDashboard_reachesARunningSdkClient() throws Exception {
        send("POST", "/api/v1/flags", """
                {"key":"checkout.dashboard","description":"The checkout the dashboard test flips",
                 "environments":{"production":{"enabled":false,"strategies":[{"name":"flexibleRollout",
                   "parameters":{"rollout":"100","stickiness":"default","groupId":"checkout.dashboard"},
                   "constraints":[{"contextName":"plan","operator":"IN","values":["pro"]}]}]}}}""", null);
        send("POST", "/api/v1/flags", "{\"key\":\"search.other\",\"description\":\"Ranking of search results\"}", null);
        String clientToken = send("POST", "/api/v1/tokens",
                "{\"name\":\"shop\",\"scope\":\"client\",\"environment\":\"production\"}", null).path("secret").asText();
        Context pro = Context.builder().userId("user-1").property("plan", "pro").build();
        Context free = Context.builder().userId("user-1").property("plan", "free").build();
        try (RampClient sdk = RampClient.builder().url(server.url()).token(clientToken).appName("dashboard-test")
                .noBackupFile().metrics(false, Duration.ofSeconds(60)).exposures(false).build()) {
            assertThat(sdk.awaitReady(Duration.ofSeconds(10))).isTrue();
            assertThat(sdk.isEnabled("checkout.dashboard", pro)).isFalse();

            browser.navigate().refresh();
            WebElement search = visible(By.id("flag-search"));
            // The tests share a server, so other flags may be listed too; the search must leave only this one.
            awaitUi(() -> !browser.findElements(By.cssSelector("tr[data-flag='search.other']")).isEmpty());
            search.sendKeys("checkout.dash");
            awaitUi(() -> browser.findElements(By.cssSelector("tr[data-flag]")).size() == 1
                    && !browser.findElements(By.cssSelector("tr[data-flag='checkout.dashboard']")).isEmpty());
            WebElement toggle = toggle("checkout.dashboard", "production");
            assertThat(toggle.getAttribute("aria-pressed")).isEqualTo("false");
            toggle.sendKeys(Keys.SPACE);
            await().atMost(UI).until(() -> sdk.isEnabled("checkout.dashboard", pro));
            awaitUi(() -> "true".equals(toggle("checkout.dashboard", "production").getAttribute("aria-pressed")));
            // Pressed from the keyboard, the redrawn button keeps the focus.
            assertThat(browser.switchTo().activeElement()).isEqualTo(toggle("checkout.dashboard", "production"));
            assertThat(browser.findElement(By.id("status")).getText()).isEqualTo("checkout.dashboard is now on in production.");
            screenshot("flags");

            browser.findElement(By.linkText("checkout.dashboard")).click();
            WebElement rollout = visible(By.cssSelector("form.strategy[data-environment=production] input[type=number]"));
            assertThat(browser.findElement(By.cssSelector("label[for='" + rollout.getAttribute("id") + "']")).getText())
                    .isEqualTo("Rollout % in production");
            rollout.clear();
            rollout.sendKeys("0");
            form("production").findElement(By.cssSelector("button[type=submit]")).click();
            await().atMost(UI).until(() -> !sdk.isEnabled("checkout.dashboard", pro));

            // A constraint the server refuses is shown with the server's detail, and nothing changes.
            new org.openqa.selenium.support.ui.Select(form("production").findElement(By.tagName("select")))
                    .selectByVisibleText("SEMVER_GT");
            WebElement value = form("production").findElements(By.cssSelector("fieldset.constraint input")).get(1);
            value.clear();
            value.sendKeys("1.x");
            form("production").findElement(By.cssSelector("button[type=submit]")).click();
            awaitUi(() -> browser.findElement(By.id("error")).getText().contains("is not a semantic version"));

            // Back to 100% for every plan: remove the constraint and save.
            browser.navigate().refresh();
            WebElement again = visible(By.cssSelector("form.strategy[data-environment=production] input[type=number]"));
            again.clear();
            again.sendKeys("100");
            form("production").findElement(By.xpath(".//button[text()='Remove constraint']")).click();
            form("production").findElement(By.cssSelector("button[type=submit]")).click();
            await().atMost(UI).until(() -> sdk.isEnabled("checkout.dashboard", free));
            JsonNode saved = send("GET", "/api/v1/flags/checkout.dashboard", null, null);
            assertThat(saved.path("environments").path("production").path("strategies").get(0).path("constraints")).isEmpty();

            // The history shows each change as a diff; reverting to version 3 (rollout 0, plan pro) takes it back.
            WebElement change = visible(By.cssSelector("ol.history li[data-version='3']"));
            assertThat(change.getText()).contains("parameters.rollout").contains("\"100\"").contains("\"0\"");
            change.findElement(By.cssSelector("button[data-version='3']")).click();
            await().atMost(UI).until(() -> !sdk.isEnabled("checkout.dashboard", pro) && !sdk.isEnabled("checkout.dashboard", free));
            awaitUi(() -> browser.findElement(By.id("status")).getText().equals("checkout.dashboard is back as it was at version 3."));
            screenshot("flag-history");

            browser.findElement(By.linkText("Audit log")).click();
            // Oldest first, 100 a page, on a server the other tests share: page on until this flag's revert shows.
            awaitUi(() -> {
                boolean shown = browser.findElements(By.cssSelector("main tbody tr")).stream()
                        .map(WebElement::getText)
                        .anyMatch(row -> row.contains("flag checkout.dashboard") && row.contains("revert"));
                if (!shown) {
                    browser.findElements(By.xpath("//main//button[text()='Load more']")).stream()
                            .filter(WebElement::isDisplayed).findFirst().ifPresent(WebElement::click);
                }
                return shown;
            });
            screenshot("audit");
        }
    }

    @Test
    void aReleaseIsChartedLive_promotedPausedResumed_andAbortedWithItsButtons() throws Exception {
        ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor();
        try (var stable = new Backend("v1"); var canary = new Backend("v2"); var fixture = new GatewayFixture()) {
            String gatewayToken = send("POST", "/api/v1/tokens", "{\"name\":\"edge\",\"scope\":\"gateway\"}", null)
                    .path("secret").asText();
            send("POST", "/api/v1/routes", """
                    {"kind":"Route","name":"shop","match":{"pathPrefix":"/shop"},
                     "arms":[{"name":"stable","upstreams":["%s"]},{"name":"canary","upstreams":["%s"]}]}"""
                    .formatted(stable.address(), canary.address()), null);
            try (var link = ServerLink.start(URI.create(server.url()), gatewayToken, "edge-1", fixture.gateway,
                    Clock.systemUTC())) {
                await().atMost(Duration.ofSeconds(10)).until(() -> fixture.get("/shop").statusCode() == 200);
                AtomicInteger sent = new AtomicInteger();
                pacer.scheduleAtFixedRate(() -> {
                    if (sent.incrementAndGet() <= MAX_REQUESTS) {
                        fixture.client.sendAsync(HttpRequest.newBuilder(fixture.uri("/shop")).build(),
                                HttpResponse.BodyHandlers.discarding());
                    }
                }, 0, 10, TimeUnit.MILLISECONDS);
                send("POST", "/api/v1/releases", """
                        {"kind":"Release","name":"shop-v2","target":{"route":"shop"},
                         "canary":{"steps":[{"setWeight":10},{"pause":{}},{"setWeight":40},{"pause":{}}]}}""", null);

                browser.findElement(By.linkText("Releases")).click();
                visible(By.linkText("shop-v2")).click();
                awaitUi(() -> text("release-weight").equals("10%") && text("release-phase").equals("progressing"));
                awaitUi(() -> points() > 0);
                int before = points();
                awaitUi(() -> points() > before);
                assertThat(browser.findElements(By.cssSelector("#release-chart canvas"))).isNotEmpty();
                screenshot("release-10");

                browser.findElement(By.id("promote")).click();
                awaitUi(() -> text("release-weight").equals("40%"));
                int promoted = points();
                awaitUi(() -> points() > promoted);
                awaitUi(() -> text("chart-summary").startsWith("Last second: weight 40%"));
                screenshot("release-40");

                // Hovering a decision's marker shows it; the same entry is in the list under the chart.
                WebElement over = browser.findElement(By.cssSelector("#release-chart .u-over"));
                WebElement tooltip = browser.findElement(By.cssSelector("#release-chart .tooltip"));
                int width = over.getSize().getWidth();
                for (int x = 1; x < width && !tooltip.isDisplayed(); x += 3) {
                    new Actions(browser).moveToElement(over, x - width / 2, 0).perform();
                }
                assertThat(tooltip.isDisplayed()).as("a tooltip somewhere along the chart").isTrue();
                String marked = tooltip.getText().split("\\s", 2)[0];
                assertThat(marked).matches("#\\d+");
                assertThat(browser.findElement(By.id("decision-" + marked.substring(1))).getText()).startsWith(marked + " ");
                screenshot("release-tooltip");

                browser.findElement(By.id("pause")).click();
                awaitUi(() -> text("release-phase").equals("paused"));
                browser.findElement(By.id("resume")).click();
                awaitUi(() -> text("release-phase").equals("progressing"));

                browser.findElement(By.id("abort")).click();
                awaitUi(() -> text("release-phase").equals("rolled-back"));
                awaitUi(() -> text("release-weight").equals("0%"));
                awaitUi(() -> browser.findElement(By.id("decisions")).getText().contains("rolled-back"));
                assertThat(browser.findElement(By.id("abort")).isDisplayed()).isFalse();
                assertThat(send("GET", "/api/v1/releases/shop-v2", null, null).path("phase").asText()).isEqualTo("rolled-back");
                await().atMost(Duration.ofSeconds(10)).until(() -> GatewayFixture.arm(fixture.get("/shop")).equals("v1"));
                screenshot("release-rolled-back");
                assertThat(canary.requests.get()).isPositive();
                assertThat(sent.get()).isLessThan(MAX_REQUESTS);
            }
        } finally {
            pacer.shutdownNow();
            assertThat(pacer.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void aFlagsRollout_isChartedWithEachArmsMeanAtEveryMeasurement_untilPromoted() throws Exception {
        send("POST", "/api/v1/flags", """
                {"key":"checkout.flow","environments":{"production":{"enabled":true,"strategies":[{"name":"flexibleRollout",
                 "parameters":{"rollout":"0","stickiness":"default","groupId":"checkout.flow"}}]}}}""", null);
        String clientToken = send("POST", "/api/v1/tokens",
                "{\"name\":\"flow-events\",\"scope\":\"client\",\"environment\":\"production\"}", null)
                .path("secret").asText();
        // An application's checkouts: 20 units every 100 ms, each failing 5% of the time in either arm.
        ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor();
        java.util.Random random = new java.util.Random(7);
        AtomicInteger batches = new AtomicInteger();
        try {
            pacer.scheduleAtFixedRate(() -> {
                if (batches.incrementAndGet() > 1_800) {
                    return; // three minutes at this pace, whatever happens
                }
                StringBuilder events = new StringBuilder();
                for (int i = 0; i < 20; i++) {
                    events.append(i == 0 ? "" : ",").append("{\"type\":\"metric\",\"name\":\"checkout-failed\",\"unit\":\"u")
                            .append(random.nextInt(10_000)).append("\",\"value\":").append(random.nextDouble() < 0.05 ? 1 : 0)
                            .append('}');
                }
                http.sendAsync(HttpRequest.newBuilder(URI.create(server.url() + "/api/client/events"))
                        .header("Authorization", clientToken).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"appName\":\"shop\",\"events\":[" + events + "]}"))
                        .build(), HttpResponse.BodyHandlers.discarding());
            }, 0, 100, TimeUnit.MILLISECONDS);
            send("POST", "/api/v1/releases", """
                    {"kind":"Release","name":"flow-rollout","target":{"flag":"checkout.flow","environment":"production"},
                     "canary":{"stepWeights":[20,50],"stepAnalysis":{"interval":"1s","count":2,"minSamples":20,
                       "metrics":[{"name":"failed","source":"events","event":"checkout-failed"}]}}}""", null);

            browser.findElement(By.linkText("Releases")).click();
            visible(By.linkText("flow-rollout")).click();
            awaitUi(() -> measurements() >= 2);
            awaitUi(() -> text("chart-summary").contains("last measurement of failed: stable "));
            assertThat(browser.findElements(By.cssSelector("#release-chart canvas"))).isNotEmpty();
            assertThat(browser.findElement(By.cssSelector("#release-chart .u-legend")).getText())
                    .contains("stable (outside the rollout)", "canary (in the rollout)");
            screenshot("release-flag");
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                    .until(() -> text("release-phase").equals("promoted"));
            awaitUi(() -> text("release-weight").equals("100%"));
        } finally {
            pacer.shutdownNow();
            assertThat(pacer.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void anExperimentWithASampleRatioMismatch_showsTheWarningTheResultsAndTheForestPlot() throws Exception {
        send("POST", "/api/v1/flags", """
                {"key":"checkout.button","type":"experiment","impressionData":true,
                 "environments":{"production":{"enabled":true,
                   "strategies":[{"name":"flexibleRollout","parameters":{"rollout":"100","stickiness":"default","groupId":"checkout.button"}}],
                   "variants":[{"name":"blue","weight":500,"stickiness":"default"},{"name":"green","weight":500,"stickiness":"default"}]}}}""",
                null);
        send("POST", "/api/v1/experiments", """
                {"kind":"Experiment","name":"green-button","flag":"checkout.button","environment":"production",
                 "control":"blue","primaryMetric":{"event":"checkout","kind":"conversion","goal":"increase"}}""", null);
        send("POST", "/api/v1/experiments/green-button/start", null, "\"1\"");
        String clientToken = send("POST", "/api/v1/tokens",
                "{\"name\":\"shop-events\",\"scope\":\"client\",\"environment\":\"production\"}", null)
                .path("secret").asText();
        // 600 units saw blue and 400 green where the split is 50/50: a mismatch (chi-square 40, p < 0.001).
        StringBuilder events = new StringBuilder();
        for (int unit = 0; unit < 1000; unit++) {
            String variant = unit < 600 ? "blue" : "green";
            events.append(events.isEmpty() ? "" : ",").append("{\"type\":\"exposure\",\"flag\":\"checkout.button\",\"variant\":\"")
                    .append(variant).append("\",\"unit\":\"u").append(unit).append("\"}");
            if (unit % (variant.equals("blue") ? 10 : 5) == 0) {
                events.append(",{\"type\":\"metric\",\"name\":\"checkout\",\"unit\":\"u").append(unit).append("\"}");
            }
        }
        var posted = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/client/events"))
                .header("Authorization", clientToken).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"appName\":\"shop\",\"events\":[" + events + "]}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(202);
        await().atMost(UI).until(() -> send("GET", "/api/v1/experiments/green-button/results", null, null)
                .path("units").asInt() == 1000);

        browser.findElement(By.linkText("Experiments")).click();
        visible(By.linkText("green-button")).click();
        WebElement warning = visible(By.id("srm"));
        assertThat(warning.getAttribute("role")).isEqualTo("alert");
        assertThat(warning.getText()).startsWith("Sample-ratio mismatch.").contains("blue 600 units (expected 50.0%)")
                .contains("green 400 units (expected 50.0%)");
        WebElement results = browser.findElement(By.cssSelector("table.results"));
        assertThat(results.findElement(By.tagName("caption")).getText()).isEqualTo("checkout (primary, conversion, goal: increase)");
        assertThat(results.findElements(By.cssSelector("tbody tr"))).hasSize(2);
        assertThat(results.findElement(By.cssSelector("tbody tr:nth-child(2)")).getText()).startsWith("green 400 0.2000");
        WebElement plot = browser.findElement(By.cssSelector("figure.forest svg"));
        assertThat(plot.findElements(By.cssSelector("line.sequential"))).hasSize(1);
        assertThat(plot.findElements(By.cssSelector("line.classic"))).hasSize(1);
        screenshot("experiment");
    }

    private WebElement toggle(String flag, String environment) {
        return browser.findElement(By.cssSelector("button.toggle[data-flag='" + flag + "'][data-environment='" + environment + "']"));
    }

    private WebElement form(String environment) {
        return browser.findElement(By.cssSelector("form.strategy[data-environment=" + environment + "]"));
    }

    private int points() {
        return Integer.parseInt(browser.findElement(By.id("release-chart")).getAttribute("data-points"));
    }

    private int measurements() {
        return Integer.parseInt(browser.findElement(By.id("release-chart")).getAttribute("data-measurements"));
    }

    private String text(String id) {
        return browser.findElement(By.id(id)).getText();
    }

    private WebElement visible(By locator) {
        WebElement[] found = new WebElement[1];
        awaitUi(() -> {
            found[0] = browser.findElement(locator);
            return found[0].isDisplayed();
        });
        return found[0];
    }

    /** Waits for the page; elements the page replaced meanwhile are looked up again. */
    private void awaitUi(Callable<Boolean> condition) {
        await().atMost(UI).pollInterval(Duration.ofMillis(100)).ignoreExceptions().until(condition);
    }

    private void screenshot(String name) throws IOException {
        Files.write(SCREENSHOTS.resolve(name + ".png"), browser.getScreenshotAs(OutputType.BYTES));
    }

    private JsonNode send(String method, String path, String body, String ifMatch) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(server.url() + path)).header("Authorization", "Bearer " + ADMIN)
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (ifMatch != null) {
            request.header("If-Match", ifMatch);
        }
        var response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("%s %s: %s", method, path, response.body()).isBetween(200, 299);
        return JSON.readTree(response.body());
    }
}
