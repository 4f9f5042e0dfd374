package dev.ramp.server.http;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import dev.ramp.server.auth.Principal;
import dev.ramp.server.model.FieldError;
import dev.ramp.server.model.Json;
import dev.ramp.server.state.Rejection;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reading requests safely: bounded bodies, strict JSON with field paths in errors, versions from {@code If-Match}. */
final class Requests {
    static final String PRINCIPAL = "ramp.principal";

    private Requests() {}

    /** The body, at most {@code limit} bytes; a larger one is refused with 413 before it is read whole. */
    static byte[] body(Context ctx, int limit) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > limit) {
            throw tooLarge(limit);
        }
        try (InputStream in = ctx.req().getInputStream()) {
            byte[] bytes = in.readNBytes(limit + 1);
            if (bytes.length > limit) {
                throw tooLarge(limit);
            }
            return bytes;
        } catch (IOException e) {
            throw new ProblemException(Problem.of(400, "unreadable-body", "Unreadable body",
                    "the request body could not be read: " + e.getMessage()));
        }
    }

    /** The body as {@code type}, strictly: unknown fields and wrong types are refused, naming the field. */
    static <T> T read(Context ctx, Class<T> type, int limit) {
        byte[] bytes = body(ctx, limit);
        requireJsonObject(bytes);
        try {
            return Json.mapper().readValue(bytes, type);
        } catch (ValueInstantiationException e) {
            throw refusedConstruction(e, treeOrNull(bytes));
        } catch (IOException e) {
            throw invalid(e);
        }
    }

    private static JsonNode treeOrNull(byte[] bytes) {
        try {
            return Json.mapper().readTree(bytes);
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * A request body that is one document of {@code kind}: as {@code type}, with a {@code kind} field, as YAML
     * documents carry, allowed when it names {@code kind}.
     */
    static <T> T document(Context ctx, String kind, Class<T> type) {
        JsonNode body = tree(ctx, Limits.ADMIN_BODY_BYTES);
        JsonNode named = body.path("kind");
        if (!named.isMissingNode() && !named.isNull() && !named.asText().equals(kind)) {
            throw Rejection.invalid("kind", "must be " + kind + " (or left out), got '" + abbreviate(named.asText()) + "'");
        }
        return convert(body, type, "");
    }

    /** The body as a JSON tree; malformed JSON is refused. */
    static JsonNode tree(Context ctx, int limit) {
        byte[] bytes = body(ctx, limit);
        requireJsonObject(bytes);
        try {
            return Json.mapper().readTree(bytes);
        } catch (IOException e) {
            throw invalid(e);
        }
    }

    static <T> T convert(JsonNode node, Class<T> type, String path) {
        try {
            return Json.mapper().treeToValue(node, type);
        } catch (IOException e) {
            ProblemException problem = e instanceof ValueInstantiationException refused
                    ? refusedConstruction(refused, node) : invalid(e);
            if (path.isEmpty()) {
                throw problem;
            }
            List<FieldError> errors = problem.problem().errors().stream()
                    .map(error -> new FieldError(error.field().isEmpty() ? path : path + "." + error.field(), error.reason()))
                    .toList();
            throw Rejection.invalid(errors);
        }
    }

    private static void requireJsonObject(byte[] bytes) {
        for (byte b : bytes) {
            if (b == ' ' || b == '\n' || b == '\r' || b == '\t') {
                continue;
            }
            if (b == '{') {
                return;
            }
            break;
        }
        throw Rejection.invalid("", bytes.length == 0 ? "the body is empty; send a JSON object" : "the body must be a JSON object");
    }

    /**
     * The version {@code If-Match} names ({@link dev.ramp.server.state.ControlPlane#ANY_VERSION} for {@code *}, which
     * RFC 9110 says matches any current version); 428 without one, 412 for one that names no version.
     */
    static long ifMatch(Context ctx) {
        String header = ctx.header("If-Match");
        if (header == null || header.isBlank()) {
            throw Rejection.preconditionRequired();
        }
        String tag = header.trim();
        if (tag.equals("*")) {
            return dev.ramp.server.state.ControlPlane.ANY_VERSION;
        }
        if (tag.startsWith("W/")) {
            tag = tag.substring(2);
        }
        if (tag.length() >= 3 && tag.startsWith("\"") && tag.endsWith("\"")) {
            String inside = tag.substring(1, tag.length() - 1);
            if (!inside.isEmpty() && inside.length() <= 18 && inside.chars().allMatch(Character::isDigit)) {
                return Long.parseLong(inside);
            }
        }
        throw new ProblemException(Problem.of(412, "precondition-failed", "Precondition failed",
                "If-Match " + abbreviate(header) + " names no version of this resource; send the ETag you read, such as \"3\""));
    }

    static String etag(long version) {
        return "\"" + version + "\"";
    }

    /** Whether {@code If-None-Match} lists {@code etag} (or is {@code *}). */
    static boolean notModified(Context ctx, String etag) {
        return notModified(ctx.header("If-None-Match"), etag);
    }

    /** Whether an {@code If-None-Match} header (null when absent) lists {@code etag} (or is {@code *}). */
    static boolean notModified(String header, String etag) {
        if (header == null) {
            return false;
        }
        for (String candidate : header.split(",")) {
            String tag = candidate.trim();
            if (tag.startsWith("W/")) {
                tag = tag.substring(2);
            }
            if (tag.equals("*") || tag.equals(etag)) {
                return true;
            }
        }
        return false;
    }

    static Principal principal(Context ctx) {
        return ctx.attribute(PRINCIPAL);
    }

    /** What the request's client or frontend token may see: its environment's view; 403 when that environment is gone. */
    static dev.ramp.server.state.EnvironmentView view(dev.ramp.server.state.ControlPlane plane, Context ctx) {
        Principal principal = principal(ctx);
        if (plane.current().environment(principal.environment()).isEmpty()) {
            throw new ProblemException(Problem.of(403, "unknown-environment", "Unknown environment",
                    "the token's environment '" + principal.environment() + "' no longer exists"));
        }
        return plane.current().view(principal.environment());
    }

    /** An integer query parameter within {@code [min, max]}, or {@code fallback} when absent. */
    static int intParam(Context ctx, String name, int fallback, int min, int max) {
        String text = ctx.queryParam(name);
        if (text == null || text.isEmpty()) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(text);
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException ignored) {
            // Refused below with the same message as an out-of-range number.
        }
        throw Rejection.invalid(name, "must be a whole number from " + min + " to " + max + ", got '" + abbreviate(text) + "'");
    }

    /** A non-negative long query parameter, or {@code fallback} when absent. */
    static long longParam(Context ctx, String name, long fallback) {
        String text = ctx.queryParam(name);
        if (text == null || text.isEmpty()) {
            return fallback;
        }
        if (text.length() <= 18 && text.chars().allMatch(Character::isDigit)) {
            return Long.parseLong(text);
        }
        throw Rejection.invalid(name, "must be a whole number of at least 0, got '" + abbreviate(text) + "'");
    }

    /** An ISO-8601 instant query parameter between {@link Limits#EARLIEST} and {@link Limits#LATEST}, if present. */
    static Optional<Instant> instantParam(Context ctx, String name) {
        return Requests.param(ctx, name).map(text -> {
            try {
                Instant parsed = Instant.parse(text);
                if (parsed.isBefore(Limits.EARLIEST) || parsed.isAfter(Limits.LATEST)) {
                    throw Rejection.invalid(name, "must be between " + Limits.EARLIEST + " and " + Limits.LATEST);
                }
                return parsed;
            } catch (java.time.format.DateTimeParseException e) {
                throw Rejection.invalid(name, "must be an ISO-8601 instant such as 2026-12-01T10:00:00Z, got '"
                        + Requests.abbreviate(text) + "'");
            }
        });
    }

    static Optional<String> param(Context ctx, String name) {
        String text = ctx.queryParam(name);
        return text == null || text.isEmpty() ? Optional.empty() : Optional.of(text);
    }

    static int segmentId(Context ctx) {
        String text = ctx.pathParam("id");
        try {
            int id = Integer.parseInt(text);
            if (id > 0) {
                return id;
            }
        } catch (NumberFormatException ignored) {
            // A non-numeric id names no segment.
        }
        throw Rejection.notFound("segment '" + abbreviate(text) + "'");
    }

    static Map<String, Object> page(Collection<?> items, long total, int limit, int offset) {
        return Map.of("items", items, "total", total, "limit", limit, "offset", offset);
    }

    /** PostgreSQL cannot store U+0000 in text, and no name needs a control character. */
    static boolean printable(String text) {
        return text.chars().noneMatch(Character::isISOControl);
    }

    static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 77) + "...";
    }

    private static ProblemException tooLarge(int limit) {
        return new ProblemException(Problem.of(413, "body-too-large", "Body too large",
                "the request body exceeds the limit of " + limit + " bytes"));
    }

    /** Turns a Jackson failure into a 400 that names the field and says what was expected. */
    static ProblemException invalid(IOException e) {
        if (e instanceof UnrecognizedPropertyException unknown) {
            Collection<Object> known = unknown.getKnownPropertyIds();
            String expected = known == null || known.isEmpty() ? "" : "; known fields: "
                    + known.stream().map(String::valueOf).sorted().toList();
            return problem(path(unknown), "is not a known field" + expected);
        }
        if (e instanceof MismatchedInputException mismatch) {
            String field = path(mismatch);
            if (mismatch.getTargetType() == null && field.isEmpty()) {
                return problem("", "the body is empty or incomplete; send a JSON object");
            }
            return problem(field, "must be " + describe(mismatch.getTargetType()));
        }
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            return problem(path(mapping), "is invalid: " + mapping.getOriginalMessage());
        }
        if (e instanceof JsonProcessingException parse) {
            JsonLocation where = parse.getLocation();
            String at = where == null ? "" : " at line " + where.getLineNr() + ", column " + where.getColumnNr();
            return problem("", "malformed JSON" + at + ": " + parse.getOriginalMessage());
        }
        return problem("", "the body could not be read: " + e.getMessage());
    }

    /**
     * A document's constructor refused what it was given. Most often that is a null inside an array, which the tree
     * (null when there is none) shows with its path; otherwise the constructor's own reason, without the Java type.
     */
    private static ProblemException refusedConstruction(ValueInstantiationException e, JsonNode tree) {
        Optional<String> nullElement = tree == null ? Optional.empty() : nullElement(tree, "");
        if (nullElement.isPresent()) {
            return problem(nullElement.get(), "must not be null");
        }
        Throwable cause = e.getCause();
        String reason = cause instanceof IllegalArgumentException && cause.getMessage() != null
                ? "is invalid: " + cause.getMessage() : "is invalid: a value is missing or of the wrong kind";
        return problem(path(e), reason);
    }

    /** The path of the first null element of an array in {@code node}, depth first. */
    private static Optional<String> nullElement(JsonNode node, String path) {
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                String element = path + "[" + i + "]";
                if (node.get(i).isNull()) {
                    return Optional.of(element);
                }
                Optional<String> inside = nullElement(node.get(i), element);
                if (inside.isPresent()) {
                    return inside;
                }
            }
        } else if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                Optional<String> inside = nullElement(field.getValue(), path.isEmpty() ? field.getKey() : path + "." + field.getKey());
                if (inside.isPresent()) {
                    return inside;
                }
            }
        }
        return Optional.empty();
    }

    private static ProblemException problem(String field, String reason) {
        FieldError error = new FieldError(field, reason);
        String detail = field.isEmpty() ? reason : field + ": " + reason;
        return new ProblemException(Problem.invalid(detail, List.of(error)));
    }

    private static String path(JsonMappingException mapping) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : mapping.getPath()) {
            if (reference.getFieldName() != null) {
                if (path.length() > 0) {
                    path.append('.');
                }
                path.append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String describe(Class<?> type) {
        if (type == null) {
            return "a JSON value of another type";
        }
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return "a whole number";
        }
        if (type == double.class || type == Double.class) {
            return "a number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        return "an object";
    }
}
