package dev.ramp.core.hash;

/**
 * Assigns units to buckets: {@code bucket = murmur3_x86_32(utf8(group + ":" + unit), seed) mod N + 1}, the
 * hash taken as unsigned 32 bits. This is Unleash's {@code normalizedHash}, so Ramp and Unleash SDKs put every
 * unit in the same bucket, and it is the hash Ramp's gateway uses, so a unit split at the edge lands in the same
 * arm as under a flag rollout with the same group and percentage.
 *
 * <p>Rollouts use seed {@link #ROLLOUT_SEED} and {@code N = 100}: a unit is in a {@code p}% rollout when its
 * bucket is {@code <= p}, so raising {@code p} never removes a unit. Variants use seed {@link #VARIANT_SEED}
 * and {@code N} = the total weight. Hot paths that bucket many units of one group use {@link BucketGroup}.
 */
public final class Bucketing {
    /** Seed of percentage rollouts. */
    public static final int ROLLOUT_SEED = 0;
    /** Seed of variant selection ({@code VARIANT_NORMALIZATION_SEED} in Unleash). */
    public static final int VARIANT_SEED = 86028157;
    /** Buckets of a percentage rollout. */
    public static final int PERCENT = 100;

    private Bucketing() {}

    /** The rollout bucket of {@code unit} in {@code group}, from 1 to 100. */
    public static int bucketOf(CharSequence group, CharSequence unit) {
        return bucketOf(group, unit, PERCENT, ROLLOUT_SEED);
    }

    /** The bucket of {@code unit} in {@code group}, from 1 to {@code modulus}. */
    public static int bucketOf(CharSequence group, CharSequence unit, int modulus, int seed) {
        if (modulus <= 0) {
            throw new IllegalArgumentException("modulus must be > 0, was " + modulus);
        }
        return Integer.remainderUnsigned(hash(group, unit, seed), modulus) + 1;
    }

    /** The raw hash: murmur3 x86_32 of {@code utf8(group + ":" + unit)}; read it as unsigned. */
    public static int hash(CharSequence group, CharSequence unit, int seed) {
        return BucketGroup.of(group.toString(), seed).hash(unit);
    }
}
