package dev.ramp.server.model;

/**
 * What is wrong with one field of a request.
 *
 * @param field  the path from the body's root, for example {@code strategies[0].constraints[1].value}; {@code ""}
 *               for the body itself
 * @param reason why it is refused, in words a user can act on
 */
public record FieldError(String field, String reason) {}
