package dev.ramp.server.state;

import dev.ramp.server.model.FieldError;
import java.util.List;

/**
 * A request the server refuses, with what the client can do about it. The HTTP layer turns each {@link Kind} into
 * its status and a problem+json body.
 */
public final class Rejection extends RuntimeException {
    /** Why a request is refused. */
    public enum Kind {
        /** 400: the body or a parameter is wrong; {@link #errors()} names each field. */
        INVALID,
        /** 404: the resource does not exist. */
        NOT_FOUND,
        /** 409: the request conflicts with the state of another resource. */
        CONFLICT,
        /** 412: {@code If-Match} names a version that is no longer current. */
        STALE,
        /** 428: an update came without {@code If-Match}. */
        PRECONDITION_REQUIRED
    }

    private final Kind kind;
    private final List<FieldError> errors;

    private Rejection(Kind kind, String message, List<FieldError> errors) {
        super(message, null, false, false);
        this.kind = kind;
        this.errors = List.copyOf(errors);
    }

    public static Rejection invalid(List<FieldError> errors) {
        String summary = errors.size() == 1
                ? describe(errors.get(0))
                : errors.size() + " fields are invalid; the first: " + describe(errors.get(0));
        return new Rejection(Kind.INVALID, summary, errors);
    }

    public static Rejection invalid(String field, String reason) {
        return invalid(List.of(new FieldError(field, reason)));
    }

    public static Rejection notFound(String what) {
        return new Rejection(Kind.NOT_FOUND, what + " does not exist", List.of());
    }

    public static Rejection conflict(String message) {
        return new Rejection(Kind.CONFLICT, message, List.of());
    }

    public static Rejection stale(String what, long expected, long current) {
        return new Rejection(Kind.STALE, what + " is at version " + current + ", not " + expected
                + " as If-Match says: read it again and reapply your change", List.of());
    }

    public static Rejection preconditionRequired() {
        return new Rejection(Kind.PRECONDITION_REQUIRED,
                "send If-Match with the ETag you read, so that a concurrent change is not overwritten", List.of());
    }

    public Kind kind() {
        return kind;
    }

    public List<FieldError> errors() {
        return errors;
    }

    private static String describe(FieldError error) {
        return error.field().isEmpty() ? error.reason() : error.field() + ": " + error.reason();
    }
}
