package dev.ramp.cli;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the documents {@code apply} sends: YAML (or JSON) mappings, each with a name and, if any, the right
 * {@code kind}. Every problem names the file (and, in a file of several, the document), and the line where the
 * parser stopped.
 */
final class DocumentFile {
    /** The server's limit on an admin body; a larger file could never be applied. */
    static final long MAX_BYTES = 1024L * 1024;

    /**
     * A kind of document.
     *
     * @param kind    its {@code kind:} value
     * @param noun    what the messages call it
     * @param fields  the fields a message shows as an example of the mapping
     * @param example a name, for the message when it is missing
     */
    record Kind(String kind, String noun, String fields, String example) {}

    static final Kind EXPERIMENT = new Kind("Experiment", "experiment", "name: ..., flag: ...", "green-button");
    static final Kind ROUTE = new Kind("Route", "route", "name: ..., arms: ...", "checkout");
    static final Kind RELEASE = new Kind("Release", "release", "name: ..., target: ..., canary: ...", "checkout-v2");

    /**
     * One document of a file.
     *
     * @param where what messages call it: the file, or {@code FILE, document N} in a file of several
     * @param body  the document, checked as {@link #read} checks it
     */
    record Document(String where, JsonNode body) {}

    private static final ObjectMapper YAML = YAMLMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .build();
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private DocumentFile() {}

    /** The one document of {@code file}; a file of several is refused. */
    static JsonNode read(Path file, Kind kind) {
        List<JsonNode> documents = parse(file, kind);
        if (documents.size() > 1) {
            throw new Main.InputRejected(file + ": holds " + documents.size() + " documents; apply one " + kind.noun()
                    + " a file");
        }
        return check(file.toString(), documents.get(0), kind);
    }

    /**
     * Every document of {@code file}, in order: one JSON document, or YAML documents apart by {@code ---}. Two with
     * the same name are refused, as the second would silently replace the first.
     */
    static List<Document> readAll(Path file, Kind kind) {
        List<JsonNode> documents = parse(file, kind);
        List<Document> checked = new ArrayList<>();
        Map<String, Integer> names = new HashMap<>();
        for (int i = 0; i < documents.size(); i++) {
            String where = documents.size() == 1 ? file.toString() : file + ", document " + (i + 1);
            JsonNode body = check(where, documents.get(i), kind);
            Integer first = names.putIfAbsent(body.path("name").asText(), i + 1);
            if (first != null) {
                throw new Main.InputRejected(where + ": name: '" + body.path("name").asText() + "' is document "
                        + first + "'s name too; one file names each " + kind.noun() + " once");
            }
            checked.add(new Document(where, body));
        }
        return checked;
    }

    /** The non-empty documents of {@code file}; at least one. */
    private static List<JsonNode> parse(Path file, Kind kind) {
        boolean json = file.toString().toLowerCase(Locale.ROOT).endsWith(".json");
        List<JsonNode> documents = new ArrayList<>();
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new Main.InputRejected(file + ": larger than 1 MiB, the server's limit for one " + kind.noun());
            }
            ObjectMapper mapper = json ? JSON : YAML;
            // One tree per YAML document (---); JSON allows one, as trailing content is refused.
            try (JsonParser parser = mapper.createParser(file.toFile())) {
                for (JsonNode root = mapper.readTree(parser); root != null; root = mapper.readTree(parser)) {
                    documents.add(root);
                }
            }
        } catch (NoSuchFileException e) {
            throw new Main.InputRejected(file + ": no such file");
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? ""
                    : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
            throw new Main.InputRejected(file + ": not valid " + (json ? "JSON" : "YAML") + ": "
                    + firstLine(e.getOriginalMessage()) + where);
        } catch (IOException e) {
            throw new Main.InputRejected(file + ": cannot be read: " + e.getMessage());
        }
        documents.removeIf(document -> document == null || document.isNull() || document.isMissingNode());
        if (documents.isEmpty()) {
            throw new Main.InputRejected(file + ": empty file");
        }
        return documents;
    }

    /** {@code document} when it is a mapping of the right kind with a name; {@code where} names it in messages. */
    private static JsonNode check(String where, JsonNode document, Kind kind) {
        if (!document.isObject()) {
            throw new Main.InputRejected(where + ": must be a mapping of fields (kind: " + kind.kind() + ", " + kind.fields()
                    + "), got " + (document.isArray() ? "a list" : "'" + document.asText() + "'"));
        }
        JsonNode kindField = document.path("kind");
        if (!kindField.isMissingNode() && !kindField.isNull()
                && !(kindField.isTextual() && kindField.asText().equals(kind.kind()))) {
            throw new Main.InputRejected(where + ": kind: must be " + kind.kind() + ", got "
                    + (kindField.isTextual() ? "'" + kindField.asText() + "'" : kindField.toString()));
        }
        JsonNode name = document.path("name");
        if (name.isMissingNode() || name.isNull() || name.asText().isEmpty()) {
            throw new Main.InputRejected(where + ": name: is required: the " + kind.noun() + "'s key, such as "
                    + kind.example());
        }
        if (!name.isTextual()) {
            throw new Main.InputRejected(where + ": name: must be text, got " + name);
        }
        return document;
    }

    /**
     * A refusal of a document, naming it ({@code where}: the file, or {@link Document#where}) and, for a 400, every
     * field the server named.
     */
    static Main.InputRejected rejected(String where, ServerConnection.Refused refused) {
        if (refused.status() != 400 || refused.errors().isEmpty()) {
            return new Main.InputRejected(where + ": " + refused.getMessage());
        }
        List<String> lines = new ArrayList<>();
        for (ServerConnection.FieldError error : refused.errors()) {
            lines.add(where + ": " + (error.field().isEmpty() ? "" : error.field() + ": ") + error.reason());
        }
        return new Main.InputRejected(String.join("\n", lines));
    }

    private static String firstLine(String message) {
        int end = message.indexOf('\n');
        return (end < 0 ? message : message.substring(0, end)).strip();
    }
}
