package dev.ramp.sdk.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ramp.core.codec.ClientFeatures;
import dev.ramp.core.codec.CodecException;
import dev.ramp.core.codec.UnleashCodec;
import dev.ramp.core.flag.FlagSnapshot;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * The last good snapshot on disk, so that a client started while the server is unreachable evaluates what it
 * evaluated before. The file holds {@code {"format": "ramp-backup/1", "etag": ..., "changeId": ..., "features":
 * <the client features document>}}. It is written to a temporary file beside it, forced to disk and moved over
 * the old one in one step, so a crash leaves the old file or the new one, never half of either.
 */
public final class BackupFile {
    static final String FORMAT = "ramp-backup/1";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Path path;

    public BackupFile(Path path) {
        this.path = path;
    }

    public Path path() {
        return path;
    }

    /** What a backup holds. */
    public record Content(FlagSnapshot snapshot, String etag, long changeId) {}

    /**
     * The backup; empty when there is none.
     *
     * @throws IOException when it cannot be read or is not a valid backup (the caller goes on without it)
     */
    public Optional<Content> read() throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        try {
            JsonNode root = MAPPER.readTree(bytes);
            if (root == null || !FORMAT.equals(root.path("format").asText())) {
                throw new IOException(path + " is not a Ramp backup (" + FORMAT + ")");
            }
            ClientFeatures features = UnleashCodec.decodeFeatures(root.path("features"));
            return Optional.of(new Content(features.snapshot(), root.path("etag").asText(""),
                    Math.max(0, root.path("changeId").asLong(0))));
        } catch (JsonProcessingException | CodecException e) {
            throw new IOException(path + " is not a valid backup: " + e.getMessage(), e);
        }
    }

    /** Replaces the backup with {@code content}, atomically. */
    public void write(Content content) throws IOException {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("format", FORMAT);
        root.put("etag", content.etag());
        root.put("changeId", content.changeId());
        root.set("features", UnleashCodec.toJson(ClientFeatures.of(content.snapshot())));
        byte[] bytes = MAPPER.writeValueAsString(root).getBytes(StandardCharsets.UTF_8);
        Path directory = path.toAbsolutePath().getParent();
        Files.createDirectories(directory);
        Path temporary = Files.createTempFile(directory, path.getFileName().toString(), ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            try {
                Files.move(temporary, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, path, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }
}
