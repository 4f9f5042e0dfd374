package dev.ramp.analysis.simulation;

/**
 * A synthetic canary: how much traffic the route takes, how it is split, and how each arm behaves. Latency is
 * log-normal: the log of each request's latency is normal with the given mean and standard deviation on stable, and
 * shifted by {@code log(canaryLatencyFactor)} on the canary.
 *
 * @param requestsPerSecond requests the route takes each second, split between the arms per request
 * @param canaryWeight the canary's share of requests, in (0, 1)
 * @param stableErrorRate the chance that a stable request fails
 * @param canaryErrorRate the chance that a canary request fails
 * @param logLatencyMean the mean of the log of stable latency (of milliseconds)
 * @param logLatencySd the standard deviation of the log of latency, on both arms
 * @param canaryLatencyFactor how many times slower the canary is (1 for as fast as stable)
 */
public record Scenario(
        int requestsPerSecond,
        double canaryWeight,
        double stableErrorRate,
        double canaryErrorRate,
        double logLatencyMean,
        double logLatencySd,
        double canaryLatencyFactor) {

    public Scenario {
        if (requestsPerSecond < 1) {
            throw new IllegalArgumentException("requestsPerSecond must be at least 1, got " + requestsPerSecond);
        }
        if (!(canaryWeight > 0 && canaryWeight < 1)) {
            throw new IllegalArgumentException("canaryWeight must lie in (0, 1), got " + canaryWeight);
        }
        requireRate("stableErrorRate", stableErrorRate);
        requireRate("canaryErrorRate", canaryErrorRate);
        if (!Double.isFinite(logLatencyMean) || !(logLatencySd > 0) || !Double.isFinite(logLatencySd)) {
            throw new IllegalArgumentException(
                    "latency needs a finite log mean and a positive log sd, got " + logLatencyMean + " and " + logLatencySd);
        }
        if (!(canaryLatencyFactor > 0) || !Double.isFinite(canaryLatencyFactor)) {
            throw new IllegalArgumentException("canaryLatencyFactor must be positive, got " + canaryLatencyFactor);
        }
    }

    private static void requireRate(String name, double rate) {
        if (!(rate >= 0 && rate <= 1)) {
            throw new IllegalArgumentException(name + " must lie in [0, 1], got " + rate);
        }
    }

    /**
     * A healthy canary as in the documented simulation: 50% weight, 1% errors on both arms, latency with a median
     * of 100 ms and a log standard deviation of 0.5.
     */
    public static Scenario healthy(int requestsPerSecond) {
        return new Scenario(requestsPerSecond, 0.5, 0.01, 0.01, Math.log(100), 0.5, 1);
    }

    public Scenario withCanaryErrorRate(double rate) {
        return new Scenario(requestsPerSecond, canaryWeight, stableErrorRate, rate, logLatencyMean, logLatencySd,
                canaryLatencyFactor);
    }

    public Scenario withCanaryLatencyFactor(double factor) {
        return new Scenario(requestsPerSecond, canaryWeight, stableErrorRate, canaryErrorRate, logLatencyMean,
                logLatencySd, factor);
    }
}
