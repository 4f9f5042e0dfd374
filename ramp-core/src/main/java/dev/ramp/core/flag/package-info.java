/**
 * The flag model: immutable records for {@link dev.ramp.core.flag.Flag flags}, their
 * {@link dev.ramp.core.flag.Strategy strategies}, {@link dev.ramp.core.flag.Constraint constraints},
 * {@link dev.ramp.core.flag.Segment segments}, {@link dev.ramp.core.flag.Variant variants} and
 * {@link dev.ramp.core.flag.Dependency dependencies}, gathered into a {@link dev.ramp.core.flag.FlagSnapshot}
 * for one {@link dev.ramp.core.flag.Environment}.
 *
 * <p>The model follows the Unleash client API (specification v6.1.0) field for field, so that the codec in
 * {@code dev.ramp.core.codec} is a lossless translation and Unleash SDKs see exactly what Ramp's own SDK sees.
 * Every record validates itself in its compact constructor and copies the collections it is given. Optional
 * text is the empty string, never {@code null}; an absent payload is {@link dev.ramp.core.flag.Payload#NONE}.
 */
package dev.ramp.core.flag;
