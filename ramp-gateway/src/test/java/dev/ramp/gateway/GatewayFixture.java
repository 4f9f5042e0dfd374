package dev.ramp.gateway;

import dev.ramp.core.route.RouteDefinition;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

/** A gateway on a free loopback port, with a client for it; closed by the test. */
final class GatewayFixture implements AutoCloseable {
    final Gateway gateway;
    final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private long version;

    GatewayFixture(GatewayLimits limits) throws InterruptedException {
        gateway = Gateway.start(new InetSocketAddress("127.0.0.1", 0), limits, 2);
    }

    GatewayFixture() throws InterruptedException {
        this(GatewayLimits.defaults());
    }

    GatewayFixture serve(RouteDefinition... routes) {
        var problems = gateway.apply(List.of(routes), ++version);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(problems.toString());
        }
        return this;
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + gateway.port() + path);
    }

    HttpResponse<String> get(String path, String... headers) throws IOException, InterruptedException {
        var request = HttpRequest.newBuilder(uri(path));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The arm that answered: the first word of the backend's body. */
    static String arm(HttpResponse<String> response) {
        return response.body().split(" ", 2)[0];
    }

    String metrics() throws IOException {
        var out = new java.io.ByteArrayOutputStream();
        gateway.writeMetrics(out);
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        gateway.close();
    }
}
