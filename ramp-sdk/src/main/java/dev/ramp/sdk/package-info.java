/**
 * Ramp's Java SDK: {@link dev.ramp.sdk.RampClient} evaluates flags locally, in nanoseconds, on a snapshot kept
 * in sync with a Ramp server, and reports usage and metric events. Build one with
 * {@link dev.ramp.sdk.RampClient#builder()}; test with {@link dev.ramp.sdk.testing.TestRampClient}. The
 * machinery (HTTP, the event stream, the backup file, usage batching) lives in {@code dev.ramp.sdk.internal}.
 */
package dev.ramp.sdk;
