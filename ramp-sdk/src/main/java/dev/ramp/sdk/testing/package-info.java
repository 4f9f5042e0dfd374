/**
 * Support for users' unit tests: {@link dev.ramp.sdk.testing.TestRampClient} is a {@link dev.ramp.sdk.RampClient}
 * over flags the test sets, evaluated by the real evaluator, with no server and no thread.
 */
package dev.ramp.sdk.testing;
