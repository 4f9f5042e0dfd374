package dev.ramp.server.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ramp.core.route.RouteDefinition;
import dev.ramp.server.route.RouteConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RouteFeedTest {
    private static final RouteDefinition CHECKOUT = new RouteDefinition("checkout", null, null, List.of(
            new RouteDefinition.Arm("stable", List.of("127.0.0.1:9101"), null),
            new RouteDefinition.Arm("canary", List.of("127.0.0.1:9102"), null)), 5, null, null, null, null, null, null,
            null, null, null);

    /** Quiet unless a test asks for heartbeats. */
    private RouteFeed feed = new RouteFeed(100, 1, 60_000);

    @AfterEach
    void close() {
        feed.close();
    }

    @Test
    void subscribe_getsTheCurrentRoutes_thenEachNewerVersionOnce() throws Exception {
        feed.accept(new RouteConfig(3, List.of(CHECKOUT)));
        Frames frames = new Frames();
        feed.subscribe(frames);

        assertThat(frames.next()).startsWith("id: 3\nevent: routes\ndata: {\"version\":3,\"routes\":[{\"name\":\"checkout\"")
                .endsWith("}]}\n\n");
        feed.accept(new RouteConfig(3, List.of()));
        feed.accept(new RouteConfig(7, List.of(CHECKOUT.withWeight(50))));
        assertThat(frames.next()).startsWith("id: 7\nevent: routes\n").contains("\"weight\":50");
    }

    @Test
    void idleStream_getsKeepAliveComments_andCloseEndsIt() throws Exception {
        feed.close();
        feed = new RouteFeed(100, 1, 20);
        Frames frames = new Frames();
        feed.subscribe(frames);
        assertThat(frames.next()).startsWith("id: 0\nevent: routes\ndata: {\"version\":0,\"routes\":[]}");

        assertThat(frames.next()).isEqualTo(":keep-alive\n\n");
        feed.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> frames.closed);
        assertThat(feed.connections()).isZero();
    }

    /** A stream that keeps what it was sent. */
    private static final class Frames implements FrameSink {
        private final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
        volatile boolean closed;

        @Override
        public void write(byte[] frame) {
            frames.add(new String(frame, StandardCharsets.UTF_8));
        }

        @Override
        public void close() {
            closed = true;
        }

        String next() throws InterruptedException {
            String frame = frames.poll(10, TimeUnit.SECONDS);
            assertThat(frame).as("a frame within 10 seconds").isNotNull();
            return frame;
        }
    }
}
