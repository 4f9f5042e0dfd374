package dev.ramp.core.eval;

import java.util.Optional;

/** An address block {@code network/prefixLength}; a bare address is a block of one. */
record CidrBlock(IpAddress network, int prefixLength) {

    static Optional<CidrBlock> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String trimmed = text.trim();
        int slash = trimmed.indexOf('/');
        Optional<IpAddress> address = IpAddress.parse(slash < 0 ? trimmed : trimmed.substring(0, slash));
        if (address.isEmpty()) {
            return Optional.empty();
        }
        int bits = address.get().bits();
        if (slash < 0) {
            return Optional.of(new CidrBlock(address.get(), bits));
        }
        String prefix = trimmed.substring(slash + 1);
        if (prefix.isEmpty() || prefix.length() > 3 || !prefix.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return Optional.empty();
        }
        int length = Integer.parseInt(prefix);
        return length > bits ? Optional.empty() : Optional.of(new CidrBlock(address.get(), length));
    }

    boolean contains(IpAddress address) {
        return address.isIn(network, prefixLength);
    }

    /** The blocks among {@code texts} that parse (entries trimmed); the others are ignored, as Unleash does. */
    static CidrBlock[] parseAll(Iterable<String> texts) {
        var blocks = new java.util.ArrayList<CidrBlock>();
        for (String text : texts) {
            parse(text).ifPresent(blocks::add);
        }
        return blocks.toArray(CidrBlock[]::new);
    }

    /** Whether {@code address} is a literal IP inside any of {@code blocks}. */
    static boolean anyContains(CidrBlock[] blocks, String address) {
        Optional<IpAddress> parsed = IpAddress.parse(address);
        if (parsed.isEmpty()) {
            return false;
        }
        for (CidrBlock block : blocks) {
            if (block.contains(parsed.get())) {
                return true;
            }
        }
        return false;
    }
}
