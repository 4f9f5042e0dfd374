/**
 * The SDK's machinery, not its API (it may change in any release): the HTTP calls of the client API
 * ({@link dev.ramp.sdk.internal.ServerConnection}), the event-stream reader, the backup file, usage counters,
 * the bounded event queue, reconnection back-off, and which flags two snapshots disagree on. {@link dev.ramp.sdk.RampClient} is built from these.
 */
package dev.ramp.sdk.internal;
