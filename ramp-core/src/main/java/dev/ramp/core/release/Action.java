package dev.ramp.core.release;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.Objects;

/**
 * What a decision asks the server to do. Each is idempotent, so that carrying it out again after a crash changes
 * nothing: setting the weight the target already has leaves it alone, and a hook's receiver drops a delivery id it
 * has seen.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({@JsonSubTypes.Type(value = Action.SetWeight.class, name = "setWeight"),
        @JsonSubTypes.Type(value = Action.Notify.class, name = "notify")})
public sealed interface Action {

    /**
     * Give the new version {@code percent} of the target: a canary route's weight, a flag's rollout percentage; for a
     * blue/green route, 100 makes the new version's arm active and 0 the previous one.
     */
    record SetWeight(int percent) implements Action {
        public SetWeight {
            if (percent < 0 || percent > 100) {
                throw new IllegalArgumentException("percent must be from 0 to 100, got " + percent);
            }
        }
    }

    /**
     * Call the release's {@code on} hooks with {@code message}.
     *
     * @param delivery the id receivers drop repeats by: the release's attempt and decision, and the action's place
     * @param on       which hooks: {@code pre-step}, {@code post-promotion}, {@code rollback} or {@code event}
     * @param type     the timeline entry's type that caused it
     */
    record Notify(String delivery, String on, String type, String message) implements Action {
        public Notify {
            Objects.requireNonNull(delivery, "delivery");
            Objects.requireNonNull(on, "on");
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(message, "message");
        }
    }
}
