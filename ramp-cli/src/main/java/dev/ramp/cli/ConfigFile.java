package dev.ramp.cli;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The config file of the commands that talk to a server: a YAML mapping of {@code server} (a URL) and
 * {@code token} (an admin token), both optional. It lives at {@code $RAMP_CONFIG}, else
 * {@code $XDG_CONFIG_HOME/ramp/config.yaml}, else {@code ~/.config/ramp/config.yaml}; a missing file is an empty
 * one. Every problem names the file, the line and the field.
 *
 * @param path   where it was read from
 * @param server the server's URL; empty when the file has none
 * @param token  the admin token; empty when the file has none
 */
record ConfigFile(Path path, String server, String token) {
    static final String FIELDS = "server (a URL) and token";

    /** Where the config file is, as {@code environment} says. */
    static Path location(Map<String, String> environment) {
        String explicit = environment.getOrDefault("RAMP_CONFIG", "");
        if (!explicit.isEmpty()) {
            return Path.of(explicit);
        }
        String xdg = environment.getOrDefault("XDG_CONFIG_HOME", "");
        Path base = !xdg.isEmpty() ? Path.of(xdg)
                : Path.of(environment.getOrDefault("HOME", System.getProperty("user.home")), ".config");
        return base.resolve("ramp").resolve("config.yaml");
    }

    /** The file at {@code path}; empty when there is none. */
    static ConfigFile read(Path path) {
        String text;
        try {
            text = Files.readString(path);
        } catch (NoSuchFileException e) {
            return new ConfigFile(path, "", "");
        } catch (IOException e) {
            throw new Main.InputRejected(path + ": cannot be read: " + e.getMessage());
        }
        Map<String, String> fields = new LinkedHashMap<>();
        try (JsonParser parser = new YAMLFactory().createParser(text)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                return new ConfigFile(path, "", "");
            }
            if (first != JsonToken.START_OBJECT) {
                throw rejected(path, parser.currentTokenLocation(), "must be a mapping of " + FIELDS + ", got '"
                        + parser.getText() + "'");
            }
            for (JsonToken token = parser.nextToken(); token == JsonToken.FIELD_NAME; token = parser.nextToken()) {
                String field = parser.currentName();
                JsonLocation at = parser.currentTokenLocation();
                JsonToken value = parser.nextToken();
                if (!field.equals("server") && !field.equals("token")) {
                    throw rejected(path, at, field + ": unknown field; the fields are " + FIELDS);
                }
                if (fields.containsKey(field)) {
                    throw rejected(path, at, field + ": given twice");
                }
                if (value != JsonToken.VALUE_STRING) {
                    throw rejected(path, at, field + ": must be text, got "
                            + (value.isStructStart() ? "a " + (value == JsonToken.START_ARRAY ? "list" : "mapping")
                                    : "'" + parser.getText() + "'"));
                }
                String given = parser.getText().strip();
                if (field.equals("server")) {
                    checkUrl(path, at, given);
                }
                fields.put(field, given);
            }
            if (parser.nextToken() != null) {
                throw rejected(path, parser.currentTokenLocation(), "holds more than one document; it must be one mapping");
            }
        } catch (JsonProcessingException e) {
            String message = e.getOriginalMessage();
            int end = message.indexOf('\n');
            throw rejected(path, e.getLocation(), "not valid YAML: " + (end < 0 ? message : message.substring(0, end)).strip());
        } catch (IOException e) {
            throw new Main.InputRejected(path + ": cannot be read: " + e.getMessage());
        }
        return new ConfigFile(path, fields.getOrDefault("server", ""), fields.getOrDefault("token", ""));
    }

    /** This file with {@code field} set to {@code value}, written to its path (only its owner may read it). */
    ConfigFile with(String field, String value) {
        ConfigFile changed = field.equals("server") ? new ConfigFile(path, value, token) : new ConfigFile(path, server, value);
        StringBuilder text = new StringBuilder("# ramp's config file: see docs/cli.md\n");
        if (!changed.server.isEmpty()) {
            text.append("server: ").append(quoted(changed.server)).append('\n');
        }
        if (!changed.token.isEmpty()) {
            text.append("token: ").append(quoted(changed.token)).append('\n');
        }
        try {
            Path parent = path.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path written = Files.writeString(Files.createTempFile(parent, "config", ".yaml"), text);
            try {
                Files.setPosixFilePermissions(written, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // Not a POSIX file system: the file keeps the default permissions.
            }
            Files.move(written, path, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new Main.InputRejected(path + ": cannot be written: " + e.getMessage());
        }
        return changed;
    }

    /** {@code url} when it is an absolute http or https URL; a refusal names {@code source}. */
    static String checkUrl(String source, String url) {
        try {
            URI uri = new URI(url);
            if (uri.getHost() != null && ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
                return url;
            }
        } catch (URISyntaxException e) {
            // refused below
        }
        throw new Main.InputRejected(source + ": must be an http:// or https:// URL such as http://127.0.0.1:4242, got '"
                + url + "'");
    }

    private static void checkUrl(Path path, JsonLocation at, String url) {
        try {
            checkUrl("server", url);
        } catch (Main.InputRejected e) {
            throw rejected(path, at, e.getMessage());
        }
    }

    private static Main.InputRejected rejected(Path path, JsonLocation at, String problem) {
        return new Main.InputRejected(path + (at == null ? "" : ", line " + at.getLineNr()) + ": " + problem);
    }

    private static String quoted(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
