package dev.ramp.analysis.simulation;

import dev.ramp.analysis.Arms;
import dev.ramp.analysis.Counts;
import dev.ramp.analysis.Interval;
import dev.ramp.analysis.JudgeState;
import dev.ramp.analysis.Look;
import dev.ramp.analysis.Moments;
import dev.ramp.analysis.Outcome;
import dev.ramp.analysis.Split;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Runs one synthetic canary second by second and shows the same data to several judges, each through its
 * {@link Watch}. It reports when each judge first failed the canary.
 *
 * <p>Every request is drawn: it goes to the canary with the canary's weight in that second, fails with its arm's
 * error rate (or the incident's, during one), and takes a log-normal latency, whose log is summed into its arm's
 * moments. A watch's intervals should not straddle a weight step, since an interval reports one weight.
 * Pure and deterministic: everything random comes from the generator passed in.
 */
public final class CanarySimulator {

    /** The metric name the simulated errors are reported under ({@link Counts} of errors among requests). */
    public static final String ERRORS = "errors";
    /** The metric name the simulated latency is reported under ({@link Moments} of the log of latency in milliseconds, positive as Kayenta's mean ratio needs). */
    public static final String LATENCY = "latency";

    private CanarySimulator() {}

    /**
     * Simulates one canary for {@code seconds} and returns, per watch in order, the second at which its judge first
     * failed the canary, or -1 if it never did. Stops early once every judge has failed.
     */
    public static int[] firstFailures(Scenario scenario, List<Watch> watches, int seconds, RandomGenerator random) {
        int[] failedAt = new int[watches.size()];
        Arrays.fill(failedAt, -1);
        List<Pending> pending = new ArrayList<>();
        for (Watch watch : watches) {
            pending.add(new Pending(watch, watch.judge().start()));
        }
        int open = watches.size();
        for (int second = 1; second <= seconds && open > 0; second++) {
            Second data = simulateSecond(scenario, second, random);
            for (int i = 0; i < watches.size(); i++) {
                if (failedAt[i] >= 0) {
                    continue;
                }
                Pending watching = pending.get(i);
                watching.add(data);
                if (second % watching.watch.intervalSeconds() == 0) {
                    Look look = watching.watch.judge().look(watching.state, watching.interval(scenario.weightAt(second)));
                    watching.state = look.state();
                    watching.clear();
                    if (second % watching.watch.decisionSeconds() == 0 && look.verdict().outcome() == Outcome.FAIL) {
                        failedAt[i] = second;
                        open--;
                    }
                }
            }
        }
        return failedAt;
    }

    private static Second simulateSecond(Scenario scenario, int second, RandomGenerator random) {
        boolean incident = scenario.incident().covers(second);
        double stableErrorRate = incident ? scenario.incident().errorRate() : scenario.stableErrorRate();
        double canaryErrorRate = incident ? scenario.incident().errorRate() : scenario.canaryErrorRate();
        double canaryLogMean = scenario.logLatencyMean() + Math.log(scenario.canaryLatencyFactor());
        ArmSecond stable = new ArmSecond(stableErrorRate, scenario.logLatencyMean(), scenario.logLatencySd());
        ArmSecond canary = new ArmSecond(canaryErrorRate, canaryLogMean, scenario.logLatencySd());
        double weight = scenario.weightAt(second);
        for (int request = 0; request < scenario.requestsPerSecond(); request++) {
            (random.nextDouble() < weight ? canary : stable).serve(random);
        }
        return new Second(stable.errors(), canary.errors(), stable.latency(), canary.latency());
    }

    /** One arm's requests within one second. */
    private static final class ArmSecond {
        private final double errorRate;
        private final double logMean;
        private final double logSd;
        private long requests;
        private long errors;
        private double sum;
        private double squares;

        ArmSecond(double errorRate, double logMean, double logSd) {
            this.errorRate = errorRate;
            this.logMean = logMean;
            this.logSd = logSd;
        }

        void serve(RandomGenerator random) {
            requests++;
            if (random.nextDouble() < errorRate) {
                errors++;
            }
            double logLatency = logMean + logSd * random.nextGaussian();
            sum += logLatency;
            squares += logLatency * logLatency;
        }

        Counts errors() {
            return Counts.of(errors, requests);
        }

        Moments latency() {
            return new Moments(requests, sum, squares);
        }
    }

    private record Second(Counts stableErrors, Counts canaryErrors, Moments stableLatency, Moments canaryLatency) {}

    /** A watch's state and the seconds it has gathered since its last interval. */
    private static final class Pending {
        final Watch watch;
        JudgeState state;
        Counts stableErrors = Counts.EMPTY;
        Counts canaryErrors = Counts.EMPTY;
        Moments stableLatency = Moments.EMPTY;
        Moments canaryLatency = Moments.EMPTY;

        Pending(Watch watch, JudgeState state) {
            this.watch = watch;
            this.state = state;
        }

        void add(Second second) {
            stableErrors = stableErrors.plus(second.stableErrors());
            canaryErrors = canaryErrors.plus(second.canaryErrors());
            stableLatency = stableLatency.plus(second.stableLatency());
            canaryLatency = canaryLatency.plus(second.canaryLatency());
        }

        Interval interval(double canaryWeight) {
            return Interval.of(
                    Map.of(ERRORS, Arms.of(stableErrors, canaryErrors), LATENCY, Arms.of(stableLatency, canaryLatency)),
                    Split.of(canaryWeight, stableErrors.trials(), canaryErrors.trials()));
        }

        void clear() {
            stableErrors = Counts.EMPTY;
            canaryErrors = Counts.EMPTY;
            stableLatency = Moments.EMPTY;
            canaryLatency = Moments.EMPTY;
        }
    }
}
