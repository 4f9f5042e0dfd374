package dev.ramp.sdk.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.function.BiConsumer;
import java.util.zip.GZIPInputStream;

/**
 * The SDK's HTTP calls to a server's client API, over the JDK's {@link HttpURLConnection}: blocking, on the
 * calling thread, with no thread of its own, so a closed client leaves nothing running. Every call sends the
 * token as Unleash's SDKs do ({@code Authorization}) and names the application and instance.
 */
public final class ServerConnection {
    /** The most a features document or an error body may be; a larger one is refused, never buffered. */
    public static final int MAX_DOCUMENT_BYTES = 64 << 20;

    private final String base;
    private final String token;
    private final String appName;
    private final String instanceId;
    private final int connectTimeoutMillis;
    private final int readTimeoutMillis;

    public ServerConnection(URI base, String token, String appName, String instanceId, Duration connectTimeout,
                            Duration readTimeout) {
        String text = Objects.requireNonNull(base, "base").toString();
        this.base = text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
        this.token = Objects.requireNonNull(token, "token");
        this.appName = Objects.requireNonNull(appName, "appName");
        this.instanceId = Objects.requireNonNull(instanceId, "instanceId");
        this.connectTimeoutMillis = Math.toIntExact(connectTimeout.toMillis());
        this.readTimeoutMillis = Math.toIntExact(readTimeout.toMillis());
    }

    /** What {@link #fetchFeatures} got. */
    public sealed interface Fetch {
        /** A new document, and its {@code ETag} ({@code ""} when the server sent none). */
        record Modified(byte[] body, String etag) implements Fetch {}

        /** {@code 304}: the document with the {@code ETag} sent is still current. */
        record NotModified() implements Fetch {}

        /** Any other status. */
        record Refused(int status, String detail) implements Fetch {}
    }

    /** {@code GET /api/client/features}, conditional on {@code etag} when it is not empty; gzip accepted. */
    public Fetch fetchFeatures(String etag) throws IOException {
        HttpURLConnection connection = open("/api/client/features", readTimeoutMillis);
        connection.setRequestProperty("Accept", "application/json");
        connection.setRequestProperty("Accept-Encoding", "gzip");
        if (!etag.isEmpty()) {
            connection.setRequestProperty("If-None-Match", etag);
        }
        try {
            int status = connection.getResponseCode();
            if (status == 304) {
                return new Fetch.NotModified();
            }
            if (status != 200) {
                return new Fetch.Refused(status, errorDetail(connection));
            }
            String received = connection.getHeaderField("ETag");
            try (InputStream body = decoded(connection)) {
                return new Fetch.Modified(readBounded(body), received == null ? "" : received);
            }
        } finally {
            connection.disconnect();
        }
    }

    /**
     * Opens the stream, resuming after {@code lastEventId} when given, on a {@link StreamConnection}:
     * {@link StreamConnection#close()} from any thread ends a blocked read. A read that waits longer than
     * {@code idleTimeout} fails: the server sends a keep-alive well within it.
     */
    public StreamConnection openStream(OptionalLong lastEventId, Duration idleTimeout) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Accept", "text/event-stream");
        headers.put("Cache-Control", "no-cache");
        identify(headers::put);
        if (lastEventId.isPresent()) {
            headers.put("Last-Event-ID", Long.toString(lastEventId.getAsLong()));
        }
        return StreamConnection.open(URI.create(base + "/api/client/streaming"), headers,
                Duration.ofMillis(connectTimeoutMillis), idleTimeout);
    }

    /** Whether {@code stream} is an event stream (and not, say, a proxy's HTML page). */
    public static boolean isEventStream(StreamConnection stream) {
        return stream.status() == 200
                && stream.header("Content-Type").toLowerCase(Locale.ROOT).startsWith("text/event-stream");
    }

    /** The start of a refused stream's body, for a message; never fails. */
    public static String errorDetail(StreamConnection stream) {
        return detail(stream.body());
    }

    /** {@code POST} of a JSON body to {@code path}; the response status. */
    public int post(String path, byte[] json) throws IOException {
        HttpURLConnection connection = open(path, readTimeoutMillis);
        connection.setRequestMethod("POST");
        connection.setDoOutput(true);
        connection.setFixedLengthStreamingMode(json.length);
        connection.setRequestProperty("Content-Type", "application/json");
        try {
            try (OutputStream out = connection.getOutputStream()) {
                out.write(json);
            }
            int status = connection.getResponseCode();
            drain(connection);
            return status;
        } finally {
            connection.disconnect();
        }
    }

    private HttpURLConnection open(String path, int readTimeout) throws IOException {
        URL url = URI.create(base + path).toURL();
        HttpURLConnection connection = (HttpURLConnection) url.openConnection();
        connection.setUseCaches(false);
        connection.setInstanceFollowRedirects(false);
        connection.setConnectTimeout(connectTimeoutMillis);
        connection.setReadTimeout(readTimeout);
        identify(connection::setRequestProperty);
        return connection;
    }

    /** The token and the client's names, on every request. */
    private void identify(BiConsumer<String, String> header) {
        header.accept("Authorization", token);
        header.accept("User-Agent", Versions.USER_AGENT);
        header.accept("UNLEASH-APPNAME", appName);
        header.accept("UNLEASH-INSTANCEID", instanceId);
        header.accept("UNLEASH-SDK", Versions.SDK);
    }

    private static InputStream decoded(HttpURLConnection connection) throws IOException {
        InputStream body = connection.getInputStream();
        return "gzip".equalsIgnoreCase(connection.getContentEncoding()) ? new GZIPInputStream(body) : body;
    }

    static byte[] readBounded(InputStream body) throws IOException {
        byte[] bytes = body.readNBytes(MAX_DOCUMENT_BYTES + 1);
        if (bytes.length > MAX_DOCUMENT_BYTES) {
            throw new IOException("the server sent more than " + MAX_DOCUMENT_BYTES + " bytes");
        }
        return bytes;
    }

    /** The start of an error response's body, for a message; never fails. */
    private static String errorDetail(HttpURLConnection connection) {
        try (InputStream error = connection.getErrorStream()) {
            return error == null ? "" : detail(error);
        } catch (IOException e) {
            return "";
        }
    }

    /** The first 300 bytes of an error body, on one line; {@code ""} when it cannot be read. */
    private static String detail(InputStream body) {
        try {
            return new String(body.readNBytes(300), StandardCharsets.UTF_8).replaceAll("\\s+", " ").trim();
        } catch (IOException e) {
            return "";
        }
    }

    /** Reads the rest of a response so the JDK can reuse the connection. */
    private static void drain(HttpURLConnection connection) {
        try (InputStream body = connection.getResponseCode() < 400 ? connection.getInputStream() : connection.getErrorStream()) {
            if (body != null) {
                body.readNBytes(64 << 10);
            }
        } catch (IOException e) {
            // The status is what counts; a body cut short only costs the connection's reuse.
        }
    }
}
