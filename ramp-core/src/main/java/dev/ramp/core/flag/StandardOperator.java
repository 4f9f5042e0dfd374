package dev.ramp.core.flag;

/**
 * Every constraint operator of the Unleash client specification v6.1.0. {@code caseInsensitive} applies to the
 * {@code STR_*} operators and {@code REGEX}; {@code inverted} negates any of them.
 */
public enum StandardOperator implements Operator {
    /** The field's value is one of {@code values}. A missing field does not match. */
    IN,
    /** The field's value is none of {@code values}. A missing field matches. */
    NOT_IN,
    STR_STARTS_WITH,
    STR_ENDS_WITH,
    STR_CONTAINS,
    NUM_EQ,
    NUM_GT,
    NUM_GTE,
    NUM_LT,
    NUM_LTE,
    /** The field (usually {@code currentTime}) is strictly after the RFC 3339 instant in {@code value}. */
    DATE_AFTER,
    /** The field (usually {@code currentTime}) is strictly before the RFC 3339 instant in {@code value}. */
    DATE_BEFORE,
    /** Strict SemVer 2.0 comparisons: {@code v1.0.0} is not a version. */
    SEMVER_EQ,
    SEMVER_GT,
    SEMVER_GTE,
    SEMVER_LT,
    SEMVER_LTE,
    /** An RE2 pattern in {@code value}, searched for anywhere in the field. */
    REGEX,
    /** The field is an IPv4 or IPv6 address inside one of the CIDR blocks (or equal to one of the addresses) in {@code values}. */
    IN_CIDR;

    @Override
    public String wireName() {
        return name();
    }
}
