/**
 * Change streams: {@link dev.ramp.server.stream.ChangeFeed} keeps the recent {@link dev.ramp.server.state.Update}s
 * and the connected {@link dev.ramp.server.stream.Subscriber}s, and turns each update into Unleash delta events
 * (server-sent events {@code unleash-connected} and {@code unleash-updated}, {@code id:} the change id) for each
 * subscriber's environment. Writes to subscribers happen on a small pool, one subscriber at a time each, so a slow
 * client delays only itself; one that falls too far behind is disconnected and resumes with {@code Last-Event-ID}.
 */
package dev.ramp.server.stream;
