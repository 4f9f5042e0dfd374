package dev.ramp.sdk.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ramp.core.flag.Flag;
import dev.ramp.core.flag.FlagSnapshot;
import dev.ramp.core.flag.Strategy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackupFileTest {
    @TempDir
    Path directory;

    @Test
    void write_thenRead_givesTheSnapshotBack_andLeavesNoTemporaryFile() throws IOException {
        BackupFile backup = new BackupFile(directory.resolve("nested/backup.json"));
        FlagSnapshot snapshot = FlagSnapshot.of(List.of(
                Flag.of("checkout", true, List.of(Strategy.rollout(25, "userId", "checkout"))),
                Flag.of("banner", false, List.of())));

        backup.write(new BackupFile.Content(snapshot, "\"abc\"", 42));

        BackupFile.Content read = backup.read().orElseThrow();
        assertThat(read.etag()).isEqualTo("\"abc\"");
        assertThat(read.changeId()).isEqualTo(42);
        assertThat(read.snapshot().flags()).extracting(Flag::name).containsExactly("checkout", "banner");
        assertThat(read.snapshot().flag("checkout").orElseThrow().strategies().get(0).parameters()).containsEntry("rollout", "25");
        try (var files = Files.list(directory.resolve("nested"))) {
            assertThat(files).containsExactly(directory.resolve("nested/backup.json"));
        }
    }

    @Test
    void read_isEmptyWhenThereIsNoBackup() throws IOException {
        assertThat(new BackupFile(directory.resolve("none.json")).read()).isEmpty();
    }

    @Test
    void read_refusesACorruptOrForeignFile() throws IOException {
        Files.writeString(directory.resolve("cut.json"), "{\"format\":\"ramp-backup/1\",\"features\":{\"features\":[{\"na");
        Files.writeString(directory.resolve("other.json"), "{\"features\":[]}");

        assertThatThrownBy(() -> new BackupFile(directory.resolve("cut.json")).read())
                .isInstanceOf(IOException.class).hasMessageContaining("not a valid backup");
        assertThatThrownBy(() -> new BackupFile(directory.resolve("other.json")).read())
                .isInstanceOf(IOException.class).hasMessageContaining("not a Ramp backup");
    }
}
