package dev.ramp.core.eval;

import java.util.Optional;

/**
 * A strict Semantic Versioning 2.0.0 version (semver.org): {@code MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD]} with no
 * leading zeros and no {@code v} prefix, as Unleash's engine reads it. Precedence follows semver.org §11: the
 * numeric triple, then a release above any of its pre-releases, then pre-release identifiers one by one
 * (numeric ones numerically and below alphanumeric ones, which compare in ASCII order; a shorter list of equal
 * identifiers is lower). Build metadata does not take part.
 */
record SemVer(long major, long minor, long patch, String[] preRelease) implements Comparable<SemVer> {

    static Optional<SemVer> parse(String text) {
        if (text == null || text.isEmpty()) {
            return Optional.empty();
        }
        int plus = text.indexOf('+');
        String core = plus < 0 ? text : text.substring(0, plus);
        if (plus >= 0 && !validIdentifiers(text.substring(plus + 1), false)) {
            return Optional.empty();
        }
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
            if (!isNumeric(parts[i]) || (parts[i].length() > 1 && parts[i].charAt(0) == '0') || parts[i].length() > 18) {
                return Optional.empty();
            }
            triple[i] = Long.parseLong(parts[i]);
        }
        return Optional.of(new SemVer(triple[0], triple[1], triple[2], pre));
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
        int result = Long.compare(major, other.major);
        if (result == 0) {
            result = Long.compare(minor, other.minor);
        }
        if (result == 0) {
            result = Long.compare(patch, other.patch);
        }
        if (result != 0) {
            return result;
        }
        if (preRelease.length == 0 || other.preRelease.length == 0) {
            return Integer.compare(other.preRelease.length == 0 ? 0 : 1, preRelease.length == 0 ? 0 : 1);
        }
        for (int i = 0; i < Math.min(preRelease.length, other.preRelease.length); i++) {
            result = compareIdentifier(preRelease[i], other.preRelease[i]);
            if (result != 0) {
                return result;
            }
        }
        return Integer.compare(preRelease.length, other.preRelease.length);
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
        return java.util.Objects.hash(major, minor, patch, java.util.Arrays.hashCode(preRelease));
    }

    @Override
    public String toString() {
        return major + "." + minor + "." + patch + (preRelease.length == 0 ? "" : "-" + String.join(".", preRelease));
    }
}
