package dev.ramp.core.route;

import dev.ramp.core.hash.BucketGroup;
import dev.ramp.core.hash.Bucketing;

/**
 * Which arm a unit is in: the candidate when its rollout bucket in {@code group} is at most the candidate's percent.
 * This is the rule of a flag's {@code flexibleRollout} with the same group and percentage, on the same hash
 * ({@link Bucketing}), so a unit split at the gateway and a unit split by a flag land alike, and raising the percent
 * never moves a unit out of the candidate.
 *
 * <p>Requests without a key are split on their own, in a fixed interleaving rather than by chance: of every 100 in a
 * row, exactly {@code percent} go to the candidate, spread out (request {@code n} goes there when
 * {@code floor((n+1)p/100) > floor(np/100)}), as nginx's smooth weighted round-robin does. Callers keep the counter.
 */
public final class TrafficSplit {
    private final BucketGroup group;
    private final int candidatePercent;

    private TrafficSplit(BucketGroup group, int candidatePercent) {
        this.group = group;
        this.candidatePercent = candidatePercent;
    }

    /** The split of {@code group} with {@code candidatePercent} percent in the candidate. */
    public static TrafficSplit of(String group, int candidatePercent) {
        if (candidatePercent < 0 || candidatePercent > Bucketing.PERCENT) {
            throw new IllegalArgumentException("candidatePercent must be from 0 to 100, was " + candidatePercent);
        }
        return new TrafficSplit(BucketGroup.of(group, Bucketing.ROLLOUT_SEED), candidatePercent);
    }

    /** The candidate's share in percent. */
    public int candidatePercent() {
        return candidatePercent;
    }

    /** The bucketing group. */
    public String group() {
        return group.group();
    }

    /** Whether the unit keyed {@code unit} is in the candidate arm. */
    public boolean isCandidate(CharSequence unit) {
        return candidatePercent != 0
                && (candidatePercent == Bucketing.PERCENT || group.bucketOf(unit, Bucketing.PERCENT) <= candidatePercent);
    }

    /** Whether the {@code n}th keyless request (counting from 0) goes to the candidate arm. */
    public boolean isCandidate(long n) {
        long position = Long.remainderUnsigned(n, Bucketing.PERCENT);
        return (position + 1) * candidatePercent / Bucketing.PERCENT > position * candidatePercent / Bucketing.PERCENT;
    }
}
