package dev.ramp.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ramp.core.codec.ClientFeatures;
import dev.ramp.core.codec.UnleashCodec;
import dev.ramp.core.flag.Flag;
import dev.ramp.core.flag.FlagSnapshot;
import dev.ramp.server.auth.Principal;
import dev.ramp.server.auth.TokenRegistry;
import dev.ramp.server.state.ControlPlane;
import dev.ramp.server.state.EnvironmentView;
import dev.ramp.server.state.Rejection;
import dev.ramp.server.store.ClientInstance;
import dev.ramp.server.store.FlagMetrics;
import dev.ramp.server.store.FlagStore;
import dev.ramp.server.stream.ChangeFeed;
import dev.ramp.server.stream.Subscriber;
import io.javalin.http.Context;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

/**
 * Unleash's client API, as Unleash's own SDKs call it: {@code GET /api/client/features} (ETag and 304),
 * {@code POST /api/client/register}, {@code POST /api/client/metrics} and the {@code GET /api/client/streaming}
 * server-sent events. A client token sees exactly its environment.
 */
final class ClientApi {
    static final String BASE = "/api/client";

    private final ControlPlane plane;
    private final FlagStore store;
    private final ChangeFeed feed;
    private final InstantSource clock;
    private final TokenRegistry tokens;

    ClientApi(ControlPlane plane, FlagStore store, ChangeFeed feed, InstantSource clock, TokenRegistry tokens) {
        this.tokens = tokens;
        this.plane = plane;
        this.store = store;
        this.feed = feed;
        this.clock = clock;
    }

    void register(Routes routes) {
        routes.get(BASE + "/features", this::features);
        routes.post(BASE + "/register", this::registration);
        routes.post(BASE + "/metrics", this::metrics);
        routes.get(BASE + "/streaming", this::streaming);
    }

    private void features(Context ctx) {
        EnvironmentView view = view(ctx);
        String project = ctx.queryParam("project");
        String namePrefix = ctx.queryParam("namePrefix");
        byte[] body;
        String etag;
        if ((project == null || project.isEmpty()) && (namePrefix == null || namePrefix.isEmpty())) {
            body = view.features();
            etag = view.etag();
        } else {
            List<Flag> flags = view.snapshot().flags().stream()
                    .filter(flag -> project == null || project.isEmpty() || flag.project().equals(project))
                    .filter(flag -> namePrefix == null || flag.name().startsWith(namePrefix))
                    .toList();
            FlagSnapshot filtered = new FlagSnapshot(flags, view.snapshot().segments());
            body = UnleashCodec.encodeFeatures(new ClientFeatures(EnvironmentView.FEATURES_FORMAT, filtered))
                    .getBytes(StandardCharsets.UTF_8);
            etag = "\"" + EnvironmentView.digest(body) + "\"";
        }
        ctx.header("ETag", etag);
        ctx.header("Cache-Control", "no-cache");
        if (Requests.notModified(ctx, etag)) {
            ctx.status(304);
            return;
        }
        ctx.contentType("application/json");
        ctx.result(body);
    }

    private void registration(Context ctx) {
        JsonNode body = Requests.tree(ctx, Limits.CLIENT_BODY_BYTES);
        String appName = name(body, "appName", true);
        String instanceId = name(body, "instanceId", false);
        String sdkVersion = name(body, "sdkVersion", false);
        List<String> strategies = new ArrayList<>();
        JsonNode listed = body.path("strategies");
        if (listed.isArray()) {
            for (JsonNode strategy : listed) {
                if (strategy.isTextual() && printable(strategy.asText()) && strategies.size() < 100) {
                    strategies.add(Requests.abbreviate(strategy.asText()));
                }
            }
        }
        long intervalMillis = body.path("interval").canConvertToLong() ? Math.max(0, body.path("interval").asLong()) : 0;
        Instant started = instant(body.path("started")).orElse(clock.instant());
        Principal principal = Requests.principal(ctx);
        store.register(new ClientInstance(appName, instanceId.isEmpty() ? "unknown" : instanceId, principal.environment(),
                sdkVersion, strategies, intervalMillis, started, clock.instant()));
        ctx.status(202);
    }

    private void metrics(Context ctx) {
        JsonNode body = Requests.tree(ctx, Limits.CLIENT_BODY_BYTES);
        String appName = name(body, "appName", true);
        JsonNode bucket = body.path("bucket");
        if (!bucket.isObject()) {
            throw Rejection.invalid("bucket", "is required: an object with start, stop and toggles");
        }
        JsonNode toggles = bucket.path("toggles");
        if (!toggles.isObject()) {
            throw Rejection.invalid("bucket.toggles", "is required: an object of flag name to {yes, no, variants}");
        }
        if (toggles.size() > Limits.METRICS_FLAGS) {
            throw Rejection.invalid("bucket.toggles", "must name at most " + Limits.METRICS_FLAGS + " flags");
        }
        Instant now = clock.instant();
        Instant reported = instant(bucket.path("start")).orElse(now);
        // A bucket more than a day away from the server's clock is the client's clock being wrong: count it now.
        Instant start = (Duration.between(reported, now).abs().compareTo(Duration.ofDays(1)) > 0 ? now : reported)
                .truncatedTo(ChronoUnit.MINUTES);
        String environment = Requests.principal(ctx).environment();
        List<FlagMetrics> metrics = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = toggles.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> toggle = it.next();
            String path = "bucket.toggles." + Requests.abbreviate(toggle.getKey());
            if (toggle.getKey().isEmpty() || toggle.getKey().length() > Limits.NAME_LENGTH || !printable(toggle.getKey())) {
                throw Rejection.invalid(path, "flag names must be 1 to " + Limits.NAME_LENGTH + " characters, none a control character");
            }
            JsonNode counts = toggle.getValue();
            if (!counts.isObject()) {
                throw Rejection.invalid(path, "must be an object with yes, no and variants");
            }
            long yes = count(counts.path("yes"), path + ".yes");
            long no = count(counts.path("no"), path + ".no");
            Map<String, Long> variants = new HashMap<>();
            JsonNode served = counts.path("variants");
            if (!served.isMissingNode() && !served.isNull()) {
                if (!served.isObject() || served.size() > Limits.METRICS_VARIANTS) {
                    throw Rejection.invalid(path + ".variants", "must be an object of at most " + Limits.METRICS_VARIANTS
                            + " variant names to counts");
                }
                for (Iterator<Map.Entry<String, JsonNode>> v = served.fields(); v.hasNext(); ) {
                    Map.Entry<String, JsonNode> variant = v.next();
                    if (variant.getKey().isEmpty() || variant.getKey().length() > Limits.NAME_LENGTH || !printable(variant.getKey())) {
                        throw Rejection.invalid(path + ".variants", "variant names must be 1 to " + Limits.NAME_LENGTH
                                + " characters, none a control character");
                    }
                    long n = count(variant.getValue(), path + ".variants." + Requests.abbreviate(variant.getKey()));
                    if (n > 0) {
                        variants.put(variant.getKey(), n);
                    }
                }
            }
            if (yes > 0 || no > 0 || !variants.isEmpty()) {
                metrics.add(new FlagMetrics(toggle.getKey(), environment, appName, start, yes, no, variants));
            }
        }
        store.addMetrics(metrics);
        ctx.status(202);
    }

    private void streaming(Context ctx) {
        EnvironmentView view = view(ctx);
        OptionalLong lastEventId = lastEventId(ctx.header("Last-Event-ID"));
        HttpServletResponse response = ctx.res();
        response.setStatus(200);
        response.setContentType("text/event-stream");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-cache");
        response.setHeader("X-Accel-Buffering", "no");
        CompletableFuture<Void> done = new CompletableFuture<>();
        ctx.future(() -> {
            try {
                response.flushBuffer();
                long tokenId = Requests.principal(ctx).tokenId();
                feed.subscribe(new ResponseSubscriber(view.environment(), response.getOutputStream(), done,
                        () -> tokens.isLive(tokenId)), lastEventId);
            } catch (IOException e) {
                done.complete(null);
            }
            return done;
        });
    }

    /** A stream held open in an asynchronous servlet response; it ends at the first write after its token is revoked. */
    private record ResponseSubscriber(String environment, ServletOutputStream out, CompletableFuture<Void> done,
                                      BooleanSupplier tokenLive) implements Subscriber {
        @Override
        public void write(byte[] frame) throws IOException {
            if (!tokenLive.getAsBoolean()) {
                throw new IOException("the stream's token was revoked");
            }
            out.write(frame);
            out.flush();
        }

        @Override
        public void close() {
            done.complete(null);
        }
    }

    private EnvironmentView view(Context ctx) {
        return Requests.view(plane, ctx);
    }

    static OptionalLong lastEventId(String header) {
        if (header == null) {
            return OptionalLong.empty();
        }
        String text = header.trim();
        if (text.isEmpty() || text.length() > 18 || !text.chars().allMatch(Character::isDigit)) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Long.parseLong(text));
    }

    private static String name(JsonNode body, String field, boolean required) {
        JsonNode node = body.path(field);
        if (node.isMissingNode() || node.isNull()) {
            if (required) {
                throw Rejection.invalid(field, "is required");
            }
            return "";
        }
        if (!node.isTextual() || node.asText().length() > Limits.NAME_LENGTH || (required && node.asText().isEmpty())) {
            throw Rejection.invalid(field, "must be a string of 1 to " + Limits.NAME_LENGTH + " characters");
        }
        if (!printable(node.asText())) {
            throw Rejection.invalid(field, "must not contain control characters");
        }
        return node.asText();
    }

    private static long count(JsonNode node, String path) {
        if (node.isMissingNode() || node.isNull()) {
            return 0;
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong() || node.asLong() < 0 || node.asLong() > Limits.METRICS_COUNT) {
            throw Rejection.invalid(path, "must be a whole number from 0 to " + Limits.METRICS_COUNT);
        }
        return node.asLong();
    }

    /** An instant an SDK reports; empty when it is unreadable or outside {@link Limits#EARLIEST}..{@link Limits#LATEST}. */
    private static java.util.Optional<Instant> instant(JsonNode node) {
        if (!node.isTextual()) {
            return java.util.Optional.empty();
        }
        try {
            Instant parsed = Instant.parse(node.asText());
            return parsed.isBefore(Limits.EARLIEST) || parsed.isAfter(Limits.LATEST)
                    ? java.util.Optional.empty()
                    : java.util.Optional.of(parsed);
        } catch (DateTimeParseException e) {
            return java.util.Optional.empty();
        }
    }

    /** PostgreSQL cannot store U+0000 in text, and no name needs a control character. */
    private static boolean printable(String text) {
        return text.chars().noneMatch(Character::isISOControl);
    }
}
