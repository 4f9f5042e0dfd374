package dev.ramp.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ramp.core.eval.Context;
import dev.ramp.core.eval.Evaluation;
import dev.ramp.core.eval.Reason;
import dev.ramp.core.eval.VariantResult;
import dev.ramp.core.flag.Flag;
import dev.ramp.core.flag.Payload;
import dev.ramp.server.auth.Principal;
import dev.ramp.server.model.Json;
import dev.ramp.server.state.ControlPlane;
import dev.ramp.server.state.EnvironmentView;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;

/**
 * The OpenFeature Remote Evaluation Protocol: {@code POST /ofrep/v1/evaluate/flags/{key}} evaluates one flag for the
 * context in the body, {@code POST /ofrep/v1/evaluate/flags} evaluates them all, with an ETag that changes when the
 * flags or the context change.
 *
 * <p>A flag's value is its served variant's payload ({@code string}, {@code csv} and variants without payload as
 * text, {@code number} as a JSON number with a decimal point, {@code json} as the parsed JSON), or, for a flag
 * without variants, whether it is on. A flag with variants that serves none (it is off, or no strategy matched)
 * has no {@code value}: OFREP's "use the default in your code".
 */
final class OfrepApi {
    static final String BASE = "/ofrep/v1";
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final ControlPlane plane;

    OfrepApi(ControlPlane plane) {
        this.plane = plane;
    }

    void register(Routes routes) {
        routes.post(BASE + "/evaluate/flags/{key}", this::evaluateOne);
        routes.post(BASE + "/evaluate/flags", this::evaluateAll);
    }

    private void evaluateOne(io.javalin.http.Context ctx) {
        String key = ctx.pathParam("key");
        Context context;
        try {
            context = context(Requests.body(ctx, Limits.OFREP_BODY_BYTES), Requests.principal(ctx));
        } catch (InvalidContext e) {
            ctx.status(400).json(failure(key, e.code, e.getMessage()));
            return;
        }
        EnvironmentView view = view(ctx);
        if (view.snapshot().flag(key).isEmpty()) {
            ctx.status(404).json(failure(key, "FLAG_NOT_FOUND", "no flag '" + Requests.abbreviate(key)
                    + "' in environment '" + view.environment() + "'"));
            return;
        }
        ObjectNode result = evaluate(view, key, context);
        if (result.has("errorCode")) {
            ctx.status(500).json(result);
            return;
        }
        result.put("cacheable", view.deterministic());
        ctx.json(result);
    }

    private void evaluateAll(io.javalin.http.Context ctx) {
        byte[] body = Requests.body(ctx, Limits.OFREP_BODY_BYTES);
        Context context;
        try {
            context = context(body, Requests.principal(ctx));
        } catch (InvalidContext e) {
            ObjectNode failure = NODES.objectNode().put("errorCode", e.code).put("errorDetails", e.getMessage());
            ctx.status(400).json(failure);
            return;
        }
        EnvironmentView view = view(ctx);
        if (view.deterministic()) {
            String etag = "\"" + view.etag().replace("\"", "") + "-" + EnvironmentView.digest(canonical(body)) + "\"";
            ctx.header("ETag", etag);
            if (Requests.notModified(ctx, etag)) {
                ctx.status(304);
                return;
            }
        }
        ArrayNode flags = NODES.arrayNode();
        for (Flag flag : view.snapshot().flags()) {
            flags.add(evaluate(view, flag.name(), context));
        }
        ctx.json(NODES.objectNode().set("flags", flags));
    }

    private ObjectNode evaluate(EnvironmentView view, String key, Context context) {
        Evaluation<VariantResult> evaluation = view.evaluator().evaluateVariant(key, context);
        ObjectNode result = NODES.objectNode().put("key", key);
        VariantResult served = evaluation.value();
        boolean hasVariants = view.snapshot().flag(key).map(Flag::hasVariants).orElse(false);
        if (evaluation.reason() == Reason.ERROR) {
            return result.put("errorCode", "GENERAL").put("errorDetails", evaluation.errorMessage());
        }
        if (!served.name().equals(VariantResult.DISABLED_NAME) && served.enabled()) {
            result.put("reason", evaluation.reason().name());
            result.put("variant", served.name());
            result.set("value", value(served));
        } else if (!hasVariants) {
            boolean on = served.featureEnabled();
            result.put("reason", evaluation.reason().name());
            result.put("variant", on ? "on" : "off");
            result.put("value", on);
        } else {
            result.put("reason", evaluation.reason().name());
        }
        ObjectNode metadata = result.putObject("metadata");
        view.snapshot().flag(key).ifPresent(flag -> metadata.put("project", flag.project()).put("type", flag.type()));
        return result;
    }

    private static JsonNode value(VariantResult served) {
        Payload payload = served.payload();
        if (!payload.isPresent()) {
            return NODES.textNode(served.name());
        }
        switch (payload.type()) {
            case "number":
                try {
                    return NODES.numberNode(Double.parseDouble(payload.value().trim()));
                } catch (NumberFormatException e) {
                    return NODES.textNode(payload.value());
                }
            case "json":
                try {
                    return Json.mapper().readTree(payload.value());
                } catch (IOException e) {
                    return NODES.textNode(payload.value());
                }
            default:
                return NODES.textNode(payload.value());
        }
    }

    private EnvironmentView view(io.javalin.http.Context ctx) {
        return Requests.view(plane, ctx);
    }

    private static ObjectNode failure(String key, String code, String details) {
        return NODES.objectNode().put("key", key).put("errorCode", code).put("errorDetails", details);
    }

    /** The evaluation context of an OFREP body: {@code targetingKey} is the user id, other scalars are properties. */
    private static Context context(byte[] body, Principal principal) {
        JsonNode root;
        try {
            root = body.length == 0 ? NODES.objectNode() : Json.mapper().readTree(body);
        } catch (IOException e) {
            throw new InvalidContext("PARSE_ERROR", "the body is not JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new InvalidContext("PARSE_ERROR", "the body must be a JSON object with a context");
        }
        JsonNode given = root.path("context");
        Context.Builder builder = Context.builder().environment(principal.environment());
        if (given.isMissingNode() || given.isNull()) {
            return builder.build();
        }
        if (!given.isObject()) {
            throw new InvalidContext("INVALID_CONTEXT", "context must be an object");
        }
        if (given.size() > Limits.CONTEXT_ATTRIBUTES) {
            throw new InvalidContext("INVALID_CONTEXT", "context has more than " + Limits.CONTEXT_ATTRIBUTES + " attributes");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = given.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> attribute = it.next();
            JsonNode value = attribute.getValue();
            if (value.isNull() || value.isContainerNode()) {
                continue;
            }
            String name = attribute.getKey().equals("targetingKey") ? Context.USER_ID : attribute.getKey();
            if (name.equals(Context.ENVIRONMENT)) {
                continue;
            }
            try {
                builder.set(name, value.asText());
            } catch (IllegalArgumentException e) {
                throw new InvalidContext("INVALID_CONTEXT", e.getMessage());
            }
        }
        return builder.build();
    }

    /** The body bytes in a form that is the same for equal contexts, whatever their spacing. */
    private static byte[] canonical(byte[] body) {
        try {
            JsonNode root = body.length == 0 ? NODES.objectNode() : Json.mapper().readTree(body);
            return Json.mapper().writeValueAsString(sortKeys(root)).getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            return body;
        }
    }

    private static JsonNode sortKeys(JsonNode node) {
        if (node.isObject()) {
            ObjectNode sorted = NODES.objectNode();
            java.util.List<String> names = new java.util.ArrayList<>();
            node.fieldNames().forEachRemaining(names::add);
            names.stream().sorted().forEach(name -> sorted.set(name, sortKeys(node.get(name))));
            return sorted;
        }
        if (node.isArray()) {
            ArrayNode array = NODES.arrayNode();
            node.forEach(element -> array.add(sortKeys(element)));
            return array;
        }
        return node;
    }

    /** A context OFREP must refuse with 400 and {@code code}. */
    private static final class InvalidContext extends RuntimeException {
        final String code;

        InvalidContext(String code, String message) {
            super(message, null, false, false);
            this.code = code;
        }
    }
}
