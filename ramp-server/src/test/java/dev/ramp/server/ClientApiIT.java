package dev.ramp.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ramp.core.codec.UnleashCodec;
import dev.ramp.core.flag.DeltaEvent;
import dev.ramp.core.flag.FlagSnapshot;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Unleash's client API (features, register, metrics, streaming) over real HTTP, on SQLite and PostgreSQL. */
class ClientApiIT extends ServerIT {
    String production;

    @BeforeEach
    void start() {
        production = ramp.token("client", "production");
    }

    @Test
    void features_answer304ToTheirETag_untilAFlagChanges() {
        admin.post("/api/v1/flags", AdminApiIT.CHECKOUT);
        Api client = admin.as(production);
        Api.Reply first = client.get("/api/client/features");
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.json().path("version").asInt()).isEqualTo(2);
        assertThat(first.json().path("features").get(0).path("name").asText()).isEqualTo("checkout");
        assertThat(first.json().path("features").get(0).path("enabled").asBoolean()).isTrue();

        Api.Reply again = client.get("/api/client/features", "If-None-Match", first.etag());
        assertThat(again.status()).isEqualTo(304);
        assertThat(again.etag()).isEqualTo(first.etag());

        admin.post("/api/v1/flags/checkout/environments/production/off", null, "If-Match", "\"1\"");
        Api.Reply changed = client.get("/api/client/features", "If-None-Match", first.etag());
        assertThat(changed.status()).isEqualTo(200);
        assertThat(changed.etag()).isNotEqualTo(first.etag());
        assertThat(changed.json().path("features").get(0).path("enabled").asBoolean()).isFalse();
    }

    @Test
    void features_toAClientAcceptingGzip_areTheSameDocumentCompressed() throws Exception {
        admin.post("/api/v1/flags", AdminApiIT.CHECKOUT);
        java.net.http.HttpResponse<byte[]> gzipped = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(ramp.url() + "/api/client/features"))
                        .header("Authorization", production).header("Accept-Encoding", "gzip, deflate").build(),
                java.net.http.HttpResponse.BodyHandlers.ofByteArray());

        assertThat(gzipped.headers().firstValue("Content-Encoding")).contains("gzip");
        byte[] document;
        try (var in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(gzipped.body()))) {
            document = in.readAllBytes();
        }
        Api.Reply plain = admin.as(production).get("/api/client/features");
        assertThat(new String(document, java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(plain.body());
        assertThat(gzipped.headers().firstValue("ETag")).contains(plain.etag());
    }

    @Test
    void features_showTheTokensEnvironmentOnly_andFilterByProjectAndPrefix() {
        admin.post("/api/v1/flags", AdminApiIT.CHECKOUT);
        admin.post("/api/v1/flags", "{\"key\":\"search\",\"project\":\"discovery\"}");
        Api development = admin.as(ramp.token("client", "development"));
        JsonNode features = development.get("/api/client/features").json().path("features");
        assertThat(names(features)).containsExactly("checkout", "search");
        assertThat(features.get(0).path("enabled").asBoolean()).isFalse();

        Api client = admin.as(production);
        assertThat(names(client.get("/api/client/features?project=discovery").json().path("features")))
                .containsExactly("search");
        assertThat(names(client.get("/api/client/features?namePrefix=check").json().path("features")))
                .containsExactly("checkout");
    }

    @Test
    void metrics_areStoredPerBucketAndQueryableThroughTheAdminApi() {
        admin.post("/api/v1/flags", AdminApiIT.CHECKOUT);
        String report = """
                {"appName":"shop","instanceId":"i-1","environment":"default",
                 "bucket":{"start":"2026-12-01T10:00:05Z","stop":"2026-12-01T10:00:35Z",
                           "toggles":{"checkout":{"yes":7,"no":3,"variants":{"blue":4}}}}}""";
        Api client = admin.as(production);
        assertThat(client.post("/api/client/metrics", report).status()).isEqualTo(202);
        assertThat(client.post("/api/client/metrics", report).status()).isEqualTo(202);

        JsonNode metrics = admin.get("/api/v1/flags/checkout/metrics?from=2026-12-01T09:00:00Z&to=2026-12-01T11:00:00Z").json();
        assertThat(metrics.path("yes").asLong()).isEqualTo(14);
        assertThat(metrics.path("no").asLong()).isEqualTo(6);
        JsonNode bucket = metrics.path("buckets").get(0);
        assertThat(bucket.path("environment").asText()).isEqualTo("production");
        assertThat(bucket.path("start").asText()).isEqualTo("2026-12-01T10:00:00Z");
        assertThat(bucket.path("variants").path("blue").asLong()).isEqualTo(8);

        Api.Reply farFuture = admin.get("/api/v1/flags/checkout/metrics?to=%2B999999999-01-01T00:00:00Z");
        assertThat(farFuture.status()).isEqualTo(400);
        assertThat(farFuture.json().path("errors").get(0).path("field").asText()).isEqualTo("to");

        Api.Reply negative = client.post("/api/client/metrics",
                "{\"appName\":\"shop\",\"bucket\":{\"toggles\":{\"checkout\":{\"yes\":-1}}}}");
        assertThat(negative.status()).isEqualTo(400);
        assertThat(negative.json().path("errors").get(0).path("field").asText()).isEqualTo("bucket.toggles.checkout.yes");
    }

    @Test
    void register_recordsTheInstance() {
        String registration = """
                {"appName":"shop","instanceId":"i-1","sdkVersion":"unleash-java-sdk:11.1.1","strategies":["custom"],
                 "started":"2026-12-01T09:59:00Z","interval":15000,"platformName":"OpenJDK"}""";
        assertThat(admin.as(production).post("/api/client/register", registration).status()).isEqualTo(202);

        JsonNode clients = admin.get("/api/v1/clients").json().path("items");
        assertThat(clients).hasSize(1);
        assertThat(clients.get(0).path("environment").asText()).isEqualTo("production");
        assertThat(clients.get(0).path("sdkVersion").asText()).isEqualTo("unleash-java-sdk:11.1.1");
        assertThat(admin.as(production).post("/api/client/register", "{\"instanceId\":\"i-1\"}").status()).isEqualTo(400);
        assertThat(admin.as(production).post("/api/client/register", "{\"appName\":\"a\\u0000b\"}").status()).isEqualTo(400);
        assertThat(admin.as(production).post("/api/client/register",
                "{\"appName\":\"far\",\"started\":\"+999999999-01-01T00:00:00Z\"}").status()).isEqualTo(202);
        assertThat(admin.get("/api/v1/clients").json().path("items")).hasSize(2);
    }

    @Test
    void stream_startsWithAHydrationThenDeliversEachChangeInCommitOrder() throws Exception {
        admin.post("/api/v1/flags", AdminApiIT.CHECKOUT);
        try (SseReader stream = SseReader.connect(ramp.url() + "/api/client/streaming", production, null)) {
            assertThat(stream.status()).isEqualTo(200);
            SseReader.Event hello = stream.next();
            assertThat(hello.event()).isEqualTo("unleash-connected");
            List<DeltaEvent> hydration = UnleashCodec.decodeDelta(hello.data());
            assertThat(hydration).singleElement().isInstanceOf(DeltaEvent.Hydration.class);
            FlagSnapshot seen = FlagSnapshot.empty().apply(hydration);
            assertThat(seen.flag("checkout")).isPresent();

            admin.post("/api/v1/flags", "{\"key\":\"banner\"}");
            admin.post("/api/v1/flags/banner/environments/production/on", null, "If-Match", "\"1\"");
            admin.post("/api/v1/flags/checkout/archive", null, "If-Match", "\"1\"");
            long previous = Long.parseLong(hello.id());
            for (int i = 0; i < 3; i++) {
                SseReader.Event update = stream.next();
                assertThat(update.event()).isEqualTo("unleash-updated");
                assertThat(Long.parseLong(update.id())).isGreaterThan(previous);
                previous = Long.parseLong(update.id());
                seen = seen.apply(UnleashCodec.decodeDelta(update.data()));
            }
            FlagSnapshot served = UnleashCodec.decodeFeatures(admin.as(production).get("/api/client/features").body()).snapshot();
            assertThat(seen).isEqualTo(served);
            assertThat(seen.flag("banner").orElseThrow().enabled()).isTrue();
            assertThat(seen.flag("checkout")).isEmpty();
        }
    }

    @Test
    void stream_reconnectWithLastEventId_getsExactlyTheMissedEvents() throws Exception {
        String lastId;
        try (SseReader stream = SseReader.connect(ramp.url() + "/api/client/streaming", production, null)) {
            lastId = stream.next().id();
        }
        admin.post("/api/v1/flags", "{\"key\":\"one\"}");
        admin.post("/api/v1/flags/one/environments/development/on", null, "If-Match", "\"1\"");
        admin.post("/api/v1/flags", "{\"key\":\"two\"}");

        try (SseReader stream = SseReader.connect(ramp.url() + "/api/client/streaming", production, lastId)) {
            SseReader.Event resumed = stream.next();
            assertThat(resumed.event()).isEqualTo("unleash-connected");
            List<DeltaEvent> missed = UnleashCodec.decodeDelta(resumed.data());
            assertThat(missed).allMatch(event -> event instanceof DeltaEvent.FlagUpdated);
            assertThat(missed).extracting(event -> ((DeltaEvent.FlagUpdated) event).flag().name()).containsExactly("one", "two");
            assertThat(Long.parseLong(resumed.id())).isEqualTo(missed.get(1).eventId());

            admin.post("/api/v1/flags", "{\"key\":\"three\"}");
            SseReader.Event live = stream.next();
            assertThat(UnleashCodec.decodeDelta(live.data())).singleElement()
                    .satisfies(event -> assertThat(((DeltaEvent.FlagUpdated) event).flag().name()).isEqualTo("three"));
        }
    }

    @Test
    void stream_unknownLastEventId_getsAFreshHydration() throws Exception {
        admin.post("/api/v1/flags", "{\"key\":\"one\"}");
        try (SseReader stream = SseReader.connect(ramp.url() + "/api/client/streaming", production, "999999")) {
            assertThat(UnleashCodec.decodeDelta(stream.next().data())).singleElement().isInstanceOf(DeltaEvent.Hydration.class);
        }
    }

    @Test
    void stream_changeOnlyInAnotherEnvironment_sendsNothing() throws Exception {
        admin.post("/api/v1/flags", "{\"key\":\"one\"}");
        try (SseReader stream = SseReader.connect(ramp.url() + "/api/client/streaming", production, null)) {
            stream.next();
            admin.post("/api/v1/flags/one/environments/development/on", null, "If-Match", "\"1\"");
            admin.post("/api/v1/flags/one/environments/production/on", null, "If-Match", "\"2\"");

            List<DeltaEvent> next = UnleashCodec.decodeDelta(stream.next().data());
            assertThat(next).singleElement().satisfies(event ->
                    assertThat(((DeltaEvent.FlagUpdated) event).flag().enabled()).isTrue());
        }
    }

    @Test
    void stream_ofARevokedToken_endsAtTheNextEvent() throws Exception {
        Api.Reply created = admin.post("/api/v1/tokens", "{\"name\":\"doomed\",\"scope\":\"client\",\"environment\":\"production\"}");
        try (SseReader stream = SseReader.connect(ramp.url() + "/api/client/streaming", created.json().path("secret").asText(), null)) {
            stream.next();
            admin.delete("/api/v1/tokens/" + created.json().path("token").path("id").asLong());
            admin.post("/api/v1/flags", "{\"key\":\"after-revoke\"}");

            assertThat(stream.next()).isSameAs(SseReader.END);
        }
    }

    @Test
    void stream_serverShutdown_endsTheStream() throws Exception {
        SseReader stream = SseReader.connect(ramp.url() + "/api/client/streaming", production, null);
        stream.next();
        assertThat(ramp.server.streams()).isEqualTo(1);
        ramp.close();
        SseReader.Event last = stream.poll(Duration.ofSeconds(15));
        while (last != null && last != SseReader.END) {
            last = stream.poll(Duration.ofSeconds(15));
        }
        assertThat(last).isSameAs(SseReader.END);
        stream.close();
    }

    private static List<String> names(JsonNode features) {
        List<String> names = new java.util.ArrayList<>();
        features.forEach(feature -> names.add(feature.path("name").asText()));
        return names;
    }
}
