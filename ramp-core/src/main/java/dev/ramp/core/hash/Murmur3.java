package dev.ramp.core.hash;

/**
 * MurmurHash3 x86_32 (Austin Appleby, public domain; reference {@code MurmurHash3_x86_32} in smhasher) over the
 * UTF-8 encoding of text, computed while encoding, so hashing allocates nothing.
 *
 * <p>Bytes are packed little-endian into 4-byte blocks exactly as the reference reads them. The UTF-8 encoding
 * is that of {@link String#getBytes(java.nio.charset.Charset)} with UTF-8: a surrogate pair becomes its 4-byte
 * code point, a lone surrogate becomes {@code '?'}. Hashing can stop after a prefix and resume from the saved
 * state ({@link #absorb} with a state array), which is how {@link BucketGroup} hashes {@code group + ":"} once.
 * Tests pin the result against Apache Commons Codec over the encoded bytes.
 */
final class Murmur3 {
    private static final int C1 = 0xcc9e2d51;
    private static final int C2 = 0x1b873593;

    private Murmur3() {}

    /**
     * Hashes {@code text} on from the state {@code (h1, k1, length)}: the running hash, the pending bytes of the
     * current block and the number of bytes so far. With {@code saveTo} null, finishes and returns the hash;
     * otherwise stores the new state in {@code saveTo[0..2]} and returns 0.
     */
    static int absorb(int h1, int k1, int length, CharSequence text, int[] saveTo) {
        int size = text.length();
        for (int i = 0; i < size; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                k1 |= c << ((length & 3) << 3);
                if ((++length & 3) == 0) {
                    h1 = mixBlock(h1, k1);
                    k1 = 0;
                }
                continue;
            }
            int encoded;
            int count;
            if (c < 0x800) {
                encoded = (0xc0 | (c >>> 6)) | ((0x80 | (c & 0x3f)) << 8);
                count = 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < size && Character.isLowSurrogate(text.charAt(i + 1))) {
                int codePoint = Character.toCodePoint(c, text.charAt(++i));
                encoded = (0xf0 | (codePoint >>> 18))
                        | ((0x80 | ((codePoint >>> 12) & 0x3f)) << 8)
                        | ((0x80 | ((codePoint >>> 6) & 0x3f)) << 16)
                        | ((0x80 | (codePoint & 0x3f)) << 24);
                count = 4;
            } else if (Character.isSurrogate(c)) {
                encoded = '?';
                count = 1;
            } else {
                encoded = (0xe0 | (c >>> 12))
                        | ((0x80 | ((c >>> 6) & 0x3f)) << 8)
                        | ((0x80 | (c & 0x3f)) << 16);
                count = 3;
            }
            for (int b = 0; b < count; b++) {
                k1 |= ((encoded >>> (b << 3)) & 0xff) << ((length & 3) << 3);
                if ((++length & 3) == 0) {
                    h1 = mixBlock(h1, k1);
                    k1 = 0;
                }
            }
        }
        if (saveTo != null) {
            saveTo[0] = h1;
            saveTo[1] = k1;
            saveTo[2] = length;
            return 0;
        }
        if ((length & 3) != 0) {
            h1 ^= mixK1(k1);
        }
        h1 ^= length;
        return finalMix(h1);
    }

    private static int mixK1(int k1) {
        k1 *= C1;
        k1 = Integer.rotateLeft(k1, 15);
        return k1 * C2;
    }

    private static int mixBlock(int h1, int k1) {
        h1 ^= mixK1(k1);
        h1 = Integer.rotateLeft(h1, 13);
        return h1 * 5 + 0xe6546b64;
    }

    private static int finalMix(int h) {
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }
}
