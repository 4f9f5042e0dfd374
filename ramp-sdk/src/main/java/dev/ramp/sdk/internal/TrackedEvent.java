package dev.ramp.sdk.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Objects;

/**
 * One event for experiment analysis, as {@code POST /api/client/events} takes it: an {@code exposure} (a unit was
 * served a flag's variant) or a {@code metric} (something a unit did, with a value).
 *
 * @param type    {@code exposure} or {@code metric}
 * @param name    the flag of an exposure, the event name of a metric
 * @param variant the variant an exposure served, {@code ""} for a metric
 * @param unit    the user id, else the session id
 * @param value   the metric's value; {@code 1} for an exposure
 * @param time    when it happened
 */
public record TrackedEvent(String type, String name, String variant, String unit, double value, Instant time) {
    public static final String EXPOSURE = "exposure";
    public static final String METRIC = "metric";
    /** The longest name or unit the server takes; a longer one would make it refuse the whole batch. */
    public static final int MAX_NAME = 256;
    /** The largest magnitude of a metric's value the server takes. */
    public static final double MAX_VALUE = 1e12;

    public TrackedEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(variant, "variant");
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(time, "time");
    }

    public static TrackedEvent exposure(String flag, String variant, String unit, Instant time) {
        return new TrackedEvent(EXPOSURE, flag, variant, unit, 1.0, time);
    }

    public static TrackedEvent metric(String name, String unit, double value, Instant time) {
        return new TrackedEvent(METRIC, name, "", unit, value, time);
    }

    /** Whether the server takes {@code text} as an event name or unit: 1 to 256 characters, no control character. */
    public static boolean isName(String text) {
        return text != null && !text.isEmpty() && text.length() <= MAX_NAME && text.chars().noneMatch(Character::isISOControl);
    }

    void writeTo(ObjectNode json) {
        json.put("type", type);
        if (type.equals(EXPOSURE)) {
            json.put("flag", name);
            json.put("variant", variant);
        } else {
            json.put("name", name);
            json.put("value", value);
        }
        json.put("unit", unit);
        json.put("time", time.toString());
    }
}
