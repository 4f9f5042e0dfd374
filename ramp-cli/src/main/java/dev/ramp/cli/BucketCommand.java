package dev.ramp.cli;

import dev.ramp.core.hash.Bucketing;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Shows the bucket a unit falls in: the answer to "why is this user in (or out of) the rollout?". */
@Command(
        name = "bucket",
        mixinStandardHelpOptions = true,
        description = {
                "Prints the bucket of a unit in a group: murmur3_x86_32(group + \":\" + unit, seed) mod N + 1.",
                "A unit is in a p%% rollout when its bucket (N = 100, seed 0) is <= p."},
        footer = {"", "Example:", "  ramp bucket --group checkout.v2 --unit 42"})
final class BucketCommand implements Callable<Integer> {
    @Spec
    private picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--group", required = true, description = "The rollout's groupId (by default the flag's name).")
    private String group;

    @Option(names = "--unit", required = true, description = "The unit: a user id, session id, or other stickiness value.")
    private String unit;

    @Option(names = "--buckets", defaultValue = "100", description = "N, the number of buckets (default: ${DEFAULT-VALUE}; "
            + "for variants, the total weight).")
    private int buckets;

    @Option(names = "--seed", defaultValue = "0", description = "0 for rollouts, 86028157 for variants (default: ${DEFAULT-VALUE}).")
    private int seed;

    @Override
    public Integer call() {
        if (buckets <= 0) {
            throw new Main.InputRejected("--buckets must be > 0, was " + buckets);
        }
        int bucket = Bucketing.bucketOf(group, unit, buckets, seed);
        spec.commandLine().getOut().printf("bucket %d of %d%n", bucket, buckets);
        return 0;
    }
}
