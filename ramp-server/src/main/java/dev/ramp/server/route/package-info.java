/**
 * Routes and the gateways that serve them. {@link dev.ramp.server.route.RouteRegistry} holds every route
 * ({@code kind: Route}, checked by {@link dev.ramp.core.route.RouteCheck}) and makes each change (create, replace,
 * delete, a canary's weight, a blue/green switch) the way flags change: versioned, audited, under the control plane's
 * lock, and then passed on as a new {@link dev.ramp.server.route.RouteConfig} to the gateways' stream.
 * {@link dev.ramp.server.route.GatewayReports} takes the traffic reports gateways post every second, bounds and
 * stores them, prunes those past the retention, and sums them per arm over a window
 * ({@link dev.ramp.server.route.RouteTraffic}) for admins and the release controller.
 */
package dev.ramp.server.route;
