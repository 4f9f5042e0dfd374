package dev.ramp.analysis;

/** Which way a metric moves when the canary is worse. */
public enum Direction {
    /** Higher is worse: error rate, latency. */
    HIGHER_IS_WORSE,
    /** Lower is worse: success rate, throughput, conversion. */
    LOWER_IS_WORSE
}
