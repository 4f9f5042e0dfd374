package dev.ramp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which exit code a server's refusal ends a command with: the input's fault (1) or the server's (6). */
class ExitCodeTest {
    @Test
    void refusal_ofTheInput_exitsOne_andTheServersFailure_exitsUnavailable() {
        assertThat(new ServerConnection.Refused(409, "taken", List.of()).exitCode()).isEqualTo(Main.INPUT_REJECTED);
        assertThat(new ServerConnection.Refused(503, "draining", List.of()).exitCode()).isEqualTo(Main.UNAVAILABLE);
        assertThat(DocumentFile.rejected("f.yaml", new ServerConnection.Refused(500, "boom", List.of())).exitCode())
                .isEqualTo(Main.UNAVAILABLE);
    }
}
