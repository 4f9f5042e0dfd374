package dev.ramp.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.ramp.cli.DocumentFile.Document;
import dev.ramp.server.model.Json;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Brings a server to what documents say, one document at a time: reads the resource a document names, compares the
 * two as the server's model has them (defaults filled in, the fields the server keeps itself, such as
 * {@code version} and {@code updatedAt}, left out), and creates the resource, replaces it with the version read in
 * {@code If-Match}, or leaves it alone. A document unchanged sends no write.
 *
 * <p>A document may leave out what the server fills in or others move, and the resource keeps it: the ids of a
 * flag's strategies (taken by position), a route's {@code weight} and {@code active} (moved by
 * {@code ramp route weight} and releases), a started experiment's {@code control} (named at its start). A flag's strategy
 * may name its segments by name instead of id.
 */
final class Reconciler {
    /** Maps in key order, so that the YAML of two equal documents is the same text. */
    private static final ObjectMapper NORMAL = Json.mapper().copy().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    /** What applying a document does to its resource. */
    enum Action {
        CREATE("created"), UPDATE("updated"), UNCHANGED("unchanged");

        private final String done;

        Action(String done) {
            this.done = done;
        }

        /** {@code created}, {@code updated} or {@code unchanged}: the word of apply's line. */
        String done() {
            return done;
        }
    }

    /**
     * What applying one document would do.
     *
     * @param document the document
     * @param action   what it would do
     * @param current  the resource as the server has it, normalised; missing when there is none
     * @param desired  the document, normalised as {@code current} is
     * @param resource the server's resource as it was read; missing when there is none
     * @param body     what a write would send
     * @param path     the resource's path; empty when there is none
     * @param etag     the version read, for {@code If-Match}; empty when there is none
     */
    record Change(Document document, Action action, JsonNode current, JsonNode desired, JsonNode resource,
                  JsonNode body, String path, String etag) {}

    private final ServerConnection connection;
    /** The server's segments' ids by name: read once, then kept as apply creates segments. */
    private Map<String, Integer> segments;

    Reconciler(ServerConnection connection) {
        this.connection = connection;
    }

    /** {@code documents} in the order apply takes them: by {@link Kind}, then as given. */
    static List<Document> ordered(List<Document> documents) {
        return documents.stream().sorted(Comparator.comparing(Document::kind)).toList();
    }

    /**
     * Refuses, before anything is sent, a document the server's model cannot read (an unknown field, a list where
     * text belongs), naming the document and the field.
     */
    static void check(Document document) {
        ObjectNode body = document.body().deepCopy();
        if (document.kind() == Kind.FLAG) {
            strategies(body).forEach(strategy -> {
                JsonNode named = strategy.path("segments");
                if (named.isArray()) {
                    ArrayNode ids = strategy.putArray("segments");
                    named.forEach(segment -> ids.add(segment.isTextual() ? IntNode.valueOf(1) : segment));
                }
            });
        }
        normal(document.where(), document.kind(), body);
    }

    /**
     * Refuses, before anything is sent, a flag that names a segment neither the server nor {@code documents} has.
     */
    void checkSegments(List<Document> documents) {
        Set<String> planned = new HashSet<>();
        documents.stream().filter(document -> document.kind() == Kind.SEGMENT).forEach(document -> planned.add(document.key()));
        for (Document document : documents) {
            if (document.kind() == Kind.FLAG) {
                resolveSegments(document.where(), document.body().deepCopy(), planned, new HashMap<>());
            }
        }
    }

    /**
     * What applying {@code document} would do. With {@code planned}, the names of segments that documents before
     * this one create (a dry run), a flag may name a segment the server has not got yet.
     */
    Change plan(Document document, Set<String> planned) {
        Kind kind = document.kind();
        String path = path(document);
        ServerConnection.Reply read = path.isEmpty() ? null : read(path);
        JsonNode resource = read == null ? MissingNode.getInstance() : read.body();
        String etag = read == null ? "" : read.etag().orElseThrow(() ->
                new Main.InputRejected("the server sent no ETag for " + document.id()));
        JsonNode currentDocument = kind == Kind.RELEASE ? resource.path("definition") : resource;

        ObjectNode body = document.body().deepCopy();
        if (!kind.sendsKind()) {
            body.remove("kind");
        }
        Map<Integer, String> placeholders = new HashMap<>();
        if (kind == Kind.FLAG) {
            carryStrategyIds(body, currentDocument);
            resolveSegments(document.where(), body, planned, placeholders);
        } else if (kind == Kind.ROUTE && read != null) {
            carry(body, currentDocument, "weight");
            carry(body, currentDocument, "active");
        } else if (kind == Kind.EXPERIMENT && read != null && !resource.path("status").asText().equals("draft")) {
            carry(body, currentDocument, "control");
        }
        JsonNode desired = normal(document.where(), kind, body);
        if (!placeholders.isEmpty()) {
            strategies(desired).forEach(strategy -> {
                ArrayNode ids = (ArrayNode) strategy.path("segments");
                for (int i = 0; i < ids.size(); i++) {
                    String name = placeholders.get(ids.get(i).asInt());
                    if (name != null) {
                        ids.set(i, TextNode.valueOf("(" + name + ", a segment created first)"));
                    }
                }
            });
        }
        if (read == null) {
            return new Change(document, Action.CREATE, MissingNode.getInstance(), desired, resource, body, "", "");
        }
        JsonNode current = normal("the server's " + document.id(), kind, currentDocument);
        Action action = current.equals(desired) ? Action.UNCHANGED : Action.UPDATE;
        return new Change(document, action, current, desired, resource, body, path, etag);
    }

    /** Carries {@code change} out: the resource as the server has it afterwards. */
    JsonNode carryOut(Change change) {
        Document document = change.document();
        try {
            switch (change.action()) {
                case CREATE:
                    JsonNode created = connection.exchange("POST", document.kind().collection(), change.body(), "").body();
                    if (document.kind() == Kind.SEGMENT) {
                        segments().put(document.key(), created.path("id").asInt());
                    }
                    return created;
                case UPDATE:
                    return connection.exchange("PUT", change.path(), change.body(), change.etag()).body();
                default:
                    return change.resource();
            }
        } catch (ServerConnection.Refused refused) {
            throw DocumentFile.rejected(document.where(), refused);
        }
    }

    /** The path of the resource {@code document} names; empty for a segment the server has not got. */
    private String path(Document document) {
        if (document.kind() == Kind.SEGMENT) {
            Integer id = segments().get(document.key());
            return id == null ? "" : Kind.SEGMENT.collection() + "/" + id;
        }
        return document.kind().collection() + "/" + ServerConnection.segment(document.key());
    }

    /** The resource at {@code path}, or null when there is none (404). */
    private ServerConnection.Reply read(String path) {
        try {
            return connection.exchange("GET", path, null, "");
        } catch (ServerConnection.Refused refused) {
            if (refused.status() == 404) {
                return null;
            }
            throw refused;
        }
    }

    private Map<String, Integer> segments() {
        if (segments == null) {
            segments = new HashMap<>();
            for (JsonNode segment : connection.send("GET", Kind.SEGMENT.collection(), null).path("items")) {
                segments.put(segment.path("name").asText(), segment.path("id").asInt());
            }
        }
        return segments;
    }

    /** A strategy without an id takes the id of the strategy at its place in the server's flag. */
    private static void carryStrategyIds(ObjectNode flag, JsonNode current) {
        Iterator<Map.Entry<String, JsonNode>> environments = flag.path("environments").fields();
        while (environments.hasNext()) {
            Map.Entry<String, JsonNode> environment = environments.next();
            JsonNode strategies = environment.getValue().path("strategies");
            JsonNode had = current.path("environments").path(environment.getKey()).path("strategies");
            for (int i = 0; i < strategies.size() && i < had.size(); i++) {
                if (strategies.get(i) instanceof ObjectNode strategy && strategy.path("id").asText("").isEmpty()
                        && !had.get(i).path("id").asText().isEmpty()) {
                    strategy.put("id", had.get(i).path("id").asText());
                }
            }
        }
    }

    /**
     * Replaces each segment a strategy names by name with its id. A segment in {@code planned} that the server has
     * not got yet gets a placeholder id below 0, remembered in {@code placeholders}.
     */
    private void resolveSegments(String where, ObjectNode flag, Set<String> planned, Map<Integer, String> placeholders) {
        Iterator<Map.Entry<String, JsonNode>> environments = flag.path("environments").fields();
        while (environments.hasNext()) {
            Map.Entry<String, JsonNode> environment = environments.next();
            JsonNode strategies = environment.getValue().path("strategies");
            for (int i = 0; i < strategies.size(); i++) {
                JsonNode named = strategies.get(i).path("segments");
                for (int j = 0; j < named.size(); j++) {
                    if (!named.get(j).isTextual()) {
                        continue;
                    }
                    String name = named.get(j).asText();
                    Integer id = segments().get(name);
                    if (id == null && planned.contains(name)) {
                        id = -1 - placeholders.size();
                        placeholders.put(id, name);
                    }
                    if (id == null) {
                        throw new Main.InputRejected(where + ": environments." + environment.getKey() + ".strategies["
                                + i + "].segments[" + j + "]: no segment named '" + name
                                + "' on the server or in the documents");
                    }
                    ((ArrayNode) named).set(j, id);
                }
            }
        }
    }

    /** Every strategy of a flag document, in every environment. */
    private static List<ObjectNode> strategies(JsonNode flag) {
        List<ObjectNode> all = new ArrayList<>();
        for (JsonNode environment : flag.path("environments")) {
            for (JsonNode strategy : environment.path("strategies")) {
                if (strategy instanceof ObjectNode object) {
                    all.add(object);
                }
            }
        }
        return all;
    }

    /** {@code field} of {@code current} into {@code document} when the document leaves it out. */
    private static void carry(ObjectNode document, JsonNode current, String field) {
        JsonNode given = document.path(field);
        JsonNode had = current.path(field);
        if ((given.isMissingNode() || given.isNull()) && !had.isMissingNode() && !had.isNull()
                && !had.asText().isEmpty()) {
            document.set(field, had);
        }
    }

    /**
     * {@code document} as the server's model of {@code kind} reads and writes it: defaults filled in, the server's
     * own fields left out, maps in key order. A document the model cannot read is refused, naming {@code where} and
     * the field.
     */
    static JsonNode normal(String where, Kind kind, JsonNode document) {
        ObjectNode copy = document.deepCopy();
        copy.remove("kind");
        try {
            return NORMAL.valueToTree(Json.mapper().treeToValue(copy, kind.model()));
        } catch (JsonMappingException e) {
            throw new Main.InputRejected(where + ": " + field(e) + reason(e));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new Main.InputRejected(where + ": " + firstLine(e.getMessage()));
        }
    }

    private static String field(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : e.getPath()) {
            if (reference.getFieldName() != null) {
                path.append(path.length() == 0 ? "" : ".").append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.length() == 0 ? "" : path + ": ";
    }

    private static String reason(JsonMappingException e) {
        if (e instanceof UnrecognizedPropertyException unknown) {
            Collection<Object> known = unknown.getKnownPropertyIds();
            return "unknown field" + (known == null || known.isEmpty() ? ""
                    : "; the fields here are " + String.join(", ", known.stream().map(Object::toString).sorted().toList()));
        }
        if (e instanceof ValueInstantiationException && e.getCause() != null) {
            return firstLine(e.getCause().getMessage());
        }
        if (e instanceof MismatchedInputException mismatched && mismatched.getTargetType() != null) {
            return "must be " + shape(mismatched.getTargetType());
        }
        return firstLine(e.getOriginalMessage());
    }

    private static String shape(Class<?> type) {
        if (type == String.class) {
            return "text";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "a whole number";
        }
        if (type == Double.class || type == double.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (Collection.class.isAssignableFrom(type)) {
            return "a list";
        }
        return "a mapping";
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "cannot be read";
        }
        int end = message.indexOf('\n');
        return (end < 0 ? message : message.substring(0, end)).strip();
    }
}
