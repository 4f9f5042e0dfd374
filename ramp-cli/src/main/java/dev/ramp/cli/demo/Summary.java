package dev.ramp.cli.demo;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * What the demo did, as {@code --summary-json} writes it.
 *
 * @param dashboard    the dashboard's URL
 * @param releases     every release, in the order they ran
 * @param requests     requests the load sent through the gateway
 * @param failed       of those, the ones answered with an error (or not at all)
 * @param seconds      from the story's start to the last release's end
 */
public record Summary(String dashboard, List<Verdict> releases, long requests, long failed, double seconds) {
    public Summary {
        releases = List.copyOf(releases);
    }

    /** Whether every release ended as the story expects. */
    @JsonProperty("asExpected")
    public boolean asExpected() {
        return releases.stream().allMatch(Verdict::asExpected);
    }
}
