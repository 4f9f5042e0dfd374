package dev.ramp.cli;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Reads the documents {@code apply} and {@code diff} send: YAML (or JSON) mappings, each of a {@link Kind} and with
 * its key. Every problem names the file (and, in a file of several, the document), and the line where the parser
 * stopped. A directory stands for every {@code .yaml}, {@code .yml} and {@code .json} file under it, at any depth,
 * in the order of their paths; files and directories whose names start with a dot are left out.
 */
final class DocumentFile {
    /** The server's limit on an admin body; a larger file could never be applied. */
    static final long MAX_BYTES = 1024L * 1024;

    /**
     * One document of a file.
     *
     * @param where what messages call it: the file, or {@code FILE, document N} in a file of several
     * @param kind  its kind
     * @param key   its key: the flag's {@code key}, the others' {@code name}
     * @param body  the document as it was read: a mapping of that kind, with its key
     */
    record Document(String where, Kind kind, String key, JsonNode body) {
        /** {@code flag/checkout.v2}: how apply's lines name it. */
        String id() {
            return kind.noun() + "/" + key;
        }
    }

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

    /**
     * Every document of {@code paths} (files, or directories of them), in order, each of one of {@code kinds}. With
     * one kind, a document may leave {@code kind:} out; with several it must say it. With {@code several} false, a
     * file holds one document. Two documents of one kind with one key are refused, as the second would silently
     * replace the first.
     */
    static List<Document> readAll(List<Path> paths, List<Kind> kinds, boolean several) {
        List<Document> documents = new ArrayList<>();
        Map<String, String> seen = new HashMap<>();
        for (Path file : files(paths)) {
            List<JsonNode> parsed = parse(file);
            if (!several && parsed.size() > 1) {
                throw new Main.InputRejected(file + ": holds " + parsed.size() + " documents; apply one "
                        + kinds.get(0).noun() + " a file");
            }
            for (int i = 0; i < parsed.size(); i++) {
                String where = parsed.size() == 1 ? file.toString() : file + ", document " + (i + 1);
                Document document = check(where, parsed.get(i), kinds);
                String first = seen.putIfAbsent(document.id(), where);
                if (first != null) {
                    throw new Main.InputRejected(where + ": " + document.kind().keyField() + ": '" + document.key()
                            + "' is the " + document.kind().keyField() + " of " + first + " too; name each "
                            + document.kind().noun() + " once");
                }
                documents.add(document);
            }
        }
        return documents;
    }

    /** The files {@code paths} stand for: a file as it is, a directory's documents in the order of their paths. */
    private static List<Path> files(List<Path> paths) {
        List<Path> files = new ArrayList<>();
        for (Path path : paths) {
            if (!Files.isDirectory(path)) {
                files.add(path);
                continue;
            }
            List<Path> found;
            try (Stream<Path> walk = Files.walk(path)) {
                found = walk.filter(file -> !hidden(path.relativize(file)) && Files.isRegularFile(file) && document(file))
                        .sorted().toList();
            } catch (IOException | UncheckedIOException e) {
                throw new Main.InputRejected(path + ": cannot be read: " + e.getMessage());
            }
            if (found.isEmpty()) {
                throw new Main.InputRejected(path + ": holds no .yaml, .yml or .json file");
            }
            files.addAll(found);
        }
        return files;
    }

    private static boolean hidden(Path relative) {
        for (Path name : relative) {
            if (name.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    private static boolean document(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json");
    }

    /** The non-empty documents of {@code file}; at least one. */
    private static List<JsonNode> parse(Path file) {
        boolean json = file.toString().toLowerCase(Locale.ROOT).endsWith(".json");
        List<JsonNode> documents = new ArrayList<>();
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new Main.InputRejected(file + ": larger than 1 MiB, the server's limit for one document");
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

    /** {@code document} when it is a mapping of one of {@code kinds} with a key; {@code where} names it in messages. */
    private static Document check(String where, JsonNode document, List<Kind> kinds) {
        Kind assumed = kinds.get(0);
        if (!document.isObject()) {
            throw new Main.InputRejected(where + ": must be a mapping of fields (kind: " + assumed.kind() + ", "
                    + assumed.fields() + "), got " + (document.isArray() ? "a list" : "'" + document.asText() + "'"));
        }
        JsonNode kindField = document.path("kind");
        Kind kind;
        if (kindField.isMissingNode() || kindField.isNull()) {
            if (kinds.size() > 1) {
                throw new Main.InputRejected(where + ": kind: is required: one of " + names(kinds));
            }
            kind = assumed;
        } else {
            String named = kindField.isTextual() ? kindField.asText() : "";
            kind = Kind.of(named).filter(kinds::contains).orElseThrow(() -> new Main.InputRejected(where
                    + ": kind: must be " + (kinds.size() == 1 ? assumed.kind() : "one of " + names(kinds)) + ", got "
                    + (kindField.isTextual() ? "'" + kindField.asText() + "'" : kindField.toString())));
        }
        JsonNode key = document.path(kind.keyField());
        if (key.isMissingNode() || key.isNull() || key.asText().isEmpty()) {
            throw new Main.InputRejected(where + ": " + kind.keyField() + ": is required: the " + kind.noun()
                    + "'s key, such as " + kind.example());
        }
        if (!key.isTextual()) {
            throw new Main.InputRejected(where + ": " + kind.keyField() + ": must be text, got " + key);
        }
        return new Document(where, kind, key.asText(), document);
    }

    private static String names(List<Kind> kinds) {
        return String.join(", ", kinds.stream().map(Kind::kind).toList());
    }

    /**
     * A refusal of a document, naming it ({@code where}: the file, or {@link Document#where}) and, for a 400, every
     * field the server named.
     */
    static Main.Failed rejected(String where, ServerConnection.Refused refused) {
        if (refused.status() >= 500) {
            return new Main.Unavailable(where + ": " + refused.getMessage());
        }
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
