package dev.ramp.server.http;

import dev.ramp.server.model.FieldError;
import java.util.List;

/**
 * An RFC 9457 problem document: {@code type} is a URN naming the kind of problem, {@code detail} says what happened
 * to this request, and {@code errors} (for 400) names every field that was wrong and why.
 */
public record Problem(String type, String title, int status, String detail, List<FieldError> errors) {
    public static final String CONTENT_TYPE = "application/problem+json";

    public Problem {
        errors = List.copyOf(errors);
    }

    public static Problem of(int status, String slug, String title, String detail) {
        return new Problem("urn:ramp:problem:" + slug, title, status, detail, List.of());
    }

    public static Problem invalid(String detail, List<FieldError> errors) {
        return new Problem("urn:ramp:problem:invalid-request", "Invalid request", 400, detail, errors);
    }
}
