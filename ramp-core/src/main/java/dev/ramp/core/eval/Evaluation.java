package dev.ramp.core.eval;

import java.util.Objects;

/**
 * A typed evaluation's result: the value and how it was reached. Never thrown away silently: on error the
 * value is the caller's fallback and {@link #errorCode()} says why.
 *
 * @param value        the flag's value, or the fallback
 * @param variant      the served variant's name, {@code ""} when none
 * @param reason       why this value
 * @param errorCode    {@link ErrorCode#NONE} unless {@code reason} is {@link Reason#ERROR}
 * @param errorMessage a human-readable detail, {@code ""} when none
 */
public record Evaluation<T>(T value, String variant, Reason reason, ErrorCode errorCode, String errorMessage) {
    public Evaluation {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(variant, "variant");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(errorCode, "errorCode");
        Objects.requireNonNull(errorMessage, "errorMessage");
    }

    static <T> Evaluation<T> of(T value, String variant, Reason reason) {
        return new Evaluation<>(value, variant, reason, ErrorCode.NONE, "");
    }

    static <T> Evaluation<T> error(T fallback, ErrorCode code, String message) {
        return new Evaluation<>(fallback, "", Reason.ERROR, code, message);
    }
}
