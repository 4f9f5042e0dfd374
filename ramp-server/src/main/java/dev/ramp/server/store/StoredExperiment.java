package dev.ramp.server.store;

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
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record StoredExperiment(
        @JsonUnwrapped ExperimentDefinition definition,
        Status status,
        List<Arm> arms,
        String shippedVariant,
        Instant startedAt,
        Instant stoppedAt,
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
        if ((status == Status.DRAFT) != arms.isEmpty()) {
            throw new IllegalArgumentException("an experiment has arms exactly when it is not a draft, got " + status
                    + " with " + arms);
        }
    }

    /** A new draft. */
    public static StoredExperiment draft(ExperimentDefinition definition, Instant now) {
        return new StoredExperiment(definition, Status.DRAFT, List.of(), "", null, null, 1, now, now);
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
        return new StoredExperiment(newDefinition, status, arms, shippedVariant, startedAt, stoppedAt, version + 1, createdAt, now);
    }

    /** Started at {@code now}, with its definition as it starts (its control named) and the flag's split as its arms. */
    public StoredExperiment start(ExperimentDefinition startDefinition, List<Arm> startArms, Instant now) {
        return new StoredExperiment(startDefinition, Status.RUNNING, startArms, "", now, null, version + 1, createdAt, now);
    }

    /** Stopped at {@code now}. */
    public StoredExperiment stop(Instant now) {
        return new StoredExperiment(definition, Status.STOPPED, arms, "", startedAt, now, version + 1, createdAt, now);
    }

    /** Shipped at {@code now}; a stopped experiment keeps the time it stopped. */
    public StoredExperiment ship(String variant, Instant now) {
        return new StoredExperiment(definition, Status.SHIPPED, arms, variant, startedAt, stoppedAt == null ? now : stoppedAt,
                version + 1, createdAt, now);
    }
}
