package dev.ramp.gateway;

import dev.ramp.core.route.RouteDefinition;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Active health checks: for each route that asks for them, a {@code GET} of its health path to each of its
 * upstreams every interval, on a thread of their own. An answer below 500 within the timeout passes. When a route
 * stops checking an upstream that no other route checks, the upstream is back in service as far as checks go.
 */
final class HealthChecks implements AutoCloseable {
    private final Proxy proxy;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "ramp-gateway-health");
        thread.setDaemon(true);
        return thread;
    });
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(scheduler).build();
    private final List<ScheduledFuture<?>> scheduled = new ArrayList<>();
    private Set<Upstream> checked = Set.of();

    HealthChecks(Proxy proxy) {
        this.proxy = proxy;
    }

    /** Checks what {@code table} asks for, instead of what the table before it asked for. */
    synchronized void watch(RouteTable table) {
        scheduled.forEach(future -> future.cancel(false));
        scheduled.clear();
        var nowChecked = new HashSet<Upstream>();
        for (CompiledRoute route : table.routes()) {
            RouteDefinition.Health policy = route.definition.health();
            if (!policy.enabled()) {
                continue;
            }
            for (ArmPool arm : route.arms()) {
                for (Upstream upstream : arm.upstreams) {
                    if (nowChecked.add(upstream)) {
                        long every = policy.intervalDuration().toMillis();
                        scheduled.add(scheduler.scheduleWithFixedDelay(() -> check(upstream, policy), 0, every, TimeUnit.MILLISECONDS));
                    }
                }
            }
        }
        for (Upstream upstream : checked) {
            if (!nowChecked.contains(upstream)) {
                upstream.clearChecks();
            }
        }
        checked = Set.copyOf(nowChecked);
    }

    private void check(Upstream upstream, RouteDefinition.Health policy) {
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(URI.create("http://" + upstream.address() + policy.path()))
                    .timeout(policy.timeoutDuration())
                    .header("User-Agent", "ramp-gateway-health")
                    .GET().build();
        } catch (IllegalArgumentException e) {
            record(upstream, policy, false, e.getMessage());
            return;
        }
        client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, failure) -> {
            if (failure != null) {
                record(upstream, policy, false, failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage());
            } else {
                record(upstream, policy, response.statusCode() < 500, "status " + response.statusCode());
            }
        });
    }

    private void record(Upstream upstream, RouteDefinition.Health policy, boolean passed, String detail) {
        if (upstream.checked(passed, policy)) {
            proxy.event("upstream " + upstream + (passed ? " passes its health checks again" : " fails its health checks (" + detail + "); taken out"));
        }
    }

    @Override
    public synchronized void close() {
        scheduled.forEach(future -> future.cancel(false));
        scheduler.shutdownNow();
    }
}
