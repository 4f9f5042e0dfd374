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
import java.util.List;
import java.util.Locale;

/**
 * Reads the document {@code apply} sends: one YAML (or JSON) mapping with a name and, if any, the right {@code kind}.
 * Every problem names the file, and the line where the parser stopped.
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

    static JsonNode read(Path file, Kind kind) {
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
        if (documents.size() > 1) {
            throw new Main.InputRejected(file + ": holds " + documents.size() + " documents; apply one " + kind.noun()
                    + " a file");
        }
        JsonNode document = documents.get(0);
        if (!document.isObject()) {
            throw new Main.InputRejected(file + ": must be a mapping of fields (kind: " + kind.kind() + ", " + kind.fields()
                    + "), got " + (document.isArray() ? "a list" : "'" + document.asText() + "'"));
        }
        JsonNode kindField = document.path("kind");
        if (!kindField.isMissingNode() && !kindField.isNull()
                && !(kindField.isTextual() && kindField.asText().equals(kind.kind()))) {
            throw new Main.InputRejected(file + ": kind: must be " + kind.kind() + ", got "
                    + (kindField.isTextual() ? "'" + kindField.asText() + "'" : kindField.toString()));
        }
        JsonNode name = document.path("name");
        if (name.isMissingNode() || name.isNull() || name.asText().isEmpty()) {
            throw new Main.InputRejected(file + ": name: is required: the " + kind.noun() + "'s key, such as "
                    + kind.example());
        }
        if (!name.isTextual()) {
            throw new Main.InputRejected(file + ": name: must be text, got " + name);
        }
        return document;
    }

    /** A refusal of the file's document, naming the file and, for a 400, every field the server named. */
    static Main.InputRejected rejected(Path file, ServerConnection.Refused refused) {
        if (refused.status() != 400 || refused.errors().isEmpty()) {
            return new Main.InputRejected(file + ": " + refused.getMessage());
        }
        List<String> lines = new ArrayList<>();
        for (ServerConnection.FieldError error : refused.errors()) {
            lines.add(file + ": " + (error.field().isEmpty() ? "" : error.field() + ": ") + error.reason());
        }
        return new Main.InputRejected(String.join("\n", lines));
    }

    private static String firstLine(String message) {
        int end = message.indexOf('\n');
        return (end < 0 ? message : message.substring(0, end)).strip();
    }
}
