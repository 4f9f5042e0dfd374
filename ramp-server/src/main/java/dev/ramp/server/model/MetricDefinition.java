package dev.ramp.server.model;

import java.util.Locale;
import java.util.Optional;

/**
 * A metric an experiment reads, from the metric events named {@code event} (what SDKs send with
 * {@code track(event, context, value)}).
 *
 * @param event the metric events' name
 * @param kind  {@code conversion}: the share of units with at least one event; {@code sum}: the mean per unit of the
 *              events' values added up (revenue per user; events per user when values are 1); {@code average}: the
 *              mean value per event (latency per page view), a ratio of two per-unit sums
 * @param goal  {@code increase} when more is better, {@code decrease} when less is better
 */
public record MetricDefinition(String event, String kind, String goal) {

    public MetricDefinition {
        event = Defaults.text(event);
        kind = Defaults.text(kind);
        goal = goal == null || goal.isEmpty() ? Goal.INCREASE.wireName() : goal;
    }

    /** How per-unit values become the metric. */
    public enum Kind {
        CONVERSION, SUM, AVERAGE;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Optional<Kind> parse(String text) {
            for (Kind kind : values()) {
                if (kind.wireName().equals(text)) {
                    return Optional.of(kind);
                }
            }
            return Optional.empty();
        }
    }

    /** Which way the metric should move. */
    public enum Goal {
        INCREASE, DECREASE;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Optional<Goal> parse(String text) {
            for (Goal goal : values()) {
                if (goal.wireName().equals(text)) {
                    return Optional.of(goal);
                }
            }
            return Optional.empty();
        }
    }

    /** The kind; call only on a validated definition. */
    public Kind parsedKind() {
        return Kind.parse(kind).orElseThrow(() -> new IllegalStateException("metric kind '" + kind + "' was not validated"));
    }

    /** The goal; call only on a validated definition. */
    public Goal parsedGoal() {
        return Goal.parse(goal).orElseThrow(() -> new IllegalStateException("metric goal '" + goal + "' was not validated"));
    }
}
