package dev.ramp.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ramp.core.tls.TlsKeys;
import dev.ramp.server.SelfSignedCertificate;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gateway over HTTPS with a certificate made in the test, proxying to a plain HTTP backend. */
class TlsIT {
    @TempDir
    Path directory;

    @Test
    void gateway_withAKeyStore_servesHttpsOnly_andTellsUpstreamsSo() throws Exception {
        SelfSignedCertificate certificate = SelfSignedCertificate.create(directory);
        GatewayLimits limits = GatewayLimits.defaults().withHeaderReadTimeout(Duration.ofSeconds(2));
        try (Backend backend = new Backend("v1");
             Gateway gateway = Gateway.start(new InetSocketAddress("127.0.0.1", 0), limits, 1,
                     Optional.of(TlsKeys.of(certificate.keyStore(), certificate.password())))) {
            gateway.apply(List.of(Routes.canary("shop", backend.address(), backend.address(), 0, null)), 1);
            HttpClient trusting = HttpClient.newBuilder().sslContext(certificate.trustingIt())
                    .version(HttpClient.Version.HTTP_1_1).build();
            String https = "https://127.0.0.1:" + gateway.port();

            HttpResponse<String> headers = trusting.send(HttpRequest.newBuilder(URI.create(https + "/headers"))
                    .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(headers.statusCode()).isEqualTo(200);
            assertThat(headers.body()).contains("x-forwarded-proto: https");
            HttpResponse<String> echo = trusting.send(HttpRequest.newBuilder(URI.create(https + "/echo"))
                    .POST(HttpRequest.BodyPublishers.ofString("a".repeat(100_000))).timeout(Duration.ofSeconds(20)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(echo.body()).hasSize(100_000);

            assertThatThrownBy(() -> HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(https + "/"))
                    .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString()))
                    .as("a client that does not trust the certificate").isInstanceOf(IOException.class);
            assertThat(plainRequestAnswer(gateway.port())).as("plain HTTP on the TLS port gets no HTTP answer")
                    .doesNotStartWith("HTTP/1.1");
            try (Socket silent = new Socket("127.0.0.1", gateway.port())) {
                silent.setSoTimeout(20_000);
                assertThat(silent.getInputStream().read()).as("a handshake that never starts is closed").isEqualTo(-1);
            }
            assertThat(backend.requests.get()).isEqualTo(2);
        }
    }

    private static String plainRequestAnswer(int port) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write("GET / HTTP/1.1\r\nHost: shop\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readNBytes(8), StandardCharsets.ISO_8859_1);
        }
    }
}
