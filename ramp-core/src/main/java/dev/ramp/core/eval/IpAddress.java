package dev.ramp.core.eval;

import java.util.Optional;

/**
 * An IPv4 or IPv6 address parsed from its literal text form only: never a host name, so evaluation never
 * touches DNS. IPv4 is four decimal octets without leading zeros; IPv6 is RFC 4291 §2.2 text (with {@code ::}
 * and an optional trailing dotted IPv4), without a zone. The 128 bits are kept in two longs; an IPv4 address
 * uses the low 32 bits of {@code low}.
 */
record IpAddress(boolean v6, long high, long low) {

    int bits() {
        return v6 ? 128 : 32;
    }

    static Optional<IpAddress> parse(String text) {
        if (text == null || text.isEmpty() || text.length() > 45) {
            return Optional.empty();
        }
        if (text.indexOf(':') < 0) {
            long v4 = parseV4(text);
            return v4 < 0 ? Optional.empty() : Optional.of(new IpAddress(false, 0, v4));
        }
        return parseV6(text);
    }

    /** Whether this address lies in the block {@code network/prefixLength} of the same family. */
    boolean isIn(IpAddress network, int prefixLength) {
        if (v6 != network.v6) {
            return false;
        }
        if (!v6) {
            long mask = prefixLength == 0 ? 0 : (0xffffffffL << (32 - prefixLength)) & 0xffffffffL;
            return (low & mask) == (network.low & mask);
        }
        long highMask = prefixLength >= 64 ? -1L : prefixLength == 0 ? 0 : -1L << (64 - prefixLength);
        long lowMask = prefixLength <= 64 ? 0 : prefixLength == 128 ? -1L : -1L << (128 - prefixLength);
        return (high & highMask) == (network.high & highMask) && (low & lowMask) == (network.low & lowMask);
    }

    /** Four octets, or -1. */
    private static long parseV4(String text) {
        long result = 0;
        int octets = 0;
        int start = 0;
        for (int i = 0; i <= text.length(); i++) {
            if (i == text.length() || text.charAt(i) == '.') {
                int length = i - start;
                if (length == 0 || length > 3 || (length > 1 && text.charAt(start) == '0')) {
                    return -1;
                }
                int octet = 0;
                for (int j = start; j < i; j++) {
                    char c = text.charAt(j);
                    if (c < '0' || c > '9') {
                        return -1;
                    }
                    octet = octet * 10 + (c - '0');
                }
                if (octet > 255 || ++octets > 4) {
                    return -1;
                }
                result = (result << 8) | octet;
                start = i + 1;
            }
        }
        return octets == 4 ? result : -1;
    }

    private static Optional<IpAddress> parseV6(String text) {
        int[] groups = new int[8];
        int count = 0;
        int gap = -1;
        int i = 0;
        int length = text.length();
        if (text.startsWith("::")) {
            gap = 0;
            i = 2;
            if (i == length) {
                return Optional.of(new IpAddress(true, 0, 0));
            }
        } else if (text.startsWith(":")) {
            return Optional.empty();
        }
        while (i < length) {
            int end = i;
            while (end < length && text.charAt(end) != ':') {
                end++;
            }
            String group = text.substring(i, end);
            if (group.isEmpty()) {
                return Optional.empty();
            }
            if (group.indexOf('.') >= 0) {
                long v4 = end == length && count <= 6 ? parseV4(group) : -1;
                if (v4 < 0) {
                    return Optional.empty();
                }
                groups[count++] = (int) (v4 >>> 16);
                groups[count++] = (int) (v4 & 0xffff);
                i = end;
                break;
            }
            if (group.length() > 4 || count == 8) {
                return Optional.empty();
            }
            int value = 0;
            for (int j = 0; j < group.length(); j++) {
                char c = group.charAt(j);
                // ASCII only: Character.digit would also take fullwidth and other Unicode digits.
                int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
                if (digit < 0) {
                    return Optional.empty();
                }
                value = (value << 4) | digit;
            }
            groups[count++] = value;
            if (end == length) {
                i = end;
                break;
            }
            // end points at ':'
            if (end + 1 < length && text.charAt(end + 1) == ':') {
                if (gap >= 0) {
                    return Optional.empty();
                }
                gap = count;
                i = end + 2;
            } else if (end + 1 == length) {
                return Optional.empty();
            } else {
                i = end + 1;
            }
        }
        if (gap < 0 ? count != 8 : count > 7) {
            return Optional.empty();
        }
        int[] full = new int[8];
        if (gap < 0) {
            full = groups;
        } else {
            int tail = count - gap;
            System.arraycopy(groups, 0, full, 0, gap);
            System.arraycopy(groups, gap, full, 8 - tail, tail);
        }
        long high = 0;
        long low = 0;
        for (int g = 0; g < 4; g++) {
            high = (high << 16) | full[g];
            low = (low << 16) | full[g + 4];
        }
        return Optional.of(new IpAddress(true, high, low));
    }
}
