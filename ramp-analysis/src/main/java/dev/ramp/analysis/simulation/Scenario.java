package dev.ramp.analysis.simulation;

import java.util.List;

/**
 * A synthetic canary: how much traffic the route takes, how it is split over time, and how each arm behaves.
 * Latency is log-normal: the log of each request's latency (in milliseconds) is normal with the given mean and
 * standard deviation on stable, and shifted by {@code log(canaryLatencyFactor)} on the canary.
 *
 * @param requestsPerSecond requests the route takes each second, split between the arms per request
 * @param weights the canary's share of requests over time
 * @param stableErrorRate the chance that a stable request fails
 * @param canaryErrorRate the chance that a canary request fails
 * @param logLatencyMean the mean of the log of stable latency (of milliseconds)
 * @param logLatencySd the standard deviation of the log of latency, on both arms
 * @param canaryLatencyFactor how many times slower the canary is (1 for as fast as stable)
 * @param incident a stretch of time during which both arms fail more, or {@link Incident#NONE}
 */
public record Scenario(
        int requestsPerSecond,
        Weights weights,
        double stableErrorRate,
        double canaryErrorRate,
        double logLatencyMean,
        double logLatencySd,
        double canaryLatencyFactor,
        Incident incident) {

    public Scenario {
        if (requestsPerSecond < 1) {
            throw new IllegalArgumentException("requestsPerSecond must be at least 1, got " + requestsPerSecond);
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
        return new Scenario(requestsPerSecond, Weights.constant(0.5), 0.01, 0.01, Math.log(100), 0.5, 1, Incident.NONE);
    }

    public Scenario withCanaryErrorRate(double rate) {
        return new Scenario(requestsPerSecond, weights, stableErrorRate, rate, logLatencyMean, logLatencySd,
                canaryLatencyFactor, incident);
    }

    public Scenario withCanaryLatencyFactor(double factor) {
        return new Scenario(requestsPerSecond, weights, stableErrorRate, canaryErrorRate, logLatencyMean,
                logLatencySd, factor, incident);
    }

    public Scenario withWeights(Weights weights) {
        return new Scenario(requestsPerSecond, weights, stableErrorRate, canaryErrorRate, logLatencyMean,
                logLatencySd, canaryLatencyFactor, incident);
    }

    public Scenario withIncident(Incident incident) {
        return new Scenario(requestsPerSecond, weights, stableErrorRate, canaryErrorRate, logLatencyMean,
                logLatencySd, canaryLatencyFactor, incident);
    }

    /** The canary's weight in the given second (counted from 1). */
    public double weightAt(int second) {
        return weights.at(second);
    }

    /**
     * The canary's share of requests over time: {@code steps[i]} for the seconds of step i, each step lasting
     * {@code secondsPerStep}, the last step holding to the end (a release's {@code setWeight} steps).
     */
    public record Weights(List<Double> steps, int secondsPerStep) {

        public Weights {
            steps = List.copyOf(steps);
            if (steps.isEmpty() || secondsPerStep < 1) {
                throw new IllegalArgumentException(
                        "weights need at least one step and secondsPerStep >= 1, got " + steps + " and " + secondsPerStep);
            }
            for (double weight : steps) {
                if (!(weight > 0 && weight < 1)) {
                    throw new IllegalArgumentException("each weight must lie in (0, 1), got " + weight);
                }
            }
        }

        public static Weights constant(double weight) {
            return new Weights(List.of(weight), Integer.MAX_VALUE);
        }

        public static Weights steps(int secondsPerStep, Double... weights) {
            return new Weights(List.of(weights), secondsPerStep);
        }

        double at(int second) {
            return steps.get(Math.min((second - 1) / secondsPerStep, steps.size() - 1));
        }
    }

    /**
     * Seconds {@code from} to {@code to} (inclusive, counted from 1) during which every request on both arms fails
     * with {@code errorRate}: an outage of a shared dependency, which a judge should not blame on the canary.
     */
    public record Incident(int from, int to, double errorRate) {

        /** No incident. */
        public static final Incident NONE = new Incident(0, -1, 0);

        public Incident {
            requireRate("errorRate", errorRate);
        }

        boolean covers(int second) {
            return second >= from && second <= to;
        }
    }
}
