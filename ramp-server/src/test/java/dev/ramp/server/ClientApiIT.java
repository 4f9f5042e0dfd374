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

/** The client API (features, register, metrics, events, streaming) over real HTTP, on SQLite and PostgreSQL. */
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

    static final String EVENTS = """
            {"appName":"shop","instanceId":"host-1","events":[
              {"type":"exposure","flag":"checkout.v2","variant":"blue","unit":"user-7","time":"2026-12-01T12:00:00Z"},
              {"type":"metric","name":"purchase","unit":"user-7","value":12.5,"time":"2026-12-01T12:00:01Z",
               "properties":{"plan":"pro"}},
              {"type":"metric","name":"purchase","unit":"user-8","time":"2026-11-01T00:00:00Z"},
              {"type":"exposure","flag":"checkout.v2","unit":"user-9"}
            ]}""";

    @Test
    void events_validBatch_isStoredInTheTokensEnvironmentAndReadableThroughTheAdminApi() {
        Api.Reply posted = admin.as(production).post("/api/client/events", EVENTS);
        assertThat(posted.status()).as(posted.body()).isEqualTo(202);
        assertThat(posted.json().path("accepted").asInt()).isEqualTo(4);

        JsonNode page = admin.get("/api/v1/events?environment=production").json();
        JsonNode items = page.path("items");
        assertThat(items).hasSize(4);
        JsonNode exposure = items.get(0);
        assertThat(exposure.path("type").asText()).isEqualTo("exposure");
        assertThat(exposure.path("name").asText()).isEqualTo("checkout.v2");
        assertThat(exposure.path("variant").asText()).isEqualTo("blue");
        assertThat(exposure.path("unit").asText()).isEqualTo("user-7");
        assertThat(exposure.path("value").asDouble()).isEqualTo(1.0);
        assertThat(exposure.path("time").asText()).isEqualTo("2026-12-01T12:00:00Z");
        assertThat(exposure.path("receivedAt").asText()).isEqualTo("2026-12-01T10:00:00Z");
        assertThat(exposure.path("appName").asText()).isEqualTo("shop");
        assertThat(exposure.path("instanceId").asText()).isEqualTo("host-1");
        JsonNode purchase = items.get(1);
        assertThat(purchase.path("type").asText()).isEqualTo("metric");
        assertThat(purchase.path("variant").asText()).isEmpty();
        assertThat(purchase.path("value").asDouble()).isEqualTo(12.5);
        assertThat(purchase.path("properties").path("plan").asText()).isEqualTo("pro");
        assertThat(items.get(2).path("value").asDouble()).as("default value").isEqualTo(1.0);
        assertThat(items.get(2).path("time").asText()).as("a month off: the server's time").isEqualTo("2026-12-01T10:00:00Z");
        assertThat(items.get(3).path("time").asText()).as("no time: the server's").isEqualTo("2026-12-01T10:00:00Z");
        assertThat(items.get(3).path("variant").asText()).isEmpty();
        assertThat(page.path("next").asLong()).isEqualTo(items.get(3).path("id").asLong());

        JsonNode purchases = admin.get("/api/v1/events?environment=production&name=purchase&limit=1").json();
        assertThat(purchases.path("items")).singleElement().satisfies(event ->
                assertThat(event.path("unit").asText()).isEqualTo("user-7"));
        JsonNode rest = admin.get("/api/v1/events?environment=production&name=purchase&after="
                + purchases.path("next").asLong()).json();
        assertThat(rest.path("items")).singleElement().satisfies(event ->
                assertThat(event.path("unit").asText()).isEqualTo("user-8"));
        JsonNode end = admin.get("/api/v1/events?environment=production&after=" + page.path("next").asLong()).json();
        assertThat(end.path("items")).isEmpty();
        assertThat(end.path("next").asLong()).isEqualTo(page.path("next").asLong());
        assertThat(admin.get("/api/v1/events?environment=development").json().path("items")).isEmpty();
    }

    @Test
    void events_fromADevelopmentToken_areStoredInDevelopment() {
        Api development = admin.as(ramp.token("client", "development"));
        assertThat(development.post("/api/client/events", EVENTS).status()).isEqualTo(202);

        assertThat(admin.get("/api/v1/events?environment=development").json().path("items")).hasSize(4);
        assertThat(admin.get("/api/v1/events?environment=production").json().path("items")).isEmpty();
    }

    @Test
    void events_invalidEvents_refuseTheWholeBatchNamingEveryField() {
        String batch = """
                {"appName":"shop","events":[
                  {"type":"exposure","flag":"checkout.v2","unit":"user-7"},
                  {"type":"exposure","flag":"checkout.v2"},
                  {"type":"metric","name":"purchase","unit":"user-7","value":"NaN"},
                  {"type":"metric","name":"purchase","unit":"user-7","variant":"blue"},
                  {"type":"click","unit":"user-7"},
                  {"type":"metric","name":"","unit":"user-7","time":"yesterday","properties":{"plan":1}}
                ]}""";
        Api.Reply reply = admin.as(production).post("/api/client/events", batch);

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.header("Content-Type")).startsWith("application/problem+json");
        assertThat(reply.json().path("errors").findValuesAsText("field")).containsExactly(
                "events[1].unit", "events[2].value", "events[3].variant", "events[4].type", "events[5].name",
                "events[5].properties.plan", "events[5].time");
        assertThat(reply.json().path("detail").asText()).startsWith("7 fields are invalid; the first: events[1].unit");
        assertThat(admin.get("/api/v1/events?environment=production").json().path("items")).isEmpty();
    }

    @Test
    void events_batchOfTenThousandIsAccepted_oneMoreOrNoneIsRefused() {
        String event = "{\"type\":\"exposure\",\"flag\":\"checkout.v2\",\"variant\":\"blue\","
                + "\"unit\":\"5f0c6e2a-8d1b-4c3e-9a7f-2b6d4e8c1a3f\",\"time\":\"2026-12-01T12:00:00Z\"}";
        Api client = admin.as(production);
        assertThat(batch(event, 10_000).length()).as("more than the 1 MiB of other client bodies").isGreaterThan(1 << 20);

        Api.Reply full = client.post("/api/client/events", batch(event, 10_000));
        assertThat(full.status()).as(full.body()).isEqualTo(202);
        assertThat(full.json().path("accepted").asInt()).isEqualTo(10_000);

        Api.Reply tooMany = client.post("/api/client/events", batch(event, 10_001));
        assertThat(tooMany.status()).isEqualTo(400);
        assertThat(tooMany.json().path("errors").get(0).path("field").asText()).isEqualTo("events");
        assertThat(tooMany.json().path("errors").get(0).path("reason").asText()).contains("10000", "10001");
        assertThat(client.post("/api/client/events", batch(event, 0)).status()).isEqualTo(400);
        assertThat(admin.get("/api/v1/events?environment=production&after=0&limit=500").json().path("items")).hasSize(500);
    }

    @Test
    void events_readNeedsAnAdminTokenAndAnExistingEnvironment_sendNeedsAClientToken() {
        assertThat(admin.as(production).get("/api/v1/events?environment=production").status()).isEqualTo(403);
        assertThat(admin.post("/api/client/events", EVENTS).status()).isEqualTo(403);
        assertThat(new Api(ramp.url(), null).post("/api/client/events", EVENTS).status()).isEqualTo(401);

        Api.Reply unknown = admin.get("/api/v1/events?environment=mars");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().path("detail").asText()).contains("environment 'mars' does not exist");
        Api.Reply missing = admin.get("/api/v1/events");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.json().path("errors").get(0).path("field").asText()).isEqualTo("environment");
        assertThat(admin.get("/api/v1/events?environment=production&limit=501").json().path("errors").get(0)
                .path("field").asText()).isEqualTo("limit");
        assertThat(admin.get("/api/v1/events?environment=production&after=-1").status()).isEqualTo(400);
        assertThat(admin.get("/api/v1/events?environment=production&name=a%00b").json().path("errors").get(0)
                .path("field").asText()).isEqualTo("name");
    }

    private static String batch(String event, int count) {
        return "{\"appName\":\"shop\",\"events\":[" + String.join(",", java.util.Collections.nCopies(count, event)) + "]}";
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
