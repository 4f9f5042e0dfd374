package dev.ramp.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Bodies stream through the gateway in both directions, and a slow reader slows the upstream rather than filling memory. */
class StreamingIT {

    @Test
    void largeAnswer_streamsThroughWhole() throws Exception {
        try (var backend = new Backend("v1"); var fixture = new GatewayFixture()) {
            fixture.serve(Routes.canary("files", backend.address(), backend.address(), 0, null));
            long size = 48L * 1024 * 1024 + 17;
            var response = fixture.client.send(HttpRequest.newBuilder(fixture.uri("/stream/" + size)).build(), HttpResponse.BodyHandlers.ofInputStream());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Transfer-Encoding")).hasValue("chunked");
            long read = 0;
            try (InputStream body = response.body()) {
                byte[] buffer = new byte[8192];
                int n;
                while ((n = body.read(buffer)) > 0) {
                    for (int i = 0; i < n; i++) {
                        assertThat(buffer[i]).isEqualTo((byte) ((read + i) % 251));
                    }
                    read += n;
                }
            }
            assertThat(read).isEqualTo(size);
        }
    }

    @Test
    void largeUpload_streamsThroughWhole_withItsLength() throws Exception {
        try (var backend = new Backend("v1"); var fixture = new GatewayFixture(GatewayLimits.defaults().withMaxBodyBytes(64L * 1024 * 1024))) {
            fixture.serve(Routes.canary("files", backend.address(), backend.address(), 0, null));
            byte[] upload = new byte[20 * 1024 * 1024];
            new Random(7).nextBytes(upload);
            var response = fixture.client.send(HttpRequest.newBuilder(fixture.uri("/echo"))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(upload)).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(MessageDigest.getInstance("SHA-256").digest(response.body()))
                    .isEqualTo(MessageDigest.getInstance("SHA-256").digest(upload));
        }
    }

    @Test
    void slowReader_holdsTheUpstreamBack_insteadOfBufferingItsAnswer() throws Exception {
        try (var backend = new Backend("v1"); var fixture = new GatewayFixture()) {
            fixture.serve(Routes.canary("files", backend.address(), backend.address(), 0, null));
            long size = 512L * 1024 * 1024;
            try (var client = new RawClient(fixture.gateway.port())) {
                client.send("GET /stream/" + size + " HTTP/1.1\r\nHost: a\r\n\r\n");
                await().atMost(Duration.ofSeconds(10)).until(() -> backend.streamed.get() > 1024 * 1024);
                // The client reads nothing more: socket buffers fill, the gateway stops reading the upstream, and
                // the upstream's writes block, far short of the whole answer.
                await().during(Duration.ofMillis(700)).atMost(Duration.ofSeconds(10))
                        .until(() -> backend.streamed.get() < 64L * 1024 * 1024);
            }
        }
    }
}
