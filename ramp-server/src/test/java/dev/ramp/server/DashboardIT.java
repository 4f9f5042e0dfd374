package dev.ramp.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard's files over HTTP: the page at {@code /}, every file it loads (and every module those import) with
 * its content type, no token needed for them, and nothing else changed: the API still needs its token and unknown
 * paths are still problem+json 404s. Nothing here depends on the database, so it runs on SQLite only; the browser
 * tests are ramp-gateway's {@code DashboardIT}.
 */
class DashboardIT {
    private static final Pattern ASSET = Pattern.compile("(?:src|href)=\"(/dashboard/[^\"]+)\"");
    private static final Pattern IMPORT = Pattern.compile("from '\\./([a-z]+\\.js)'");

    @TempDir
    Path directory;

    private TestServer ramp;
    private Api anonymous;

    @BeforeEach
    void start() {
        ramp = TestServer.start("sqlite", directory);
        anonymous = new Api(ramp.url(), null);
    }

    @AfterEach
    void stop() {
        ramp.close();
    }

    @Test
    void root_withoutAToken_answersThePageWithItsSecurityHeaders() {
        Api.Reply page = anonymous.get("/");

        assertThat(page.status()).isEqualTo(200);
        assertThat(mediaType(page)).isEqualTo("text/html;charset=utf-8");
        assertThat(page.body()).startsWith("<!doctype html>").contains("<script type=\"module\" src=\"/dashboard/app.js\">");
        assertThat(page.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(page.header("Content-Security-Policy")).contains("default-src 'self'").contains("frame-ancestors 'none'");
        assertThat(page.header("Cache-Control")).isEqualTo("no-cache");
    }

    @Test
    void everyFileThePageLoads_isServedWithoutATokenWithItsContentType() {
        Set<String> assets = new LinkedHashSet<>(matches(ASSET, anonymous.get("/").body()));
        List<String> scripts = new ArrayList<>(List.of("/dashboard/app.js"));
        for (int i = 0; i < scripts.size(); i++) {
            Api.Reply script = anonymous.get(scripts.get(i));
            assertThat(script.status()).as(scripts.get(i)).isEqualTo(200);
            for (String imported : matches(IMPORT, script.body())) {
                if (!scripts.contains("/dashboard/" + imported)) {
                    scripts.add("/dashboard/" + imported);
                }
            }
        }
        assets.addAll(scripts);

        assertThat(assets).contains("/dashboard/style.css", "/dashboard/vendor/uPlot.min.css",
                "/dashboard/vendor/uPlot.iife.min.js", "/dashboard/app.js", "/dashboard/api.js", "/dashboard/dom.js",
                "/dashboard/releases.js");
        for (String asset : assets) {
            Api.Reply reply = anonymous.get(asset);
            assertThat(reply.status()).as(asset).isEqualTo(200);
            assertThat(reply.body()).as(asset).isNotBlank();
            assertThat(mediaType(reply)).as(asset).isEqualTo(asset.endsWith(".css")
                    ? "text/css;charset=utf-8" : "text/javascript;charset=utf-8");
        }
        assertThat(anonymous.get("/dashboard/vendor/uPlot.iife.min.js").body()).contains("uPlot");
    }

    @Test
    void theApi_stillNeedsItsTokenAndAnswersUnknownPathsWithProblems() {
        assertThat(anonymous.get("/api/v1/flags").status()).isEqualTo(401);
        assertThat(ramp.admin.get("/api/v1/flags").status()).isEqualTo(200);
        for (String path : List.of("/dashboard/missing.js", "/dashboard/../pom.xml", "/index.html", "/nothing-here")) {
            Api.Reply reply = anonymous.get(path);
            assertThat(reply.status()).as(path).isEqualTo(404);
            assertThat(reply.header("Content-Type")).as(path).startsWith("application/problem+json");
        }
        Api.Reply unknownApi = ramp.admin.get("/api/v1/nothing-here");
        assertThat(unknownApi.status()).isEqualTo(404);
        assertThat(unknownApi.header("Content-Type")).startsWith("application/problem+json");
        assertThat(unknownApi.json().path("detail").asText()).isEqualTo("no resource at /api/v1/nothing-here");
    }

    /** The Content-Type without spaces and in lower case (Jetty writes {@code text/html;charset=utf-8}). */
    private static String mediaType(Api.Reply reply) {
        return reply.header("Content-Type").replace(" ", "").toLowerCase(java.util.Locale.ROOT);
    }

    private static List<String> matches(Pattern pattern, String text) {
        List<String> found = new ArrayList<>();
        Matcher matcher = pattern.matcher(text);
        while (matcher.find()) {
            found.add(matcher.group(1));
        }
        return found;
    }
}
