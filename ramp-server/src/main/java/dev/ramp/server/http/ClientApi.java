package dev.ramp.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ramp.core.codec.ClientFeatures;
import dev.ramp.core.codec.UnleashCodec;
import dev.ramp.core.flag.Flag;
import dev.ramp.core.flag.FlagSnapshot;
import dev.ramp.server.auth.Principal;
import dev.ramp.server.auth.TokenRegistry;
import dev.ramp.server.model.FieldError;
import dev.ramp.server.state.ControlPlane;
import dev.ramp.server.state.EnvironmentView;
import dev.ramp.server.state.Rejection;
import dev.ramp.server.experiment.Experiments;
import dev.ramp.server.store.ClientEvent;
import dev.ramp.server.store.ClientInstance;
import dev.ramp.server.store.FlagMetrics;
import dev.ramp.server.store.FlagStore;
import dev.ramp.server.stream.ChangeFeed;
import io.javalin.http.Context;
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
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Unleash's client API, as Unleash's own SDKs call it: {@code GET /api/client/features} (ETag and 304),
 * {@code POST /api/client/register}, {@code POST /api/client/metrics} and the {@code GET /api/client/streaming}
 * server-sent events; and Ramp's own {@code POST /api/client/events}, where Ramp's SDK sends exposure and metric
 * events. A client token sees exactly its environment.
 */
final class ClientApi {
    static final String BASE = "/api/client";

    private static final String LIMIT_TEXT = String.format(java.util.Locale.ROOT, "%.0e", Limits.METRIC_VALUE);
    private static final Set<String> BATCH_FIELDS = Set.of("appName", "instanceId", "events");
    private static final Set<String> EXPOSURE_FIELDS = Set.of("type", "flag", "variant", "unit", "time");
    private static final Set<String> METRIC_FIELDS = Set.of("type", "name", "unit", "value", "time", "properties");

    private final ControlPlane plane;
    private final FlagStore store;
    private final ChangeFeed feed;
    private final InstantSource clock;
    private final TokenRegistry tokens;
    private final Experiments experiments;

    ClientApi(ControlPlane plane, FlagStore store, ChangeFeed feed, InstantSource clock, TokenRegistry tokens,
              Experiments experiments) {
        this.tokens = tokens;
        this.experiments = experiments;
        this.plane = plane;
        this.store = store;
        this.feed = feed;
        this.clock = clock;
    }

    void register(Routes routes) {
        routes.get(BASE + "/features", this::features);
        routes.post(BASE + "/register", this::registration);
        routes.post(BASE + "/metrics", this::metrics);
        routes.post(BASE + "/events", this::events);
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
                if (strategy.isTextual() && Requests.printable(strategy.asText()) && strategies.size() < 100) {
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
        Instant start = clientTime(instant(bucket.path("start")).orElse(now), now).truncatedTo(ChronoUnit.MINUTES);
        String environment = Requests.principal(ctx).environment();
        List<FlagMetrics> metrics = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = toggles.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> toggle = it.next();
            String path = "bucket.toggles." + Requests.abbreviate(toggle.getKey());
            if (toggle.getKey().isEmpty() || toggle.getKey().length() > Limits.NAME_LENGTH || !Requests.printable(toggle.getKey())) {
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
                    if (variant.getKey().isEmpty() || variant.getKey().length() > Limits.NAME_LENGTH || !Requests.printable(variant.getKey())) {
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

    /**
     * A batch of exposure and metric events, stored whole or, when any event is invalid, not at all; running
     * experiments count them soon after.
     */
    private void events(Context ctx) {
        JsonNode body = Requests.tree(ctx, Limits.EVENTS_BODY_BYTES);
        List<FieldError> unknown = new ArrayList<>();
        known(body, "", BATCH_FIELDS, "", unknown);
        if (!unknown.isEmpty()) {
            throw Rejection.invalid(unknown);
        }
        String appName = name(body, "appName", true);
        String instanceId = name(body, "instanceId", false);
        JsonNode listed = body.path("events");
        if (!listed.isArray() || listed.isEmpty() || listed.size() > Limits.EVENTS_BATCH) {
            throw Rejection.invalid("events", "is required: an array of 1 to " + Limits.EVENTS_BATCH + " events"
                    + (listed.isArray() && !listed.isEmpty() ? ", got " + listed.size() : ""));
        }
        Batch batch = new Batch(Requests.principal(ctx).environment(), appName, instanceId,
                clock.instant().truncatedTo(ChronoUnit.MILLIS));
        List<FieldError> errors = new ArrayList<>();
        List<ClientEvent> events = new ArrayList<>(listed.size());
        for (int i = 0; i < listed.size() && errors.size() < Limits.FIELD_ERRORS; i++) {
            event(listed.get(i), "events[" + i + "]", batch, errors).ifPresent(events::add);
        }
        if (!errors.isEmpty()) {
            throw Rejection.invalid(errors.subList(0, Math.min(errors.size(), Limits.FIELD_ERRORS)));
        }
        experiments.stored(store.addEvents(events), events);
        ctx.status(202).json(Map.of("accepted", events.size()));
    }

    /** What every event of one batch shares: who sent it and when the server received it. */
    private record Batch(String environment, String appName, String instanceId, Instant now) {}

    /** The event at {@code path}; empty, with every problem added to {@code errors}, when it is invalid. */
    private static Optional<ClientEvent> event(JsonNode node, String path, Batch batch, List<FieldError> errors) {
        if (!node.isObject()) {
            errors.add(new FieldError(path, "must be an object: an exposure or a metric event"));
            return Optional.empty();
        }
        int before = errors.size();
        JsonNode typeNode = node.path("type");
        Optional<ClientEvent.Type> type = typeNode.isTextual() ? ClientEvent.Type.parse(typeNode.asText()) : Optional.empty();
        if (type.isEmpty()) {
            errors.add(new FieldError(path + ".type", typeNode.isMissingNode() || typeNode.isNull()
                    ? "is required: exposure or metric" : "must be exposure or metric"));
        }
        String name = "";
        String variant = "";
        double value = 1;
        Map<String, String> properties = Map.of();
        if (type.orElse(null) == ClientEvent.Type.EXPOSURE) {
            known(node, path, EXPOSURE_FIELDS, " of an exposure", errors);
            name = text(node.path("flag"), path + ".flag", true, errors);
            variant = text(node.path("variant"), path + ".variant", false, errors);
        } else if (type.orElse(null) == ClientEvent.Type.METRIC) {
            known(node, path, METRIC_FIELDS, " of a metric event", errors);
            name = text(node.path("name"), path + ".name", true, errors);
            value = value(node.path("value"), path + ".value", errors);
            properties = properties(node.path("properties"), path + ".properties", errors);
        }
        String unit = text(node.path("unit"), path + ".unit", true, errors);
        Instant time = time(node.path("time"), path + ".time", batch.now(), errors);
        if (errors.size() > before) {
            return Optional.empty();
        }
        return Optional.of(new ClientEvent(0, batch.environment(), batch.appName(), batch.instanceId(), type.orElseThrow(),
                name, variant, unit, value, properties, time, batch.now()));
    }

    /** Adds an error for each field of {@code node} not in {@code fields}. */
    private static void known(JsonNode node, String path, Set<String> fields, String of, List<FieldError> errors) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext() && errors.size() < Limits.FIELD_ERRORS; ) {
            String field = names.next();
            if (!fields.contains(field)) {
                errors.add(new FieldError((path.isEmpty() ? "" : path + ".") + Requests.abbreviate(field),
                        "is not a known field" + of + "; known fields: " + fields.stream().sorted().toList()));
            }
        }
    }

    private static double value(JsonNode node, String path, List<FieldError> errors) {
        if (node.isMissingNode() || node.isNull()) {
            return 1;
        }
        if (!node.isNumber() || !(Math.abs(node.asDouble()) <= Limits.METRIC_VALUE)) {
            errors.add(new FieldError(path, "must be a number from -" + LIMIT_TEXT + " to " + LIMIT_TEXT));
            return 1;
        }
        return node.asDouble();
    }

    private static Map<String, String> properties(JsonNode node, String path, List<FieldError> errors) {
        if (node.isMissingNode() || node.isNull()) {
            return Map.of();
        }
        if (!node.isObject() || node.size() > Limits.EVENT_PROPERTIES) {
            errors.add(new FieldError(path, "must be an object of at most " + Limits.EVENT_PROPERTIES
                    + " property names to strings"));
            return Map.of();
        }
        Map<String, String> properties = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> property = it.next();
            String at = path + "." + Requests.abbreviate(property.getKey());
            if (property.getKey().isEmpty() || property.getKey().length() > Limits.NAME_LENGTH
                    || !Requests.printable(property.getKey())) {
                errors.add(new FieldError(at, "property names must be 1 to " + Limits.NAME_LENGTH
                        + " characters, none a control character"));
            } else if (!property.getValue().isTextual()) {
                errors.add(new FieldError(at, "must be a string of 0 to " + Limits.NAME_LENGTH + " characters"));
            } else {
                properties.put(property.getKey(), text(property.getValue(), at, false, errors));
            }
        }
        return properties;
    }

    /** An event's time: {@code now} when absent or more than a day away from it. */
    private static Instant time(JsonNode node, String path, Instant now, List<FieldError> errors) {
        if (node.isMissingNode() || node.isNull()) {
            return now;
        }
        try {
            if (node.isTextual()) {
                return clientTime(Instant.parse(node.asText()).truncatedTo(ChronoUnit.MILLIS), now);
            }
        } catch (DateTimeParseException e) {
            // Refused below, as a time that is not a string is.
        }
        errors.add(new FieldError(path, "must be an ISO-8601 instant such as 2026-12-01T12:00:00Z"));
        return now;
    }

    private void streaming(Context ctx) {
        view(ctx); // 403 when the token's environment is gone
        OptionalLong lastEventId = lastEventId(ctx.header("Last-Event-ID"));
        EventStreams.open(ctx, tokens, stream -> feed.subscribe(stream, lastEventId));
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
        List<FieldError> errors = new ArrayList<>();
        String name = text(body.path(field), field, required, errors);
        if (!errors.isEmpty()) {
            throw Rejection.invalid(errors);
        }
        return name;
    }

    /**
     * A name of at most {@link Limits#NAME_LENGTH} characters, none a control character; {@code ""} when absent and
     * not required. A problem is added to {@code errors} (and {@code ""} returned).
     */
    private static String text(JsonNode node, String path, boolean required, List<FieldError> errors) {
        if (node.isMissingNode() || node.isNull()) {
            if (required) {
                errors.add(new FieldError(path, "is required"));
            }
            return "";
        }
        if (!node.isTextual() || node.asText().length() > Limits.NAME_LENGTH || (required && node.asText().isEmpty())) {
            errors.add(new FieldError(path, "must be a string of " + (required ? 1 : 0) + " to " + Limits.NAME_LENGTH
                    + " characters"));
            return "";
        }
        if (!Requests.printable(node.asText())) {
            errors.add(new FieldError(path, "must not contain control characters"));
            return "";
        }
        return node.asText();
    }

    /** A time an SDK reported, unless it is more than a day away from {@code now}: then the SDK's clock is wrong. */
    private static Instant clientTime(Instant reported, Instant now) {
        return Duration.between(reported, now).abs().compareTo(Duration.ofDays(1)) > 0 ? now : reported;
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
    private static Optional<Instant> instant(JsonNode node) {
        if (!node.isTextual()) {
            return Optional.empty();
        }
        try {
            Instant parsed = Instant.parse(node.asText());
            return parsed.isBefore(Limits.EARLIEST) || parsed.isAfter(Limits.LATEST)
                    ? Optional.empty()
                    : Optional.of(parsed);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
