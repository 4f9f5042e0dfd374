package dev.ramp.sdk.internal;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * One long-lived HTTP/1.1 {@code GET} over a socket the SDK owns, for the delta stream. The JDK's clients cannot
 * serve here on Java 17: {@code HttpURLConnection} cannot end a read blocked in another thread (its chunked stream
 * is locked by the reader), and {@code java.net.http.HttpClient} has a selector thread that no call stops. Closing
 * this socket ends a blocked read at once, so a closing client never waits for the next keep-alive. It speaks
 * just what a stream needs: one request, the status and headers, and a chunked, sized or close-delimited body;
 * {@code https} through the JDK's default TLS with host-name verification.
 */
public final class StreamConnection implements AutoCloseable {
    /** The most the status line and headers may take. */
    static final int MAX_HEAD_BYTES = 64 << 10;

    private final Socket socket;
    private final int status;
    private final Map<String, String> headers;
    private final InputStream body;

    private StreamConnection(Socket socket, int status, Map<String, String> headers, InputStream body) {
        this.socket = socket;
        this.status = status;
        this.headers = headers;
        this.body = body;
    }

    /**
     * Connects to {@code url} and sends a {@code GET} with {@code requestHeaders}; returns once the response's
     * headers are in. A read that waits longer than {@code idleTimeout}, here or in the body, fails.
     */
    public static StreamConnection open(URI url, Map<String, String> requestHeaders, Duration connectTimeout,
                                        Duration idleTimeout) throws IOException {
        boolean tls = "https".equalsIgnoreCase(url.getScheme());
        String host = url.getHost();
        int port = url.getPort() > 0 ? url.getPort() : tls ? 443 : 80;
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(host, port), Math.toIntExact(connectTimeout.toMillis()));
            socket.setSoTimeout(Math.toIntExact(idleTimeout.toMillis()));
            socket.setTcpNoDelay(true);
            if (tls) {
                SSLSocket secure = (SSLSocket) ((SSLSocketFactory) SSLSocketFactory.getDefault())
                        .createSocket(socket, host, port, true);
                SSLParameters parameters = secure.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                secure.setSSLParameters(parameters);
                secure.startHandshake();
                socket = secure;
            }
            StringBuilder request = new StringBuilder();
            String target = url.getRawPath() + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
            request.append("GET ").append(target).append(" HTTP/1.1\r\n");
            request.append("Host: ").append(host).append(url.getPort() > 0 ? ":" + url.getPort() : "").append("\r\n");
            requestHeaders.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
            request.append("Connection: close\r\n\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();

            InputStream in = new BufferedInputStream(socket.getInputStream());
            String statusLine = readLine(in);
            String[] parts = statusLine.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
                throw new IOException("not an HTTP/1.x response: '" + abbreviate(statusLine) + "'");
            }
            int status;
            try {
                status = Integer.parseInt(parts[1]);
            } catch (NumberFormatException e) {
                throw new IOException("not an HTTP status: '" + abbreviate(statusLine) + "'");
            }
            Map<String, String> headers = new HashMap<>();
            int headBytes = statusLine.length();
            for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
                headBytes += line.length() + 2;
                if (headBytes > MAX_HEAD_BYTES) {
                    throw new IOException("the response headers are longer than " + MAX_HEAD_BYTES + " bytes");
                }
                int colon = line.indexOf(':');
                if (colon > 0) {
                    headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
                }
            }
            InputStream body;
            if (headers.getOrDefault("transfer-encoding", "").toLowerCase(Locale.ROOT).contains("chunked")) {
                body = new ChunkedBody(in);
            } else if (headers.containsKey("content-length")) {
                body = new SizedBody(in, parseLength(headers.get("content-length")));
            } else {
                body = in;
            }
            return new StreamConnection(socket, status, Map.copyOf(headers), body);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    public int status() {
        return status;
    }

    /** A response header by its name in any case; {@code ""} when absent. */
    public String header(String name) {
        return headers.getOrDefault(name.toLowerCase(Locale.ROOT), "");
    }

    public InputStream body() {
        return body;
    }

    /** Closes the socket: a read blocked in another thread fails at once. */
    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // Closing is all that was asked; the socket is gone either way.
        }
    }

    /** A line of the head, without its CRLF (a bare LF is accepted). */
    static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("the response ended inside its head");
            }
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
            }
            if (line.size() >= MAX_HEAD_BYTES) {
                throw new IOException("a response line is longer than " + MAX_HEAD_BYTES + " bytes");
            }
            line.write(b);
        }
    }

    private static long parseLength(String text) throws IOException {
        try {
            long length = Long.parseLong(text.trim());
            if (length < 0) {
                throw new IOException("negative Content-Length: " + text);
            }
            return length;
        } catch (NumberFormatException e) {
            throw new IOException("not a Content-Length: '" + abbreviate(text) + "'");
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 80) + "...";
    }

    /** A body read from the head's stream; it reports nothing available, since a read may need the network. */
    private abstract static class Body extends FilterInputStream {
        Body(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int available() {
            return 0;
        }
    }

    /** A {@code Transfer-Encoding: chunked} body, decoded. */
    static final class ChunkedBody extends Body {
        private long remaining;
        private boolean done;

        ChunkedBody(InputStream in) {
            super(in);
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            if (done) {
                return -1;
            }
            if (remaining == 0) {
                String sizeLine = readLine(in);
                int extension = sizeLine.indexOf(';');
                String size = (extension < 0 ? sizeLine : sizeLine.substring(0, extension)).trim();
                try {
                    remaining = Long.parseLong(size, 16);
                } catch (NumberFormatException e) {
                    throw new IOException("not a chunk size: '" + abbreviate(sizeLine) + "'");
                }
                if (remaining < 0) {
                    throw new IOException("negative chunk size: '" + abbreviate(sizeLine) + "'");
                }
                if (remaining == 0) {
                    done = true;
                    return -1;
                }
            }
            int n = in.read(buffer, offset, (int) Math.min(length, remaining));
            if (n < 0) {
                throw new EOFException("the response ended inside a chunk");
            }
            remaining -= n;
            if (remaining == 0 && !readLine(in).isEmpty()) {
                throw new IOException("a chunk does not end with CRLF");
            }
            return n;
        }
    }

    /** A body of a known {@code Content-Length}. */
    private static final class SizedBody extends Body {
        private long remaining;

        SizedBody(InputStream in, long length) {
            super(in);
            this.remaining = length;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (remaining == 0) {
                return -1;
            }
            int n = in.read(buffer, offset, (int) Math.min(length, remaining));
            if (n > 0) {
                remaining -= n;
            }
            return n;
        }
    }
}
