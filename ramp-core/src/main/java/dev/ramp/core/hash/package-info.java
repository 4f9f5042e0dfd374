/**
 * Ramp's one assignment hash, shared by the evaluator, the server and the gateway so that a unit lands in the
 * same bucket wherever it is split. See {@link dev.ramp.core.hash.Bucketing}.
 */
package dev.ramp.core.hash;
