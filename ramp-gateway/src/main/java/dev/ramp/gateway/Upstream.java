package dev.ramp.gateway;

import dev.ramp.core.route.RouteDefinition;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One upstream address and what the gateway knows of its health, shared by every route and arm that lists it and
 * kept across config changes, so a reload neither forgets an ejection nor drops pooled connections. Touched by
 * every event loop and by the health checker: all state is atomic or volatile.
 *
 * <p>Passive ejection: {@code consecutiveFailures} failures in a row take the upstream out for the route's base
 * time, doubled at each ejection in a row up to its maximum; it is re-admitted when the time is up, and a success
 * resets both counts. Active checks, when a route has them, take it out and put it back on their own thresholds.
 * An upstream serves when neither holds it out.
 */
final class Upstream {
    private final String address;
    private final InetSocketAddress socketAddress;
    private final AtomicInteger outstanding = new AtomicInteger();
    private final AtomicInteger consecutiveFailures = new AtomicInteger();
    private final AtomicInteger ejectionsInARow = new AtomicInteger();
    /** When the current ejection ends, by {@code System.nanoTime}; 0 when the upstream was never ejected. */
    private volatile long ejectedUntilNanos;
    private volatile boolean passingChecks = true;
    private int checkFailures;
    private int checkPasses;

    Upstream(String address) {
        this.address = address;
        int colon = address.lastIndexOf(':');
        String host = address.substring(0, colon);
        if (host.startsWith("[")) {
            host = host.substring(1, host.length() - 1);
        }
        this.socketAddress = InetSocketAddress.createUnresolved(host, Integer.parseInt(address.substring(colon + 1)));
    }

    String address() {
        return address;
    }

    InetSocketAddress socketAddress() {
        return socketAddress;
    }

    /** Whether the upstream takes requests at {@code nowNanos}. */
    boolean available(long nowNanos) {
        return passingChecks && !ejected(nowNanos);
    }

    boolean ejected(long nowNanos) {
        long until = ejectedUntilNanos;
        return until != 0 && nowNanos - until < 0;
    }

    boolean passingChecks() {
        return passingChecks;
    }

    int outstanding() {
        return outstanding.get();
    }

    void started() {
        outstanding.incrementAndGet();
    }

    void finished() {
        outstanding.decrementAndGet();
    }

    void succeeded() {
        if (consecutiveFailures.get() != 0) {
            consecutiveFailures.set(0);
        }
        if (ejectionsInARow.get() != 0) {
            ejectionsInARow.set(0);
        }
    }

    /**
     * Counts a failure under {@code policy}; returns how long the upstream is now ejected for in nanoseconds, or 0
     * when it is not ejected by this failure. Failures while it is ejected (requests it held when it went) do not
     * count. Event loops fail requests on one upstream at once when it dies: one at a time here, a burst ejects it
     * once (two that both saw the limit reached had ejected it twice, doubling its time).
     */
    synchronized long failed(long nowNanos, RouteDefinition.Ejection policy) {
        int limit = policy.consecutiveFailures();
        if (limit == 0 || ejected(nowNanos)) {
            // Requests that were in flight when the upstream was ejected fail too; they are not new evidence.
            return 0;
        }
        if (consecutiveFailures.incrementAndGet() < limit) {
            return 0;
        }
        consecutiveFailures.set(0);
        int ejections = ejectionsInARow.incrementAndGet();
        long base = policy.baseDuration().toNanos();
        long max = policy.maxDuration().toNanos();
        long time = ejections > 30 ? max : Math.min(max, base << Math.min(ejections - 1, 30));
        ejectedUntilNanos = nowNanos + time;
        return time;
    }

    /** Counts one active check; returns true when the upstream's state changed. Called by the checker only. */
    synchronized boolean checked(boolean passed, RouteDefinition.Health policy) {
        if (passed) {
            checkFailures = 0;
            if (!passingChecks && ++checkPasses >= policy.healthyAfter()) {
                passingChecks = true;
                checkPasses = 0;
                return true;
            }
        } else {
            checkPasses = 0;
            if (passingChecks && ++checkFailures >= policy.unhealthyAfter()) {
                passingChecks = false;
                checkFailures = 0;
                return true;
            }
        }
        return false;
    }

    /** Back in service, as when its route stops checking it actively. */
    synchronized void clearChecks() {
        passingChecks = true;
        checkFailures = 0;
        checkPasses = 0;
    }

    @Override
    public String toString() {
        return address;
    }
}
