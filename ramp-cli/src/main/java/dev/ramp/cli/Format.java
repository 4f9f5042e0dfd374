package dev.ramp.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Locale;
import picocli.CommandLine;

/**
 * What {@code -o}/{@code --output} prints: a table (or the fields of one resource) for people, or the server's
 * documents as they are, in JSON or YAML, for programs. {@code text}, the old name of {@code table}, is still taken.
 */
enum Format {
    TABLE, JSON, YAML;

    private static final ObjectMapper YAML_WRITER = YAMLMapper.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER).build();

    /** Whether documents are printed as they are, rather than as a table. */
    boolean structured() {
        return this != TABLE;
    }

    /** Prints {@code document} as JSON (pretty) or YAML. */
    void write(PrintWriter out, JsonNode document) {
        if (this == YAML) {
            out.print(yaml(document));
        } else {
            out.println(document.toPrettyString());
        }
        out.flush();
    }

    /** {@code document} as YAML, without the {@code ---} that would open it. */
    static String yaml(JsonNode document) {
        try {
            return YAML_WRITER.writeValueAsString(document);
        } catch (IOException e) {
            throw new Main.InputRejected("cannot write the reply as YAML: " + e.getMessage());
        }
    }

    /** Reads {@code table}, {@code text}, {@code json} or {@code yaml}, in any case; anything else is a usage error. */
    static final class Converter implements CommandLine.ITypeConverter<Format> {
        @Override
        public Format convert(String value) {
            String name = value.toLowerCase(Locale.ROOT);
            switch (name) {
                case "table":
                case "text":
                    return TABLE;
                case "json":
                    return JSON;
                case "yaml":
                    return YAML;
                default:
                    throw new CommandLine.TypeConversionException("must be table, json or yaml, got '" + value + "'");
            }
        }
    }
}
