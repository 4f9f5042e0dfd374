package dev.ramp.server.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ramp.core.route.RouteDefinition;
import dev.ramp.server.model.EnvironmentDefinition;
import dev.ramp.server.model.FlagDefinition;
import dev.ramp.server.model.Json;
import dev.ramp.server.model.SegmentDefinition;
import java.time.Instant;

/**
 * Reads back a resource as a {@link Change} recorded it ({@link Change#after()}): exactly the state that change
 * committed, which is how a replica applies another's changes one by one, in order, whatever came after.
 */
public final class ChangeDocuments {
    private static final ObjectMapper JSON = Json.mapper();

    private ChangeDocuments() {}

    public static StoredFlag flag(Change change) {
        JsonNode document = tree(change);
        return new StoredFlag(value(change, document, FlagDefinition.class), document.path("archived").asBoolean(false),
                document.path("version").asLong(), instant(document, "createdAt"), instant(document, "updatedAt"));
    }

    public static StoredSegment segment(Change change) {
        JsonNode document = tree(change);
        return new StoredSegment(document.path("id").asInt(), value(change, document, SegmentDefinition.class),
                document.path("version").asLong(), instant(document, "createdAt"), instant(document, "updatedAt"));
    }

    public static StoredEnvironment environment(Change change) {
        JsonNode document = tree(change);
        return new StoredEnvironment(value(change, document, EnvironmentDefinition.class), document.path("version").asLong(),
                instant(document, "createdAt"), instant(document, "updatedAt"));
    }

    public static StoredRoute route(Change change) {
        JsonNode document = tree(change);
        return new StoredRoute(value(change, document, RouteDefinition.class), document.path("version").asLong(),
                instant(document, "createdAt"), instant(document, "updatedAt"));
    }

    private static JsonNode tree(Change change) {
        try {
            return JSON.readTree(change.after());
        } catch (JsonProcessingException e) {
            throw unreadable(change, e);
        }
    }

    private static <T> T value(Change change, JsonNode document, Class<T> type) {
        try {
            return JSON.treeToValue(document, type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw unreadable(change, e);
        }
    }

    private static Instant instant(JsonNode document, String field) {
        return Instant.parse(document.path(field).asText());
    }

    private static StoreException unreadable(Change change, Exception e) {
        return new StoreException("change " + change.id() + " (" + change.type().wireName() + " '" + change.key()
                + "') is not readable: " + e.getMessage(), e, false);
    }
}
