package dev.ramp.server.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ramp.server.auth.Principal;
import dev.ramp.server.auth.TokenRegistry;
import dev.ramp.server.model.FlagDefinition;
import dev.ramp.server.store.FlagStore;
import dev.ramp.server.store.SqliteFlagStore;
import dev.ramp.server.stream.ChangeFeed;
import dev.ramp.server.stream.Subscriber;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The change feed against a real control plane and store, including the moments between commit and publish. */
class ChangeFeedTest {
    private static final InstantSource CLOCK = InstantSource.fixed(Instant.parse("2026-12-01T10:00:00Z"));

    @TempDir
    Path directory;

    FlagStore store;
    ChangeFeed feed;
    ControlPlane plane;
    /** What runs between the catalog moving forward and the feed hearing of it; by default, nothing. */
    Consumer<Update> inTheGap = update -> { };

    @BeforeEach
    void start() {
        store = SqliteFlagStore.open(directory);
        Catalog catalog = Catalog.load(store, CLOCK, () -> new SplittableRandom(1));
        feed = new ChangeFeed(catalog::current, 100, 100, 2, 60_000);
        plane = new ControlPlane(store, catalog, new TokenRegistry(List.of()), CLOCK, new SplittableRandom(1), update -> {
            inTheGap.accept(update);
            feed.accept(update);
        });
        plane.createDefaultEnvironments();
    }

    @AfterEach
    void stop() {
        feed.close();
        store.close();
    }

    @Test
    void resume_whileAChangeIsCommittedButNotYetPublished_stillDeliversThatChange() throws Exception {
        long lastSeen = plane.current().lastChangeId();
        Frames frames = new Frames();
        inTheGap = update -> feed.subscribe(frames, OptionalLong.of(lastSeen));

        plane.createFlag(Principal.SYSTEM, FlagDefinition.named("raced"));

        assertThat(frames.next()).startsWith("id: " + lastSeen + "\nevent: unleash-connected\ndata: {\"events\":[]}");
        assertThat(frames.next()).startsWith("id: " + (lastSeen + 1) + "\nevent: unleash-updated").contains("\"raced\"");
    }

    @Test
    void connect_whileAChangeIsCommittedButNotYetPublished_getsItOnceInTheHydration() throws Exception {
        Frames frames = new Frames();
        inTheGap = update -> feed.subscribe(frames, OptionalLong.empty());

        plane.createFlag(Principal.SYSTEM, FlagDefinition.named("raced"));
        inTheGap = update -> { };
        plane.createFlag(Principal.SYSTEM, FlagDefinition.named("after"));

        assertThat(frames.next()).contains("unleash-connected", "hydration", "\"raced\"");
        String next = frames.next();
        assertThat(next).contains("\"after\"").doesNotContain("\"raced\"");
    }

    /** Frames a subscriber received, in order. */
    private static final class Frames implements Subscriber {
        private final BlockingQueue<String> frames = new LinkedBlockingQueue<>();

        @Override
        public String environment() {
            return "production";
        }

        @Override
        public void write(byte[] frame) {
            frames.add(new String(frame, StandardCharsets.UTF_8));
        }

        @Override
        public void close() {
            frames.add("closed");
        }

        String next() throws InterruptedException {
            String frame = frames.poll(10, TimeUnit.SECONDS);
            assertThat(frame).as("a frame within 10 seconds").isNotNull();
            return frame;
        }
    }
}
