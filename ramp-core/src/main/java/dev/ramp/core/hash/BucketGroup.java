package dev.ramp.core.hash;

/**
 * A group with its hash prefix ({@code group + ":"} under one seed) computed once, for hot paths that bucket
 * many units of the same group: a rollout strategy, a variant list, a gateway route. Same results as
 * {@link Bucketing#bucketOf(CharSequence, CharSequence, int, int)}. Immutable and thread-safe.
 */
public final class BucketGroup {
    private final String group;
    private final int seed;
    private final int h1;
    private final int k1;
    private final int length;

    private BucketGroup(String group, int seed) {
        this.group = group;
        this.seed = seed;
        int[] state = new int[3];
        Murmur3.absorb(seed, 0, 0, group, state);
        Murmur3.absorb(state[0], state[1], state[2], ":", state);
        this.h1 = state[0];
        this.k1 = state[1];
        this.length = state[2];
    }

    /** The group {@code group} under {@code seed} ({@link Bucketing#ROLLOUT_SEED} or {@link Bucketing#VARIANT_SEED}). */
    public static BucketGroup of(String group, int seed) {
        java.util.Objects.requireNonNull(group, "group");
        return new BucketGroup(group, seed);
    }

    public String group() {
        return group;
    }

    public int seed() {
        return seed;
    }

    /** The raw hash of {@code group + ":" + unit}; read it as unsigned. */
    public int hash(CharSequence unit) {
        return Murmur3.absorb(h1, k1, length, unit, null);
    }

    /** The bucket of {@code unit}, from 1 to {@code modulus}. */
    public int bucketOf(CharSequence unit, int modulus) {
        if (modulus <= 0) {
            throw new IllegalArgumentException("modulus must be > 0, was " + modulus);
        }
        return Integer.remainderUnsigned(hash(unit), modulus) + 1;
    }

    @Override
    public String toString() {
        return "BucketGroup[" + group + ", seed " + seed + "]";
    }
}
