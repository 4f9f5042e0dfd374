package dev.ramp.cli.demo;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Simulated users checking out through the gateway: {@code rate} requests a second, each from one of
 * {@code users} users (named in {@link SyntheticService#USER_HEADER}, so a user keeps its arm), until
 * {@code maxRequests} have been sent or it is closed.
 */
final class LoadGenerator implements AutoCloseable {
    /** What the load has seen so far. */
    record Counts(long sent, long succeeded, long failed) {}

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "ramp-demo-load");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong succeeded = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();

    LoadGenerator(URI target, int rate, int users, long maxRequests, long seed) {
        Random random = new Random(seed);
        pacer.scheduleAtFixedRate(() -> {
            if (sent.get() >= maxRequests) {
                return;
            }
            sent.incrementAndGet();
            HttpRequest request = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(5))
                    .header(SyntheticService.USER_HEADER, "user-" + random.nextInt(users)).build();
            http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
                if (error == null && response.statusCode() / 100 == 2) {
                    succeeded.incrementAndGet();
                } else {
                    failed.incrementAndGet();
                }
            });
        }, 0, 1_000_000L / rate, TimeUnit.MICROSECONDS);
    }

    Counts counts() {
        return new Counts(sent.get(), succeeded.get(), failed.get());
    }

    @Override
    public void close() throws InterruptedException {
        pacer.shutdownNow();
        pacer.awaitTermination(5, TimeUnit.SECONDS);
    }
}
