/**
 * The OpenFeature provider for Ramp: {@link dev.ramp.openfeature.RampProvider} lets applications written against
 * {@code dev.openfeature:sdk} evaluate Ramp flags locally through a {@link dev.ramp.sdk.RampClient}.
 */
package dev.ramp.openfeature;
