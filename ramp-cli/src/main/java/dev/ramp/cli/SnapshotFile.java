package dev.ramp.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ramp.core.codec.CodecException;
import dev.ramp.core.codec.UnleashCodec;
import dev.ramp.core.flag.FlagSnapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads a flag snapshot from a file in either Unleash client format: a {@code /api/client/features} body, or a
 * delta body ({@code {"events": [...]}}) applied from empty.
 */
final class SnapshotFile {
    /** Larger files are refused rather than read into memory. */
    static final long MAX_BYTES = 64L * 1024 * 1024;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private SnapshotFile() {}

    static FlagSnapshot read(Path file) {
        JsonNode root;
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new Main.InputRejected(file + ": larger than " + MAX_BYTES / (1024 * 1024) + " MiB");
            }
            root = MAPPER.readTree(file.toFile());
        } catch (NoSuchFileException e) {
            throw new Main.InputRejected(file + ": no such file");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new Main.InputRejected(file + ": not valid JSON: " + e.getOriginalMessage()
                    + " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")");
        } catch (IOException e) {
            throw new Main.InputRejected(file + ": cannot be read: " + e.getMessage());
        }
        if (root == null || root.isMissingNode()) {
            throw new Main.InputRejected(file + ": empty file");
        }
        try {
            if (root.isObject() && root.has("events") && !root.has("features")) {
                return FlagSnapshot.empty().apply(UnleashCodec.decodeDelta(root));
            }
            return UnleashCodec.decodeFeatures(root).snapshot();
        } catch (CodecException e) {
            throw new Main.InputRejected(file + ": " + e.getMessage());
        }
    }
}
