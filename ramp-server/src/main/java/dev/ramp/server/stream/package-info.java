/**
 * Server-sent-event streams. {@link dev.ramp.server.stream.ChangeFeed} keeps the recent
 * {@link dev.ramp.server.state.Update}s and the connected {@link dev.ramp.server.stream.Subscriber}s, and turns each
 * update into Unleash delta events (server-sent events {@code unleash-connected} and {@code unleash-updated},
 * {@code id:} the change id) for each subscriber's environment. {@link dev.ramp.server.stream.RouteFeed} sends
 * gateways every route ({@code event: routes}) on connect and after each route change. Both write through a
 * {@code Broadcast}: a small pool writes to the streams, one stream at a time each, so a slow client delays only
 * itself; one that falls too far behind is disconnected (an SDK resumes with {@code Last-Event-ID}, a gateway gets
 * every route again); every stream gets a {@code :keep-alive} comment each heartbeat.
 */
package dev.ramp.server.stream;
