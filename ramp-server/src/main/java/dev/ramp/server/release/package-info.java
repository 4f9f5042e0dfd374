/**
 * The release controller: {@link dev.ramp.server.release.Releases} stores releases, feeds the pure
 * {@link dev.ramp.core.release.ReleaseMachine} ticks, measurements, gate answers and commands, persists each decision
 * before acting on it, and carries out its actions on routes and flags. Measurements read the gateways' reports, the
 * SDKs' metric events, a Prometheus server ({@link dev.ramp.server.release.PrometheusClient}) or any JSON endpoint,
 * and are judged with ramp-analysis: the sequential guardrail by default, fixed thresholds where asked.
 */
package dev.ramp.server.release;
