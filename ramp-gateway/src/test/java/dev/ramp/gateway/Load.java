package dev.ramp.gateway;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * A bounded load: {@code threads} clients, each sending one request after another, until {@code total} requests
 * have been answered. Counts answers by the arm that gave them and failures by kind.
 */
final class Load implements AutoCloseable {
    final AtomicInteger done = new AtomicInteger();
    final ConcurrentHashMap<String, LongAdder> byArm = new ConcurrentHashMap<>();
    final ConcurrentHashMap<String, LongAdder> failures = new ConcurrentHashMap<>();
    private final ExecutorService threads;
    private final int total;

    Load(URI target, int threadCount, int total) {
        this.total = total;
        this.threads = Executors.newFixedThreadPool(threadCount);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        for (int t = 0; t < threadCount; t++) {
            threads.execute(() -> {
                while (done.get() < total) {
                    try {
                        HttpResponse<String> response = client.send(HttpRequest.newBuilder(target).build(), HttpResponse.BodyHandlers.ofString());
                        if (response.statusCode() == 200) {
                            byArm.computeIfAbsent(GatewayFixture.arm(response), k -> new LongAdder()).increment();
                        } else {
                            failures.computeIfAbsent(String.valueOf(response.statusCode()), k -> new LongAdder()).increment();
                        }
                    } catch (Exception e) {
                        if (e instanceof InterruptedException) {
                            return;
                        }
                        failures.computeIfAbsent(e.getClass().getSimpleName(), k -> new LongAdder()).increment();
                    }
                    done.incrementAndGet();
                }
            });
        }
    }

    long failed() {
        return failures.values().stream().mapToLong(LongAdder::sum).sum();
    }

    long answeredBy(String arm) {
        LongAdder adder = byArm.get(arm);
        return adder == null ? 0 : adder.sum();
    }

    /** Waits for the load to finish. */
    void finish() throws InterruptedException {
        threads.shutdown();
        if (!threads.awaitTermination(2, TimeUnit.MINUTES)) {
            throw new AssertionError("the load did not finish: " + done.get() + " of " + total);
        }
    }

    @Override
    public void close() {
        threads.shutdownNow();
    }
}
