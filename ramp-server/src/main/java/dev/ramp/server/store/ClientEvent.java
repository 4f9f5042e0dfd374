package dev.ramp.server.store;

import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One event an SDK sent through {@code POST /api/client/events}: an exposure (a unit was served a flag's variant)
 * or a metric event (a unit did something worth measuring, with a value). Experiments aggregate them.
 *
 * @param id          the store's id, growing in commit order; {@code 0} for an event not stored yet
 * @param environment the environment of the client token that sent it
 * @param instanceId  the SDK instance, {@code ""} when the SDK sent none
 * @param name        the flag, for an exposure; the event's name, for a metric event
 * @param variant     the variant served, for an exposure ({@code ""} when none); always {@code ""} for a metric event
 * @param unit        the unit id: a user id or a session id
 * @param value       what a metric event measured ({@code 1} by default); always {@code 1} for an exposure
 * @param properties  a metric event's string properties; always empty for an exposure
 * @param occurredAt  when it happened, by the SDK's clock (the server's when the SDK's was more than a day off)
 * @param receivedAt  when the server accepted it
 */
public record ClientEvent(
        long id, String environment, String appName, String instanceId, Type type, String name, String variant,
        String unit, double value, Map<String, String> properties, Instant occurredAt, Instant receivedAt) {

    /** What an event records. */
    public enum Type {
        EXPOSURE, METRIC;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Optional<Type> parse(String text) {
            for (Type type : values()) {
                if (type.wireName().equals(text)) {
                    return Optional.of(type);
                }
            }
            return Optional.empty();
        }
    }

    public ClientEvent {
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(appName, "appName");
        Objects.requireNonNull(instanceId, "instanceId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(variant, "variant");
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(receivedAt, "receivedAt");
        properties = Map.copyOf(properties);
        if (id < 0) {
            throw new IllegalArgumentException("id must be 0 or more, got " + id);
        }
        if (environment.isEmpty() || appName.isEmpty() || name.isEmpty() || unit.isEmpty()) {
            throw new IllegalArgumentException("environment, appName, name and unit must not be empty, got '" + environment
                    + "', '" + appName + "', '" + name + "' and '" + unit + "'");
        }
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("value must be a finite number, got " + value);
        }
        if (type == Type.EXPOSURE && (value != 1 || !properties.isEmpty())) {
            throw new IllegalArgumentException("an exposure has value 1 and no properties, got " + value + " and " + properties);
        }
        if (type == Type.METRIC && !variant.isEmpty()) {
            throw new IllegalArgumentException("a metric event has no variant, got '" + variant + "'");
        }
    }
}
