package dev.ramp.core.eval;

import java.util.Optional;

/**
 * A strict Semantic Versioning 2.0.0 version (semver.org): {@code MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD]} with no
 * leading zeros and no {@code v} prefix, each number an unsigned 64-bit integer, as Unleash's engine (the Rust
 * {@code semver} crate) reads it. Precedence follows semver.org §11: the numeric triple, then a release above
 * any of its pre-releases, then pre-release identifiers one by one (numeric ones numerically and below
 * alphanumeric ones, which compare in ASCII order; a shorter list of equal identifiers is lower). Like the
 * {@code semver} crate, and unlike semver.org's precedence, build metadata then breaks ties the same way (none
 * is lowest), so {@code 1.0.0+b} is not equal to {@code 1.0.0}: Ramp and Unleash SDKs must agree.
 */
record SemVer(long major, long minor, long patch, String[] preRelease, String[] build) implements Comparable<SemVer> {
    /** Longer text is not read as a version. */
    static final int MAX_LENGTH = 256;

    static Optional<SemVer> parse(String text) {
        if (text == null || text.isEmpty() || text.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        int plus = text.indexOf('+');
        String core = plus < 0 ? text : text.substring(0, plus);
        if (plus >= 0 && !validIdentifiers(text.substring(plus + 1), false)) {
            return Optional.empty();
        }
        String[] build = plus < 0 ? new String[0] : text.substring(plus + 1).split("\\.", -1);
        int dash = core.indexOf('-');
        String numbers = dash < 0 ? core : core.substring(0, dash);
        String[] pre = new String[0];
        if (dash >= 0) {
            String preText = core.substring(dash + 1);
            if (!validIdentifiers(preText, true)) {
                return Optional.empty();
            }
            pre = preText.split("\\.", -1);
        }
        String[] parts = numbers.split("\\.", -1);
        if (parts.length != 3) {
            return Optional.empty();
        }
        long[] triple = new long[3];
        for (int i = 0; i < 3; i++) {
            if (!isNumeric(parts[i]) || (parts[i].length() > 1 && parts[i].charAt(0) == '0') || parts[i].length() > 20) {
                return Optional.empty();
            }
            try {
                triple[i] = Long.parseUnsignedLong(parts[i]);
            } catch (NumberFormatException beyondSixtyFourBits) {
                return Optional.empty();
            }
        }
        return Optional.of(new SemVer(triple[0], triple[1], triple[2], pre, build));
    }

    private static boolean validIdentifiers(String text, boolean preRelease) {
        if (text.isEmpty()) {
            return false;
        }
        for (String identifier : text.split("\\.", -1)) {
            if (identifier.isEmpty()) {
                return false;
            }
            for (int i = 0; i < identifier.length(); i++) {
                char c = identifier.charAt(i);
                if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '-')) {
                    return false;
                }
            }
            if (preRelease && isNumeric(identifier) && identifier.length() > 1 && identifier.charAt(0) == '0') {
                return false;
            }
        }
        return true;
    }

    private static boolean isNumeric(String text) {
        if (text.isEmpty()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    @Override
    public int compareTo(SemVer other) {
        int result = Long.compareUnsigned(major, other.major);
        if (result == 0) {
            result = Long.compareUnsigned(minor, other.minor);
        }
        if (result == 0) {
            result = Long.compareUnsigned(patch, other.patch);
        }
        if (result != 0) {
            return result;
        }
        if (preRelease.length == 0 || other.preRelease.length == 0) {
            result = Integer.compare(other.preRelease.length == 0 ? 0 : 1, preRelease.length == 0 ? 0 : 1);
        } else {
            result = compareIdentifiers(preRelease, other.preRelease);
        }
        return result != 0 ? result : compareIdentifiers(build, other.build);
    }

    /** Identifier by identifier; a list that runs out first is lower (so no build metadata is lowest). */
    private static int compareIdentifiers(String[] left, String[] right) {
        for (int i = 0; i < Math.min(left.length, right.length); i++) {
            int result = compareIdentifier(left[i], right[i]);
            if (result != 0) {
                return result;
            }
        }
        return Integer.compare(left.length, right.length);
    }

    private static int compareIdentifier(String left, String right) {
        boolean leftNumeric = isNumeric(left);
        boolean rightNumeric = isNumeric(right);
        if (leftNumeric && rightNumeric) {
            int byLength = Integer.compare(left.length(), right.length());
            return byLength != 0 ? byLength : left.compareTo(right);
        }
        if (leftNumeric != rightNumeric) {
            return leftNumeric ? -1 : 1;
        }
        return left.compareTo(right);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SemVer that && compareTo(that) == 0;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(major, minor, patch, java.util.Arrays.hashCode(preRelease), java.util.Arrays.hashCode(build));
    }

    @Override
    public String toString() {
        return Long.toUnsignedString(major) + "." + Long.toUnsignedString(minor) + "." + Long.toUnsignedString(patch)
                + (preRelease.length == 0 ? "" : "-" + String.join(".", preRelease))
                + (build.length == 0 ? "" : "+" + String.join(".", build));
    }
}
