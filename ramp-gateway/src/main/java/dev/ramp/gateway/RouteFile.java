package dev.ramp.gateway;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.ramp.core.route.RouteCheck;
import dev.ramp.core.route.RouteDefinition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The standalone gateway's routes file: YAML (or JSON) with one key, {@code routes}, a list of {@code kind: Route}
 * documents. {@link #read} gives the routes, or the problems, each with the line it is on.
 */
public final class RouteFile {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final Pattern INDEX = Pattern.compile("\\[(\\d+)]");

    /** What a file holds: its routes. */
    @JsonIgnoreProperties(value = {"kind"})
    record Document(List<RouteDefinition> routes) {
        Document {
            routes = routes == null ? List.of() : routes;
        }
    }

    /**
     * One problem with the file.
     *
     * @param line   the line it is on, from 1; 0 when the whole file is at fault
     * @param field  the field, such as {@code routes[1].weight}; empty for a syntax error
     * @param reason what is wrong
     */
    public record Problem(int line, String field, String reason) {
        @Override
        public String toString() {
            return (line > 0 ? "line " + line + ": " : "") + (field.isEmpty() ? "" : field + ": ") + reason;
        }
    }

    /**
     * The file's contents.
     *
     * @param routes   the routes, when there is no problem
     * @param problems what is wrong; empty when the routes can be served
     */
    public record Contents(List<RouteDefinition> routes, List<Problem> problems) {}

    private RouteFile() {}

    /** Reads and checks the routes in {@code file}. */
    public static Contents read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            return failed(new Problem(0, "", "cannot read " + file + ": " + e.getMessage()));
        }
        return parse(text);
    }

    /** Reads and checks routes from the text of a routes file. */
    public static Contents parse(String text) {
        Document document;
        try {
            document = text.isBlank() ? new Document(List.of()) : YAML.readValue(text, Document.class);
        } catch (JsonMappingException e) {
            String field = field(e.getPath());
            int line = lineOf(field, lines(text));
            if (line == 0 && e.getLocation() != null) {
                line = e.getLocation().getLineNr();
            }
            return failed(new Problem(line, field, e.getOriginalMessage()));
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            return failed(new Problem(line, "", e.getOriginalMessage()));
        }
        if (document == null) {
            document = new Document(List.of());
        }
        for (int i = 0; i < document.routes().size(); i++) {
            if (document.routes().get(i) == null) {
                return failed(new Problem(0, "routes[" + i + "]", "must be a route, got null"));
            }
        }
        List<RouteCheck.Problem> problems = RouteCheck.table(document.routes());
        if (problems.isEmpty()) {
            return new Contents(document.routes(), List.of());
        }
        Map<String, Integer> lines = lines(text);
        return new Contents(List.of(), problems.stream()
                .map(problem -> new Problem(lineOf(problem.field(), lines), problem.field(), problem.reason()))
                .toList());
    }

    /** {@code routes[0].arms[1].name} for a mapping error's path. */
    private static String field(List<JsonMappingException.Reference> path) {
        var field = new StringBuilder();
        for (var reference : path) {
            if (reference.getFieldName() != null) {
                field.append(field.isEmpty() ? "" : ".").append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                field.append('[').append(reference.getIndex()).append(']');
            }
        }
        return field.toString();
    }

    private static Contents failed(Problem problem) {
        return new Contents(List.of(), List.of(problem));
    }

    /** The line of every value in the document, by JSON pointer. */
    private static Map<String, Integer> lines(String text) {
        var lines = new HashMap<String, Integer>();
        try (JsonParser parser = YAML.getFactory().createParser(text)) {
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
                if (token != JsonToken.FIELD_NAME && token != JsonToken.END_ARRAY && token != JsonToken.END_OBJECT) {
                    JsonPointer pointer = parser.getParsingContext().pathAsPointer();
                    lines.putIfAbsent(pointer.toString(), parser.currentTokenLocation().getLineNr());
                }
            }
        } catch (IOException e) {
            // The document parsed once already; a failure here only costs line numbers.
        }
        return lines;
    }

    /** The line of {@code field} ({@code routes[1].arms[0].name}), or of the nearest enclosing value it has. */
    private static int lineOf(String field, Map<String, Integer> lines) {
        Matcher matcher = INDEX.matcher(field);
        String pointer = "/" + matcher.replaceAll(".$1").replace('.', '/');
        while (!pointer.isEmpty()) {
            Integer line = lines.get(pointer);
            if (line != null) {
                return line;
            }
            pointer = pointer.substring(0, pointer.lastIndexOf('/'));
        }
        return 0;
    }
}
