package dev.ramp.sdk.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ramp.core.eval.Context;
import dev.ramp.core.flag.Payload;
import dev.ramp.core.flag.Variant;
import dev.ramp.sdk.RampListener;
import dev.ramp.sdk.SnapshotVersion;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TestRampClientTest {
    private final TestRampClient ramp = TestRampClient.create();

    @Test
    void enableAndDisable_switchAFlagForEveryone() {
        ramp.enable("checkout");
        assertThat(ramp.isEnabled("checkout", Context.ofUser("a"))).isTrue();

        ramp.disable("checkout");
        assertThat(ramp.isEnabled("checkout", Context.ofUser("a"))).isFalse();
        assertThat(ramp.evaluateBoolean("checkout", Context.empty(), true).reason().name()).isEqualTo("DISABLED");
    }

    @Test
    void rollout_letsInAboutItsShareOfUsers_stickily() {
        ramp.rollout("search", 30);

        long in = IntStream.range(0, 10_000).filter(i -> ramp.isEnabled("search", Context.ofUser("user-" + i))).count();

        assertThat(in).isBetween(2_800L, 3_200L);
        assertThat(ramp.isEnabled("search", Context.ofUser("user-1"))).isEqualTo(ramp.isEnabled("search", Context.ofUser("user-1")));
    }

    @Test
    void variants_areServedWithTheirPayloads() {
        ramp.variants("button", Variant.of("blue", 1000).withPayload(Payload.of("string", "#00f")));

        assertThat(ramp.variant("button", Context.ofUser("a")).name()).isEqualTo("blue");
        assertThat(ramp.evaluateString("button", Context.ofUser("a"), "none").value()).isEqualTo("#00f");
    }

    @Test
    void changes_reachListenersWithTheFlagsThatChanged() {
        List<Set<String>> changes = new CopyOnWriteArrayList<>();
        ramp.addListener(new RampListener() {
            @Override
            public void onChanged(SnapshotVersion version, Set<String> flags) {
                changes.add(flags);
            }
        });

        ramp.enable("a").enable("b").enable("b").remove("a");

        assertThat(changes).containsExactly(Set.of("a"), Set.of("b"), Set.of("a"));
    }

    @Test
    void track_recordsEventsWithTheirUnit() {
        ramp.track("purchase", Context.ofUser("user-1"), 12.5);
        ramp.track("visit", Context.builder().sessionId("s-1").build());

        assertThat(ramp.tracked()).containsExactly(
                new TestRampClient.Tracked("purchase", "user-1", 12.5),
                new TestRampClient.Tracked("visit", "s-1", 1.0));
    }

    @Test
    void load_takesAnUnleashFeaturesDocument() {
        ramp.load("{\"version\":2,\"features\":[{\"name\":\"checkout\",\"enabled\":true,\"strategies\":[{\"name\":\"userWithId\","
                + "\"parameters\":{\"userIds\":\"alice\"}}]}]}");

        assertThat(ramp.isEnabled("checkout", Context.ofUser("alice"))).isTrue();
        assertThat(ramp.isEnabled("checkout", Context.ofUser("bob"))).isFalse();
    }
}
