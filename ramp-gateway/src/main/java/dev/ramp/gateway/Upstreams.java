package dev.ramp.gateway;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/** Every upstream address the gateway has served, by address, so health and pools outlive config changes. */
final class Upstreams {
    private final ConcurrentHashMap<String, Upstream> byAddress = new ConcurrentHashMap<>();

    List<Upstream> of(List<String> addresses) {
        return addresses.stream().map(address -> byAddress.computeIfAbsent(address, Upstream::new)).toList();
    }

    java.util.Collection<Upstream> all() {
        return byAddress.values();
    }
}
