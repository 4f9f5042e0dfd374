package dev.ramp.server.store;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.ramp.server.model.ExperimentDefinition;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * An experiment as stored: its definition, where it is in its life, and the arms it started with.
 *
 * @param status         {@code draft} until started; {@code running} while exposures and metric events count;
 *                       {@code stopped} or {@code shipped} after, when its results no longer change
 * @param arms           the flag's variants and weights when the experiment started (empty while a draft): what the
 *                       sample-ratio check expects
 * @param shippedVariant the variant shipped to everyone; {@code ""} unless shipped
 * @param startedAt      when it started; absent (JSON null) while a draft
 * @param stoppedAt      when it stopped or was shipped; absent while a draft or running
 * @param countedAfter   it counts the stored events with an id above this one (the last id when it started), ...
 * @param countedThrough ... up to this one (the last id when it stopped; {@link Long#MAX_VALUE} while it runs); both
 *                       are 0 for a draft, and are not part of its JSON
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record StoredExperiment(
        @JsonUnwrapped ExperimentDefinition definition,
        Status status,
        List<Arm> arms,
        String shippedVariant,
        Instant startedAt,
        Instant stoppedAt,
        @JsonIgnore long countedAfter,
        @JsonIgnore long countedThrough,
        long version,
        Instant createdAt,
        Instant updatedAt) {

    /** Where an experiment is in its life. */
    public enum Status {
        DRAFT, RUNNING, STOPPED, SHIPPED;

        @com.fasterxml.jackson.annotation.JsonValue
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** One arm: a variant of the flag and its weight, a share in (0, 1]. */
    public record Arm(String variant, double weight) {
        public Arm {
            Objects.requireNonNull(variant, "variant");
            if (!(weight > 0 && weight <= 1)) {
                throw new IllegalArgumentException("arm weight must be in (0, 1], got " + weight);
            }
        }
    }

    public StoredExperiment {
        Objects.requireNonNull(definition, "definition");
        Objects.requireNonNull(status, "status");
        arms = List.copyOf(arms);
        Objects.requireNonNull(shippedVariant, "shippedVariant");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        if ((status == Status.DRAFT) != (startedAt == null)) {
            throw new IllegalArgumentException("an experiment has a start time exactly when it is not a draft, got "
                    + status + " with " + startedAt);
        }
        if ((status == Status.STOPPED || status == Status.SHIPPED) != (stoppedAt != null)) {
            throw new IllegalArgumentException("an experiment has a stop time exactly when stopped or shipped, got "
                    + status + " with " + stoppedAt);
        }
        if ((status == Status.SHIPPED) == shippedVariant.isEmpty()) {
            throw new IllegalArgumentException("an experiment names a shipped variant exactly when shipped, got "
                    + status + " with '" + shippedVariant + "'");
        }
        if (countedAfter < 0 || countedThrough < countedAfter
                || (status == Status.RUNNING) != (countedThrough == Long.MAX_VALUE)) {
            throw new IllegalArgumentException("an experiment counts the events after " + countedAfter + " through "
                    + countedThrough + ", which must not be negative nor end before they start, and end at the last id"
                    + " exactly while it runs; got " + status);
        }
        if ((status == Status.DRAFT) != arms.isEmpty()) {
            throw new IllegalArgumentException("an experiment has arms exactly when it is not a draft, got " + status
                    + " with " + arms);
        }
    }

    /** A new draft. */
    public static StoredExperiment draft(ExperimentDefinition definition, Instant now) {
        return new StoredExperiment(definition, Status.DRAFT, List.of(), "", null, null, 0, 0, 1, now, now);
    }

    public String name() {
        return definition.name();
    }

    public Optional<Instant> started() {
        return Optional.ofNullable(startedAt);
    }

    public Optional<Instant> stopped() {
        return Optional.ofNullable(stoppedAt);
    }

    /** The same experiment with a new definition, as the next version. */
    public StoredExperiment withDefinition(ExperimentDefinition newDefinition, Instant now) {
        return new StoredExperiment(newDefinition, status, arms, shippedVariant, startedAt, stoppedAt, countedAfter,
                countedThrough, version + 1, createdAt, now);
    }

    /**
     * Started at {@code now}, with its definition as it starts (its control named) and the flag's split as its arms,
     * counting the events stored after {@code lastEventId}.
     */
    public StoredExperiment start(ExperimentDefinition startDefinition, List<Arm> startArms, Instant now, long lastEventId) {
        return new StoredExperiment(startDefinition, Status.RUNNING, startArms, "", now, null, lastEventId, Long.MAX_VALUE,
                version + 1, createdAt, now);
    }

    /** Stopped at {@code now}, having counted the events up to {@code lastEventId}. */
    public StoredExperiment stop(Instant now, long lastEventId) {
        return new StoredExperiment(definition, Status.STOPPED, arms, "", startedAt, now, countedAfter, lastEventId,
                version + 1, createdAt, now);
    }

    /** Shipped at {@code now}; a stopped experiment keeps the time it stopped and the events it counted. */
    public StoredExperiment ship(String variant, Instant now, long lastEventId) {
        boolean running = status == Status.RUNNING;
        return new StoredExperiment(definition, Status.SHIPPED, arms, variant, startedAt, running ? now : stoppedAt,
                countedAfter, running ? lastEventId : countedThrough, version + 1, createdAt, now);
    }

    /** Whether this experiment counts the stored event {@code eventId}. */
    public boolean counts(long eventId) {
        return eventId > countedAfter && eventId <= countedThrough;
    }
}
