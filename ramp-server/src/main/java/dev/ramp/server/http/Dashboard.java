package dev.ramp.server.http;

import io.javalin.config.RoutesConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The web dashboard: a fixed list of static files read from the jar once, at start, and served without a token
 * at {@code /} and under {@code /dashboard/}. The page signs in with an admin token of its own and calls
 * {@code /api/v1} like any other client, so serving the files grants nothing. Only the files listed here are
 * served; any other path under {@code /dashboard/} is the usual problem+json 404.
 */
final class Dashboard {
    /** The dashboard's own files, under {@code src/main/resources/dev/ramp/server/dashboard/}. */
    private static final String OWN = "/dev/ramp/server/dashboard/";
    /** uPlot's webjar names its version in its folders; the version is the one the parent POM pins. */
    private static final String UPLOT_PROPERTIES = "/META-INF/maven/org.webjars.npm/uplot/pom.properties";
    /**
     * Scripts, styles and API calls come from this server only, the page cannot be framed, and uPlot may set
     * element styles.
     */
    private static final String POLICY = "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
            + "frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    private record Asset(String path, String contentType, byte[] body) {}

    private final List<Asset> assets;

    private Dashboard(List<Asset> assets) {
        this.assets = assets;
    }

    /** Reads every file; a file missing from the jar fails the server's start, and so every server test. */
    static Dashboard load() {
        String html = "text/html; charset=utf-8";
        String js = "text/javascript; charset=utf-8";
        String css = "text/css; charset=utf-8";
        String uplot = "/META-INF/resources/webjars/uplot/" + uplotVersion() + "/dist/";
        return new Dashboard(List.of(
                asset("/", OWN + "index.html", html),
                asset("/dashboard/app.js", OWN + "app.js", js),
                asset("/dashboard/api.js", OWN + "api.js", js),
                asset("/dashboard/dom.js", OWN + "dom.js", js),
                asset("/dashboard/releases.js", OWN + "releases.js", js),
                asset("/dashboard/style.css", OWN + "style.css", css),
                asset("/dashboard/vendor/uPlot.iife.min.js", uplot + "uPlot.iife.min.js", js),
                asset("/dashboard/vendor/uPlot.min.css", uplot + "uPlot.min.css", css)));
    }

    void register(RoutesConfig routes) {
        for (Asset asset : assets) {
            routes.get(asset.path(), ctx -> ctx.contentType(asset.contentType())
                    .header("Cache-Control", "no-cache")
                    .header("X-Content-Type-Options", "nosniff")
                    .header("Content-Security-Policy", POLICY)
                    .result(asset.body()));
        }
    }

    private static String uplotVersion() {
        try (InputStream in = Dashboard.class.getResourceAsStream(UPLOT_PROPERTIES)) {
            if (in == null) {
                throw new IllegalStateException("uPlot's webjar is missing from the class path: no " + UPLOT_PROPERTIES);
            }
            var properties = new java.util.Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + UPLOT_PROPERTIES, e);
        }
    }

    private static Asset asset(String path, String resource, String contentType) {
        try (InputStream in = Dashboard.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the dashboard file " + resource + " is missing from the server's resources");
            }
            return new Asset(path, contentType, in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the dashboard file " + resource, e);
        }
    }
}
