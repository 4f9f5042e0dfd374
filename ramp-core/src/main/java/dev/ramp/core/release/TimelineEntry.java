package dev.ramp.core.release;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One decision on a release's timeline, with its evidence.
 *
 * @param at       when it was decided
 * @param type     {@code started}, {@code step}, {@code weight}, {@code measurement}, {@code analysis},
 *                 {@code gate}, {@code command}, {@code paused}, {@code resumed}, {@code promoted} or
 *                 {@code rolled-back}
 * @param step     the step it happened in (its index in the plan)
 * @param message  for people
 * @param outcome  a measurement's or analysis's outcome ({@code PASS}, {@code FAIL}, ...), {@code ""} otherwise
 * @param evidence a measurement's results per metric, empty otherwise
 */
public record TimelineEntry(Instant at, String type, int step, String message, String outcome,
                            List<Measurement.MetricResult> evidence) {
    public TimelineEntry {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(outcome, "outcome");
        evidence = List.copyOf(evidence);
    }
}
