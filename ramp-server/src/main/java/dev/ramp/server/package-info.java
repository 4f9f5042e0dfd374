/**
 * The Ramp control plane. {@link dev.ramp.server.RampServer} wires the store, the in-memory catalog, the control
 * plane, the change feed and the HTTP API together; {@code ramp server} runs one.
 */
package dev.ramp.server;
