/**
 * Ramp's gateway, the data plane: an HTTP/1.1 reverse proxy on Netty that splits each route between two arms.
 *
 * <p>The public API is small: {@link dev.ramp.gateway.Gateway} (start, {@code apply} routes atomically, metrics,
 * reports), {@link dev.ramp.gateway.GatewayLimits} (every limit on untrusted input), and the three things that
 * feed and watch a gateway: {@link dev.ramp.gateway.RouteFileWatcher} (standalone, a hot-reloaded YAML file read
 * by {@link dev.ramp.gateway.RouteFile}), {@link dev.ramp.gateway.ServerLink} (managed by a Ramp server) and
 * {@link dev.ramp.gateway.AdminServer} ({@code /metrics}, {@code /healthz}, {@code /routes}).
 *
 * <p>Inside, per connection: {@code RequestDecoder} (Netty's, made strict against smuggling), {@code ProxyHandler}
 * (checks, routes, chooses the arm) and one {@code Exchange} per request, which streams it to an upstream over a
 * pooled keep-alive connection of the same event loop ({@code UpstreamPool}) and the answer back. Routes compile
 * into an immutable {@code RouteTable} swapped in whole; {@code Upstream} keeps each address's health across
 * config changes; {@code ArmMetrics} counts per arm for {@code /metrics} and for the per-second reports.
 */
package dev.ramp.gateway;
