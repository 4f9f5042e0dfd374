package dev.ramp.sdk;

/**
 * What a client has counted and sent. Events are metric events ({@link RampClient#track}) and exposures; all
 * counts are since the client was built.
 *
 * @param evaluations    flag evaluations counted for usage metrics
 * @param metricsReports usage reports the server accepted
 * @param eventsQueued   events accepted into the queue
 * @param eventsSent     events the server accepted
 * @param eventsDropped  events lost: the queue was full, the server refused their batch, or they failed every retry
 * @param eventsNoUnit   events not queued because their context had neither a user id nor a session id
 */
public record UsageStats(long evaluations, long metricsReports, long eventsQueued, long eventsSent,
                         long eventsDropped, long eventsNoUnit) {}
