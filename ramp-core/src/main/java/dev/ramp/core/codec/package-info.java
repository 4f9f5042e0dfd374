/**
 * The Unleash client API JSON format, both ways: the {@code /api/client/features} response
 * ({@link dev.ramp.core.codec.ClientFeatures}) and the delta events of its streaming API. Decoding is lenient
 * where Unleash SDKs are (unknown fields are ignored, absent lists are empty) and strict about types, with
 * errors that name the JSON path ({@link dev.ramp.core.codec.CodecException}). Encoding writes the full form
 * an Unleash server writes, so every Unleash SDK reads it.
 */
package dev.ramp.core.codec;
