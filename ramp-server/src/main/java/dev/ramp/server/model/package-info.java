/**
 * The admin API's resources as stored and as sent over {@code /api/v1}: a {@link dev.ramp.server.model.FlagDefinition}
 * holds one flag's settings in every environment; {@link dev.ramp.server.model.FlagDefinition#inEnvironment} projects it
 * onto the one-environment {@link dev.ramp.core.flag.Flag} that SDKs evaluate. Optional fields default when absent
 * ({@code ""}, {@code false}, empty lists); {@link dev.ramp.server.model.Validation} says what a request got wrong.
 */
package dev.ramp.server.model;
