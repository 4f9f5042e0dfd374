package dev.ramp.analysis;

import java.util.Map;
import java.util.Objects;

/**
 * What both arms showed over one interval (say, the last second): a summary per metric name, and the split. A metric
 * missing from an interval had no data in it.
 */
public record Interval(Map<String, Arms<?>> metrics, Split split) {

    public Interval {
        metrics = Map.copyOf(metrics);
        Objects.requireNonNull(split, "split");
    }

    public static Interval of(Map<String, Arms<?>> metrics, Split split) {
        return new Interval(metrics, split);
    }

    /** An interval without a measured split. */
    public static Interval of(Map<String, Arms<?>> metrics) {
        return new Interval(metrics, Split.NOT_MEASURED);
    }
}
