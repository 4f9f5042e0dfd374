/**
 * Releases: the plan that moves a target (a gateway route, or a flag's rollout in one environment) to a new version
 * step by step, and the pure state machine that drives it. {@link dev.ramp.core.release.ReleaseDefinition} is the
 * {@code kind: Release} document; {@link dev.ramp.core.release.ReleaseCheck} lists everything wrong with one;
 * {@link dev.ramp.core.release.ReleasePlan} is its steps, with analyses resolved;
 * {@link dev.ramp.core.release.ReleaseMachine} turns a {@link dev.ramp.core.release.ReleaseState} and an
 * {@link dev.ramp.core.release.Observation} into a {@link dev.ramp.core.release.Decision}: the next state, the
 * {@link dev.ramp.core.release.Action}s to carry out and the {@link dev.ramp.core.release.TimelineEntry}s to record.
 * The server measures analyses, judges them (with ramp-analysis) and acts; nothing here does I/O or reads a clock.
 * {@link dev.ramp.core.release.WebhookSignature} signs the server's webhook calls and checks them for receivers.
 */
package dev.ramp.core.release;
