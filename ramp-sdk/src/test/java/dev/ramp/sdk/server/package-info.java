/** A real Ramp server for the SDK's and the OpenFeature provider's integration tests. */
package dev.ramp.sdk.server;
