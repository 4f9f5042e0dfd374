/**
 * Routes: how the gateway splits traffic between the two arms of a service. {@link dev.ramp.core.route.RouteDefinition}
 * is the document users write ({@code kind: Route}, YAML or JSON), read alike by the gateway's standalone file and
 * the server's API; {@link dev.ramp.core.route.RouteCheck} lists everything wrong with one, field by field;
 * {@link dev.ramp.core.route.TrafficSplit} decides a unit's arm with {@link dev.ramp.core.hash.Bucketing}, the same
 * bucket a flag rollout of the same group and percentage uses. {@link dev.ramp.core.route.ArmReport} is what a
 * gateway reports about each arm every second. Pure: no I/O, clock or threads.
 */
package dev.ramp.core.route;
