package dev.ramp.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** Shows the demo as it goes: {@code ramp demo} prints it on the terminal; a test may record it. */
public interface Narrator {
    /** The stack is up: where the dashboard is, the admin token that signs in to it, and where the gateway serves. */
    void started(String dashboard, String adminToken, String gateway);

    /** A chapter of the story begins with a release; {@code story} says what it shows. */
    void chapter(String title, String story);

    /** A release as it is now, with the timeline entries decided since the last call (oldest first). */
    void progress(JsonNode release, List<JsonNode> entries);

    /** A release has ended. */
    void ended(Verdict verdict);
}
