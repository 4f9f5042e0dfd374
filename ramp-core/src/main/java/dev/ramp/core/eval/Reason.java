package dev.ramp.core.eval;

/** Why an evaluation returned its value; the names are OpenFeature's. */
public enum Reason {
    /** The flag is on for everyone: enabled with no strategies. */
    STATIC,
    /** A strategy matched the context (or a variant override did). */
    TARGETING_MATCH,
    /** The value came from a weighted variant split. */
    SPLIT,
    /** The flag is enabled but no strategy matched, or it has no variant to serve: the fallback applies. */
    DEFAULT,
    /** The flag is switched off in this environment, or a dependency is not satisfied. */
    DISABLED,
    /** The flag could not be evaluated; see the {@link ErrorCode}. The fallback applies. */
    ERROR
}
