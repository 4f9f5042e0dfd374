/**
 * The SDK's machinery, not its API (it may change in any release): the HTTP calls of the client API
 * ({@link dev.ramp.sdk.internal.ServerConnection}), the event-stream reader, the backup file, usage counters,
 * the bounded event queue and reconnection back-off. {@link dev.ramp.sdk.RampClient} is built from these.
 */
package dev.ramp.sdk.internal;
