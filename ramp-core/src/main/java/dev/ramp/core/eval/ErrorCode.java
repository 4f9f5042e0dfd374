package dev.ramp.core.eval;

/** What went wrong when {@link Reason#ERROR} is the reason; the names are OpenFeature's. */
public enum ErrorCode {
    /** No error. */
    NONE,
    /** The snapshot has no flag of that name. */
    FLAG_NOT_FOUND,
    /** The variant's payload is not of the requested type. */
    TYPE_MISMATCH,
    /** The variant's payload has the requested type but cannot be read as it. */
    PARSE_ERROR,
    /** An unexpected failure inside the evaluator; it is reported, never thrown. */
    GENERAL
}
