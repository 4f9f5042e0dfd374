package dev.ramp.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ramp.server.model.EnvironmentDefinition;
import dev.ramp.server.model.FlagDefinition;
import dev.ramp.server.model.FlagEnvironment;
import dev.ramp.server.model.Json;
import dev.ramp.server.model.SegmentDefinition;
import dev.ramp.server.model.StrategyDefinition;
import dev.ramp.server.model.VariantDefinition;
import dev.ramp.server.state.CatalogState;
import dev.ramp.server.state.ControlPlane;
import dev.ramp.server.state.Rejection;
import dev.ramp.server.store.Change;
import dev.ramp.server.store.ClientEvent;
import dev.ramp.server.store.FlagMetrics;
import dev.ramp.server.store.FlagStore;
import dev.ramp.server.store.ResourceType;
import dev.ramp.server.store.StoredEnvironment;
import dev.ramp.server.store.StoredFlag;
import dev.ramp.server.store.StoredSegment;
import dev.ramp.server.store.TokenScope;
import dev.ramp.server.auth.TokenRegistry;
import io.javalin.http.Context;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** {@code /api/v1}: the admin REST API. Every mutable resource has an ETag; every change needs {@code If-Match}. */
final class AdminApi {
    static final String BASE = "/api/v1";

    private final ControlPlane plane;
    private final FlagStore store;
    private final TokenRegistry tokens;
    private final InstantSource clock;

    AdminApi(ControlPlane plane, FlagStore store, TokenRegistry tokens, InstantSource clock) {
        this.plane = plane;
        this.store = store;
        this.tokens = tokens;
        this.clock = clock;
    }

    /** The request bodies that are not resources themselves. */
    record RevertRequest(Long version) {}

    record VariantsRequest(List<VariantDefinition> variants) {
        VariantsRequest {
            variants = variants == null ? null : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(variants));
        }
    }

    record TokenRequest(String name, String scope, String environment) {}

    void register(Routes routes) {
        routes.get(BASE + "/environments", ctx -> ctx.json(Map.of("items", plane.current().environments().values())));
        routes.post(BASE + "/environments", this::createEnvironment);
        routes.get(BASE + "/environments/{name}", ctx -> sendEnvironment(ctx, environment(ctx.pathParam("name"))));
        routes.put(BASE + "/environments/{name}", ctx -> sendEnvironment(ctx, plane.updateEnvironment(
                Requests.principal(ctx), ctx.pathParam("name"), Requests.ifMatch(ctx),
                Requests.read(ctx, EnvironmentDefinition.class, Limits.ADMIN_BODY_BYTES))));
        routes.delete(BASE + "/environments/{name}", ctx -> {
            plane.deleteEnvironment(Requests.principal(ctx), ctx.pathParam("name"), Requests.ifMatch(ctx));
            ctx.status(204);
        });

        routes.get(BASE + "/flags", this::listFlags);
        routes.post(BASE + "/flags", this::createFlag);
        routes.get(BASE + "/flags/{key}", ctx -> sendFlag(ctx, flag(ctx)));
        routes.put(BASE + "/flags/{key}", ctx -> sendFlag(ctx, plane.replaceFlag(Requests.principal(ctx), ctx.pathParam("key"),
                Requests.ifMatch(ctx), Requests.read(ctx, FlagDefinition.class, Limits.ADMIN_BODY_BYTES))));
        routes.post(BASE + "/flags/{key}/archive", ctx -> sendFlag(ctx, plane.archiveFlag(Requests.principal(ctx),
                ctx.pathParam("key"), Requests.ifMatch(ctx))));
        routes.post(BASE + "/flags/{key}/revive", ctx -> sendFlag(ctx, plane.reviveFlag(Requests.principal(ctx),
                ctx.pathParam("key"), Requests.ifMatch(ctx))));
        routes.get(BASE + "/flags/{key}/history", this::history);
        routes.post(BASE + "/flags/{key}/revert", this::revert);
        routes.get(BASE + "/flags/{key}/metrics", this::metrics);

        String environment = BASE + "/flags/{key}/environments/{environment}";
        routes.get(environment, ctx -> sendSettings(ctx, flag(ctx)));
        routes.post(environment + "/on", ctx -> sendSettings(ctx, toggle(ctx, true)));
        routes.post(environment + "/off", ctx -> sendSettings(ctx, toggle(ctx, false)));
        routes.get(environment + "/strategies", ctx -> {
            StoredFlag flag = flag(ctx);
            ctx.header("ETag", Requests.etag(flag.version()));
            ctx.json(Map.of("items", settings(ctx, flag).strategies()));
        });
        routes.post(environment + "/strategies", this::addStrategy);
        routes.get(environment + "/strategies/{id}", ctx -> sendStrategy(ctx, flag(ctx), ctx.pathParam("id")));
        routes.put(environment + "/strategies/{id}", ctx -> sendStrategy(ctx, plane.replaceStrategy(Requests.principal(ctx),
                ctx.pathParam("key"), requireEnvironment(ctx), ctx.pathParam("id"), Requests.ifMatch(ctx),
                Requests.read(ctx, StrategyDefinition.class, Limits.ADMIN_BODY_BYTES)), ctx.pathParam("id")));
        routes.delete(environment + "/strategies/{id}", ctx -> {
            StoredFlag flag = plane.deleteStrategy(Requests.principal(ctx), ctx.pathParam("key"), requireEnvironment(ctx),
                    ctx.pathParam("id"), Requests.ifMatch(ctx));
            ctx.header("ETag", Requests.etag(flag.version()));
            ctx.status(204);
        });
        routes.get(environment + "/variants", ctx -> {
            StoredFlag flag = flag(ctx);
            ctx.header("ETag", Requests.etag(flag.version()));
            ctx.json(Map.of("variants", settings(ctx, flag).variants()));
        });
        routes.put(environment + "/variants", this::setVariants);

        routes.get(BASE + "/segments", ctx -> ctx.json(Map.of("items", plane.current().segments().values())));
        routes.post(BASE + "/segments", ctx -> {
            StoredSegment created = plane.createSegment(Requests.principal(ctx),
                    Requests.read(ctx, SegmentDefinition.class, Limits.ADMIN_BODY_BYTES));
            ctx.status(201).header("Location", BASE + "/segments/" + created.id());
            sendSegment(ctx, created);
        });
        routes.get(BASE + "/segments/{id}", ctx -> sendSegment(ctx, segment(ctx)));
        routes.put(BASE + "/segments/{id}", ctx -> sendSegment(ctx, plane.updateSegment(Requests.principal(ctx),
                Requests.segmentId(ctx), Requests.ifMatch(ctx),
                Requests.read(ctx, SegmentDefinition.class, Limits.ADMIN_BODY_BYTES))));
        routes.delete(BASE + "/segments/{id}", ctx -> {
            plane.deleteSegment(Requests.principal(ctx), Requests.segmentId(ctx), Requests.ifMatch(ctx));
            ctx.status(204);
        });

        routes.get(BASE + "/tokens", ctx -> ctx.json(Map.of("items",
                tokens.tokens().stream().map(ControlPlane::tokenView).toList())));
        routes.post(BASE + "/tokens", this::createToken);
        routes.delete(BASE + "/tokens/{id}", ctx -> {
            plane.revokeToken(Requests.principal(ctx), tokenId(ctx.pathParam("id")));
            ctx.status(204);
        });

        routes.get(BASE + "/audit", this::audit);
        routes.get(BASE + "/clients", ctx -> ctx.json(Map.of("items", store.clients())));
        routes.get(BASE + "/events", this::events);
    }

    private void createEnvironment(Context ctx) {
        StoredEnvironment created = plane.createEnvironment(Requests.principal(ctx),
                Requests.read(ctx, EnvironmentDefinition.class, Limits.ADMIN_BODY_BYTES));
        ctx.status(201).header("Location", BASE + "/environments/" + created.name());
        sendEnvironment(ctx, created);
    }

    private void listFlags(Context ctx) {
        String query = Requests.param(ctx, "q").map(q -> q.toLowerCase(Locale.ROOT)).orElse("");
        Optional<String> project = Requests.param(ctx, "project");
        boolean archived = Requests.param(ctx, "archived").map(value -> switch (value) {
            case "true" -> true;
            case "false" -> false;
            default -> throw Rejection.invalid("archived", "must be true or false, got '" + Requests.abbreviate(value) + "'");
        }).orElse(false);
        int limit = Requests.intParam(ctx, "limit", 50, 1, Limits.PAGE_SIZE);
        int offset = Requests.intParam(ctx, "offset", 0, 0, Integer.MAX_VALUE);
        List<StoredFlag> matching = plane.current().flags().values().stream()
                .filter(flag -> flag.archived() == archived)
                .filter(flag -> project.isEmpty() || flag.definition().project().equals(project.get()))
                .filter(flag -> query.isEmpty() || flag.key().toLowerCase(Locale.ROOT).contains(query)
                        || flag.definition().description().toLowerCase(Locale.ROOT).contains(query))
                .toList();
        List<StoredFlag> page = matching.stream().skip(offset).limit(limit).toList();
        ctx.json(Requests.page(page, matching.size(), limit, offset));
    }

    private void createFlag(Context ctx) {
        StoredFlag created = plane.createFlag(Requests.principal(ctx),
                Requests.read(ctx, FlagDefinition.class, Limits.ADMIN_BODY_BYTES));
        ctx.status(201).header("Location", BASE + "/flags/" + created.key());
        sendFlag(ctx, created);
    }

    private StoredFlag toggle(Context ctx, boolean enabled) {
        return plane.setEnabled(Requests.principal(ctx), ctx.pathParam("key"), requireEnvironment(ctx),
                Requests.ifMatch(ctx), enabled);
    }

    private void addStrategy(Context ctx) {
        ControlPlane.StrategyAdded added = plane.addStrategy(Requests.principal(ctx), ctx.pathParam("key"),
                requireEnvironment(ctx), Requests.ifMatch(ctx),
                Requests.read(ctx, StrategyDefinition.class, Limits.ADMIN_BODY_BYTES));
        ctx.status(201).header("Location", ctx.path() + "/" + added.strategyId());
        sendStrategy(ctx, added.flag(), added.strategyId());
    }

    private void setVariants(Context ctx) {
        long expected = Requests.ifMatch(ctx);
        VariantsRequest request = Requests.read(ctx, VariantsRequest.class, Limits.ADMIN_BODY_BYTES);
        if (request.variants() == null) {
            throw Rejection.invalid("variants", "is required; send [] to remove all variants");
        }
        StoredFlag flag = plane.setVariants(Requests.principal(ctx), ctx.pathParam("key"), requireEnvironment(ctx),
                expected, request.variants());
        ctx.header("ETag", Requests.etag(flag.version()));
        ctx.json(Map.of("variants", settings(ctx, flag).variants()));
    }

    private void history(Context ctx) {
        flag(ctx);
        List<ObjectNode> changes = store.history(ResourceType.FLAG, ctx.pathParam("key")).stream().map(AdminApi::change).toList();
        ctx.json(Map.of("items", changes));
    }

    private void revert(Context ctx) {
        long expected = Requests.ifMatch(ctx);
        RevertRequest request = Requests.read(ctx, RevertRequest.class, Limits.ADMIN_BODY_BYTES);
        if (request.version() == null) {
            throw Rejection.invalid("version", "is required: the version to restore, from the flag's history");
        }
        sendFlag(ctx, plane.revertFlag(Requests.principal(ctx), ctx.pathParam("key"), expected, request.version()));
    }

    private void metrics(Context ctx) {
        flag(ctx);
        Optional<String> environment = Requests.param(ctx, "environment");
        environment.ifPresent(this::environment);
        Instant to = Requests.instantParam(ctx, "to").orElse(clock.instant());
        Instant from = Requests.instantParam(ctx, "from").orElse(to.minus(Duration.ofHours(1)));
        if (!from.isBefore(to)) {
            throw Rejection.invalid("from", "must be before to");
        }
        List<FlagMetrics> buckets = store.metrics(ctx.pathParam("key"), environment, from, to);
        long yes = buckets.stream().mapToLong(FlagMetrics::yes).sum();
        long no = buckets.stream().mapToLong(FlagMetrics::no).sum();
        ctx.json(Map.of("flag", ctx.pathParam("key"), "from", from, "to", to, "bucketSeconds", FlagMetrics.BUCKET.toSeconds(),
                "yes", yes, "no", no, "buckets", buckets));
    }

    private void createToken(Context ctx) {
        TokenRequest request = Requests.read(ctx, TokenRequest.class, Limits.ADMIN_BODY_BYTES);
        String scopeText = request.scope() == null ? "" : request.scope();
        TokenScope scope = TokenScope.parse(scopeText).orElseThrow(() -> Rejection.invalid("scope",
                "must be one of " + java.util.Arrays.stream(TokenScope.values()).map(TokenScope::wireName).toList()
                        + ", got '" + Requests.abbreviate(scopeText) + "'"));
        ControlPlane.IssuedToken issued = plane.createToken(Requests.principal(ctx),
                request.name() == null ? "" : request.name(), scope,
                request.environment() == null ? "" : request.environment());
        ctx.status(201);
        ctx.json(Map.of("token", ControlPlane.tokenView(issued.token()), "secret", issued.secret()));
    }

    private void audit(Context ctx) {
        long after = Requests.longParam(ctx, "after", 0);
        int limit = Requests.intParam(ctx, "limit", 100, 1, Limits.PAGE_SIZE);
        List<Change> changes = store.changesAfter(after, limit);
        ctx.json(Map.of("items", changes.stream().map(AdminApi::change).toList(),
                "next", changes.isEmpty() ? after : changes.get(changes.size() - 1).id()));
    }

    private void events(Context ctx) {
        String environment = environment(Requests.param(ctx, "environment").orElseThrow(() -> Rejection.invalid(
                "environment", "is required: the environment whose events to read"))).name();
        Optional<String> name = Requests.param(ctx, "name");
        if (name.isPresent() && (name.get().length() > Limits.NAME_LENGTH || !Requests.printable(name.get()))) {
            throw Rejection.invalid("name", "must be 1 to " + Limits.NAME_LENGTH + " characters, none a control character");
        }
        long after = Requests.longParam(ctx, "after", 0);
        int limit = Requests.intParam(ctx, "limit", 100, 1, Limits.PAGE_SIZE);
        List<ClientEvent> events = store.events(environment, name, after, limit);
        ctx.json(Map.of("items", events.stream().map(AdminApi::event).toList(),
                "next", events.isEmpty() ? after : events.get(events.size() - 1).id()));
    }

    // ---- lookups and responses

    private StoredFlag flag(Context ctx) {
        String key = ctx.pathParam("key");
        return plane.current().flag(key).orElseThrow(() -> Rejection.notFound("flag '" + Requests.abbreviate(key) + "'"));
    }

    private StoredSegment segment(Context ctx) {
        int id = Requests.segmentId(ctx);
        return plane.current().segment(id).orElseThrow(() -> Rejection.notFound("segment " + id));
    }

    private StoredEnvironment environment(String name) {
        CatalogState state = plane.current();
        return state.environment(name).orElseThrow(() -> Rejection.notFound("environment '" + Requests.abbreviate(name) + "'"));
    }

    private String requireEnvironment(Context ctx) {
        return environment(ctx.pathParam("environment")).name();
    }

    private FlagEnvironment settings(Context ctx, StoredFlag flag) {
        return flag.definition().environment(requireEnvironment(ctx));
    }

    private static void sendFlag(Context ctx, StoredFlag flag) {
        ctx.header("ETag", Requests.etag(flag.version()));
        ctx.json(flag);
    }

    private void sendSettings(Context ctx, StoredFlag flag) {
        ctx.header("ETag", Requests.etag(flag.version()));
        ctx.json(settings(ctx, flag));
    }

    private void sendStrategy(Context ctx, StoredFlag flag, String id) {
        StrategyDefinition strategy = settings(ctx, flag).strategies().stream()
                .filter(s -> s.id().equals(id)).findFirst()
                .orElseThrow(() -> Rejection.notFound("strategy '" + Requests.abbreviate(id) + "' of flag '" + flag.key()
                        + "' in environment '" + ctx.pathParam("environment") + "'"));
        ctx.header("ETag", Requests.etag(flag.version()));
        ctx.json(strategy);
    }

    private static void sendSegment(Context ctx, StoredSegment segment) {
        ctx.header("ETag", Requests.etag(segment.version()));
        ctx.json(segment);
    }

    private static void sendEnvironment(Context ctx, StoredEnvironment environment) {
        ctx.header("ETag", Requests.etag(environment.version()));
        ctx.json(environment);
    }

    private static long tokenId(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw Rejection.notFound("token '" + Requests.abbreviate(text) + "'");
        }
    }

    /** A change as the history and audit listings show it, with its before and after states as JSON. */
    static ObjectNode change(Change change) {
        ObjectNode node = Json.mapper().createObjectNode();
        node.put("id", change.id());
        node.put("at", change.at().toString());
        node.put("actor", change.actor());
        node.put("resourceType", change.type().wireName());
        node.put("resourceKey", change.key());
        node.put("action", change.action());
        node.put("version", change.version());
        node.set("before", document(change.before()));
        node.set("after", document(change.after()));
        return node;
    }

    /** An SDK event as the events listing shows it. */
    static ObjectNode event(ClientEvent event) {
        ObjectNode node = Json.mapper().createObjectNode();
        node.put("id", event.id());
        node.put("type", event.type().wireName());
        node.put("name", event.name());
        node.put("variant", event.variant());
        node.put("unit", event.unit());
        node.put("value", event.value());
        ObjectNode properties = node.putObject("properties");
        new java.util.TreeMap<>(event.properties()).forEach(properties::put);
        node.put("time", event.occurredAt().toString());
        node.put("receivedAt", event.receivedAt().toString());
        node.put("appName", event.appName());
        node.put("instanceId", event.instanceId());
        return node;
    }

    private static JsonNode document(String json) {
        if (json.isEmpty()) {
            return Json.mapper().nullNode();
        }
        try {
            return Json.mapper().readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException("an audit entry is not JSON", e);
        }
    }
}
